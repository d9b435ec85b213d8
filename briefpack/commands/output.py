"""Printing rows for a person (an aligned table) or a program (JSON, CSV)."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Mapping, Sequence
from typing import IO, Any

from ..textsafe import csv_rows, printable

#: a wrapped column is never narrower than this
MIN_WRAP = 20
#: the width a table fits when the terminal's is unknown (output to a file or a pipe)
DEFAULT_WIDTH = 120


def emit_table(rows: Sequence[Mapping[str, Any]], fmt: str, out: IO[str] | None = None) -> None:
    """Print rows as a text table (``fmt`` "table"), JSON or CSV.

    A text table fits the terminal: the widest columns wrap inside their cells, so one
    long value (an audit entry's before and after) never pads every row out to its width.
    """
    out = out or sys.stdout
    if fmt == "json":
        json.dump(list(rows), out, indent=2, ensure_ascii=False, default=str)
        out.write("\n")
        return
    if not rows:
        if fmt == "table":
            out.write("(none)\n")
        return
    headers = list(rows[0])
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=headers, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_rows(rows))
        return
    from tabulate import tabulate  # only for a table a person reads: keeps start-up quick

    cells = [[_cell(r[h]) for h in headers] for r in rows]
    width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    text = tabulate(cells, headers=headers, tablefmt="simple",
                    maxcolwidths=_wrap_widths(headers, cells, width), disable_numparse=True)
    out.write("\n".join(line.rstrip() for line in text.splitlines()) + "\n")


def _wrap_widths(headers: list[str], cells: list[list[str]], width: int) -> list[int | None]:
    """Per column, the width to wrap at (None: as wide as its text). Only columns of words
    wrap (a date or a code never breaks), the widest first, until the table fits."""
    widths = [max(len(h), *(len(line) for c in cells for line in c[i].splitlines() or [""]))
              for i, h in enumerate(headers)]
    natural = list(widths)
    words = [any(" " in c[i].strip() for c in cells) for i in range(len(headers))]
    # tabulate puts two spaces between columns and pads each heading by two
    overhead = 2 * (len(widths) - 1) + 2 * len(widths)
    while sum(widths) + overhead > width:
        shrinkable = [i for i, w in enumerate(widths)
                      if words[i] and w > max(MIN_WRAP, len(headers[i]))]
        if not shrinkable:
            break  # as narrow as it sensibly goes: let the terminal wrap the rest
        widths[max(shrinkable, key=widths.__getitem__)] -= 1
    return [w if w < n else None for w, n in zip(widths, natural)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return printable(", ".join(map(str, value)))
    return printable(str(value))

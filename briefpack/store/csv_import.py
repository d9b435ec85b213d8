"""Sections kept in spreadsheets (alumni, export opportunities…) imported from CSV.

A sheet holds the whole section for each country in it: rows are matched to stored records
by id if the sheet has one, else by a natural key (an alumnus's name, a programme and its
company …); unmatched rows are added and stored records missing from the sheet are removed.
Columns the sheet lacks keep their stored values. UTF-8 with or without a byte-order mark;
Excel's dialect with commas, or semicolons as European Excel writes them (decimal commas
too). The result is an ``Incoming`` for ``diff.plan``/``diff.apply``, like a packet's.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import marking, model, yamlio
from ..errors import DataError, Problem, UnknownCountry, UsageError
from ..textsafe import clean
from ..yamlio import Context, YMap, build
from . import diff
from .diff import ImportPlan, Located
from .packets import canonical_marking
from .store import Store

_NOT_FROM_SHEETS = frozenset({"updated_at", "updated_by", "origin"})
_DECIMAL_COMMA = re.compile(r"^\s*-?£?[\d. ]*,\d+\s*$")


def table_named(name: str) -> str:
    """The store table a user means by ``name`` (e.g. "exports" for export_opportunities)."""
    spec = model.table_named(name)
    if spec is None:
        raise UsageError(f"unknown table {name!r}; expected one of: "
                             + ", ".join(model.TABLES))
    return spec.name


def parse_map(items: list[str]) -> dict[str, str]:
    """``--map`` options, each ``column=field`` (an empty field ignores the column)."""
    out = {}
    for item in items:
        column, sep, name = item.partition("=")
        if not sep or not column.strip():
            raise UsageError(f"--map {item!r}: write it as COLUMN=FIELD, e.g. 'Full name=name'")
        out[column.strip().casefold()] = name.strip()
    return out


def plan_csv(store: Store, path: Path | str, table: str, *, country: str | None = None,
             mapping: Mapping[str, str] | None = None) -> ImportPlan:
    """Read, validate and compare a sheet; DataError lists every problem with its row."""
    return diff.plan(store, read_csv(store, path, table, country=country, mapping=mapping))


def read_csv(store: Store, path: Path | str, table: str, *, country: str | None = None,
             mapping: Mapping[str, str] | None = None) -> diff.Incoming:
    """The sheet as the complete new content of ``table`` for each country in it."""
    path = Path(path)
    text = yamlio.read_text(path, save_as=": in Excel save it as 'CSV UTF-8 (Comma delimited)'")
    yamlio.refuse_too_many_items(text, str(path))  # rows x cells, before any row is read
    return _Sheet(store, str(path), table_named(table), country,
                  {k.casefold(): v for k, v in (mapping or {}).items()}).read(text)


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return ('a quoted cell starting in this row is never closed (a " is missing), '
                "so the rest of the file would become one cell")
    if "expected" in text and "after" in text:
        return ('a quote (") in the middle of a cell: put the whole cell in quotes and '
                'write a quote inside it as ""')
    return f"not readable as CSV: {text}"


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line (outside quotes) uses most."""
    header, quoted = [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif not quoted:
            header.append(char)
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Sheet:
    def __init__(self, store: Store, source: str, table: str, country: str | None,
                 mapping: dict[str, str]):
        self.store, self.source, self.table = store, source, table
        self.cls = model.TABLES[table].record
        self.ctx = Context(source)
        self.mapping = mapping
        self.country = self._resolve(country, 1, "--country") if country else None
        self.local: dict[str, dict[int, Any]] = {}
        self.by_key: dict[str, dict[tuple, Any]] = {}
        self.numeric = {name for name, hint in typing.get_type_hints(self.cls).items()
                        if hint in (int, float, int | None, float | None)}

    def read(self, text: str) -> diff.Incoming:
        delimiter = sniff_delimiter(text)
        # strict: a quote left open is an error, not one cell swallowing every row after it
        reader = csv.reader(io.StringIO(text, newline=""), dialect="excel", delimiter=delimiter,
                            strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(Problem(self.source, None, "", "the sheet is empty")) from None
        except csv.Error as exc:
            raise DataError(Problem(self.source, 1, "", _csv_problem(exc))) from None
        fields = self._columns(header)
        self.ctx.raise_if_any()  # rows cannot be read without knowing the columns
        if "country" not in fields and self.country is None:
            self.ctx.add(1, "country", "the sheet has no country column: give --country")
            self.ctx.raise_if_any()
        sections: dict[str, list[Located]] = {}
        if self.country:
            sections[self.country] = []
        seen: dict[tuple, int] = {}
        line = reader.line_num + 1
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    self._row(line, fields, cells, delimiter == ";", sections, seen)
                line = reader.line_num + 1
        except csv.Error as exc:
            self.ctx.add(line, f"row {line}", _csv_problem(exc))
        self.ctx.raise_if_any()
        return diff.Incoming(self.source, "csv",
                             {code: {self.table: rows} for code, rows in sections.items()},
                             self._base_revision(sections))

    def _columns(self, header: list[str]) -> list[str | None]:
        """The field each column fills (None: ignored), noting unknown columns."""
        allowed = [f.name for f in dataclasses.fields(self.cls) if f.name not in _NOT_FROM_SHEETS]
        out: list[str | None] = []
        for column in header:
            key = column.strip().casefold()
            name = self.mapping.get(key, re.sub(r"[\s-]+", "_", key))
            if name and name not in allowed:
                how = "--map target" if key in self.mapping else "unknown column"
                self.ctx.add(1, column, f"{how} {name!r}: {self.table} has fields "
                             + ", ".join(allowed) + "; use --map 'COLUMN=FIELD' to name one "
                             "or 'COLUMN=' to ignore it")
            if name and name in out:
                self.ctx.add(1, column, f"two columns fill {name!r}")
            out.append(name or None)
        for column in self.mapping:
            if column not in {h.strip().casefold() for h in header}:
                self.ctx.add(1, column, "--map names a column the sheet does not have")
        return out

    def _row(self, line: int, fields: list[str | None], cells: list[str], decimal_comma: bool,
             sections: dict[str, list[Located]], seen: dict[tuple, int]) -> None:
        where = f"row {line}"
        if len(cells) > len(fields):
            self.ctx.add(line, where, f"{len(cells)} cells but only {len(fields)} columns")
            return
        item = YMap({name: self._cell(name, cell, decimal_comma)
                     for name, cell in zip(fields, cells) if name})
        item.line, item.key_lines = line, {}
        code = self._row_country(item, line)
        if code is None:
            return
        mine = self._match(code, item, line)
        defaults = ({f.name: getattr(mine, f.name) for f in dataclasses.fields(mine)}
                    if mine else {})
        item["country"] = code
        record = build(self.cls, item, self.ctx, where, defaults=defaults)
        if record is None:
            return
        key = _natural_key(self.table, record)
        if not key[0]:
            first = model.TABLES[self.table].natural_key[0]
            self.ctx.add(line, f"{where}.{first}", "required: empty")
            return
        if (code, key) in seen:
            self.ctx.add(line, where, f"the same record as row {seen[code, key]} "
                         f"({', '.join(map(str, key))})")
            return
        seen[code, key] = line
        try:
            text = canonical_marking(record.marking, model.is_personal_table(self.table))
            record = dataclasses.replace(record, marking=text)
        except marking.MarkingError as exc:
            self.ctx.add(line, f"{where}.marking", str(exc))
            return
        sections.setdefault(code, []).append(Located(record, line, where))

    def _cell(self, name: str, cell: str, decimal_comma: bool) -> str:
        if decimal_comma and name in self.numeric and _DECIMAL_COMMA.match(cell):
            return cell.replace(".", "").replace(" ", "").replace(",", ".")
        return cell

    def _row_country(self, item: YMap, line: int) -> str | None:
        given = str(item.get("country") or "").strip()
        if not given:
            if self.country is None:
                self.ctx.add(line, f"row {line}.country",
                             "empty: name the country or give --country")
            return self.country
        code = self._resolve(given, line, f"row {line}.country")
        if code and self.country and code != self.country:
            self.ctx.add(line, f"row {line}.country",
                         f"{given!r} is not {self.country}, the --country given")
            return None
        return code

    def _resolve(self, text: str, line: int, field: str) -> str | None:
        try:
            return self.store.resolve_country(text).code
        except UnknownCountry as exc:
            self.ctx.add(line, field, str(exc))
            return None

    def _match(self, code: str, item: YMap, line: int) -> Any:
        """The stored record this row updates, if any."""
        if code not in self.local:
            records = self.store.records(self.table, code)
            self.local[code] = {r.id: r for r in records}
            self.by_key[code] = {_natural_key(self.table, r): r for r in records}
        raw_id = str(item.get("id") or "").strip()
        if raw_id:
            record_id = yamlio.whole_number(raw_id)
            return self.local[code].get(record_id) if record_id is not None else None
        # cleaned as the stored values were, so a stray control character still matches
        key = tuple(clean(str(item.get(name, ""))).strip()
                    for name in model.TABLES[self.table].natural_key)
        return self.by_key[code].get(key)

    def _base_revision(self, sections: dict[str, list[Located]]) -> int:
        """Records changed here since the section was last refreshed are conflicts."""
        revisions = [row[0] or 0 for code in sections for row in self.store.db.execute(
            "SELECT revision FROM refreshes WHERE country = ? AND section = ?",
            [code, self.table]).fetchall()]
        return min(revisions) if len(revisions) == len(sections) and revisions else 0


def _natural_key(table: str, record: Any) -> tuple[str, ...]:
    values = (getattr(record, name) for name in model.TABLES[table].natural_key)
    return tuple("" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v))
                 .strip() for v in values)

"""Drawing Progress steps on a terminal: one line, redrawn in place, on stderr."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from ..processes import stop_if_asked
from ..progress import Progress
from ..textsafe import printable

WIDTH = 100


def draw(progress: Progress) -> None:
    """Redraw the progress line: a bar, the step count and what is happening."""
    bar_width = 24
    filled = bar_width * progress.step // max(progress.total, 1)
    bar = "#" * filled + "-" * (bar_width - filled)
    line = f"\r[{bar}] {progress.step}/{progress.total} {printable(progress.message)}"
    sys.stderr.write(line[:WIDTH].ljust(WIDTH))
    sys.stderr.flush()


def follow(steps: Iterable[Progress]) -> Any:
    """Run the steps to the end, drawing them when stderr is a terminal and printing any
    warnings there; return the last step's result."""
    show = sys.stderr.isatty()
    result = None
    try:
        for progress in steps:
            if show:
                draw(progress)
            for warning in progress.warnings:
                sys.stderr.write(("\n" if show else "") + f"warning: {printable(warning)}\n")
            result = progress.result or result
            if progress.result is None:
                stop_if_asked()  # before the outputs are in place: stop, leaving nothing
    finally:
        if show:
            sys.stderr.write("\n")
    return result

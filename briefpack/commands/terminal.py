"""Drawing Progress steps on a terminal: one line, redrawn in place, on stderr.

A long step (writing a pack) reports how far it has got ("page 37 of about 120"); the
line shows that beside the step, and the bar and percentage move with it. When stderr is
not a terminal (a log) nothing is drawn: only warnings are written there.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from typing import Any

from ..processes import stop_if_asked
from ..progress import Progress
from ..textsafe import printable

WIDTH = 100


def draw(progress: Progress) -> None:
    """Redraw the progress line in place."""
    width = min(WIDTH, shutil.get_terminal_size((WIDTH + 1, 24)).columns - 1)
    sys.stderr.write("\r" + line(progress, width).ljust(width))
    sys.stderr.flush()


def line(progress: Progress, width: int = WIDTH) -> str:
    """A bar, the share done and what is happening, in ``width`` characters: the message
    (a file name) is shortened in the middle so how far the step has got stays in view."""
    bar_width = 24
    done = progress.done
    filled = int(bar_width * done)
    head = f"[{'#' * filled}{'-' * (bar_width - filled)}] {int(done * 100):3d}% "
    detail = printable(str(progress.detail)) if progress.detail else ""
    room = width - len(head) - len(detail) - 3
    if detail and room < 12:  # a narrow terminal: how far the step has got matters most
        return (head + detail)[:width]
    message = printable(progress.message)
    if detail:
        return head + _middle(message, room) + " — " + detail
    return head + _middle(message, width - len(head))


def _middle(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut in the middle with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit < 5:
        return text[:max(limit, 0)]
    keep = limit - 1
    return text[:keep - keep // 2] + "…" + text[len(text) - keep // 2:]


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

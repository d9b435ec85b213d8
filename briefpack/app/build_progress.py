"""How a build's progress reads in the window's status bar.

The bar fills by the share of the work done (a pack's render moves it page by page, not
one step in sixty-five), and the label says what is being written and how far it has
got: "Writing 2026-…-pack.pdf — page 37 of about 120". The file name gives way first.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

#: the bar's range: fine enough for one page of a thousand-page pack to show
BAR_STEPS = 1000


def share_done(item: Any) -> float:
    """How much of the work a progress step says is done, 0 to 1 (steps that cannot say
    count as equal parts)."""
    done = getattr(item, "done", None)
    if not isinstance(done, float):
        done = int(item.step) / max(int(item.total), 1)
    return min(1.0, max(0.0, done))


def bar_format(value: int, seconds: int = 0) -> str:
    """The words on the bar: the percentage, and for a long step how long it has run."""
    percent = f"{max(value, 0) * 100 // BAR_STEPS}%"
    return f"{percent} — {seconds} s" if seconds >= 1 else percent


def status_text(metrics: QFontMetrics, width: int, message: str, detail: Any = None,
                suffix: str = "") -> str:
    """``message — detail`` and ``suffix`` in ``width`` pixels: the message (it names a
    file) is shortened in its middle so the detail and suffix stay whole."""
    tail = (f" — {detail}" if detail else "") + suffix
    room = width - metrics.horizontalAdvance(tail)
    if width > 0 and metrics.horizontalAdvance(message) > room:
        message = metrics.elidedText(message, Qt.TextElideMode.ElideMiddle, max(room, 0))
    return message + tail

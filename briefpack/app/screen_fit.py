"""Windows that fit the screen they open on: a 1024×600 netbook, a 960×540 logical screen
(1920×1080 at 2×), with room for the window's frame and title bar."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: room a window manager takes around a window: frame sides, title bar and frame bottom
FRAME = QSize(16, 40)
#: the smallest screens (logical pixels) every dialog must fit
SMALL_SCREENS = (QSize(1024, 600), QSize(960, 540))


def available(widget: QWidget) -> QRect:
    """The screen area the widget may use (its own screen, else the primary one)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 600)


def fit_size(widget: QWidget, width: int, height: int, area: QRect | None = None) -> None:
    """Resize to width × height, or to the area (less the frame) if that is smaller;
    never below what the widget needs to show all of itself."""
    room = (area or available(widget)).size() - FRAME
    least = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    widget.resize(max(min(width, room.width()), least.width()),
                  max(min(height, room.height()), least.height()))


def fit_on_screen(widget: QWidget, area: QRect | None = None) -> None:
    """Shrink the widget to the area if it is larger, and move it inside it."""
    area = area or available(widget)
    fit_size(widget, widget.width(), widget.height(), area)
    box = widget.frameGeometry()
    x = min(max(box.left(), area.left()), area.right() - box.width() + 1)
    y = min(max(box.top(), area.top()), area.bottom() - box.height() - FRAME.height() + 1)
    widget.move(max(x, area.left()), max(y, area.top()))

"""Where the window is and where the user left off: geometry that fits the screen now,
the panes' split, the record form, hidden columns, and per store the country, visit and
tabs, remembered at close and put back at start."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QSplitter, QTabWidget

from .host import Host
from .record_table import RecordTable

#: the size the window opens at when nothing is saved (capped by the screen)
DEFAULT_SIZE = (1366, 740)
#: share of the width given to the browser, the work area and the preview
SPLIT = (0.27, 0.40, 0.33)


def store_key(path: Path | None) -> str:
    """The prefix under which what is remembered about one store is kept."""
    text = str(path.resolve()) if path else "memory"
    return "store-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


class WindowPlacement:
    """Saves and restores the window's geometry and the user's place in it."""

    def __init__(self, window: QMainWindow, host: Host, splitter: QSplitter,
                 dock: QDockWidget, tables: Callable[[], list[RecordTable]],
                 tabs: dict[str, QTabWidget]):
        self.window, self.host = window, host
        self.splitter, self.dock, self.tables = splitter, dock, tables
        #: the tab widgets whose current tab is remembered, by settings key
        self.tabs = tabs

    def restore_geometry(self) -> None:
        """Saved geometry if it fits the screen now; else a size that does, centred."""
        window, settings = self.window, self.host.settings
        available = self.available_geometry()
        geometry = settings.geometry
        restored = geometry is not None and window.restoreGeometry(geometry)
        if not restored or not (window.isMaximized()
                                or available.contains(window.geometry())):
            self.fit_to(available)
        splitter = settings.state("window/splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            self.split_evenly()
        state = settings.window_state
        if state is None or not window.restoreState(state):
            # the form takes room a small screen does not have: shown on request (Ctrl+E)
            self.dock.setVisible(available.height() >= 800)
            if self.dock.isVisible():
                window.resizeDocks([self.dock], [max(window.height() // 3, 160)],
                                   Qt.Orientation.Vertical)
        for table in self.tables():
            hidden = settings.value(f"columns/{table.title}")
            if hidden:
                table.set_hidden_columns(hidden.split(","))

    def available_geometry(self) -> QRect:
        screen = self.window.screen() or QApplication.primaryScreen()
        return screen.availableGeometry()

    def fit_to(self, available: QRect) -> None:
        """Open at the default size, shrunk to the available screen area, centred."""
        window = self.window
        frame = window.frameGeometry().size() - window.geometry().size()
        width = min(DEFAULT_SIZE[0], available.width() - frame.width())
        height = min(DEFAULT_SIZE[1], available.height() - frame.height())
        window.resize(max(width, window.minimumWidth()), max(height, window.minimumHeight()))
        box = window.frameGeometry()
        box.moveCenter(available.center())
        window.move(max(box.left(), available.left()), max(box.top(), available.top()))
        self.split_evenly()

    def split_evenly(self) -> None:
        width = max(self.window.width(), self.window.minimumWidth())
        self.splitter.setSizes([int(width * share) for share in SPLIT])

    def remember(self) -> None:
        """Geometry, panes, the store, country, visit and tabs, for next time."""
        host, window = self.host, self.window
        settings = host.settings
        settings.geometry = window.saveGeometry()
        settings.set_state("window/splitter", self.splitter.saveState())
        settings.window_state = window.saveState()
        for table in self.tables():
            settings.set_value(f"columns/{table.title}", ",".join(table.hidden_columns()))
        if host.store.path is not None:
            settings.last_store = host.store.path
            settings.add_recent("stores", str(host.store.path))
            prefix = host.store_key()
            settings.set_value(f"{prefix}/country", host.browser.selected_code() or "")
            settings.set_value(f"{prefix}/visit", host.planner.visit_id or "")
        for key, widget in self.tabs.items():
            settings.set_value(key, widget.currentIndex())
        settings.sync()

    def restore_place(self) -> None:
        """Reopen the country, visit and tabs the user left this store on."""
        host = self.host
        if host.store.path is None:
            return
        prefix = host.store_key()
        host.visits.reopen(host.settings.value(f"{prefix}/visit"))
        code = host.settings.value(f"{prefix}/country")
        if code:
            host.browser.select(code)
        for key, widget in self.tabs.items():
            index = host.settings.value(key)
            if index.isdigit() and int(index) < widget.count():
                widget.setCurrentIndex(int(index))

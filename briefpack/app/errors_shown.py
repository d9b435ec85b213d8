"""Nothing vanishes: an error no code caught (in a slot, a timer, an event handler) is
shown in a dialog and written, with its traceback, to the log file in the user's log
folder (``paths.log_dir()``, named in Help → About).

A desktop user never sees stderr, where Python would otherwise print it.
"""

from __future__ import annotations

import html
import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import paths

LOG_NAME = "briefpack.log"
#: the log is kept to a few files of this size
LOG_BYTES, LOG_FILES = 1_000_000, 3
log = logging.getLogger("briefpack.app")
#: the error boxes showing (kept here: one without a parent window would be collected)
_showing: set[QMessageBox] = set()


def log_path() -> Path:
    return paths.log_dir() / LOG_NAME


def install() -> Path:
    """Write the app's log to the user's log folder and show every uncaught error; the
    log file's path."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_FILES,
                                      encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    sys.excepthook = shown
    return path


def shown(kind: type[BaseException], error: BaseException,
          trace: TracebackType | None) -> None:
    """The exception hook: log the error with its traceback, then show it."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    details = "".join(traceback.format_exception(kind, error, trace))
    log.error("Unexpected error: %s: %s\n%s", kind.__name__, error, details.rstrip())
    if QApplication.instance() is None:
        sys.__excepthook__(kind, error, trace)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                      "<b>Something went wrong</b>", QMessageBox.StandardButton.Ok,
                      QApplication.activeWindow())
    box.setObjectName("unexpected-error")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setInformativeText(
        html.escape(f"{error or kind.__name__}") + "<br><br>"
        + html.escape("What you were doing may not have finished: check it, and save your "
                      f"work. The details are written to {log_path()} (Help → About names "
                      "the folder); send that file with a report of what you did.")
        .replace("\n", "<br>"))
    box.setDetailedText(details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    _showing.add(box)
    box.finished.connect(lambda *_: _showing.discard(box))
    box.open()  # not exec(): the error may have come from inside another event loop

"""Nothing vanishes: an error raised in a slot is shown in a dialog and written, with its
traceback, to the log file in the user's log folder, which Help → About names."""

from __future__ import annotations

import logging
import sys

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import QObject, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from briefpack import paths  # noqa: E402
from briefpack.app import errors_shown  # noqa: E402

from fixtures_app import errors, store_path  # noqa: E402,F401  (fixtures)
from test_app_daily import window  # noqa: E402,F401  (fixture)


class Sender(QObject):
    poked = Signal()


@pytest.fixture
def hook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    path = errors_shown.install()
    yield path
    for handler in list(errors_shown.log.handlers):
        errors_shown.log.removeHandler(handler)
        handler.close()


def _error_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "unexpected-error"
            and w.isVisible()]


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_shown_and_logged_with_its_traceback(qtbot, hook):
    assert hook.parent == paths.log_dir() and str(hook).startswith(str(paths.log_dir()))

    def readout_save():
        raise ValueError("the readout could not be saved: disk on fire")

    sender = Sender()
    sender.poked.connect(readout_save)
    sender.poked.emit()
    qtbot.waitUntil(lambda: bool(_error_boxes()), timeout=5000)
    box = _error_boxes()[0]
    assert "disk on fire" in box.informativeText() and str(hook) in box.informativeText()
    assert "Traceback" in box.detailedText() and "readout_save" in box.detailedText()
    for handler in errors_shown.log.handlers:
        handler.flush()
    logged = hook.read_text(encoding="utf-8")
    assert "ERROR Unexpected error: ValueError: the readout could not be saved" in logged
    assert "Traceback (most recent call last)" in logged and "in readout_save" in logged
    box.close()


def test_about_names_the_log_folder(window):
    dialog = window.show_help(0)
    assert str(paths.log_dir()) in dialog.about.toPlainText()
    dialog.close()


def test_the_log_is_not_written_where_the_user_keeps_data():
    assert logging.getLogger("briefpack.app") is errors_shown.log
    assert paths.log_dir() != paths.user_data_dir()

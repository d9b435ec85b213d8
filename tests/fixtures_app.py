"""Fixtures the desktop-app tests share: a store file to open and recorded error dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from briefpack.app import dialogs as dialogs_module


@pytest.fixture
def store_path(seeded_db) -> Path:
    """A fresh copy of the sample store on disk (conftest's seeded_db)."""
    return seeded_db


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    """Error dialogs shown (recorded instead of blocking the test)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs_module, "show_error",
                        lambda parent, title, message: shown.append((title, message)))
    monkeypatch.setattr(dialogs_module, "ask_unsaved",
                        lambda parent, what: QMessageBox.StandardButton.Discard)
    return shown

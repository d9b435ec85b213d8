"""Dialogs: each collects values and returns them; the window acts on the answer."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from .. import model
from .palette import style_for


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    """OK and Cancel buttons wired to the dialog's accept and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the user exactly what went wrong (the text can be selected and copied).

    The title is repeated in bold inside the box: window managers cut long titles short."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, f"<b>{html.escape(title)}</b>",
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setInformativeText(html.escape(message).replace("\n", "<br>"))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def ask_unsaved(parent: QWidget | None, what: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel for unsaved changes."""
    return QMessageBox.question(
        parent, "Unsaved changes", f"{what} has unsaved changes. Save them first?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)


class OpenVisitDialog(QDialog):
    """The visits saved in the store: search, open, duplicate, rename or delete one.

    ``choose`` returns (action, visit id, new title) or None; the window does the work."""

    OPEN, DUPLICATE, RENAME, DELETE = "open", "duplicate", "rename", "delete"

    def __init__(self, visits: list[model.Visit], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Visits")
        self.action = self.OPEN
        self.new_title = ""
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search the visits")
        self.search.setPlaceholderText("Search by title, principal or country")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Saved visits")
        for visit in visits:
            where = ", ".join(visit.countries)
            item = QListWidgetItem(f"{visit.start:%Y-%m-%d}  {visit.title} ({where})", self.list)
            item.setData(Qt.ItemDataRole.UserRole, visit.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, visit.title)
            item.setData(Qt.ItemDataRole.UserRole + 2,
                         f"{visit.title} {visit.principal} {where}".casefold())
        if visits:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(bool(visits))
        self.rename_edit = QLineEdit(self)
        self.rename_edit.setAccessibleName("New title")
        self.rename_edit.setPlaceholderText("New title for the selected visit")
        for text, action, name in (("&Duplicate", self.DUPLICATE, "Copy the selected visit"),
                                   ("&Rename", self.RENAME, "Rename the selected visit"),
                                   ("De&lete…", self.DELETE, "Delete the selected visit")):
            button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.setAccessibleName(name)
            button.setEnabled(bool(visits))
            button.clicked.connect(lambda _=False, a=action: self._act(a))
        layout = QVBoxLayout(self)
        label = QLabel("Saved visits, latest first:" if visits
                       else "No visits are saved in this store yet.", self)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.rename_edit)
        layout.addWidget(buttons)
        self.list.currentItemChanged.connect(
            lambda item, _old: self.rename_edit.setText(
                item.data(Qt.ItemDataRole.UserRole + 1) if item else ""))
        if visits:
            self.rename_edit.setText(visits[0].title)
        self.resize(600, 400)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = bool(needle) and needle not in item.data(Qt.ItemDataRole.UserRole + 2)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None and (self.list.currentItem() is None
                                  or self.list.currentItem().isHidden()):
            self.list.setCurrentItem(first)

    def _act(self, action: str) -> None:
        if self.chosen_id() is None:
            return
        if action == self.RENAME:
            self.new_title = self.rename_edit.text().strip()
            if not self.new_title:
                self.rename_edit.setFocus()
                return
        if action == self.DELETE and QMessageBox.question(
                self, "Delete the visit?",
                f"Delete “{self.list.currentItem().data(Qt.ItemDataRole.UserRole + 1)}” from "
                "the store? The deletion is kept in the audit history.") \
                != QMessageBox.StandardButton.Yes:
            return
        self.action = action
        self.accept()

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else item.data(Qt.ItemDataRole.UserRole)

    @classmethod
    def choose(cls, parent: QWidget, visits: list[model.Visit]):
        dialog = cls(visits, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen_id() is None:
            return None
        return dialog.action, dialog.chosen_id(), dialog.new_title


@dataclass(frozen=True)
class SettingsValues:
    author: str
    output_folder: Path


class SettingsDialog(QDialog):
    """Who the user is (for the audit trail and documents) and where files are written."""

    def __init__(self, values: SettingsValues, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.author = QLineEdit(values.author, self)
        self.author.setAccessibleName("Your name")
        self.folder = QLineEdit(str(values.output_folder), self)
        self.folder.setAccessibleName("Output folder")
        browse = QPushButton("Choose…", self)
        browse.setAccessibleName("Choose the output folder")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.problem = QLabel(self)
        self.problem.setAccessibleName("Problem with the settings")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(style_for("error", bold=False))
        self.problem.hide()
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Your name (shown in the audit trail and as author)", self.author)
        form.addRow("Output folder for briefs and packs", folder_row)
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(620, 160)

    def problems(self) -> list[str]:
        """Why the values cannot be kept: an empty name, a folder that cannot be written."""
        out = []
        if not self.author.text().strip():
            out.append("Give your name: it is recorded against every change you save.")
        folder = self.folder.text().strip()
        if not folder:
            out.append("Choose an output folder.")
        else:
            reason = folder_problem(Path(folder).expanduser())
            if reason:
                out.append(reason)
        return out

    def accept(self) -> None:
        problems = self.problems()
        self.problem.setText("\n".join(problems))
        self.problem.setVisible(bool(problems))
        if not problems:
            super().accept()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Output folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def values(self) -> SettingsValues:
        return SettingsValues(self.author.text().strip(), Path(self.folder.text().strip()))

    @classmethod
    def ask(cls, parent: QWidget, values: SettingsValues) -> SettingsValues | None:
        dialog = cls(values, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def folder_problem(folder: Path) -> str:
    """Why files cannot be written into ``folder`` (made if absent), or ''."""
    import os

    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file, not a folder: choose another output folder."
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} cannot be written to: choose a folder you can write in."
    return ""


class BuildDoneDialog(QDialog):
    """Lists the files written; returns which one to open, or the folder."""

    OPEN_FILE, OPEN_FOLDER = 10, 11

    def __init__(self, files: list[Path], parent=None, *, warnings: Sequence[str] = ()):
        super().__init__(parent)
        self.setWindowTitle("Build finished")
        self.files = files
        self.list = QListWidget(self)
        self.list.setAccessibleName("Files written")
        for path in files:
            item = QListWidgetItem(path.name, self.list)
            item.setToolTip(str(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda *_: self.done(self.OPEN_FILE))
        folder = files[0].parent if files else Path()
        label = QLabel(f"Written to {folder}:", self)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_file = QPushButton("Open file", self)
        open_file.setAccessibleName("Open the selected file")
        open_file.setDefault(True)
        open_file.clicked.connect(lambda: self.done(self.OPEN_FILE))
        open_folder = QPushButton("Open folder", self)
        open_folder.setAccessibleName("Open the folder holding the files")
        open_folder.clicked.connect(lambda: self.done(self.OPEN_FOLDER))
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (open_file, open_folder, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        self.warnings = QLabel("\n".join(f"Warning: {w}" for w in warnings), self)
        self.warnings.setAccessibleName("Warnings about the files written")
        self.warnings.setWordWrap(True)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings.setStyleSheet(style_for("warning"))
        self.warnings.setVisible(bool(warnings))
        layout.addWidget(self.warnings)
        layout.addLayout(buttons)
        self.resize(520, 260)

    def selected(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item else None

"""The record form: every field of the selected row at full size, with a multi-line box for
long text, a date picker, and errors shown under the field they are about.

Each field is applied when the user leaves it (or picks a value). A refused value stays in
its box with the reason beneath it, so nothing typed is lost; the table model validates and
puts each change on the undo stack, exactly as an edit in the table does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QVBoxLayout, QWidget,
)

from .date_field import DateField
from .fields import Field
from .palette import style_for
from .table_models import DataclassTableModel

MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE - PERSONAL",
            "OFFICIAL-SENSITIVE - COMMERCIAL")


class RecordForm(QWidget):
    """Edits one row of a DataclassTableModel; ``bind(model, row)`` chooses which."""

    #: a field was applied to the model
    applied = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model: DataclassTableModel | None = None
        self.row = -1
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._loading = False
        self.heading = QLabel("Select a row of a table to see all of it here.", self)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Record form")
        self.body = QWidget(self)
        self.form = QFormLayout(self.body)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addStretch(1)

    # -- binding -----------------------------------------------------------------------------

    def bind(self, model: DataclassTableModel | None, row: int) -> None:
        """Show ``row`` of ``model`` (or nothing); rebuilds the fields if the table differs."""
        if model is not self.model:
            if self.model is not None:
                for signal, slot in self._connections():
                    signal.disconnect(slot)
            self.model = model
            self._build()
            if model is not None:
                for signal, slot in self._connections():
                    signal.connect(slot)
        self.row = row if model is not None and 0 <= row < model.rowCount() else -1
        self._clear_errors()
        self.refresh()

    def _connections(self):
        model = self.model
        assert model is not None, "connected only while there is a model"
        return ((model.dataChanged, self._model_changed), (model.modelReset, self._rebind),
                (model.rowsRemoved, self._rebind), (model.rowsInserted, self._rebind),
                (model.refused, self._refused))

    def _rebind(self, *_) -> None:
        if self.model is not None and self.row >= self.model.rowCount():
            self.row = -1
        self.refresh()

    def _model_changed(self, top, bottom, *_) -> None:
        if top.row() <= self.row <= bottom.row():
            self.refresh()

    def _build(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors, self.errors = {}, {}
        if self.model is None:
            return
        for field in self.model.FIELDS:
            editor = self._editor(field)
            editor.setAccessibleName(field.title)
            editor.setToolTip(field.help or field.title)
            error = QLabel(self.body)
            error.setWordWrap(True)
            error.setStyleSheet(style_for("error", bold=False))
            error.setAccessibleName(f"{field.title}: problem")
            error.hide()
            box = QWidget(self.body)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor)
            column.addWidget(error)
            label = QLabel(field.title + (" *" if field.required else ""), self.body)
            label.setBuddy(editor)
            self.form.addRow(label, box)
            # rows built while the dock is closed must not stay hidden once it opens
            label.setVisible(True)
            box.setVisible(True)
            self.editors[field.name] = editor
            self.errors[field.name] = error

    def _editor(self, field: Field) -> QWidget:
        parent = self.body
        if field.kind == "readonly":
            label = QLabel(parent)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            return label
        if field.kind == "tags":
            checklist = QListWidget(parent)
            checklist.itemChanged.connect(lambda *_: self._commit(field))
            checklist.setMaximumHeight(140)
            return checklist
        if field.kind in ("choice", "bool", "marking"):
            combo = QComboBox(parent)
            combo.addItems(list(field.choices) if field.kind != "marking" else list(MARKINGS))
            combo.setEditable(field.kind == "marking")
            combo.activated.connect(lambda *_: self._commit(field))
            line = combo.lineEdit()
            if combo.isEditable() and line is not None:
                line.editingFinished.connect(lambda: self._commit(field))
            return combo
        if field.kind == "date":
            # typed dates count on leaving the box, a day picked in the calendar at once
            picker = DateField(field.title, parent)
            picker.editingFinished.connect(lambda: self._commit(field))
            return picker
        if field.multiline or field.kind in ("lines", "attendees"):
            box = QPlainTextEdit(parent)
            box.setTabChangesFocus(True)
            box.setMinimumHeight(60)
            box.setMaximumHeight(110)
            box.installEventFilter(self)
            return box
        line = QLineEdit(parent)
        if field.kind == "time":
            line.setPlaceholderText("HH:MM, 24-hour")
        elif field.kind in ("int", "money"):
            line.setPlaceholderText("digits only")
        line.editingFinished.connect(lambda: self._commit(field))
        return line

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QPlainTextEdit):
            field = next((f for f in self.model.FIELDS
                          if self.editors.get(f.name) is watched), None) if self.model else None
            if field is not None:
                self._commit(field)
        return super().eventFilter(watched, event)

    # -- showing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the bound row's values (fields showing a refusal keep what was typed)."""
        model = self.model
        if model is None or self.row < 0:
            self.heading.setText("Select a row of a table to see all of it here.")
            self.body.setEnabled(False)
            return
        self.body.setEnabled(True)
        self.heading.setText(f"<b>{model.NOUN.capitalize()} {self.row + 1}</b> "
                             f"of {model.rowCount()}")
        self._loading = True
        try:
            for column, field in enumerate(model.FIELDS):
                if not self.errors[field.name].isHidden():
                    continue
                self._show_value(field, model.index(self.row, column))
        finally:
            self._loading = False

    def _show_value(self, field: Field, index) -> None:
        editor = self.editors[field.name]
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QLabel):
            editor.setText(index.data(Qt.ItemDataRole.DisplayRole) or "—")
        elif isinstance(editor, QListWidget):
            labels = getattr(self.model, "tag_labels", {})
            chosen = set(value or ())
            editor.clear()
            for key in list(labels) + [k for k in chosen if k not in labels]:
                item = QListWidgetItem(labels.get(key, key), editor)
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setCheckState(Qt.CheckState.Checked if key in chosen
                                   else Qt.CheckState.Unchecked)
        elif isinstance(editor, QComboBox):
            text = str(value or "")
            if editor.findText(text) < 0:
                editor.addItem(text)
            editor.setCurrentText(text)
        elif isinstance(editor, DateField):
            assert self.model is not None, "shown only while there is a model"
            editor.set_value(getattr(self.model.record(self.row), field.name))
        elif isinstance(editor, QPlainTextEdit):
            if editor.toPlainText() != str(value or ""):
                editor.setPlainText(str(value or ""))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value or ""))
            editor.setCursorPosition(0)

    def typed(self, field: Field) -> Any:
        """What the field's editor holds, as the model's parser takes it."""
        editor = self.editors[field.name]
        if isinstance(editor, QListWidget):
            return tuple(editor.item(i).data(Qt.ItemDataRole.UserRole)
                         for i in range(editor.count())
                         if editor.item(i).checkState() == Qt.CheckState.Checked)
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, DateField):
            return editor.text()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        return editor.text() if isinstance(editor, QLineEdit) else ""


    # -- applying ------------------------------------------------------------------------------

    def _commit(self, field: Field) -> None:
        if self._loading or self.model is None or self.row < 0:
            return
        errors = self.model.set_fields(self.row, {field.name: self.typed(field)})
        self._show_error(field.name, errors.get(field.name, ""))
        if not errors:
            self.applied.emit()

    def apply_all(self) -> dict[str, str]:
        """Apply every field at once (one undo step); the refusals, by field name."""
        if self.model is None or self.row < 0:
            return {}
        typed = {f.name: self.typed(f) for f in self.model.FIELDS if f.editable}
        errors = self.model.set_fields(self.row, typed)
        for name in self.errors:
            self._show_error(name, errors.get(name, ""))
        return errors

    def _refused(self, row: int, name: str, typed: Any, message: str) -> None:
        """A value typed in the table was refused: show it here with the reason."""
        if row != self.row or name not in self.editors:
            return
        editor = self.editors[name]
        self._loading = True
        try:
            if isinstance(editor, (QLineEdit, DateField)):
                (editor.edit if isinstance(editor, DateField) else editor).setText(str(typed))
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText(str(typed))
            elif isinstance(editor, QComboBox) and editor.isEditable():
                editor.setCurrentText(str(typed))
        finally:
            self._loading = False
        self._show_error(name, message)

    def _show_error(self, name: str, message: str) -> None:
        label = self.errors[name]
        label.setText(message)
        label.setVisible(bool(message))

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()

    def refresh_colours(self) -> None:
        for label in self.errors.values():
            label.setStyleSheet(style_for("error", bold=False))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.refresh_colours()
        super().changeEvent(event)


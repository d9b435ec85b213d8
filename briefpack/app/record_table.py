"""A table of records with Add/Delete buttons and a line that explains refused input."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QListWidget,
    QListWidgetItem, QMenu, QPlainTextEdit, QPushButton, QStyledItemDelegate, QTableView,
    QVBoxLayout, QWidget,
)

from .palette import style_for
from .table_models import DataclassTableModel, ObjectivesModel


class FieldDelegate(QStyledItemDelegate):
    """Drop-down editors for fixed vocabularies and yes/no; a checklist for tags."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        table: DataclassTableModel = index.model()
        field = table.field(index.column())
        if field.kind in ("choice", "bool"):
            combo = QComboBox(parent)
            combo.addItems(list(field.choices))
            combo.setAccessibleName(field.title)
            return combo
        if field.kind == "tags" and isinstance(table, ObjectivesModel):
            checklist = QListWidget(parent)
            checklist.setAccessibleName(field.title)
            for key, label in table.tag_labels.items():
                item = QListWidgetItem(label, checklist)
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setCheckState(Qt.CheckState.Unchecked)
            checklist.setMinimumHeight(min(24 * max(len(table.tag_labels), 1) + 6, 200))
            return checklist
        if field.kind in ("lines", "attendees"):
            # one entry per line: Enter starts a new line, Tab or a click elsewhere commits
            box = QPlainTextEdit(parent)
            box.setAccessibleName(f"{field.title} (one per line)")
            box.setTabChangesFocus(True)
            box.setMinimumHeight(90)
            return box
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(field.title)
        return editor

    def setEditorData(self, editor, index):  # noqa: N802 - Qt API
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findText(str(value)), 0))
        elif isinstance(editor, QListWidget):
            chosen = set(value or ())
            for i in range(editor.count()):
                item = editor.item(i)
                checked = item.data(Qt.ItemDataRole.UserRole) in chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(value or ""))
            editor.moveCursor(editor.textCursor().MoveOperation.End)  # typing adds, at the end
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model: QAbstractItemModel, index):  # noqa: N802 - Qt API
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
        elif isinstance(editor, QListWidget):
            keys = tuple(editor.item(i).data(Qt.ItemDataRole.UserRole)
                         for i in range(editor.count())
                         if editor.item(i).checkState() == Qt.CheckState.Checked)
            model.setData(index, keys)
        elif isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText())
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor, option, index):  # noqa: N802 - Qt API
        rect = option.rect
        if isinstance(editor, (QListWidget, QPlainTextEdit)):
            rect = rect.adjusted(0, 0, 0, editor.minimumHeight() - rect.height())
        editor.setGeometry(rect)


#: the keys a record table answers to, for the Shortcuts list (Qt's own conventions)
TABLE_KEYS = (
    ("Move between cells of a table", "Arrow keys"),
    ("Leave a table for the next control", "Tab, Shift+Tab"),
    ("Edit the current cell", "F2 (or start typing)"),
    ("Add a row to the table", "Ins"),
    ("Delete the selected row (Ctrl+Z undoes)", "Del"),
)


class RecordTable(QWidget):
    """One editable table: the view, Add and Delete, and a message line for refusals.

    The keyboard follows Qt's convention for tables: Tab and Shift+Tab leave the table (and
    Ctrl+Tab reaches the tab widget around it), the arrow keys move within it, F2 or typing
    edits the current cell, Insert adds a row and Delete removes the selected one (undoable).
    """

    def __init__(self, table: DataclassTableModel, title: str, parent=None):
        super().__init__(parent)
        self.table = table
        self.title = title
        self.view = QTableView(self)
        self.view.setModel(table)
        self.view.setItemDelegate(FieldDelegate(self.view))
        self.view.setAccessibleName(title)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, field in enumerate(table.FIELDS):
            self.view.setColumnWidth(column, field.width)
        self.view.verticalHeader().setDefaultSectionSize(26)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(f"{title}: message")
        self.refresh_colours()
        self.message.hide()
        # a refusal stays on screen until the next accepted change (not on a timer), and
        # goes with the rows it was about (another country's, a visit opened)
        table.edited.connect(self.message.hide)
        table.modelReset.connect(self.message.hide)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setToolTip("Right-click to show or hide columns")
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        insert = QShortcut(QKeySequence(Qt.Key.Key_Insert), self.view)
        insert.setContext(Qt.ShortcutContext.WidgetShortcut)
        insert.activated.connect(self.add)

        noun = table.NOUN
        self.add_button = QPushButton(f"Add {noun}", self)
        self.add_button.setAccessibleName(f"Add {noun}")
        self.add_button.setToolTip(f"Add {noun} (Ins in the table)")
        self.add_button.clicked.connect(self.add)
        self.delete_button = QPushButton(f"Delete {noun}", self)
        self.delete_button.setAccessibleName(f"Delete the selected {noun}")
        self.delete_button.setToolTip(f"Delete the selected {noun} (Del in the table)")
        self.delete_button.clicked.connect(self.delete_selected)
        # Tab order as laid out: the buttons above the table, then the table
        QWidget.setTabOrder(self.add_button, self.delete_button)
        QWidget.setTabOrder(self.delete_button, self.view)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        table.invalid.connect(self.show_message)

    def refresh_colours(self) -> None:
        """Colours that carry meaning follow the palette (light or dark theme)."""
        self.message.setStyleSheet(style_for("error"))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.refresh_colours()
        super().changeEvent(event)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # -- columns ---------------------------------------------------------------------------

    def _column_menu(self, position) -> None:
        self.column_menu().exec(self.view.horizontalHeader().mapToGlobal(position))

    def column_menu(self) -> QMenu:
        """A checkable entry per column; at least one column stays shown."""
        menu = QMenu(self)
        shown = len(self.table.FIELDS) - len(self.hidden_columns())
        for column, field in enumerate(self.table.FIELDS):
            action = menu.addAction(field.title)
            action.setCheckable(True)
            visible = not self.view.isColumnHidden(column)
            action.setChecked(visible)
            action.setEnabled(not (visible and shown == 1))
            action.toggled.connect(lambda on, c=column: self.view.setColumnHidden(c, not on))
        return menu

    def hidden_columns(self) -> list[str]:
        return [f.name for c, f in enumerate(self.table.FIELDS) if self.view.isColumnHidden(c)]

    def set_hidden_columns(self, names: list[str]) -> None:
        keep = [c for c, f in enumerate(self.table.FIELDS) if f.name not in names]
        for column, field in enumerate(self.table.FIELDS):
            self.view.setColumnHidden(column, bool(keep) and field.name in names)

    def add(self) -> None:
        row = self.table.add_row()
        first = next(i for i, f in enumerate(self.table.FIELDS) if f.cell_editable)
        index = self.table.index(row, first)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def delete_selected(self) -> None:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        current: QModelIndex = self.view.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        if not rows:
            self.show_message(f"Select a {self.table.NOUN} to delete first.")
            return
        for row in sorted(rows, reverse=True):
            self.table.remove_row(row)

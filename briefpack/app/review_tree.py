"""The review of changes before they are written: an import's (the import wizard) or a
save's that met changes made elsewhere (the conflict dialog). Records in a tree, each
changed field under its record, and a Keep mine / Take theirs choice for each conflict."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from .. import model
from .palette import meaning_colour

#: plans with more records than this open with their records collapsed
EXPAND_ALL_UP_TO = 300


def field_title(table: str, name: str) -> str:
    """A field as the app's tables head it ("What it commits", not "commits")."""
    from .table_models import RECORD_MODELS

    for column in getattr(RECORD_MODELS.get(table), "FIELDS", ()):
        if column.name == name:
            return column.title
    return name.replace("_", " ").capitalize()


def table_title(table: str) -> str:
    return model.COUNTRY_LABEL if table == "countries" else model.TABLES[table].label


# -- the differences as a tree: country > section > record > field -----------------------------

CHOICE_LABELS = {"mine": "Keep mine", "theirs": "Take theirs"}
_KIND_LABELS = {"added": "Added", "changed": "Changed", "removed": "Removed"}
#: what each choice does, by the kind of change in conflict
_CHOICE_MEANING = {
    "changed": "Changed here and in the file since it was exported. Keep mine: keep this "
               "store's values. Take theirs: take the file's values.",
    "added": "Deleted here since the file was exported. Keep mine: leave it deleted. "
             "Take theirs: put it back.",
    "removed": "Added or changed here since the file was exported, and not in the file. "
               "Keep mine: keep it. Take theirs: delete it.",
}
NO_PLAN = SimpleNamespace(changes=[])
_UNSET = "Choose…"


def shown(value: Any) -> str:
    """A field value on one line, as the review shows it."""
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (tuple, list)):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return " ↵ ".join(str(value).splitlines())


@dataclass(eq=False)
class _Node:
    text: str
    parent: _Node | None
    row: int
    ident: int
    children: list[_Node] = field(default_factory=list)
    change: Any = None  # a Change, on record nodes
    before: str = ""
    after: str = ""


class ReviewTree:
    """An import plan as nodes: country > section > record > field. Plain Python, so a
    worker builds it (a 10,000-record plan takes longer than the GUI thread may)."""

    def __init__(self, plan: Any, names: dict[str, str]):
        self.root = _Node("", None, 0, 0)
        self.nodes = [self.root]
        #: conflict key -> its record node
        self.by_key: dict[str, _Node] = {}
        self.conflicts = [c for c in plan.changes if c.conflict]
        grouped: dict[str, dict[str, list]] = {}
        for change in plan.changes:
            grouped.setdefault(change.country, {}).setdefault(change.table, []).append(change)
        for code, tables in grouped.items():
            count = sum(len(changes) for changes in tables.values())
            country = self._add(self.root, f"{names.get(code, code)} ({code}) — "
                                           f"{count} change{'s' * (count != 1)}")
            for table, changes in tables.items():
                section = self._add(country, f"{table_title(table)} — {_tally(changes)}")
                for change in changes:
                    self._add_change(section, change)
        self.record_count = len(plan.changes)

    def _add(self, parent: _Node, text: str, **extra: Any) -> _Node:
        node = _Node(text, parent, len(parent.children), len(self.nodes), **extra)
        parent.children.append(node)
        self.nodes.append(node)
        return node

    def _add_change(self, section: _Node, change: Any) -> None:
        text = f"{_KIND_LABELS[change.kind]}: {change.label}"
        if change.conflict:
            text += "  ⚠ conflict"
        node = self._add(section, text, change=change)
        if change.conflict:
            self.by_key[change.conflict_key] = node
        for fc in change.fields:
            self._add(node, field_title(change.table, fc.field), before=shown(fc.before),
                      after=shown(fc.after))


class ReviewModel(QAbstractItemModel):
    """A ReviewTree for a QTreeView; holds the choice made for each conflict."""

    choices_changed = Signal()
    # the choice sits beside the change it settles, not off to the right of long values
    COL_CHANGE, COL_CHOICE, COL_BEFORE, COL_AFTER = range(4)
    HEADERS = ("Change", "Your choice", "Before (this store)", "After (the file)")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tree = ReviewTree(NO_PLAN, {})
        self.choices: dict[str, str] = {}

    @property
    def conflicts(self) -> list[Any]:
        return self.tree.conflicts

    def set_tree(self, tree: ReviewTree) -> None:
        """Show ``tree`` (choices start afresh)."""
        self.beginResetModel()
        self.tree = tree
        self.choices = {}
        self.endResetModel()

    def record_count(self) -> int:
        return self.tree.record_count

    def unsettled(self) -> int:
        return sum(1 for c in self.conflicts if c.conflict_key not in self.choices)

    def index_of(self, conflict_key: str, column: int = 0) -> QModelIndex:
        node = self.tree.by_key.get(conflict_key)
        return QModelIndex() if node is None else self.createIndex(node.row, column, node.ident)

    def choose_all(self, choice: str) -> None:
        """The same choice for every conflict (one ``choices_changed`` for them all)."""
        if choice not in CHOICE_LABELS:
            raise ValueError(f"choose 'mine' or 'theirs', not {choice!r}")
        sections: dict[int, _Node] = {}
        for key, node in self.tree.by_key.items():
            self.choices[key] = choice
            if node.parent is not None:  # a record's node is always in a section
                sections[node.parent.ident] = node.parent
        for section in sections.values():  # one signal per section, not per record
            parent = self.createIndex(section.row, 0, section.ident)
            self.dataChanged.emit(self.index(0, self.COL_CHOICE, parent),
                                  self.index(len(section.children) - 1, self.COL_CHOICE, parent))
        self.choices_changed.emit()

    # -- QAbstractItemModel ------------------------------------------------------------

    def _node(self, index: QModelIndex | QPersistentModelIndex) -> _Node:
        return self.tree.nodes[index.internalId()] if index.isValid() else self.tree.root

    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if 0 <= row < len(node.children) and 0 <= column < len(self.HEADERS):
            return self.createIndex(row, column, node.children[row].ident)
        return QModelIndex()

    def parent(self, index=QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = self.tree.nodes[index.internalId()].parent
        if up is None or up is self.tree.root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up.ident)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index):
        flags = super().flags(index)
        if index.column() == self.COL_CHOICE and self._is_conflict(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _is_conflict(self, index: QModelIndex) -> bool:
        change = self._node(index).change
        return change is not None and change.conflict

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node, column = self._node(index), index.column()
        if column == self.COL_CHOICE:
            return self._choice_data(node, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return {self.COL_CHANGE: node.text, self.COL_BEFORE: node.before,
                    self.COL_AFTER: node.after}[column]
        if role == Qt.ItemDataRole.FontRole and node.change is None and not node.before \
                and not node.after and node.parent is not None and node.parent.change is None:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _choice_data(self, node: _Node, role: int) -> Any:
        change = node.change
        if change is None or not change.conflict:
            return None
        choice = self.choices.get(change.conflict_key)
        if role == Qt.ItemDataRole.DisplayRole:
            return CHOICE_LABELS[choice] if choice else _UNSET
        if role == Qt.ItemDataRole.EditRole:
            return choice
        if role == Qt.ItemDataRole.ToolTipRole:
            return _CHOICE_MEANING[change.kind]
        if role == Qt.ItemDataRole.ForegroundRole and choice is None:
            return QBrush(meaning_colour("error", role=QPalette.ColorRole.Base))
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (role != Qt.ItemDataRole.EditRole or index.column() != self.COL_CHOICE
                or not self._is_conflict(index) or value not in CHOICE_LABELS):
            return False
        self.choices[self._node(index).change.conflict_key] = value
        self.dataChanged.emit(index, index)
        self.choices_changed.emit()
        return True


def _tally(changes: list) -> str:
    parts = [f"{sum(1 for c in changes if c.kind == kind)} {kind}" for kind in _KIND_LABELS
             if any(c.kind == kind for c in changes)]
    conflicts = sum(1 for c in changes if c.conflict)
    return ", ".join(parts + ([f"{conflicts} conflict(s)"] if conflicts else []))



class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of "Keep mine" / "Take theirs" for a conflict's choice cell."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        box = QComboBox(parent)
        box.setAccessibleName("Choice for this conflict")
        box.setPlaceholderText(_UNSET)
        for key, label in CHOICE_LABELS.items():
            box.addItem(label, key)
        box.activated.connect(lambda _row, b=box: self.commitData.emit(b))
        return box

    def setEditorData(self, editor, index):  # noqa: N802 - Qt API
        editor.setCurrentIndex(editor.findData(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor, model_, index):  # noqa: N802 - Qt API
        if editor.currentData():
            model_.setData(index, editor.currentData())



"""The dialog in which the user settles a save's conflicts, field by field, in the import
wizard's review tree (keep mine / take theirs). Loaded only when a save has conflicts."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
    QPushButton, QTreeView, QVBoxLayout, QWidget,
)

from ..store.changes import Conflict
from ..store.diff import Change, FieldChange
from . import domain
from .review_tree import CHOICE_LABELS, ChoiceDelegate, ReviewModel, ReviewTree

_MEANING = {
    "changed": "Changed here and, since you opened it, in the store (an import, another "
               "window or the command line). Keep mine: save your value over theirs. Take "
               "theirs: keep the store's value.",
    "deleted": "Deleted from the store since you opened it. Keep mine: add it again with "
               "your changes. Take theirs: leave it deleted.",
    "removed": "You deleted it, but it was changed in the store since you opened it. Keep "
               "mine: delete it. Take theirs: keep it, as the store has it.",
}



def changes_of(conflicts: list[Conflict]) -> list[Change]:
    """Conflicts as the import review shows changes: one per field, keyed by field."""
    out = []
    for c in conflicts:
        key = f"{c.key}:{c.field}"
        if c.kind == "changed":
            out.append(Change("changed", c.table, c.country, key, c.label,
                              (FieldChange(c.field, c.theirs, c.mine),), conflict=True))
        elif c.kind == "deleted":
            out.append(Change("removed", c.table, c.country, key,
                              f"{c.label} (deleted from the store)", conflict=True))
        else:
            out.append(Change("changed", c.table, c.country, key,
                              f"{c.label} (deleted here, changed in the store)",
                              conflict=True))
    return out


class ConflictModel(ReviewModel):
    """The import review's model, for a save's conflicts."""

    HEADERS = ("Change", "Your choice", "In the store now", "Yours")

    def __init__(self, conflicts: list[Conflict], names: dict[str, str], parent=None):
        super().__init__(parent)
        self.by_key = {f"{c.table}:{c.key}:{c.field}": c for c in conflicts}
        self.set_tree(ReviewTree(SimpleNamespace(changes=changes_of(conflicts)), names))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        change = self._node(index).change if index.isValid() else None
        if (role == Qt.ItemDataRole.ToolTipRole and index.column() == self.COL_CHOICE
                and change is not None and change.conflict_key in self.by_key):
            return _MEANING[self.by_key[change.conflict_key].kind]
        return super().data(index, role)


class ConflictDialog(QDialog):
    """Every conflict of a save, field by field; Save once each has a choice."""

    def __init__(self, conflicts: list[Conflict], names: dict[str, str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Changed elsewhere since you opened it")
        self.model = ConflictModel(conflicts, names, self)
        intro = QLabel(
            "Everything else is saved. These values were also changed in the store since "
            "you opened them (by an import, another window or the command line). Choose, "
            "for each, which to keep. Cancel leaves your values unsaved here.", self)
        intro.setWordWrap(True)
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Conflicts to settle")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self._delegate = ChoiceDelegate(self.tree)
        self.tree.setItemDelegateForColumn(ReviewModel.COL_CHOICE, self._delegate)
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ReviewModel.COL_CHANGE, 360)
        header.resizeSection(ReviewModel.COL_CHOICE, 120)
        header.resizeSection(ReviewModel.COL_BEFORE, 200)
        keep_all = QPushButton("Keep &mine for all", self)
        keep_all.clicked.connect(lambda: self.model.choose_all(domain.KEEP_MINE))
        take_all = QPushButton("Take &theirs for all", self)
        take_all.clicked.connect(lambda: self.model.choose_all(domain.TAKE_THEIRS))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.model.choices_changed.connect(self._update)
        row = QHBoxLayout()
        row.addWidget(keep_all)
        row.addWidget(take_all)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self.resize(940, 420)
        self._update()

    def _update(self) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        button.setEnabled(self.model.unsettled() == 0)

    def choose(self, conflict_key: str, choice: str) -> bool:
        """Settle one conflict ("mine" or "theirs"), as its drop-down does."""
        if choice not in CHOICE_LABELS:
            return False
        return self.model.setData(self.model.index_of(conflict_key, ReviewModel.COL_CHOICE),
                                  choice)

    def choices(self) -> dict[str, str]:
        return dict(self.model.choices)

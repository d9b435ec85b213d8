"""Saves as change sets, and the dialog in which the user settles their conflicts.

A save sends only what was changed here, each field with its value as loaded
(``domain.record_changes``); the store saves everything nobody else changed meanwhile and
returns the rest as conflicts. The user settles each conflict, field by field, in the
import wizard's review tree (keep mine / take theirs); what they keep is sent again, checked
against the store again. Cancel leaves the conflicting values unsaved in the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
    QPushButton, QTreeView, QVBoxLayout, QWidget,
)

from ..store.changes import Conflict
from ..store.diff import Change, FieldChange
from . import domain
from .import_wizard import CHOICE_LABELS, ReviewModel, ReviewTree, _ChoiceDelegate

#: asks the user to settle conflicts: their choices (conflict key -> "mine" or "theirs"),
#: or None to leave them unsaved for now
Ask = Callable[[list[Conflict]], "dict[str, str] | None"]

_MEANING = {
    "changed": "Changed here and, since you opened it, in the store (an import, another "
               "window or the command line). Keep mine: save your value over theirs. Take "
               "theirs: keep the store's value.",
    "deleted": "Deleted from the store since you opened it. Keep mine: add it again with "
               "your changes. Take theirs: leave it deleted.",
    "removed": "You deleted it, but it was changed in the store since you opened it. Keep "
               "mine: delete it. Take theirs: keep it, as the store has it.",
}


@dataclass
class SaveOutcome:
    """What a save did: conflicts settled each way, and those left unsaved (Cancel)."""

    kept_mine: list[Conflict] = field(default_factory=list)
    took_theirs: list[Conflict] = field(default_factory=list)
    unsettled: list[Conflict] = field(default_factory=list)
    #: the records added, as stored (in the order sent)
    inserted: list[Any] = field(default_factory=list)

    def message(self) -> str:
        """A sentence for the status bar about the conflicts, "" if there were none."""
        parts = []
        if self.kept_mine:
            parts.append(f"kept yours for {len(self.kept_mine)}")
        if self.took_theirs:
            parts.append(f"took the store's for {len(self.took_theirs)}")
        if self.unsettled:
            parts.append(f"{len(self.unsettled)} left unsaved here (save again to settle "
                         "them)")
        return ("Conflicts with changes made elsewhere: " + "; ".join(parts) + "."
                if parts else "")


def save(store: Any, changes: list, *, user: str, ask: Ask) -> SaveOutcome:
    """Apply a change set; while conflicts come back, ask the user to settle them and send
    what they keep (each send is one transaction, checked against the store again)."""
    first = domain.save_changes(store, changes, user=user)
    outcome = SaveOutcome(inserted=list(first.inserted))
    conflicts = first.conflicts
    while conflicts:
        choices = ask(conflicts)
        if choices is None:
            outcome.unsettled = conflicts
            break
        kept = [c for c in conflicts if choices.get(c.conflict_key) == domain.KEEP_MINE]
        outcome.kept_mine += kept
        outcome.took_theirs += [c for c in conflicts if c not in kept]
        follow = domain.settled(conflicts, choices)
        again = domain.save_changes(store, follow, user=user) if follow else None
        conflicts = again.conflicts if again else []
        outcome.inserted += again.inserted if again else []
        outcome.kept_mine = [c for c in outcome.kept_mine if c not in conflicts]
    return outcome


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
        self._delegate = _ChoiceDelegate(self.tree)
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


def ask_in_dialog(parent: QWidget | None, names: dict[str, str]) -> Ask:
    """An ``Ask`` that shows the conflict dialog."""
    def ask(conflicts: list[Conflict]) -> dict[str, str] | None:
        dialog = ConflictDialog(conflicts, names, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choices()
    return ask


def keep_unsaved(models: dict[str, Any], conflicts: list[Conflict]) -> None:
    """After the window shows the store's records again: the conflicting values typed here
    stay pending (checked again at the next save); a record deleted from the store but
    edited here comes back as a new row."""
    import dataclasses

    for c in conflicts:
        records = models.get(c.table)
        if records is None:
            continue
        if c.kind == "changed":
            records.keep_unsaved(c.key, {c.field: (c.loaded, c.mine)})
        elif c.kind == "deleted" and c.mine is not None:
            records.insert(records.rowCount(), dataclasses.replace(c.mine, id=None))


# -- the window's two saves ---------------------------------------------------------------


def save_records(store: Any, models: dict[str, Any], *, user: str, ask: Ask) -> SaveOutcome:
    """Save the pending rows of a country's record tables (table -> table model)."""
    pairs = [pair for records in models.values() for pair in records.change_pairs()]
    return save(store, domain.record_changes(pairs), user=user, ask=ask)


def show_stored(models: dict[str, Any], country_file: Any) -> bool:
    """After a save: each table model shows the store's records, with what is still
    unsettled kept pending by the caller (``keep_unsaved``). True when every model holds
    the same records, in the same rows, as before (so its undo history still applies)."""
    from .. import model as _model

    same_rows = True
    for table, spec in _model.TABLES.items():
        records = models.get(table)
        if records is None:
            continue
        fresh = list(spec.records(country_file))
        before = [r.id for r in records.records()]  # None: a row added here, now stored
        same_rows = same_rows and len(fresh) == len(before) and all(
            ident in (None, r.id) for ident, r in zip(before, fresh, strict=True))
        records.set_rows(fresh)
    return same_rows


def save_visit(store: Any, loaded: Any, visit: Any, *, user: str,
               ask: Ask) -> tuple[Any, SaveOutcome]:
    """Save a visit as a change set against ``loaded`` (the visit as the window loaded it
    from the store; None for a new one or one read from a file, which a file naming a
    stored visit replaces, as importing it asks). Returns the visit as now stored."""
    from ..store.changes import stored

    if loaded is None and visit.id is not None:
        loaded = stored(store, "visits", visit.id)
    outcome = save(store, domain.visit_changes(loaded, visit), user=user, ask=ask)
    visit_id = outcome.inserted[-1].id if outcome.inserted else visit.id
    return store.visit(visit_id), outcome

"""The window's saves as change sets, with the user settling their conflicts.

A save sends only what was changed here, each field with its value as loaded
(``domain.record_changes``); the store saves everything nobody else changed meanwhile and
returns the rest as conflicts. The user settles each conflict, field by field, in the
import wizard's review tree (``conflict_dialog``: keep mine / take theirs); what they keep
is sent again, checked against the store again. Cancel leaves the conflicting values
unsaved in the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from ..store.changes import Conflict
from . import domain

#: asks the user to settle conflicts: their choices (conflict key -> "mine" or "theirs"),
#: or None to leave them unsaved for now
Ask = Callable[[list[Conflict]], "dict[str, str] | None"]


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


def ask_in_dialog(parent: QWidget | None, names: dict[str, str]) -> Ask:
    """An ``Ask`` that shows the conflict dialog."""
    def ask(conflicts: list[Conflict]) -> dict[str, str] | None:
        from .conflict_dialog import ConflictDialog  # Qt views, loaded when first needed

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

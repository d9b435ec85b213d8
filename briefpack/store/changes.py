"""Saves as change sets: each field's value as it was loaded and its new value, checked
against the store inside the write transaction.

A window (or a readout) that loaded a record some time ago must never write back the
values it loaded over what another process stored meanwhile. So it does not send whole
records: it sends, per record, the fields it changed with the value each had when it was
loaded. ``apply_changes`` takes the write lock first (``BEGIN IMMEDIATE``), then compares
each loaded value with the stored one. A field nobody else changed is written; a field
changed elsewhere (or a record deleted elsewhere, or changed elsewhere while being deleted
here) is a ``Conflict``, left as it is stored and returned, for the user to settle: keep
mine (send the change again with the stored value as loaded) or take theirs (drop it).
Everything that is not in conflict is saved, in the same transaction, and audited as the
user's edit with the store's value as "before".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .. import model
from ..errors import StoreError, UnknownCountry
from .rows import TABLE_OF
from .store import Store

#: bookkeeping fields: never part of a change set, never a conflict
BOOKKEEPING = frozenset({"updated_at", "updated_by", "origin"})

ConflictKind = Literal["changed", "deleted", "removed"]


class ChangedElsewhere(StoreError):
    """What was about to be changed has been changed elsewhere meanwhile: nothing was."""


@dataclass(frozen=True)
class FieldEdit:
    """One field of one record: its value as loaded, and the value to save."""

    field: str
    loaded: Any
    new: Any


@dataclass(frozen=True)
class RecordEdit:
    """What a save does to one record.

    An update names the record (``table``, ``key``) and the fields changed. A new record
    has ``key`` None and the whole ``record``. A deletion has ``delete`` set and the record
    as it was loaded (``loaded``): it is deleted only if nobody changed it meanwhile.
    """

    table: str
    key: Any
    edits: tuple[FieldEdit, ...] = ()
    record: Any = None
    loaded: Any = None
    delete: bool = False

    @property
    def is_insert(self) -> bool:
        return self.key is None and self.record is not None and not self.delete


@dataclass(frozen=True)
class Conflict:
    """A field (or a whole record) changed here and, since it was loaded, elsewhere.

    ``kind``: "changed" (a field: ``mine`` and ``theirs`` are its values), "deleted" (the
    record was deleted elsewhere; ``mine`` is the record as edited here), "removed" (the
    record is deleted here but was changed elsewhere; ``theirs`` is the stored record).
    """

    kind: ConflictKind
    table: str
    key: Any
    field: str
    label: str
    country: str
    loaded: Any
    mine: Any
    theirs: Any

    @property
    def conflict_key(self) -> str:
        return f"{self.table}:{self.key}:{self.field}"


@dataclass
class ChangeResult:
    """What a change set did: each record saved (as now stored, by table and key), the
    records added (in the order sent), the records deleted, and every conflict left."""

    saved: dict[tuple[str, Any], Any] = field(default_factory=dict)
    inserted: list[Any] = field(default_factory=list)
    deleted: list[tuple[str, Any]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def field_edits(loaded: Any, current: Any) -> tuple[FieldEdit, ...]:
    """The fields of ``current`` that differ from ``loaded`` (the same record as it was
    loaded), each with its loaded value; bookkeeping fields left out."""
    return tuple(FieldEdit(f.name, getattr(loaded, f.name), getattr(current, f.name))
                 for f in dataclasses.fields(current)
                 if f.name not in BOOKKEEPING
                 and not same(getattr(loaded, f.name), getattr(current, f.name)))


def record_edit(loaded: Any | None, current: Any | None) -> RecordEdit | None:
    """The change set of one record: ``loaded`` None for a new record, ``current`` None
    for one deleted; None when nothing changed."""
    if loaded is None and current is None:
        return None
    cls = type(current if current is not None else loaded)
    table = TABLE_OF[cls]
    pk = primary_key(table)
    if current is None:
        return RecordEdit(table, getattr(loaded, pk), loaded=loaded, delete=True)
    if loaded is None or getattr(loaded, pk) is None:
        return RecordEdit(table, None, record=current)
    edits = field_edits(loaded, current)
    if not edits:
        return None
    return RecordEdit(table, getattr(loaded, pk), edits, loaded=loaded)


def same(a: Any, b: Any) -> bool:
    # text may be NULL or "" for "nothing": neither is a change from the other
    return a == b or (a in (None, "") and b in (None, ""))


def primary_key(table: str) -> str:
    return {"countries": "code", "national_figures": "key"}.get(table, "id")


def apply_changes(store: Store, changes: Iterable[RecordEdit], *, user: str | None = None,
                  action: str = "edit") -> ChangeResult:
    """Apply a change set in one ``BEGIN IMMEDIATE`` transaction (see the module): all of
    what is not in conflict, or nothing if anything fails."""
    result = ChangeResult()
    with store.transaction():
        for change in changes:
            if change.delete:
                _delete(store, change, result, user)
            elif change.is_insert:
                saved = (store.save_visit(change.record, user=user)
                         if change.table == "visits"
                         else store.save(change.record, user=user, action=action))
                result.inserted.append(saved)
                result.saved[(change.table, getattr(saved, primary_key(change.table)))] = saved
            else:
                _update(store, change, result, user, action)
    return result


def stored(store: Store, table: str, key: Any) -> Any | None:
    """The record as stored now, or None if there is none."""
    try:
        if table == "countries":
            return store.country(key)
        if table == "visits":
            return store.visit(key)
        if table == "national_figures":
            return next((f for f in store.national_figures() if f.key == key), None)
        return store.get(table, key)
    except (StoreError, UnknownCountry):
        return None


def _update(store: Store, change: RecordEdit, result: ChangeResult, user: str | None,
            action: str) -> None:
    now = stored(store, change.table, change.key)
    if now is None:
        mine = change.loaded
        if mine is not None:
            mine = dataclasses.replace(mine, **{e.field: e.new for e in change.edits})
        result.conflicts.append(_conflict("deleted", change, "", mine, mine, None))
        return
    apply: dict[str, Any] = {}
    for edit in change.edits:
        theirs = getattr(now, edit.field)
        if same(theirs, edit.loaded) or same(theirs, edit.new):
            apply[edit.field] = edit.new
        else:
            result.conflicts.append(_conflict("changed", change, edit.field, now,
                                              edit.new, theirs, loaded=edit.loaded))
    if any(not same(getattr(now, k), v) for k, v in apply.items()):
        new = dataclasses.replace(now, **apply)
        if isinstance(new, model.Visit):  # the people its file wrote become interlocutors
            new = store.store_people(new, user=user)
        now = store.save(new, user=user, action=action)
    result.saved[(change.table, change.key)] = now


def _delete(store: Store, change: RecordEdit, result: ChangeResult, user: str | None) -> None:
    now = stored(store, change.table, change.key)
    if now is None:  # deleted elsewhere too: nothing to do
        result.deleted.append((change.table, change.key))
        return
    if change.loaded is not None and field_edits(change.loaded, now):
        result.conflicts.append(_conflict("removed", change, "", now, None, now))
        result.saved[(change.table, change.key)] = now
        return
    store.delete(change.table, change.key, user=user)
    result.deleted.append((change.table, change.key))


def _conflict(kind: ConflictKind, change: RecordEdit, name: str, record: Any, mine: Any,
              theirs: Any, *, loaded: Any = None) -> Conflict:
    about = record if record is not None else change.loaded
    return Conflict(kind, change.table, change.key, name, label(about),
                    country_of(about), loaded, mine, theirs)


def label(record: Any) -> str:
    """How a record is named to the user: its name, title, programme or action."""
    for name in ("name", "title", "programme", "action", "label", "code"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return "?"


def country_of(record: Any) -> str:
    if isinstance(record, model.Country):
        return record.code
    if isinstance(record, model.Visit):
        return ""
    return str(getattr(record, "country", "") or "")

"""Compare incoming sections of country data with the store; apply the result in one go.

Packets (``packets.py``) and spreadsheets (``csv_import.py``) both end up as an ``Incoming``:
the complete new content of some sections of some countries. ``plan`` compares it with the
store (added, changed field by field, removed, conflicts) and ``apply`` writes it in one
transaction after a backup, auditing every change. Nothing here knows about YAML or CSV.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .. import model
from ..errors import BriefpackError, StoreError
from ..progress import Progress
from ..yamlio import Context
from . import readds, readout_links
from .backups import backup_file
from .rows import to_row
from .store import Store, current_user, failure, now

#: sections in the order they are written; removals go in reverse (references first)
TABLE_ORDER = ("countries", *model.TABLES)
#: bookkeeping fields that never count as a change
BOOKKEEPING = frozenset({"updated_at", "updated_by", "origin"})
CHOICES = ("theirs", "mine")

Kind = Literal["added", "changed", "removed"]


@dataclass(frozen=True)
class Located:
    """An incoming record and where in its file it came from."""

    record: Any
    line: int | None
    where: str


@dataclass
class Incoming:
    """The complete new content of some sections (tables) of some countries."""

    source: str
    kind: str  # "packet" or "csv"
    #: country code -> table ("countries" for the country's own record) -> records
    sections: dict[str, dict[str, list[Located]]]
    #: the store revision the content was based on; 0 when unknown
    base_revision: int = 0
    warnings: list[str] = field(default_factory=list)
    #: when the source dates the content (a packet's export time); None: the import's
    as_of: str | None = None
    #: country code -> section -> the date its owner declares it complete as of (None:
    #: the declaration withdrawn)
    complete: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Change:
    """One record added, changed or removed by an import."""

    kind: Kind
    table: str
    country: str
    key: Any  # record id (country code for "countries"); None for a new record
    label: str
    fields: tuple[FieldChange, ...] = ()
    #: the incoming record (added, changed) and the store's (changed, removed)
    record: Any = None
    local: Any = None
    #: changed here since the incoming data's base revision: someone must choose
    conflict: bool = False

    @property
    def conflict_key(self) -> str:
        return f"{self.table}:{self.key}"


@dataclass
class ImportPlan:
    """What an import would do; settle ``conflicts`` then pass it to ``apply``."""

    source: str
    kind: str
    sections: dict[str, tuple[str, ...]]
    changes: list[Change]
    revision: int
    store_id: str
    base_revision: int
    warnings: list[str] = field(default_factory=list)
    #: what was compared, so the plan can be made again if the store moves before it applies
    incoming: Incoming | None = field(default=None, repr=False, compare=False)

    def of_kind(self, kind: Kind) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.conflict]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        return {k: len(self.of_kind(k)) for k in ("added", "changed", "removed")} | {
            "conflicts": len(self.conflicts)}


@dataclass(frozen=True)
class ImportSummary:
    added: int
    changed: int
    removed: int
    kept_mine: int
    backup: Path | None
    warnings: tuple[str, ...] = ()


class UnsettledConflicts(BriefpackError):
    """Conflicts without a choice: nothing was applied."""

    def __init__(self, keys: list[str]):
        self.keys = keys
        shown = ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
        super().__init__(
            f"{len(keys)} conflict(s) need a choice before anything is applied ({shown}); "
            "records changed here since the data was exported: choose --prefer theirs "
            "(take the incoming values) or --prefer mine (keep this store's)")


class StoreChanged(BriefpackError):
    """The store changed, where the import would write, after the import was checked."""

    def __init__(self, conflicts: list[str]):
        self.conflicts = conflicts
        shown = ", ".join(conflicts[:10]) + (
            f" and {len(conflicts) - 10} more" if len(conflicts) > 10 else "")
        super().__init__(
            "the store has changed since this import was checked, so nothing was applied"
            + (f": {len(conflicts)} record(s) were changed meanwhile and now conflict "
               f"with it ({shown})" if conflicts else "")
            + "; check it again and settle the conflicts")


# -- planning ---------------------------------------------------------------------------

def plan(store: Store, incoming: Incoming) -> ImportPlan:
    """Compare incoming data with the store; DataError lists every problem found."""
    ctx = Context(incoming.source)
    changes: list[Change] = []
    known = {c for (c,) in store.db.execute("SELECT code FROM countries").fetchall()}
    changed_here = store.changed_since(incoming.base_revision)
    refused: list[dict] = []
    held = functools.cache(lambda: readds.held_elsewhere(store))  # read once, if needed
    for code, tables in incoming.sections.items():
        if code not in known:
            first = next((loc for locs in tables.values() for loc in locs), None)
            ctx.add(first.line if first else None, "country",
                    f"{code}: not a country in this store")
            continue
        for table in TABLE_ORDER:
            if table in tables:
                local = ([store.country(code)] if table == "countries"
                         else store.records(table, code))
                planned = _plan_table(store, ctx, code, table, tables[table], changed_here,
                                      local)
                changes += planned
                refused += _check_readds(store, ctx, incoming.source, code, table,
                                         tables[table], planned, local, held)
        _check_references(store, ctx, code, tables)
    if refused:
        with store.transaction():  # the refusal is kept even though nothing is imported
            store.audit_many(refused)
    ctx.raise_if_any()
    return ImportPlan(
        source=incoming.source, kind=incoming.kind,
        sections={code: tuple(t if t != "countries" else "country" for t in tables)
                  for code, tables in incoming.sections.items()},
        changes=changes, revision=store.revision(), store_id=store.store_id(),
        base_revision=incoming.base_revision, warnings=list(incoming.warnings),
        incoming=incoming)


def _plan_table(store: Store, ctx: Context, code: str, table: str, located: list[Located],
                changed_here: set[tuple[str, str]], local: list[Any]) -> list[Change]:
    """The changes to this table of this country; ``local``: its records in the store."""
    pk = "code" if table == "countries" else "id"
    local_by_key = {getattr(r, pk): r for r in local}
    _check_foreign_ids(store, ctx, code, table, located, local_by_key)
    out: list[Change] = []
    seen = set()
    for loc in located:
        key = getattr(loc.record, pk)
        seen.add(key)
        conflict = key is not None and (table, str(key)) in changed_here
        mine = local_by_key.get(key)
        if mine is None:
            out.append(Change("added", table, code, key, _label(loc.record),
                              record=loc.record, conflict=conflict))
            continue
        fields = _field_changes(mine, loc.record)
        if not fields:
            continue
        _check_marking(ctx, loc, mine)
        out.append(Change("changed", table, code, key, _label(loc.record), fields,
                          record=loc.record, local=mine, conflict=conflict))
    for key, mine in local_by_key.items():
        if key not in seen:
            out.append(Change("removed", table, code, key, _label(mine), local=mine,
                              conflict=(table, str(key)) in changed_here))
    return out


def _field_changes(old: Any, new: Any) -> tuple[FieldChange, ...]:
    if old == new:  # the usual case in a refresh, and far cheaper than comparing rows
        return ()
    before, after = to_row(old), to_row(new)
    return tuple(FieldChange(name, getattr(old, name), getattr(new, name))
                 for name, value in after.items()
                 if name not in BOOKKEEPING and not _same(before.get(name), value))


def _same(old: Any, new: Any) -> bool:
    # text fields may hold NULL or "" for "nothing": neither is a change from the other
    return old == new or (old in (None, "") and new in (None, ""))


def _check_marking(ctx: Context, loc: Located, mine: Any) -> None:
    if readds.lowers(mine.marking, loc.record.marking):
        ctx.add(loc.line, f"{loc.where}.marking",
                f"{loc.record.marking!r} would lower this record's marking "
                f"({mine.marking!r} here): an import can never lower a marking")


def _check_readds(store: Store, ctx: Context, source: str, code: str, table: str,
                  located: list[Located], changes: list[Change],
                  current: list[Any], held: Callable[[], dict]) -> list[dict]:
    """Problems (and audit entries) for added records that repeat a stored record at a
    lower marking: deleting and re-adding never lowers a marking, not as another kind of
    record nor under another country either. ``changes``: this table's; ``current``: its
    records in the store; ``held``: ``readds.held_elsewhere`` of the store."""
    if table == "countries":
        return []
    added = [c for c in changes if c.kind == "added"]
    if not added:
        return []
    entries = []
    refused_here: set[int] = set()
    stored = [*current, *readds.deleted_records(store, table, code)]
    for change, readd in readds.lowering_readds(table, added, stored):
        old = readd.stored
        here = "here" if any(r is old for r in current) else "here before it was deleted"
        where = next((loc for loc in located if loc.record is change.record), None)
        message = (f"{change.record.marking!r} would lower the marking of {table} record "
                   f"{old.id} {_label(old)!r} ({old.marking!r} {here}), which this record "
                   f"repeats (same {readd.how}) under "
                   + ("no id" if change.key is None else f"id {change.key}")
                   + ": removing a record and adding it again can never lower its marking")
        ctx.add(where.line if where else None,
                f"{where.where}.marking" if where else "marking", message)
        entries.append({"action": "refused", "table": table, "record_id": old.id,
                        "country": code, "field": "marking", "before": old.marking,
                        "after": change.record.marking,
                        "note": f"{Path(source).name}: re-added at a lower marking"})
        refused_here.add(id(change))
    for change in added:
        if id(change) in refused_here:
            continue
        other = readds.lowering_elsewhere(table, code, change.record, held())
        if other is None:
            continue
        where = next((loc for loc in located if loc.record is change.record), None)
        spec = model.TABLES[other.table]
        place = ("" if other.country == code else f" of {other.country}") + (
            " before it was deleted" if other.deleted else "")
        ctx.add(where.line if where else None,
                f"{where.where}.marking" if where else "marking",
                f"{change.record.marking!r} would lower the marking of {spec.noun} "
                f"{other.id} {other.name!r}{place} ({other.marking!r}), which this "
                f"{model.TABLES[table].noun} repeats under the same name: removing a record "
                "and adding it again, as another kind of record or under another country, "
                "can never lower its marking")
        entries.append({"action": "refused", "table": other.table, "record_id": other.id,
                        "country": other.country, "field": "marking",
                        "before": other.marking, "after": change.record.marking,
                        "note": f"{Path(source).name}: re-added at a lower marking as "
                                f"{table} of {code}"})
    return entries


def _check_foreign_ids(store: Store, ctx: Context, code: str, table: str,
                       located: list[Located], local_by_key: dict) -> None:
    if table == "countries":
        return
    wanted = {loc.record.id: loc for loc in located
              if loc.record.id is not None and loc.record.id not in local_by_key}
    ids = list(wanted)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = store.db.execute(
            f"SELECT id, country FROM [{table}] WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk).fetchall()
        for record_id, owner in rows:
            loc = wanted[record_id]
            ctx.add(loc.line, f"{loc.where}.id",
                    f"{table} record {record_id} belongs to {owner}, not {code}")


def _check_references(store: Store, ctx: Context, code: str,
                      tables: dict[str, list[Located]]) -> None:
    if "interlocutors" not in tables:
        return
    if "alumni" in tables:
        alumni = {loc.record.id for loc in tables["alumni"]}
    else:
        alumni = {a.id for a in store.records("alumni", code)}
    for loc in tables["interlocutors"]:
        ref = loc.record.alumnus_id
        if ref is not None and ref not in alumni:
            ctx.add(loc.line, f"{loc.where}.alumnus_id",
                    f"alumnus {ref} is not among {code}'s alumni")


def _label(record: Any) -> str:
    for name in ("name", "title", "programme", "code"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return "?"


# -- applying ---------------------------------------------------------------------------

def settle(import_plan: ImportPlan, choices: Mapping[str, str] | None = None,
           prefer: str | None = None) -> dict[str, str]:
    """The choice for every conflict (per-conflict ``choices`` first, then ``prefer``)."""
    choices = dict(choices or {})
    for key, choice in [*choices.items(), ("--prefer", prefer)]:
        if choice is not None and choice not in CHOICES:
            raise BriefpackError(f"{key}: choose 'theirs' or 'mine', not {choice!r}")
    settled = {c.conflict_key: choices.get(c.conflict_key) or prefer
               for c in import_plan.conflicts}
    missing = [k for k, v in settled.items() if v is None]
    if missing:
        raise UnsettledConflicts(missing)
    return {k: v for k, v in settled.items() if v is not None}


def apply(store: Store, import_plan: ImportPlan, choices: Mapping[str, str] | None = None, *,
          prefer: str | None = None, user: str | None = None,
          backup: bool = True) -> ImportSummary:
    """Back up the store, then write the whole plan in one transaction (or nothing):
    ``apply_steps`` run to the end, for callers that show no progress."""
    summary = None
    for progress in apply_steps(store, import_plan, choices, prefer=prefer, user=user,
                                backup=backup):
        summary = progress.result or summary
    if not isinstance(summary, ImportSummary):
        raise StoreError(f"{import_plan.source}: the import ended without a summary")
    return summary


def apply_steps(store: Store, import_plan: ImportPlan,
                choices: Mapping[str, str] | None = None, *, prefer: str | None = None,
                user: str | None = None, backup: bool = True) -> Iterator[Progress]:
    """``apply`` as Progress steps: the backup, then each table's writes, all in one
    transaction. A caller that stops iterating (Cancel) rolls every write back.

    The transaction starts (BEGIN IMMEDIATE) before anything is compared or backed up: if
    another import or edit landed since the plan was made, the plan is made again inside
    it; if that changes anything the plan would do (their changes are now conflicts, or
    the values it replaces differ), ``StoreChanged`` names the new conflicts and nothing is
    applied. So a concurrent import is never overwritten unseen, and the audit's "before"
    values are the store's at the moment of writing.
    """
    settle(import_plan, choices, prefer)  # refuse bad choices before waiting for the lock
    user = user or current_user()
    name = Path(import_plan.source).name
    try:
        with store.transaction():
            import_plan = _current(store, import_plan)
            settled = settle(import_plan, choices, prefer)
            todo = [c for c in import_plan.changes
                    if settled.get(c.conflict_key, "theirs") == "theirs"]
            kept = len(import_plan.changes) - len(todo)
            writes = _writes(todo)
            total = len(writes) + 2
            yield Progress(1, total, "Backing up the store")
            # another connection reads the last commit: exactly the store before this import
            saved = (backup_file(store.path, reason=f"before import {name}")
                     if backup and store.path else None)
            writer = _Writer(store, user, f"import of {name}")
            for step, (message, action, table, batch) in enumerate(writes, 2):
                yield Progress(step, total, f"{message} ({len(batch):,})")
                getattr(writer, action)(table, batch)
            _record_import(store, import_plan, todo, kept, saved, user)
    except sqlite3.IntegrityError as exc:
        raise StoreError(f"{import_plan.source}: nothing was applied: the chosen changes would "
                         f"leave a broken reference ({exc}); choose 'theirs' for the records "
                         "involved or fix the data") from None
    except sqlite3.Error as exc:  # a full disk, a read-only or damaged store
        raise failure(store.path, exc) from None
    counts = {k: sum(1 for c in todo if c.kind == k) for k in ("added", "changed", "removed")}
    summary = ImportSummary(**counts, kept_mine=kept, backup=saved,
                            warnings=tuple(import_plan.warnings))
    yield Progress(total, total, f"Imported {name}", result=summary)


def _current(store: Store, import_plan: ImportPlan) -> ImportPlan:
    """The plan, checked against the store as it is now (call inside the write transaction):
    if anything it would change was changed meanwhile, nothing is applied."""
    if (store.revision(), store.store_id()) == (import_plan.revision, import_plan.store_id):
        return import_plan
    incoming = import_plan.incoming
    if incoming is None:
        raise StoreChanged([])
    if store.store_id() != import_plan.store_id:  # restored meanwhile: the base is unknown
        incoming = dataclasses.replace(incoming, base_revision=0)
    now_plan = plan(store, incoming)
    if _signature(now_plan) != _signature(import_plan):
        reviewed = {c.conflict_key for c in import_plan.conflicts}
        raise StoreChanged([c.conflict_key for c in now_plan.conflicts
                            if c.conflict_key not in reviewed])
    return now_plan


def _signature(import_plan: ImportPlan) -> list[tuple]:
    return [(c.kind, c.table, c.country, c.key, c.fields, c.conflict)
            for c in import_plan.changes]


def _writes(todo: list[Change]) -> list[tuple[str, str, str, list[Change]]]:
    """(message, writer method, table, changes) in the order they are written."""
    writes = [(f"Writing {table}", "upsert", table, batch) for table in TABLE_ORDER
              if (batch := [c for c in todo if c.table == table and c.kind != "removed"])]
    writes += [(f"Removing from {table}", "remove", table, batch)
               for table in reversed(TABLE_ORDER)
               if (batch := [c for c in todo if c.table == table and c.kind == "removed"])]
    return writes


def _record_import(store: Store, import_plan: ImportPlan, todo: list[Change], kept: int,
                   saved: Path | None, user: str) -> None:
    name = Path(import_plan.source).name
    for code, sections in import_plan.sections.items():
        mine = [c for c in todo if c.country == code]
        note = (f"{import_plan.kind} {name}: "
                + ", ".join(f"{sum(1 for c in mine if c.kind == k)} {k}"
                            for k in ("added", "changed", "removed"))
                + f"; {kept} conflict(s) kept as here" * bool(kept)
                + (f"; backup {saved.name}" if saved else ""))
        entries = [{"action": "warning", "table": "countries", "record_id": code,
                    "country": code, "note": f"{name}: {w}"} for w in import_plan.warnings]
        entries.append({"action": "import", "table": "countries", "record_id": code,
                        "country": code, "note": note})
        store.audit_many(entries, user=user)
        incoming = import_plan.incoming
        for section, as_of in (incoming.complete.get(code, {}) if incoming else {}).items():
            store.declare_complete(code, section, as_of, user=user)
        # a section is as current as the newest source of its records: only the sections
        # this import changed are refreshed, as of their source's date; unchanged records
        # keep the date they had (a packet repeating March's records does not make them
        # current)
        changed = {"country" if c.table == "countries" else c.table for c in mine}
        store.mark_refreshed(code, [s for s in sections if s in changed], user=user,
                             at=incoming.as_of if incoming is not None else None,
                             newer_only=True)


class _Writer:
    """Bulk writes of one import, with an audit entry for every change."""

    def __init__(self, store: Store, user: str, note: str):
        self.store, self.user, self.note = store, user, note
        self.conn = store.db.conn
        self.at = now()

    def _stamped(self, change: Change, key: Any) -> dict[str, Any]:
        stamp = {"updated_at": self.at, "updated_by": self.user, "origin": "import"}
        if change.table != "countries":
            stamp |= {"id": key, "country": change.country}
        return to_row(dataclasses.replace(change.record, **stamp))

    def upsert(self, table: str, changes: list[Change]) -> None:
        if not changes:
            return
        pk = "code" if table == "countries" else "id"
        next_id: int = self.conn.execute(
            f"SELECT COALESCE(MAX({pk}), 0) + 1 FROM [{table}]").fetchone()[0] \
            if pk == "id" else 0
        inserts, audit = [], []
        for change in changes:
            key = change.key
            if change.kind == "added" and key is None:
                key, next_id = next_id, next_id + 1
            row = self._stamped(change, key)
            if change.kind == "added":
                inserts.append(row)
                audit.append(self._entry("insert", change, key))
            else:
                self._update(table, pk, row)
                audit += [self._entry("edit", change, key, field=name, before=before,
                                      after=row[name])
                          for name, before in _row_changes(change)]
        if inserts:
            columns = list(inserts[0])
            self.conn.executemany(
                f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [tuple(r[c] for c in columns) for r in inserts])
        self.store.audit_many(audit, user=self.user)

    def _update(self, table: str, pk: str, row: dict[str, Any]) -> None:
        columns = [c for c in row if c != pk]
        self.conn.execute(
            f"UPDATE [{table}] SET {', '.join(f'[{c}] = ?' for c in columns)} WHERE [{pk}] = ?",
            [*(row[c] for c in columns), row[pk]])

    def remove(self, table: str, changes: list[Change]) -> None:
        if not changes:
            return
        audit = []
        for change in changes:
            before = json.dumps(to_row(change.local), ensure_ascii=False, default=str)
            self.conn.execute(f"DELETE FROM [{table}] WHERE id = ?", [change.key])
            readout_links.forget_record(self.store, table, change.key)
            audit.append(self._entry("delete", change, change.key, before=before))
        self.store.audit_many(audit, user=self.user)

    def _entry(self, action: str, change: Change, key: Any, **extra: Any) -> dict[str, Any]:
        return {"action": action, "table": change.table, "record_id": key,
                "country": change.country, "note": self.note, **extra}

def _row_changes(change: Change) -> list[tuple[str, Any]]:
    """(field, stored value before) for each changed field, as the store writes them."""
    before = to_row(change.local)
    return [(fc.field, before[fc.field]) for fc in change.fields]

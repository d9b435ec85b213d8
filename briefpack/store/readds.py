"""An import may never lower a marking, not even by deleting a record and adding it again.

A packet that drops an OFFICIAL-SENSITIVE record's id and adds the same record as OFFICIAL,
or a sheet that gives the same person a new id, would otherwise lower the marking. So every
record an import adds is matched against the country's stored records of the same table:

- by the table's natural key (``model.TABLES[table].natural_key``: an alumnus's name, a
  programme and its company …), compared as a reader sees it (``textsafe.skeleton``:
  without regard to case, spacing, punctuation, accents, zero-width characters, Unicode
  form or Latin look-alikes from Cyrillic and Greek);
- or by content: every other field the same, and the words of one natural key all found
  in the other ("Northwood Declaration" and "The Northwood Declaration"), so two records
  that merely share a course, a year or a status are never taken for one.

An added record that matches a stored one and protects less than it is refused. Records
deleted earlier count too (their last content is in the audit log), so deleting a record
in one import and adding it again in the next lowers nothing either. And since the same
words can come back as another kind of record or under another country ("Pact of Bergen"
deleted as an agreement, re-added as an engagement), an added record whose name (the first
field of its natural key) reads the same as a record of any table and country, held or
deleted, marked higher, is refused too (``Held``).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import marking, model
from ..textsafe import skeleton
from .rows import from_row, to_row

#: fields that say nothing about what a record is
_NOT_CONTENT = frozenset({"id", "country", "marking", "source", "updated_at", "updated_by",
                          "origin"})


@dataclass(frozen=True)
class Readd:
    """An incoming record that repeats a stored one at a lower marking."""

    incoming: Any
    stored: Any
    how: str  # "natural key" or "content"


def lowering_readds(table: str, added: Iterable[Any],
                    stored: Iterable[Any]) -> list[tuple[Any, Readd]]:
    """(added item, Readd) for every added record that repeats a stored one at a lower
    marking; ``added`` items carry the record as ``.record``."""
    spec = model.TABLES.get(table)
    if spec is None:
        return []
    stored = list(stored)
    if not stored:  # nothing held or deleted here: nothing to lower (a first import)
        return []
    by_key: dict[tuple, list[Any]] = {}
    by_content: dict[tuple, list[Any]] = {}
    for record in stored:
        by_key.setdefault(_joined(natural_key(spec, record)), []).append(record)
        by_content.setdefault(_content(spec, record), []).append(record)
    out = []
    for item in added:
        record = item.record
        key = natural_key(spec, record)
        candidates = [(r, "natural key") for r in by_key.get(_joined(key), [])]
        words = _words(key)
        candidates += [(r, "content") for r in by_content.get(_content(spec, record), [])
                       if _nested(words, _words(natural_key(spec, r)))]
        for stored_record, how in candidates:
            if lowers(stored_record.marking, record.marking):
                out.append((item, Readd(record, stored_record, how)))
                break
    return out


def natural_key(spec: model.TableSpec, record: Any) -> tuple[str, ...]:
    """The record's natural key as a reader sees it (``textsafe.skeleton``)."""
    return tuple(_normal(getattr(record, name)) for name in spec.natural_key)


def _joined(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key compared without its spaces: "Pact of\u200bBergen" (a zero-width space where
    the space was, dropped on the way in) reads as "Pact ofBergen"."""
    return tuple(part.replace(" ", "") for part in key)


def _content(spec: model.TableSpec, record: Any) -> tuple:
    row = to_row(record)
    return tuple(_normal(row[k]) for k in sorted(row)
                 if k not in _NOT_CONTENT and k not in spec.natural_key)


def _words(key: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word for part in key for word in part.split())


def _nested(a: frozenset[str], b: frozenset[str]) -> bool:
    """One key's words all appear in the other's (and neither is empty)."""
    return bool(a) and bool(b) and (a <= b or b <= a)


def _normal(value: Any) -> str:
    if value is None:
        return ""
    return skeleton(value.isoformat() if hasattr(value, "isoformat") else str(value))


# -- the same name anywhere in the store ------------------------------------------------------

#: names shorter than this (letters and digits) are too common to say two records are one
MIN_NAME = 6


@dataclass(frozen=True)
class Held:
    """A record of any table and country, held or deleted, marked above plain OFFICIAL."""

    table: str
    country: str
    id: Any
    name: str
    marking: str
    deleted: bool


def name_key(table: str, record: Any) -> str:
    """What a record is called (its natural key's first field), as a reader sees it and
    without spaces; "" when too short to tell two records apart."""
    spec = model.TABLES.get(table)
    if spec is None:
        return ""
    key = _normal(getattr(record, spec.natural_key[0], None)).replace(" ", "")
    return key if len(key) >= MIN_NAME else ""


def held_elsewhere(store: Any) -> dict[str, list[Held]]:
    """Every record of every table and country, held now or deleted (as the audit log last
    saw it), whose marking is above plain OFFICIAL, by ``name_key``: what an added record
    at a lower marking may not repeat. Read once per import."""
    out: dict[str, list[Held]] = {}

    def note(table: str, record: Any, deleted: bool) -> None:
        key = name_key(table, record)
        if key:
            out.setdefault(key, []).append(Held(
                table, record.country, record.id,
                str(getattr(record, model.TABLES[table].natural_key[0])), record.marking,
                deleted))

    for table, spec in model.TABLES.items():
        rows = store.db.execute(f"SELECT * FROM [{table}] WHERE marking <> 'OFFICIAL'")
        names = [d[0] for d in rows.description]
        for values in rows.fetchall():
            note(table, from_row(spec.record, dict(zip(names, values))), False)
    for table, text in store.db.execute(
            "SELECT table_name, before FROM audit WHERE action = 'delete'").fetchall():
        kind = model.TABLES.get(table)
        row = _mapping(text) if kind is not None else None
        if kind is None or row is None or row.get("marking") in (None, "OFFICIAL"):
            continue
        try:
            note(table, from_row(kind.record, row), True)
        except (TypeError, ValueError):
            continue
    return out


def lowering_elsewhere(table: str, code: str, record: Any,
                       held: dict[str, list[Held]]) -> Held | None:
    """The first record ``held`` under the same name as ``record`` (added to country
    ``code``'s ``table``) in any table and country that ``record``'s marking would lower;
    None if there is none."""
    if not held:  # nothing marked above OFFICIAL anywhere: nothing to lower
        return None
    for other in held.get(name_key(table, record), ()):
        if other.table == table and other.country == code and \
                other.id == record.id and not other.deleted:
            continue  # the record itself (changed, not re-added)
        if lowers(other.marking, record.marking):
            return other
    return None


@lru_cache(maxsize=1024)
def lowers(old: str, new: str) -> bool:
    """Whether marking ``new`` is lower than ``old`` (parsed once per pair: an import meets
    few of them)."""
    try:
        return marking.is_lowering(old, new)
    except marking.MarkingError:
        return False  # an unreadable stored marking (legacy): the new one was checked


def deleted_records(store: Any, table: str, code: str) -> list[Any]:
    """The records of ``table`` deleted from country ``code``, as the audit log last saw
    them (imports log the row as JSON, other deletions as a Python mapping)."""
    spec = model.TABLES.get(table)
    if spec is None:
        return []
    rows = store.db.execute(
        "SELECT before FROM audit WHERE action = 'delete' AND table_name = ? AND country = ?",
        [table, code]).fetchall()
    out = []
    for (text,) in rows:
        row = _mapping(text)
        if row is None:
            continue
        try:
            out.append(from_row(spec.record, row))
        except (TypeError, ValueError):
            continue  # a row of an older schema: nothing to compare
    return out


def _mapping(text: str | None) -> dict | None:
    for read in (json.loads, ast.literal_eval):
        try:
            value = read(text or "")
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(value, dict):
            return value
    return None

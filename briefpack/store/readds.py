"""An import may never lower a marking, not even by deleting a record and adding it again.

A packet that drops an OFFICIAL-SENSITIVE record's id and adds the same record as OFFICIAL,
or a sheet that gives the same person a new id, would otherwise lower the marking. So every
record an import adds is matched against the country's stored records of the same table:

- by the table's natural key (``model.TABLES[table].natural_key``: an alumnus's name, a
  programme and its company …), compared without regard to case, spacing or Unicode form;
- or by content: every other field the same, and the words of one natural key all found
  in the other ("Northwood Declaration" and "The Northwood Declaration"), so two records
  that merely share a course, a year or a status are never taken for one.

An added record that matches a stored one and protects less than it is refused. Records
deleted earlier count too (their last content is in the audit log), so deleting a record
in one import and adding it again in the next lowers nothing either.
"""

from __future__ import annotations

import ast
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import marking, model
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
        by_key.setdefault(natural_key(spec, record), []).append(record)
        by_content.setdefault(_content(spec, record), []).append(record)
    out = []
    for item in added:
        record = item.record
        candidates = [(r, "natural key") for r in by_key.get(natural_key(spec, record), [])]
        words = _words(natural_key(spec, record))
        candidates += [(r, "content") for r in by_content.get(_content(spec, record), [])
                       if _nested(words, _words(natural_key(spec, r)))]
        for stored_record, how in candidates:
            if lowers(stored_record.marking, record.marking):
                out.append((item, Readd(record, stored_record, how)))
                break
    return out


def natural_key(spec: model.TableSpec, record: Any) -> tuple[str, ...]:
    """The record's natural key, compared without regard to case, spacing or Unicode form."""
    return tuple(_normal(getattr(record, name)) for name in spec.natural_key)


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
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


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

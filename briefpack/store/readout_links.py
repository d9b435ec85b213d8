"""Which record a readout wrote for each of a visit's actions and engagements.

A readout names its records by the visit and a key (an action's key, or its text; the
country's engagement): never by the record's text alone, which another visit may repeat.
Beside the record's id the link keeps the values the readout wrote, so a rerun can tell
what the user changed since (kept) from what the readout now says differently (applied).
A link whose record was deleted keeps a null id: the rerun leaves it deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..coercion import shape, type_hints
from .rows import read_value, to_value
from .store import Store


@dataclass(frozen=True)
class Link:
    """Where a readout's record is: ``record_id`` None once the user deleted it."""

    record_id: int | None
    #: field -> the value the readout last wrote (as the model holds it)
    written: dict[str, Any]


def find(store: Store, cls: type, visit: str, country: str, table: str,
         key: str) -> Link | None:
    row = store.db.execute(
        "SELECT record_id, written FROM readout_records WHERE visit = ? AND country = ? "
        "AND table_name = ? AND key = ?", [visit, country, table, key]).fetchone()
    if row is None:
        return None
    hints = type_hints(cls)
    written = {name: read_value(value, shape(hints[name]))
               for name, value in json.loads(row[1] or "{}").items() if name in hints}
    return Link(row[0], written)


def remember(store: Store, record: Any, visit: str, table: str, key: str,
             fields: tuple[str, ...]) -> None:
    """Link ``record`` (as the readout wrote it) to the visit and key."""
    cls: type = type(record)
    hints = type_hints(cls)
    written = {name: to_value(getattr(record, name), hints[name]) for name in fields}
    store.db.execute(
        "INSERT OR REPLACE INTO readout_records (visit, country, table_name, key, record_id,"
        " written) VALUES (?, ?, ?, ?, ?, ?)",
        [visit, record.country, table, key, record.id, json.dumps(written, ensure_ascii=False)])


def linked_ids(store: Store, table: str, country: str) -> set[int]:
    """Ids of the country's records some readout wrote."""
    rows = store.db.execute(
        "SELECT record_id FROM readout_records WHERE table_name = ? AND country = ? "
        "AND record_id IS NOT NULL", [table, country]).fetchall()
    return {r[0] for r in rows}


def forget_record(store: Store, table: str, record_id: Any) -> None:
    """A record was deleted: its links keep pointing at nothing (never at a new record
    that takes its id)."""
    store.db.execute("UPDATE readout_records SET record_id = NULL WHERE table_name = ? "
                     "AND record_id = ?", [table, record_id])

"""The store's schema, one function per version (sqlite-utils Migrations).

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .. import model
from .rows import columns

migrations = Migrations("briefpack")


@migrations()
def m001_initial(db: Database) -> None:
    db["countries"].create(columns(model.Country), pk="code")
    for table, cls in model.RECORD_TABLES.items():
        keys = [("country", "countries", "code")]
        if table == "interlocutors":
            keys.append(("alumnus_id", "alumni", "id"))
        db[table].create(columns(cls), pk="id", foreign_keys=keys)
        db[table].create_index(["country"])
    db["national_figures"].create(columns(model.NationalFigure), pk="key")
    db["visits"].create(columns(model.Visit), pk="id")
    db["audit"].create(
        {"id": int, "at": str, "user": str, "action": str, "table_name": str,
         "record_id": str, "field": str, "before": str, "after": str, "note": str},
        pk="id",
    )
    db["audit"].create_index(["table_name", "record_id"])
    db["audit"].create_index(["at"])
    db["meta"].create({"key": str, "value": str}, pk="key")


def known_names() -> set[str]:
    """Names of every migration this version of briefpack knows."""
    return {m.name for m in migrations.pending(Database(memory=True))}

"""The store's schema, one function per version (sqlite-utils Migrations).

Never edit a migration that has shipped: add a new one. Columns are spelled out here
(not derived from the model) so a model change can never silently change an old step.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("briefpack")

_RECORD = {"marking": str, "source": str, "updated_at": str, "updated_by": str, "origin": str}


@migrations()
def m001_initial(db: Database) -> None:
    db["countries"].create({
        **_RECORD, "code": str, "name": str, "alpha2": str, "region": str,
        "memberships": str, "co_leads": str, "defence_section": str, "summary": str,
        "priority_tier": int,
    }, pk="code", not_null={"name", "region"})
    per_country = {
        "agreements": {"name": str, "kind": str, "signed": str, "status": str,
                       "commits": str, "value_gbp": float, "jobs": int, "strategic": int},
        "alumni": {"name": str, "course": str, "institution": str, "year": int,
                   "appointment": str, "senior": int, "review_date": str},
        "export_opportunities": {"programme": str, "company": str, "value_gbp": float,
                                 "quantity": int, "jobs": int, "stage": str,
                                 "next_milestone": str, "lead": str, "notes": str},
        "engagements": {"title": str, "date": str, "kind": str, "level": str,
                        "status": str, "description": str},
        "interlocutors": {"name": str, "role": str, "biography": str, "pronunciation": str,
                          "last_met": str, "alumnus_id": int, "review_date": str},
    }
    for table, fields in per_country.items():
        keys = [("country", "countries", "code")]
        if table == "interlocutors":
            keys.append(("alumnus_id", "alumni", "id"))
        db[table].create({**_RECORD, "id": int, "country": str, **fields}, pk="id",
                         foreign_keys=keys, not_null={"country"})
        db[table].create_index(["country"])
    db["national_figures"].create(
        {**_RECORD, "key": str, "label": str, "value": float, "unit": str}, pk="key")
    db["visits"].create({
        "id": int, "title": str, "principal": str, "start": str, "end": str,
        "countries": str, "objectives": str, "points_to_make": str, "asks": str,
        "if_raised": str, "press_lines": str, "programme": str, "interlocutors": str,
        "template": str, "ceiling": str, "owning_team": str, "final": int, "version": str,
        "updated_at": str, "updated_by": str,
    }, pk="id")
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

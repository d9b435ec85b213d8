"""The store's schema, one function per version (sqlite-utils Migrations).

Never edit a migration that has shipped: add a new one. Columns are spelled out here
(not derived from the model) so a model change can never silently change an old step.
"""

from __future__ import annotations

import uuid

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("briefpack")

_RECORD = {"marking": str, "source": str, "updated_at": str, "updated_by": str, "origin": str}


@migrations()
def m001_initial(db: Database) -> None:
    db.table("countries").create({
        **_RECORD, "code": str, "name": str, "alpha2": str, "region": str,
        "memberships": str, "co_leads": str, "defence_section": str, "summary": str,
        "priority_tier": int,
    }, pk="code", not_null={"name", "region"})
    per_country: dict[str, dict[str, type]] = {
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
        db.table(table).create({**_RECORD, "id": int, "country": str, **fields}, pk="id",
                               foreign_keys=keys, not_null={"country"})
        db.table(table).create_index(["country"])
    db.table("national_figures").create(
        {**_RECORD, "key": str, "label": str, "value": float, "unit": str}, pk="key")
    db.table("visits").create({
        "id": int, "title": str, "principal": str, "start": str, "end": str,
        "countries": str, "objectives": str, "points_to_make": str, "asks": str,
        "if_raised": str, "press_lines": str, "programme": str, "interlocutors": str,
        "template": str, "ceiling": str, "owning_team": str, "final": int, "version": str,
        "updated_at": str, "updated_by": str,
    }, pk="id")
    db.table("audit").create(
        {"id": int, "at": str, "user": str, "action": str, "table_name": str,
         "record_id": str, "field": str, "before": str, "after": str, "note": str},
        pk="id",
    )
    db.table("audit").create_index(["table_name", "record_id"])
    db.table("audit").create_index(["at"])
    db.table("meta").create({"key": str, "value": str}, pk="key")


_COUNTRY_TABLES = ("agreements", "alumni", "export_opportunities", "engagements",
                   "interlocutors")


@migrations()
def m002_refresh_and_history(db: Database) -> None:
    """Data currency per country section, audit entries findable by country, a store id."""
    db.table("refreshes").create(
        {"country": str, "section": str, "refreshed_at": str, "refreshed_by": str,
         "revision": int},
        pk=("country", "section"),
    )
    db.table("audit").add_column("country", str)
    db.table("audit").create_index(["country", "at"])
    db.execute("UPDATE audit SET country = record_id WHERE table_name = 'countries'")
    for table in _COUNTRY_TABLES:
        db.execute(
            f"UPDATE audit SET country = (SELECT country FROM [{table}] "
            f"WHERE CAST([{table}].id AS TEXT) = audit.record_id) "
            f"WHERE table_name = ? AND country IS NULL", [table])
    _backfill_refreshes(db)
    db.table("meta").insert({"key": "store_id", "value": uuid.uuid4().hex}, replace=True)


def _backfill_refreshes(db: Database) -> None:
    """A store made before m002: each section counts as refreshed by its latest edit."""
    rows = [{"country": r["code"], "section": "country", "refreshed_at": r["updated_at"],
             "refreshed_by": r["updated_by"], "revision": 0}
            for r in db.table("countries").rows if r["updated_at"]]
    for table in _COUNTRY_TABLES:
        latest = db.execute(
            f"SELECT country, MAX(updated_at), updated_by FROM [{table}] "
            f"WHERE updated_at != '' GROUP BY country").fetchall()
        rows += [{"country": c, "section": table, "refreshed_at": at, "refreshed_by": by,
                  "revision": 0} for c, at, by in latest]
    db.table("refreshes").insert_all(rows, replace=True)


@migrations()
def m003_visit_content(db: Database) -> None:
    """Visits hold per-country content, calls, team, logistics, contacts and a marking;
    interlocutors their languages."""
    db.table("visits").add_column("purpose", str, not_null_default="")
    for column in ("top_lines", "sensitivities", "per_country", "team",
                   "logistics", "contacts"):
        db.table("visits").add_column(column, str)
    db.table("visits").add_column("marking", str, not_null_default="OFFICIAL")
    db.table("interlocutors").add_column("languages", str, not_null_default="")


@migrations()
def m004_readouts(db: Database) -> None:
    """Visit readouts (outcomes, actions) and the actions table they write to."""
    db.table("visits").add_column("readout_date", str)
    db.table("visits").add_column("outcomes", str)
    db.table("visits").add_column("actions", str)
    db.table("actions").create({**_RECORD, "id": int, "country": str, "action": str, "owner": str,
                          "due": str, "status": str, "raised_at": str}, pk="id",
                         foreign_keys=[("country", "countries", "code")],
                         not_null={"country"})
    db.table("actions").create_index(["country"])


@migrations()
def m005_agreements_announced(db: Database) -> None:
    """Agreements announced (or launched) but not known to be signed keep that date apart."""
    db.table("agreements").add_column("announced", str)


@migrations()
def m006_press_questions(db: Database) -> None:
    """Visits hold reactive press questions and answers."""
    db.table("visits").add_column("press_qa", str)


@migrations()
def m007_visit_people(db: Database) -> None:
    """Visits may carry people written in the visit file (stored as interlocutors when
    the visit is saved, so a saved visit's list is normally empty)."""
    db.table("visits").add_column("people", str)


@migrations()
def m008_backgrounds(db: Database) -> None:
    """Each country's background in prose, written and refreshed by its defence section,
    dated and marked on its own."""
    db.table("backgrounds").create({**_RECORD, "id": int, "country": str, "text": str,
                                    "date": str}, pk="id",
                                   foreign_keys=[("country", "countries", "code")],
                                   not_null={"country"})
    db.table("backgrounds").create_index(["country"])


@migrations()
def m009_readout_records(db: Database) -> None:
    """Which record a readout wrote for each of a visit's actions (and each country's
    engagement), and the values it wrote: a rerun updates that record, never another
    visit's, and keeps what the user changed since."""
    db.table("readout_records").create(
        {"visit": str, "country": str, "table_name": str, "key": str, "record_id": int,
         "written": str},
        pk=("visit", "country", "table_name", "key"))
    db.table("readout_records").create_index(["table_name", "record_id"])


@migrations()
def m010_complete_sections(db: Database) -> None:
    """Sections of a country its data's owner declared complete, and as of when: only there
    is "none recorded" evidence of none."""
    db.table("completeness").create(
        {"country": str, "section": str, "as_of": str, "declared_by": str, "declared_at": str},
        pk=("country", "section"), foreign_keys=[("country", "countries", "code")])


def known_names() -> set[str]:
    """Names of every migration this version of briefpack knows."""
    return {m.name for m in migrations.pending(Database(memory=True, execute_plugins=False))}

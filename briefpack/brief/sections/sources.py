"""The sources annex: what each table the brief shows holds, how current it is, and where
it came from. It counts only what the brief (or its sensitive annex) shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ... import model
from ...formatting import long_date
from ...templates import Section
from ..document import Block, Bullets, Heading, Paragraph
from .common import Kind, Nothing, Writer, day_of, nothing

#: table name -> how the sources annex names it
TABLE_LABELS = {"countries": model.COUNTRY_TITLE,
                **{name: spec.title for name, spec in model.TABLES.items()}}


def build_sources(w: Writer, section: Section, payload: Nothing) -> list[Block]:
    rows = []
    annex = w.scope.floor is not None
    for table, label in TABLE_LABELS.items():
        if table not in w.scope.shown or (annex and not w.scope.shown[table]):
            continue
        # counts only what this brief (or this annex) shows: withheld records stay unseen
        records = list(w.scope.shown[table].values())
        refreshed = w.scope.currency.get("country" if table == "countries" else table)
        rows.append({"table": label, "records": str(len(records)),
                     **(section_currency(refreshed, section) if refreshed
                        else records_currency(records, w.today, section,
                                              w.scope.stale_after_days))})
    visit = w.scope.visit
    if visit is not None and visit.updated_at and not annex:
        rows.append({"table": "Visit", "records": "1",
                     **records_currency([visit], w.today, section,
                                         w.scope.stale_after_days)})
    if w.scope.redact_personal:
        rows = [{**row, "by": ""} for row in rows]  # staff names are personal data too
    sources = list(dict.fromkeys(r.source for records in w.scope.shown.values()
                                 for r in records.values() if r.source))
    blocks: list[Block] = [w.table(section, rows)]
    if w.no_records:
        blocks.append(Paragraph(section.word("left_out_empty").replace(
            "{sections}", "; ".join(w.no_records)), "small"))
    if sources:
        blocks += [Heading(section.word("sources_heading"), 2), Bullets(tuple(sources))]
    return blocks


def section_currency(refreshed: model.SectionCurrency, section: Section) -> dict[str, str]:
    """The store's record of a section's last refresh, and whether that is stale."""
    if refreshed.refreshed_at is None:
        return {"refreshed": "", "by": "", "status": section.word("unknown")}
    status = (section.word("stale").replace("{days}", str(refreshed.age_days))
              if refreshed.stale else section.word("current"))
    return {"refreshed": long_date(refreshed.refreshed_at.date()),
            "by": refreshed.refreshed_by, "status": status}


def records_currency(records: list[Any], today: dt.date, section: Section,
                     stale_after_days: int) -> dict[str, str]:
    """When the newest record was refreshed, by whom, and whether that is stale."""
    if not records:
        return {"refreshed": "", "by": "", "status": section.word("no_records")}
    days = [(day_of(r.updated_at), r) for r in records]
    dated = [(d, r) for d, r in days if d is not None]
    if not dated:
        return {"refreshed": "", "by": "", "status": section.word("unknown")}
    day, newest = max(dated, key=lambda pair: (pair[0], pair[1].updated_at))
    age = (today - day).days
    status = (section.word("stale").replace("{days}", str(age)) if age > stale_after_days
              else section.word("current"))
    return {"refreshed": long_date(day), "by": newest.updated_by, "status": status}


KINDS: dict[str, Kind[Any]] = {
    "sources": Kind(nothing, build_sources),
}

"""The relationship's sections: since we last met, the relationship summary, and the
agreements and export opportunities tables."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ... import model
from ...formatting import long_date, money, number
from ...scoring import Scorecard
from ...templates import Section
from .. import redaction
from ..document import Block, Bullets, Heading, Paragraph
from ..release import Listed, Scope
from .common import (Kind, RecordsPayload, Writer, by_relevance, gather_table, limited,
                     more_note)


@dataclass(frozen=True)
class SincePayload:
    #: the last engagement with recorded outcomes (a readout), if the brief may show it
    engagement: model.Engagement | None
    #: the open actions
    actions: Listed


@dataclass(frozen=True)
class RelationshipPayload:
    #: the country's record, when the brief may show it
    country: model.Country | None
    engagements: Listed
    #: interlocutors last met, most recent first
    met: Listed


def gather_since(section: Section, scope: Scope, index: int,
                 scorecard: Scorecard) -> SincePayload | None:
    """The last engagement with recorded outcomes (a readout), and the open actions."""
    readouts = [e for e in by_relevance("engagements", scope.cf.engagements)
                if e.status == "past" and e.date and e.description.strip()]
    latest = scope.release("engagements", readouts, index, limit=1)
    actions = scope.release("actions", by_relevance("actions", [
        a for a in scope.cf.actions if a.status == "open"]), index, limit=section.limit)
    if not latest and not actions:
        return None
    return SincePayload(latest[0] if latest else None, actions)


def build_since(w: Writer, section: Section, payload: SincePayload) -> list[Block]:
    """Since we last met: what the last visit achieved and what is still open."""
    engagement, actions = payload.engagement, payload.actions
    blocks: list[Block] = []
    if engagement is not None:
        blocks.append(Paragraph(f"{section.word('last')}: {engagement.title}, "
                                f"{long_date(engagement.date)}."))
        outcomes = tuple(line.strip() for line in engagement.description.splitlines()
                         if line.strip())
        blocks += [Heading(section.word("outcomes"), 2), Bullets(outcomes)]
    if not actions and w.scope.floor is not None:
        return blocks  # a sensitive annex's part: the open actions are the main body's
    blocks.append(Heading(section.word("actions"), 2))
    if actions:
        blocks += [w.table(section, ({"action": a.action, "owner": a.owner,
                                     "due": long_date(a.due),
                                     "status": (f"{a.status}, {section.word('overdue')}"
                                                if a.overdue(w.today) else a.status),
                                     "raised_at": a.raised_at} for a in actions)),
                   *more_note(section, actions)]
    else:
        blocks.append(Paragraph(section.word("no_actions")))
    return blocks


def gather_relationship(section: Section, scope: Scope, index: int,
                        scorecard: Scorecard) -> RelationshipPayload:
    country = scope.release("countries", [scope.cf.country], index)
    engagements = scope.release("engagements", by_relevance("engagements", scope.cf.engagements),
                                index, limit=section.limit)
    met = scope.release("interlocutors", by_relevance(
        "interlocutors", [p for p in scope.interlocutors() if p.last_met]), index,
        limit=section.limit)
    return RelationshipPayload(country[0] if country else None, engagements, met)


def build_relationship(w: Writer, section: Section, payload: RelationshipPayload
                       ) -> list[Block]:
    country, engagements, met = payload.country, payload.engagements, payload.met
    blocks: list[Block] = []
    if country is not None:
        facts = facts_of(country)
        if facts:
            listed = Listed(limited(facts, section))
            listed.more = len(facts) - len(listed)
            blocks += [Bullets(tuple(listed)), *more_note(section, listed)]
        formats = ", ".join(country.memberships) or section.word("no_formats")
        blocks.append(Paragraph(listed_text(section.word("formats"), [formats])))
        if country.co_leads:
            blocks.append(Paragraph(listed_text(section.word("co_leads"),
                                                [", ".join(country.co_leads)])))
    if met:
        blocks.append(Bullets(tuple(f"{section.word('last_met')} {_met_whom(w, p)}"
                                    + f": {long_date(p.last_met)}" for p in met)))
        blocks += more_note(section, met)
    if engagements:
        blocks.append(Heading(section.word("engagements_heading"), 2))
        blocks.append(Bullets(tuple(_engagement_line(e) for e in engagements)))
        blocks += more_note(section, engagements)
    if not blocks:
        blocks.append(Paragraph(w.empty_text(section)))
    return blocks


def _met_whom(w: Writer, person: model.Interlocutor) -> str:
    if w.scope.redact_personal:
        return redaction.role_of(person)
    return person.name + (f" ({person.role})" if person.role else "")


def _engagement_line(e: model.Engagement) -> str:
    when = f"{long_date(e.date)}: " if e.date else ""
    return f"{when}{e.title} ({e.level}, {e.status})"


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def facts_of(country: model.Country | None) -> list[str]:
    """The country's relationship facts, one a line, dates as readers write them."""
    if country is None:
        return []
    return [_reader_dates(f.strip()) for f in country.summary.splitlines() if f.strip()]


def _reader_dates(text: str) -> str:
    """"2025-12-04: …" -> "4 December 2025: …" (one date style for readers)."""
    def long(match: re.Match) -> str:
        try:
            return long_date(dt.date(*map(int, match.groups())))
        except ValueError:
            return match.group(0)
    return _ISO_DATE.sub(long, text)


def listed_text(label: str, items: Iterable[Any]) -> str:
    """"Label: a; b." with no doubled stop where an item ends a sentence of its own."""
    return f"{label}: " + "; ".join(str(i).strip().rstrip(".") for i in items) + "."


def when_agreed(agreement: model.Agreement) -> str:
    """"signed 4 December 2025", or "announced …" when that is all that is known: the
    word the source uses, never a bare date under a heading that claims more."""
    if agreement.signed:
        return f"signed {long_date(agreement.signed)}"
    return f"announced {long_date(agreement.announced)}" if agreement.announced else ""


def build_agreements(w: Writer, section: Section, payload: RecordsPayload) -> list[Block]:
    records = payload.listed
    return [w.table(section, ({"name": a.name, "kind": a.kind, "date": when_agreed(a),
                               "status": a.status, "commits": a.commits,
                               "value": money(a.value_gbp), "jobs": number(a.jobs)}
                              for a in records)), *more_note(section, records)]


def build_exports(w: Writer, section: Section, payload: RecordsPayload) -> list[Block]:
    records = payload.listed
    return [w.table(section, ({"programme": e.programme, "company": e.company,
                               "value": money(e.value_gbp), "quantity": number(e.quantity),
                               "jobs": number(e.jobs), "stage": e.stage,
                               "next_milestone": e.next_milestone, "lead": e.lead}
                              for e in records)), *more_note(section, records)]


def gather_background(section: Section, scope: Scope, index: int,
                      scorecard: Scorecard) -> RecordsPayload:
    """The defence section's latest background the brief may show."""
    return RecordsPayload(scope.release("backgrounds",
                                        by_relevance("backgrounds", scope.cf.backgrounds),
                                        index, limit=1))


def build_background(w: Writer, section: Section, payload: RecordsPayload) -> list[Block]:
    """The background in prose, dated and sourced; where none is held, one line says so."""
    if not payload.listed:
        return [Paragraph(w.empty_text(section))]
    background = payload.listed[0]
    blocks: list[Block] = [Paragraph(" ".join(part.split()))
                           for part in background.text.split("\n\n") if part.strip()]
    notes = [f"{section.word('as_of')} {long_date(background.date)}" if background.date else "",
             f"{section.word('source')}: {background.source.strip().rstrip('.')}"
             if background.source.strip() else ""]
    line = ". ".join(n for n in notes if n)
    if line:
        blocks.append(Paragraph(line + ".", "small"))
    return blocks


KINDS: dict[str, Kind[Any]] = {
    "background": Kind(gather_background, build_background, annexable=True),
    "since_last_met": Kind(gather_since, build_since, annexable=True),
    "relationship_summary": Kind(gather_relationship, build_relationship, annexable=True),
    "agreements": Kind(gather_table("agreements",
                                    lambda cf: [a for a in cf.agreements
                                                if a.status == "active"]),
                       build_agreements, lists_records=True, annexable=True),
    "exports": Kind(gather_table("export_opportunities", lambda cf: cf.export_opportunities),
                    build_exports, lists_records=True, annexable=True),
}

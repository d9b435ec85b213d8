"""Page one and what frames it: the front sheet, the contents list, the one-page summary
and the steering summary (the visit's objectives and the scorecard at a glance)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ... import model
from ...formatting import date_range, joined, long_date
from ...scoring import Scorecard
from ...templates import Section
from ..document import Block, Bullets, Heading, KeyValue, Paragraph
from .. import redaction
from ..release import Listed, Scope, bind_scores, parse_marking
from .common import EMPTY_TEXT, Kind, Nothing, Writer, by_relevance, limited, nothing
from .relationship import facts_of, when_agreed


@dataclass(frozen=True)
class SummaryPayload:
    """Page one: the visit at a glance (``visit``), or else the relationship."""

    visit: bool
    country: model.Country | None = None
    #: the most recent past engagement
    latest: Listed | None = None
    #: the strategic active agreements
    agreements: Listed | None = None


@dataclass(frozen=True)
class SteeringPayload:
    #: whether the brief may show the visit's own words (its objectives)
    words: bool
    #: (objective served, the visit's objectives serving it, the released opportunities
    #: it serves it through), for "How this visit serves the strategy"
    serves: tuple[tuple[Any, tuple[str, ...], tuple[Any, ...]], ...] = ()
    #: released opportunities the visit leaves on the table
    left: tuple[Any, ...] = ()


def gather_summary(section: Section, scope: Scope, index: int,
                   scorecard: Scorecard) -> SummaryPayload | None:
    """Page one: the visit at a glance, or the relationship when there is no visit (or
    the brief may not show the visit's words). A sensitive annex holds the visit's page
    one only: the relationship's records are the main body's summary."""
    if scope.scores:
        bind_scores(scope, scorecard)  # the page quotes the overall score
    if scope.visit is not None and scope.visit_words(index):
        return SummaryPayload(visit=True)
    if scope.floor is not None:
        return None
    # a summary picks from what the brief may show: what is withheld is counted where
    # the records are listed in full, not twice
    allowed = scope.releasable
    country = scope.release("countries", allowed("countries", [scope.cf.country]), index)
    past = [e for e in by_relevance("engagements", allowed("engagements",
                                                            scope.cf.engagements))
            if e.status != "planned" and e.date]
    latest = scope.release("engagements", past, index, limit=1)
    agreements = scope.release("agreements", by_relevance("agreements", [
        a for a in allowed("agreements", scope.cf.agreements)
        if a.status == "active" and a.strategic]), index, limit=3)
    return SummaryPayload(False, country[0] if country else None, latest, agreements)


def gather_steering(section: Section, scope: Scope, index: int,
                    scorecard: Scorecard) -> SteeringPayload:
    """The visit's words, if the brief may show them; how the visit serves the strategy,
    through the opportunities whose records the brief may show; the scores' markings count
    only where the scores are shown (the analyst's annex)."""
    if scope.scores:
        bind_scores(scope, scorecard)
    words = scope.visit_words(index)
    impact = scope.impact
    if impact is None:
        return SteeringPayload(words)
    limit = section.limit or SERVES_LIMIT
    serves = tuple((s, s.by if words else (), _released(scope, index, s.through)[:3])
                   for s in impact.serves)
    serves = tuple(s for s in serves if s[1] or s[2])[:limit]
    return SteeringPayload(words, serves, _released(scope, index, impact.left_on_table)[:3])


#: objectives listed in "How this visit serves the strategy": it keeps to half a page
SERVES_LIMIT = 5


def _released(scope: Scope, index: int, opportunities: Iterable[Any]) -> tuple[Any, ...]:
    """The opportunities whose records the brief may show (their markings then count)."""
    kept = []
    for o in opportunities:
        record = scope.find(o.table, o.record_id)
        if record is None or (scope.redact_personal and redaction.is_personal(
                o.table, parse_marking(record.marking))):
            continue  # a redacted brief names no one, not even as an opportunity
        if scope.release(o.table, [record], index):
            kept.append(o)
    return tuple(kept)



def build_front_sheet(w: Writer, section: Section, payload: Nothing) -> list[Block]:
    visit = w.scope.named_visit()
    values = {
        "visit": visit.title if visit else "",
        "principal": visit.principal if visit else "",
        "destination": w.scope.cf.country.name,
        "dates": date_range(visit.start, visit.end) if visit else "",
        "brief_date": long_date(w.today),
        "version": (f"{visit.version} ({'final' if visit.final else 'draft'})"
                    if visit else ""),
        "owning_team": visit.owning_team if visit else "",
        "marking": str(w.overall),
        "ceiling": str(w.ceiling) if w.explicit_ceiling else "",
        "data_as_of": w.data_as_of_text(),
    }
    pairs = tuple((c.title, values[c.key]) for c in section.columns if values[c.key])
    return [KeyValue(pairs), *w.notices(section)]


def build_steering(w: Writer, section: Section, payload: SteeringPayload) -> list[Block]:
    blocks: list[Block] = []
    labels = {o.key: o.label for o in w.scorecard.objectives}
    visit = w.scope.visit
    if payload.words and visit is not None and visit.objectives:
        blocks.append(Heading(section.word("objectives_heading"), 2))
        items = []
        for objective in limited(visit.objectives, section):
            serves = "; ".join(labels.get(t, t) for t in objective.tags)
            items.append(f"{objective.text} ({section.word('serves')}: {serves})"
                         if serves else objective.text)
        blocks.append(Bullets(tuple(items), numbered=True))
    if payload.serves or payload.left:
        blocks += _how_the_visit_serves(w, section, payload, visit)
    # the analyst's annex was asked for: the scores at a glance too (in the main body only:
    # a sensitive annex holds the objectives)
    if w.scope.scores and w.scope.floor is None:
        lines = tuple(w.scorecard.summary_line(o) for o in w.scorecard.objectives)
        if lines:
            blocks.append(Heading(section.word("scorecard_heading"), 2))
            blocks.append(Bullets(lines))
    return blocks


def _how_the_visit_serves(w: Writer, section: Section, payload: SteeringPayload,
                          visit: model.Visit | None) -> list[Block]:
    """Objective, what this visit does, the evidence with its record's date: in words, no
    score of the host country; then what the visit leaves on the table. Without a visit:
    what the relationship offers each objective."""
    numbers = {o.text: str(i) for i, o in enumerate(visit.objectives, start=1)} \
        if visit is not None else {}
    lines = []
    for served, by, through in payload.serves:
        line = f"{served.label}."
        if by:
            named = [numbers.get(t, f"\u201c{t}\u201d") for t in dict.fromkeys(by)]
            word = section.word("this_visit_one" if len(named) == 1 else "this_visit")
            line += f" {word} {joined(named)}."
        if through:
            line += f" {section.word('evidence')}: " + "; ".join(
                _dated(w, o) for o in through) + "."
        lines.append(line)
    blocks: list[Block] = []
    if lines:
        heading = section.word("serves_heading" if visit is not None else "offers_heading")
        blocks += [Heading(heading, 2), Bullets(tuple(lines))]
    if payload.left:
        blocks.append(Paragraph(f"{section.word('could_raise')}: " + "; ".join(
            _dated(w, o) for o in payload.left) + "."))
    return blocks


def _dated(w: Writer, opportunity: Any) -> str:
    """An opportunity with its record's date: its own, else when its section was last
    refreshed ("as of 1 March 2026")."""
    text = opportunity.text.split("; counted")[0].replace(", date not recorded", "")
    if opportunity.date is not None:
        return text if long_date(opportunity.date) in text \
            else f"{text} ({long_date(opportunity.date)})"
    section = "country" if opportunity.table == "countries" else opportunity.table
    refreshed = w.scope.currency.get(section)
    if refreshed is not None and refreshed.refreshed_at is not None:
        return f"{text} (as of {long_date(refreshed.refreshed_at.date())})"
    return text



def build_summary(w: Writer, section: Section, payload: SummaryPayload) -> list[Block]:
    """Page one, readable in two minutes."""
    if payload.visit and w.scope.visit is not None:
        return _visit_summary(w, section, w.scope.visit)
    country, engagements, agreements = payload.country, payload.latest, payload.agreements
    blocks: list[Block] = [Heading(section.word("relationship"), 2)]
    blocks += [Paragraph(text) for text in _relationship_prose(w, country, agreements or [],
                                                                engagements or [])]
    facts = facts_of(country)
    if facts:
        blocks += [Heading(section.word("top_facts"), 2), Bullets(tuple(facts[:5]))]
    if w.scope.scores:
        blocks.append(Paragraph(f"{w.scorecard.overall_line()}."))
    return blocks


def _visit_summary(w: Writer, section: Section, visit: model.Visit) -> list[Block]:
    """Purpose, three things to achieve, top lines, the likely difficult ask and watch-outs
    (the marking is at the top and bottom of the page and on the front sheet above)."""
    blocks: list[Block] = []
    if visit.purpose:  # the standfirst: no heading of its own, to keep this to one page
        blocks.append(Paragraph(visit.purpose, "lead"))
    if visit.objectives:
        shown = visit.objectives[:3]
        heading = section.word("achieve")
        if heading.startswith("Three ") and len(shown) < 3:  # as many as it lists
            heading = ("One thing " if len(shown) == 1 else "Two things ") + \
                heading.split(" ", 2)[2]
        blocks += [Heading(heading, 2),
                   Bullets(tuple(o.text for o in shown), numbered=True)]
    top = visit.top_lines or visit.points_to_make[:3]
    if top:
        blocks += [Heading(section.word("top_lines"), 2), Bullets(tuple(limited(top, section)))]
    ask = next((a for a in visit.asks if a.difficult), visit.asks[0] if visit.asks else None)
    if ask is not None:
        blocks += [Heading(section.word("difficult_ask"), 2),
                   Paragraph(f"{ask.ask} {section.word('response')}: {ask.response}")]
    if visit.sensitivities:
        blocks += [Heading(section.word("watch_outs"), 2),
                   Bullets(tuple(limited(visit.sensitivities, section)))]
    return blocks


def _relationship_prose(w: Writer, country: model.Country | None, agreements: list,
                        engagements: list) -> list[str]:
    """The relationship in a few sentences, from the records the brief may show."""
    if country is None:
        return [EMPTY_TEXT]
    name = country.name
    formats = [f for f in country.memberships if f not in ("EU",)]
    first = f"{name} is in the {country.region} region"
    if "NATO" in country.memberships:
        first = f"{name} is a NATO ally in the {country.region} region"
    others = [f for f in formats if f != "NATO"]
    if others:
        first += f"; it works with the UK in {joined(others)}"
    text = [first + "."]
    if country.co_leads:
        text.append(f"The UK co-leads {joined(_the(f) for f in country.co_leads)} with {name}.")
    if agreements:
        text.append("Anchoring agreements: " + "; ".join(
            a.name + (f" ({when_agreed(a)})" if a.signed or a.announced else "")
            for a in agreements)
            + ".")
    latest = engagements[0] if engagements else None
    if latest is not None:
        text.append(f"Most recent engagement recorded: {latest.title}, "
                    f"{long_date(latest.date)}.")
    section = {"resident": "The UK has a resident defence section in",
               "non-resident": "The UK covers defence from outside"}.get(country.defence_section)
    if section:
        text.append(f"{section} {name}.")
    return [" ".join(text)]



def _the(name: str) -> str:
    """"the Maritime Capability Coalition" (a format's name, in running prose)."""
    return name if name.lower().startswith("the ") else f"the {name}"


KINDS: dict[str, Kind[Any]] = {
    "front_sheet": Kind(nothing, build_front_sheet),
    "summary": Kind(gather_summary, build_summary, annexable=True),
    "contents": Kind(nothing, lambda w, section, payload: []),
    "steering_summary": Kind(gather_steering, build_steering, annexable=True),
}

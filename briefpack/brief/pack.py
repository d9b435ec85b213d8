"""Several country briefs -> one printed pack. Pure: no I/O, no renderers, no Qt.

A pack is itself one Brief: a cover, a steering brief for the whole visit (its tour-wide
objectives, lines, asks, handling notes, itinerary, team, logistics and contacts), a
contents list, then for each destination a PartStart (page labels NOR-1 …, bookmarks
nested under the country, a right-hand page in duplex) and that country's brief, which
opens with the country's name and its one-page summary rather than repeating the cover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass

from .. import marking, model
from ..formatting import as_subject, date_range, joined, long_date
from ..scoring import INSUFFICIENT, Scorecard, percent, result_text, whole
from .document import (Block, Brief, BriefFacts, Bullets, Callout, Column, Contents, Divider,
                       Heading, KeyValue, PageBreak, Paragraph, PartStart, Table)
from .release import TourScope, body_ceiling, named_visit
from .sections.common import section_table

#: body size of the large-print variant for principals
LARGE_PRINT_PT = 14.0
DRAFT_WATERMARK = "DRAFT"
#: beyond this many destinations the cover and the file's properties count them rather
#: than name them
MAX_NAMED_ON_COVER = 6
PRESS = {"open": "Open", "closed": "Closed"}


@dataclass(frozen=True)
class Destination:
    """One country of the pack: its brief and the scorecard the brief was built from."""

    brief: Brief
    scorecard: Scorecard

    @property
    def code(self) -> str:
        return self.scorecard.country_code

    @property
    def name(self) -> str:
        return self.scorecard.country_name


def pack_marking(briefs: Sequence[Brief], *extra: str) -> str:
    """The pack's overall marking: the combination of its briefs' markings (and of the
    steering brief's own words, ``extra``)."""
    return str(marking.combine(*(b.marking for b in briefs), *extra))


@dataclass(frozen=True)
class PackJob:
    """Everything one printed pack is composed from."""

    visit: model.Visit
    #: the destinations in the order the pack shows them
    destinations: Sequence[Destination]
    _: KW_ONLY
    #: the number printed on the cover
    copy: int = 1
    #: the body at LARGE_PRINT_PT or more
    large_print: bool = False
    today: dt.date | None = None
    author: str = ""
    #: the ceiling asked for (the lower of it and the visit's applies)
    ceiling: str | None = None
    #: the briefs keep OFFICIAL-SENSITIVE material in an annex: the steering brief (the
    #: pack's main body) holds only OFFICIAL
    sensitive_annex: bool = False
    #: a redacted pack: the steering brief's tables leave personal fields out too
    redact_personal: bool = False
    #: the analyst's annex was asked for: the destinations' scores (the comparison table
    #: and each one's priority score); by default the pack grades no host country
    score_annex: bool = False


def compose_pack(job: PackJob) -> Brief:
    """The whole visit as one Brief, destinations in the order given.

    The pack is watermarked until the visit is marked final. The cover, the steering brief
    and the file's properties read the same release rules as the briefs (``release``):
    the visit's title, principal and tour-wide words only within the ceiling (OFFICIAL
    with a sensitive annex), each country's itinerary, team, logistics and contacts only
    where that country's brief may show them; otherwise it says they were withheld.
    """
    visit, destinations, copy = job.visit, job.destinations, job.copy
    if not destinations:
        raise ValueError("a pack needs at least one destination")
    if copy < 1:
        raise ValueError(f"copy number {copy}: copies are numbered from 1")
    today = job.today or dt.date.today()
    briefs = [d.brief for d in destinations]
    tour = TourScope(visit, body_ceiling(visit, job.ceiling, job.sensitive_annex),
                     redact_personal=job.redact_personal)
    named = named_visit(visit, tour.ceiling)
    steering = _steering_brief(tour, named, destinations, job.score_annex)
    overall = pack_marking(briefs, *map(str, tour.included))
    where = _destinations_text(destinations)
    blocks: list[Block] = [
        _cover(named, destinations, overall, copy, today),
        PageBreak(parity="odd"),
        *steering,
        PageBreak(parity="odd"),
        Contents(title="Contents", depth=1),
    ]
    for number, destination in enumerate(destinations, start=1):
        blocks += [PageBreak(parity="odd"),
                   PartStart(label=destination.code, title=destination.name),
                   *_in_pack(tour, named, destination, number, len(destinations),
                             job.score_annex)]
    base = max(b.base_font_size for b in briefs)
    return Brief(
        title=f"{named.title}: briefing pack",
        marking=overall,
        blocks=tuple(blocks),
        subject=f"Briefing pack for {named.principal}: {where}, "
                f"{date_range(visit.start, visit.end)}",
        author=job.author,
        keywords=("briefing pack", *(d.name for d in destinations
                                      if len(destinations) <= MAX_NAMED_ON_COVER)),
        date=today,
        watermark=_watermark(visit, briefs),
        base_font_size=max(base, LARGE_PRINT_PT) if job.large_print else base,
        facts=BriefFacts(pack=True, countries=tuple(d.code for d in destinations),
                         copy=copy, large_print=job.large_print),
    )


def _watermark(visit: model.Visit, briefs: Sequence[Brief]) -> str:
    if visit.final:
        return ""
    return next((b.watermark for b in briefs if b.watermark), DRAFT_WATERMARK)


def _destinations_text(destinations: Sequence[Destination]) -> str:
    """The countries by name, or how many there are when that would be a long list."""
    if len(destinations) > MAX_NAMED_ON_COVER:
        return f"{len(destinations)} countries"
    return joined(d.name for d in destinations)


# -- front matter -----------------------------------------------------------------------

def _cover(visit: model.Visit, destinations: Sequence[Destination], overall: str,
           copy: int, today: dt.date) -> Divider:
    pairs = [("Principal", visit.principal),
             ("Dates", date_range(visit.start, visit.end)),
             ("Destinations", _destinations_text(destinations)),
             ("Version", f"{visit.version} ({'final' if visit.final else 'draft'})"),
             ("Owning team", visit.owning_team),
             ("Pack date", long_date(today)),
             ("Protective marking", overall),
             ("Copy number", str(copy))]
    return Divider(title=visit.title, subtitle="Briefing pack",
                   pairs=tuple((k, v) for k, v in pairs if v))


def _steering_brief(tour: TourScope, named: model.Visit,
                    destinations: Sequence[Destination], scores: bool = False) -> list[Block]:
    visit = tour.visit
    scored = " and how each destination scores against the strategy's objectives" \
        if scores else ""
    blocks: list[Block] = [
        Heading("Steering brief for the whole visit", 1, "pack-steering"),
        Paragraph(f"{as_subject(named.principal)} visits {_destinations_text(destinations)}, "
                  f"{date_range(visit.start, visit.end)}. This steering brief sets the "
                  f"objectives for the whole visit and the itinerary{scored}; a full brief "
                  "for each country follows, with that country's own objectives, points and "
                  "calls, and how the visit serves the strategy there.", "lead"),
    ]
    notices: list[Block] = []
    if tour.tour_words():
        words = _tour_words(visit, destinations)
    else:
        words = []
        if _has_tour_words(visit):
            notices.append(Callout(
                f"The visit's tour-wide objectives, lines and asks are marked {visit.marking}, "
                "above what this pack may hold; they are left out.", title="Items withheld",
                kind="warning"))
    names = {d.code: d.name for d in destinations}
    tables = _placed_tables(tour, destinations, names)
    if tour.withheld_for:
        where = joined(names.get(code, code) if code else "the whole visit"
                       for code in tour.withheld_for)
        notices.append(Callout(
            f"The itinerary, team, logistics and contacts for {where} are marked above what "
            "this pack may hold; they are left out.", title="Items withheld",
            kind="warning"))
    blocks += [*notices, *words, *tables]
    if scores:  # the analyst's annex: asked for, never by default
        blocks += [Heading("Scorecard comparison", 2, "pack-scorecards"),
                   *_scorecard_comparison(destinations)]
    withheld = [d.name for d in destinations if d.brief.facts.withheld]
    if withheld:
        blocks.append(Callout(
            f"Records marked above the release ceiling were left out of the briefs for "
            f"{joined(withheld)}. Each country's brief says how many, and from which "
            "sections.", title="Items withheld", kind="warning"))
    return blocks


def _placed_tables(tour: TourScope, destinations: Sequence[Destination],
                   names: dict[str, str]) -> list[Block]:
    """The itinerary, team, logistics and contacts: what the release rules let show."""
    visit = tour.visit
    tables: list[Block] = [Heading("Itinerary", 2, "pack-itinerary"),
                           *_itinerary(tour, destinations)]
    team = tour.items(visit.team)
    if team:
        tables += [Heading("UK team and delegation", 2, "pack-team"),
                   section_table("team", ({"role": m.role, "name": m.name,
                                           "where": names.get(m.country, "") or "Whole visit"}
                                          for m in team))]
    logistics = tour.items(visit.logistics)
    if logistics:
        tables += [Heading("Logistics", 2, "pack-logistics"),
                   section_table("logistics", ({"day": i.day, "time": i.time,
                                                "detail": i.detail, "dress": i.dress}
                                               for i in logistics))]
    contacts = tour.items(visit.contacts)
    if contacts:
        tables += [Heading("Contacts", 2, "pack-contacts"),
                   section_table("contacts", ({"role": c.role, "name": c.name,
                                               "organisation": c.organisation,
                                               "phone": c.phone, "email": c.email}
                                              for c in contacts))]
    return tables


def _has_tour_words(visit: model.Visit) -> bool:
    return any(getattr(visit, name) for name in model.CONTENT_LISTS + model.PLACED_LISTS) \
        or bool(visit.purpose)


def _tour_words(visit: model.Visit, destinations: Sequence[Destination]) -> list[Block]:
    """The visit's tour-wide content: only the steering brief shows it."""
    blocks: list[Block] = []
    if visit.purpose:
        blocks += [Heading("Purpose", 2, "pack-purpose"), Paragraph(visit.purpose)]
    labels = {o.key: o.label for o in destinations[0].scorecard.objectives}
    if visit.objectives:
        lines = []
        for objective in visit.objectives:
            serves = "; ".join(labels.get(t, t) for t in objective.tags)
            lines.append(f"{objective.text} (Serves: {serves})" if serves else objective.text)
        blocks += [Heading("Objectives", 2, "pack-objectives"),
                   Bullets(tuple(lines), numbered=True)]
    for title, items, anchor in (("Top lines", visit.top_lines, "top-lines"),
                                 ("Points to make", visit.points_to_make, "points"),
                                 ("Handling notes and sensitivities", visit.sensitivities,
                                  "handling")):
        if items:
            blocks += [Heading(title, 2, f"pack-{anchor}"), Bullets(items)]
    if visit.asks:
        blocks += [Heading("Their likely asks and our response", 2, "pack-asks"),
                   section_table("asks", ({"ask": a.ask, "response": a.response}
                                          for a in visit.asks))]
    if visit.if_raised:
        blocks += [Heading("If raised", 3), Bullets(visit.if_raised)]
    if visit.press_lines:
        blocks += [Heading("Press lines", 2, "pack-press"), Bullets(visit.press_lines)]
    if visit.press_qa:
        blocks += [Heading("Reactive questions and answers", 3),
                   section_table("press_lines", ({"question": q.question, "answer": q.answer}
                                                 for q in visit.press_qa))]
    return blocks


def _itinerary(tour: TourScope, destinations: Sequence[Destination]) -> list[Block]:
    """The programme as one table per day in each country, captioned with both."""
    names = {d.code: d.name for d in destinations}
    single = destinations[0].name if len(destinations) == 1 else ""
    groups: list[tuple[str, list[model.ProgrammeItem]]] = []
    for item in tour.items(tour.visit.programme):
        caption = ": ".join(x for x in (item.day, names.get(item.country, item.country)
                                        or single) if x)
        if not groups or groups[-1][0] != caption:
            groups.append((caption, []))
        groups[-1][1].append(item)
    if not groups:
        return [Paragraph("The programme is left out of this pack (see Items withheld)."
                          if tour.visit.programme else "No programme recorded yet.")]
    columns = (Column("Time", 0.7), Column("Place", 1.3), Column("Event", 3.2),
               Column("UK lead", 1.8), Column("Press", 0.8))
    return [Table(columns, tuple((p.time, p.place, p.event, p.uk_lead,
                                  PRESS.get(p.press, p.press)) for p in items),
                  caption=caption) for caption, items in groups]


def _scorecard_comparison(destinations: Sequence[Destination]) -> list[Block]:
    """One row per destination: each objective's score and band, then the overall."""
    objectives = destinations[0].scorecard.objectives
    columns = (Column("Destination", 1.3),
               *(Column(o.short or o.label, 1.0, "right") for o in objectives),
               Column("Overall", 1.2, "right"))
    rows = []
    for d in destinations:
        by_key = {o.key: o for o in d.scorecard.objectives}
        cells = [_score(by_key[o.key]) if o.key in by_key else "" for o in objectives]
        rows.append((d.name, *cells, _score(d.scorecard)))
    return [Paragraph("Scores are out of 100, each with its RAG band in words and the share "
                      "of it the data measures; too little measured reads \"Insufficient "
                      "data\". Each country's brief shows the evidence behind its scores.",
                      "small"),
            Table(columns, tuple(rows))]


def _score(result) -> str:
    """"61 Green, 100%"; "Insufficient data, 10%" when too little is measured."""
    measured = percent(result.coverage)
    score = result.overall if isinstance(result, Scorecard) else result.score
    if result.band == INSUFFICIENT:
        return f"{INSUFFICIENT}, {measured}"
    return f"{whole(score)} {result.band}, {measured}"


# -- each destination ---------------------------------------------------------------------

def _destination_pairs(tour: TourScope, destination: Destination,
                       scores: bool = False) -> tuple:
    """What the pack says about one destination where its brief would repeat the cover
    (its priority score only in the analyst's annex, when asked for)."""
    visit = tour.visit
    items = [p for p in visit.programme if p.country in ("", destination.code)
             and tour.may_show(p.country)]
    days = list(dict.fromkeys(p.day for p in items if p.day))
    card = destination.scorecard
    score = (("Priority score", result_text(card.overall, card.band, card.coverage)),) \
        if scores else ()
    return (("In country", "; ".join(days) or date_range(visit.start, visit.end)),
            ("Programme items", str(len(items))), *score,
            ("Protective marking", destination.brief.marking))


def _in_pack(tour: TourScope, visit: model.Visit, destination: Destination, number: int,
             count: int, scores: bool = False) -> list[Block]:
    """A country brief's blocks as the pack shows them.

    The brief's own contents list goes (the pack's lists every country). Its front sheet,
    which would repeat the cover, goes too: the next heading (the one-page summary) carries
    the country's name, then what the pack says about the destination, then the front
    sheet's notices (items withheld, annex, redaction).
    """
    brief = destination.brief
    front = f"{brief.label}-front_sheet"
    out: list[Block] = []
    held: list[Block] | None = None  # the front sheet's notices, until the next heading
    extra: list[tuple[str, str]] = []  # what the front sheet says that the cover does not
    pairs = _destination_pairs(tour, destination, scores)
    on_cover = {visit.title, visit.principal, date_range(visit.start, visit.end),
                visit.owning_team, destination.name, long_date(brief.date),
                f"{visit.version} ({'final' if visit.final else 'draft'})"}
    for block in brief.blocks:
        if isinstance(block, Contents):
            continue
        if isinstance(block, Heading) and block.anchor == front:
            held = []
            continue
        if held is not None and isinstance(block, Heading) and block.level == 1:
            out += [Heading(f"{destination.name}: {block.text}", 1, block.anchor),
                    Paragraph(f"Destination {number} of {count}.", "lead"),
                    KeyValue(pairs + tuple(extra)), *held]
            held = None
            continue
        if held is not None:
            if isinstance(block, KeyValue):
                extra += [(k, v) for k, v in block.pairs
                          if v not in on_cover and k not in dict(pairs)]
            elif not isinstance(block, PageBreak):
                held.append(block)
            continue
        out.append(block)
    if held is not None:  # a brief that is all front sheet
        out += [Heading(destination.name, 1, front), KeyValue(pairs), *held]
    return out

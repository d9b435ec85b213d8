"""Several country briefs -> one printed pack. Pure: no I/O, no renderers, no Qt.

A pack is itself one Brief: a cover, a steering brief for the whole visit, a contents
list, then for each destination a PartStart (page labels NOR-1 …, bookmarks nested under
the country, a right-hand page in duplex), a divider and that country's brief.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .. import marking, model
from ..formatting import date_range, long_date
from ..scoring import Scorecard, whole
from .document import (Block, Brief, Bullets, Callout, Column, Contents, Divider, Heading,
                       PageBreak, Paragraph, PartStart, Table)

#: body size of the large-print variant for principals
LARGE_PRINT_PT = 14.0
DRAFT_WATERMARK = "DRAFT"
#: beyond this many destinations the cover and the file's properties count them rather
#: than name them
MAX_NAMED_ON_COVER = 6
PRESS = {"open": "Open", "closed": "Closed"}
FRONT_SHEET = "Front sheet"


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


def pack_marking(briefs: Sequence[Brief]) -> str:
    """The pack's overall marking: the combination of its briefs' markings."""
    return str(marking.combine(*(b.marking for b in briefs)))


def compose_pack(visit: model.Visit, destinations: Sequence[Destination], *,
                 copy: int = 1, large_print: bool = False, today: dt.date | None = None,
                 author: str = "") -> Brief:
    """The whole visit as one Brief, destinations in the order given.

    ``copy`` is the number printed on the cover; ``large_print`` sets the body at
    LARGE_PRINT_PT or more. The pack is watermarked until the visit is marked final.
    """
    if not destinations:
        raise ValueError("a pack needs at least one destination")
    if copy < 1:
        raise ValueError(f"copy number {copy}: copies are numbered from 1")
    today = today or dt.date.today()
    briefs = [d.brief for d in destinations]
    overall = pack_marking(briefs)
    where = _destinations_text(destinations)
    blocks: list[Block] = [
        _cover(visit, destinations, overall, copy, today),
        PageBreak(parity="odd"),
        *_steering_brief(visit, destinations),
        PageBreak(parity="odd"),
        Contents(title="Contents", depth=1),
    ]
    for number, destination in enumerate(destinations, start=1):
        blocks += [PageBreak(parity="odd"),
                   PartStart(label=destination.code, title=destination.name),
                   _divider(visit, destination, number, len(destinations)),
                   *_in_pack(destination.brief)]
    base = max(b.base_font_size for b in briefs)
    return Brief(
        title=f"{visit.title}: briefing pack",
        marking=overall,
        blocks=tuple(blocks),
        subject=f"Briefing pack for {visit.principal}: {where}, "
                f"{date_range(visit.start, visit.end)}",
        author=author,
        keywords=("briefing pack", *(d.name for d in destinations
                                      if len(destinations) <= MAX_NAMED_ON_COVER)),
        date=today,
        watermark=_watermark(visit, briefs),
        base_font_size=max(base, LARGE_PRINT_PT) if large_print else base,
        extra={"pack": True, "countries": tuple(d.code for d in destinations),
               "copy": copy, "large_print": large_print},
    )


def _watermark(visit: model.Visit, briefs: Sequence[Brief]) -> str:
    if visit.final:
        return ""
    return next((b.watermark for b in briefs if b.watermark), DRAFT_WATERMARK)


def _destinations_text(destinations: Sequence[Destination]) -> str:
    """The countries by name, or how many there are when that would be a long list."""
    if len(destinations) > MAX_NAMED_ON_COVER:
        return f"{len(destinations)} countries"
    return _names(d.name for d in destinations)


def _names(names) -> str:
    """"Norway, Denmark and Latvia"."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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


def _steering_brief(visit: model.Visit, destinations: Sequence[Destination]) -> list[Block]:
    blocks: list[Block] = [
        Heading("Steering brief for the whole visit", 1, "pack-steering"),
        Paragraph(f"{visit.principal} visits {_destinations_text(destinations)}, "
                  f"{date_range(visit.start, visit.end)}. This steering brief sets the "
                  "objectives for the whole visit, the itinerary and how each destination "
                  "scores against the strategy's objectives; a divider and a full brief for "
                  "each country follow.", "lead"),
    ]
    labels = {o.key: o.label for o in destinations[0].scorecard.objectives}
    if visit.objectives:
        items = []
        for objective in visit.objectives:
            serves = "; ".join(labels.get(t, t) for t in objective.tags)
            items.append(f"{objective.text} (serves: {serves})" if serves else objective.text)
        blocks += [Heading("Objectives", 2, "pack-objectives"),
                   Bullets(tuple(items), numbered=True)]
    blocks += [Heading("Itinerary", 2, "pack-itinerary"), *_itinerary(visit, destinations),
               Heading("Scorecard comparison", 2, "pack-scorecards"),
               *_scorecard_comparison(destinations)]
    withheld = [d.name for d in destinations if d.brief.extra.get("withheld")]
    if withheld:
        blocks.append(Callout(
            f"Records marked above the release ceiling were left out of the briefs for "
            f"{_names(withheld)}. Each country's front sheet says how many, and from which "
            "sections.", title="Items withheld", kind="warning"))
    return blocks


def _itinerary(visit: model.Visit, destinations: Sequence[Destination]) -> list[Block]:
    """The programme as one table per day in each country, captioned with both."""
    names = {d.code: d.name for d in destinations}
    single = destinations[0].name if len(destinations) == 1 else ""
    groups: list[tuple[str, list[model.ProgrammeItem]]] = []
    for item in visit.programme:
        caption = ": ".join(x for x in (item.day, names.get(item.country, item.country)
                                        or single) if x)
        if not groups or groups[-1][0] != caption:
            groups.append((caption, []))
        groups[-1][1].append(item)
    if not groups:
        return [Paragraph("No programme recorded yet.")]
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
        cells = [_score(by_key[o.key].score, by_key[o.key].band) if o.key in by_key else ""
                 for o in objectives]
        rows.append((d.name, *cells, _score(d.scorecard.overall, d.scorecard.band)))
    return [Paragraph("Scores are out of 100, each with its RAG band in words. Each "
                      "country's brief shows the evidence behind its scores.", "small"),
            Table(columns, tuple(rows))]


def _score(value: float, band: str) -> str:
    return f"{whole(value)} {band}"


# -- each destination ---------------------------------------------------------------------

def _divider(visit: model.Visit, destination: Destination, number: int,
             count: int) -> Divider:
    items = [p for p in visit.programme if p.country in ("", destination.code)]
    days = list(dict.fromkeys(p.day for p in items if p.day))
    card = destination.scorecard
    pairs = [("In country", "; ".join(days) or date_range(visit.start, visit.end)),
             ("Programme items", str(len(items))),
             ("Priority score", f"{whole(card.overall)} ({card.band})"),
             ("Protective marking", destination.brief.marking)]
    return Divider(title=destination.name, subtitle=f"Destination {number} of {count}",
                   pairs=tuple(pairs))


def _in_pack(brief: Brief) -> list[Block]:
    """A country brief's blocks as the pack shows them.

    The brief's own contents list goes (the pack's lists every country), and a heading
    that repeats the brief's title becomes "Front sheet": the divider before it already
    names the country, and the pack's contents would otherwise repeat the visit's title
    for every destination.
    """
    out: list[Block] = []
    skip_break = False
    for block in brief.blocks:
        if isinstance(block, Contents):
            skip_break = True
            continue
        if skip_break and isinstance(block, PageBreak) and not block.parity:
            skip_break = False
            continue
        skip_break = False
        if isinstance(block, Heading) and block.text == brief.title:
            block = Heading(FRONT_SHEET, block.level, block.anchor)
        out.append(block)
    return out

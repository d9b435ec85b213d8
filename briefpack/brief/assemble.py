"""Store data + visit + scorecard + template -> Brief. Pure: no I/O, no renderers, no Qt.

Assembly runs in two passes. The first decides which records each section shows, leaving
out every record above the ceiling and noting it as withheld; only then is the overall
marking known. The second renders headings and prose (which may quote the marking) and
builds the blocks. What may be shown is decided by ``release``; each section kind's two
halves live in ``sections``.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any

from .. import marking, model
from ..scoring import Scorecard
from ..templates import SECTION_KINDS, Section, Template
from .document import Block, Brief, BriefFacts, Contents, Heading, Paragraph, PageBreak
from .release import SCORE_KINDS, Scope, body_ceiling, effective_ceiling
from .sections import KINDS
from .sections.common import SENSITIVE_ANNEX_HEADING, Annex, Writer

__all__ = ["BriefJob", "SENSITIVE_ANNEX_HEADING", "assemble"]


@dataclass(frozen=True)
class BriefJob:
    """Everything one country's brief is assembled from."""

    country_file: model.CountryFile
    scorecard: Scorecard
    template: Template
    _: KW_ONLY
    visit: model.Visit | None = None
    #: the ceiling asked for; the lower of it and the visit's applies
    ceiling: str | marking.Marking | None = None
    today: dt.date | None = None
    author: str = ""
    #: the main body shows nothing above OFFICIAL; an annex at the end holds the rest,
    #: scored by ``annex_scorecard`` (``scorecard`` is then scored from the OFFICIAL
    #: records only)
    sensitive_annex: bool = False
    annex_scorecard: Scorecard | None = None
    #: leave personal data out (see ``redaction``) and clear the author
    redact_personal: bool = False
    #: the store's record of when each section was refreshed, and by whom (the data
    #: currency annex); without it the annex reads the records' own update stamps
    currency: Sequence[model.SectionCurrency] = ()
    #: the store's limit for a stale section, for the records' own update stamps
    stale_after_days: int = model.STALE_AFTER_DAYS
    #: add the analyst's annex (the host country's scores); by default none is shown
    score_annex: bool = False
    #: how the visit serves the strategy in this country (``scoring.country_impact``),
    #: scored from the records the main body may show
    impact: Any = None


def assemble(job: BriefJob) -> Brief:
    """Build one country's brief as the template lays it out.

    The ceiling is the lower of ``job.ceiling`` and the visit's; records above it are
    left out and counted per section, never named.
    """
    country_file, scorecard, template = job.country_file, job.scorecard, job.template
    today = job.today or dt.date.today()
    visit = job.visit
    if visit is not None:  # this country's part of the visit, as its brief shows it
        visit = visit.for_country(country_file.country.code)
    limit = effective_ceiling(visit, job.ceiling)
    scope = Scope(country_file, visit, body_ceiling(visit, job.ceiling, job.sensitive_annex),
                  redact_personal=job.redact_personal,
                  currency={c.section: c for c in job.currency},
                  stale_after_days=job.stale_after_days, scores=job.score_annex,
                  impact=job.impact)
    sections = [s for s in template.spec.sections
                if (visit is not None or not SECTION_KINDS[s.kind].visit_only)
                and scope.shows_section(s.kind)]
    # the scores, when asked for, are the analyst's annex: at the end of the brief
    sections = [s for s in sections if s.kind not in SCORE_KINDS] + \
        [s for s in sections if s.kind in SCORE_KINDS]
    gathered = [(i, s, KINDS[s.kind].gather(s, scope, i, scorecard))
                for i, s in enumerate(sections)]
    # a section with nothing to say (an empty visit part) is left out altogether
    gathered = [(i, s, payload) for i, s, payload in gathered if payload is not None]
    annex = _gather_annex(sections, gathered, scope, limit,
                          job.annex_scorecard or scorecard) \
        if job.sensitive_annex else None
    # a records section with nothing to list is left out; the sources annex names it once
    empty = [i for i, s, payload in gathered if _no_records(scope, i, s, payload)
             and not (annex and annex.scope.shown_at.get(i))]
    gathered = [(i, s, payload) for i, s, payload in gathered if i not in empty]
    body_marking = marking.combine(marking.OFFICIAL, *scope.included)
    overall = marking.combine(body_marking, *(annex.scope.included if annex else ()))
    writer = Writer(template, scope, scorecard, today, overall, ceiling=limit,
                    # said on page one only when it restricts: a releasable variant
                    explicit_ceiling=marking.rank(limit) < marking.rank(
                        marking.OFFICIAL_SENSITIVE),
                    annex=annex, body_marking=body_marking)
    title = writer.render(template.spec.title, "title")
    writer.context["title"] = title
    # every section's heading: a section left out whole may still be named as withheld
    writer.headings = {i: writer.render(s.heading, f"{s.where}.heading")
                       for i, s in enumerate(sections)}
    writer.no_records = [writer.headings[i] for i in empty]
    blocks: list[Block] = []
    if not any(s.kind == "front_sheet" for _, s, _ in gathered):
        blocks += writer.notices(None)
    for index, section, payload in gathered:
        if section.kind == "contents":
            # the contents list carries its own title and is not listed in itself
            # the contents list runs straight into the sections: no near-empty page
            blocks.append(Contents(title=writer.headings[index]))
            continue
        blocks.append(Heading(writer.headings[index], 1,
                              anchor=f"{country_file.country.code}-{section.kind}"))
        blocks += writer.prose(section.intro, f"{section.where}.intro")
        blocks += KINDS[section.kind].build(writer, section, payload)
        if section.page_break_after:
            blocks.append(PageBreak())
    if annex is not None and annex.sections:
        blocks += _annex_blocks(writer, annex)
    spec = template.spec
    watermark = spec.draft_watermark if visit is not None and not visit.final else ""
    return Brief(
        title=title,
        marking=str(overall),
        blocks=tuple(blocks),
        subject=writer.render(spec.subject, "subject"),
        author="" if job.redact_personal else job.author,
        keywords=(country_file.country.name, country_file.country.code),
        date=today,
        label=country_file.country.code,
        watermark=watermark,
        base_font_size=spec.base_font_size,
        facts=BriefFacts(template=template.name, country=country_file.country.code,
                         withheld=writer.withheld_by_section(),
                         annex=writer.annex_by_section(),
                         body_marking=str(body_marking),
                         personal_left_out=writer.by_heading(scope.left_out),
                         personal_records=writer.personal_records(),
                         stale=writer.stale_sections(),
                         redacted=job.redact_personal),
    )


def _no_records(scope: Scope, index: int, section: Section, payload: Any) -> bool:
    """Whether a records section has nothing to list and nothing withheld to point at."""
    if not KINDS[section.kind].lists_records:
        return False
    return not payload.listed and not scope.withheld.get(index) \
        and not scope.left_out.get(index)


# -- the sensitive annex ----------------------------------------------------------------------

def _gather_annex(template_sections: list[Section], gathered: list, body: Scope,
                  limit: marking.Marking, scorecard: Any) -> Annex:
    """Gather what each section holds above the body's ceiling, up to ``limit``.

    What moves to the annex is no longer withheld from the body's sections; what is
    above ``limit`` is withheld there too. A section the body leaves out (the visit's
    points, when the visit's words are above the body's ceiling) may still have annex
    material.
    """
    scope = body.annex_scope(limit)
    sections = []
    for index, section in enumerate(template_sections):
        if not KINDS[section.kind].annexable:
            continue
        payload = KINDS[section.kind].gather(section, scope, index, scorecard)
        if payload is not None and scope.shown_at.get(index):
            sections.append((index, section, payload))
    if sections:
        sources = next(((i, s) for i, s, _ in gathered if s.kind == "sources"), None)
        if sources is not None:
            sections.append((*sources, KINDS["sources"].gather(sources[1], scope, sources[0],
                                                               scorecard)))
    body.take_back(scope)
    return Annex(scope, scorecard, sections)


def _annex_blocks(body: Writer, annex: Annex) -> list[Block]:
    """The sensitive annex: a new page, then each section's annex material."""
    writer = copy.copy(body)
    writer.scope, writer.scorecard = annex.scope, annex.scorecard
    code = body.scope.cf.country.code
    blocks: list[Block] = [
        PageBreak(),
        Heading(SENSITIVE_ANNEX_HEADING, 1, anchor=f"{code}-sensitive-annex"),
        Paragraph(f"The material in this annex is marked above {body.scope.ceiling}. "
                  "It is kept here so that the main body of the brief is marked "
                  f"{body.body_marking}."),
    ]
    for index, section, payload in annex.sections:
        heading = body.headings[index].removeprefix("Annex: ")
        blocks.append(Heading(heading[:1].upper() + heading[1:], 2,
                              anchor=f"{code}-sensitive-{section.kind}"))
        blocks += _demoted(KINDS[section.kind].build(writer, section, payload))
    return blocks


def _demoted(blocks: list[Block]) -> list[Block]:
    """Sub-headings one level down, to sit under an annex's own sub-heading."""
    return [dataclasses.replace(b, level=min(b.level + 1, 3)) if isinstance(b, Heading) else b
            for b in blocks]

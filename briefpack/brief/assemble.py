"""Store data + visit + scorecard + template -> Brief. Pure: no I/O, no renderers, no Qt.

Assembly runs in two passes. The first decides which records each section shows, leaving
out every record above the ceiling and noting it as withheld; only then is the overall
marking known. The second renders headings and prose (which may quote the marking) and
builds the blocks.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import marking, model
from ..errors import BriefpackError
from ..formatting import date_range, joined, long_date, money, number
from ..scoring import INSUFFICIENT, Scorecard, percent, whole
from ..templates import SECTION_KINDS, Section, Template
from . import redaction
from .document import (Block, Brief, Bullets, Callout, Column, Contents, Heading, KeyValue,
                       PageBreak, Paragraph, Table)

#: data older than this is flagged stale in the sources annex
STALE_AFTER_DAYS = 180
SENSITIVE_ANNEX_HEADING = "Annex: OFFICIAL-SENSITIVE material"
EMPTY_TEXT = "None recorded."

#: table name -> how the sources annex names it
TABLE_LABELS = {"countries": model.COUNTRY_TITLE,
                **{name: spec.title for name, spec in model.TABLES.items()}}


def assemble(country_file: model.CountryFile, scorecard: Scorecard, template: Template, *,
             visit: model.Visit | None = None, ceiling: str | marking.Marking | None = None,
             today: dt.date | None = None, author: str = "", sensitive_annex: bool = False,
             annex_scorecard: Scorecard | None = None,
             redact_personal: bool = False,
             currency: Iterable[model.SectionCurrency] = ()) -> Brief:
    """Build one country's brief as the template lays it out.

    The ceiling is the lower of ``ceiling`` and ``visit.ceiling``; records above it are
    left out and counted per section, never named. With ``sensitive_annex`` the main
    body shows nothing above OFFICIAL and an annex at the end holds the rest, scored
    by ``annex_scorecard`` (``scorecard`` should then be scored from the OFFICIAL
    records only). With ``redact_personal`` personal data is left out (see
    ``redaction``) and the author is cleared. ``currency`` (the store's record of when
    each section was refreshed, and by whom) feeds the data-currency annex; without it
    the annex reads the records' own update stamps.
    """
    today = today or dt.date.today()
    if visit is not None:  # this country's part of the visit, as its brief shows it
        visit = visit.for_country(country_file.country.code)
    limit = effective_ceiling(visit, ceiling)
    body_limit = min(limit, marking.OFFICIAL, key=marking.rank) if sensitive_annex else limit
    scope = _Scope(country_file, visit, body_limit, redact_personal=redact_personal,
                   currency={c.section: c for c in currency})
    sections = [s for s in template.spec.sections
                if visit is not None or not SECTION_KINDS[s.kind].visit_only]
    gathered = [(i, s, _GATHER[s.kind](s, scope, i, scorecard)) for i, s in enumerate(sections)]
    # a section with nothing to say (an empty visit part) is left out altogether
    gathered = [(i, s, payload) for i, s, payload in gathered if payload is not None]
    annex = _gather_annex(gathered, scope, limit, annex_scorecard or scorecard) \
        if sensitive_annex else None
    # a records section with nothing to list is left out; the sources annex names it once
    empty = [i for i, s, payload in gathered if _no_records(scope, i, s, payload)
             and not (annex and annex.scope.shown_at.get(i))]
    gathered = [(i, s, payload) for i, s, payload in gathered if i not in empty]
    body_marking = marking.combine(marking.OFFICIAL, *scope.included)
    overall = marking.combine(body_marking, *(annex.scope.included if annex else ()))
    writer = _Writer(template, scope, scorecard, today, overall, ceiling=limit,
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
        blocks += _BUILD[section.kind](writer, section, payload)
        if section.page_break_after:
            blocks.append(PageBreak())
    if annex is not None and annex.sections:
        blocks += writer.annex_blocks()
    spec = template.spec
    watermark = spec.draft_watermark if visit is not None and not visit.final else ""
    return Brief(
        title=title,
        marking=str(overall),
        blocks=tuple(blocks),
        subject=writer.render(spec.subject, "subject"),
        author="" if redact_personal else author,
        keywords=(country_file.country.name, country_file.country.code),
        date=today,
        label=country_file.country.code,
        watermark=watermark,
        base_font_size=spec.base_font_size,
        extra={"template": template.name, "country": country_file.country.code,
               "withheld": writer.withheld_by_section(),
               "annex": writer.annex_by_section(),
               "body_marking": str(body_marking),
               "personal_left_out": writer.by_heading(scope.left_out),
               "personal_records": writer.personal_records(),
               "redacted": redact_personal},
    )


def effective_ceiling(visit: model.Visit | None,
                      ceiling: str | marking.Marking | None) -> marking.Marking:
    """The more restrictive of the visit's ceiling and the one asked for."""
    candidates = [marking.OFFICIAL_SENSITIVE]
    for value in (visit.ceiling if visit else None, ceiling):
        if value is None:
            continue
        try:
            # a Marking is read back as a ceiling too: a level alone, checked once per build
            candidates.append(marking.parse_ceiling(str(value)))
        except marking.MarkingError as exc:
            raise BriefpackError(f"ceiling {str(value)!r}: {exc}") from None
    return min(candidates, key=marking.rank)


def released_country_file(country_file: model.CountryFile, *,
                          visit: model.Visit | None = None,
                          ceiling: str | marking.Marking | None = None) -> model.CountryFile:
    """The country file without the records above the effective ceiling."""
    limit = effective_ceiling(visit, ceiling)

    def keep(records: list) -> list:
        return [r for r in records if _within(_parse_marking(r.marking), limit)]

    country = country_file.country
    withheld = not _parse_marking(country.marking).is_within(limit)
    if withheld:
        # only what names the country stays: its memberships, co-leads, tier, defence
        # section and facts are bound by the record's marking, and so is all derived
        country = model.Country(code=country.code, name=country.name, alpha2=country.alpha2,
                                region=country.region)
    return dataclasses.replace(country_file, country=country, country_withheld=withheld,
                               **{name: keep(spec.records(country_file))
                                  for name, spec in model.TABLES.items()})


@lru_cache(maxsize=256)
def _parse_marking(text: str) -> marking.Marking:
    return marking.parse(text)


def _within(level: marking.Marking, ceiling: marking.Marking) -> bool:
    """``level.is_within(ceiling)`` for a ceiling ``effective_ceiling`` has checked:
    ``is_within`` checks its ceiling again on every call, once per record."""
    return marking.rank(level) <= marking.rank(ceiling)


# -- pass one: which records each section shows -------------------------------------------

@dataclass
class _Scope:
    cf: model.CountryFile
    visit: model.Visit | None
    ceiling: marking.Marking
    #: a sensitive annex's scope shows only records above this level
    floor: marking.Marking | None = None
    redact_personal: bool = False
    #: section ("country" or a table) -> when the store last refreshed it
    currency: dict[str, model.SectionCurrency] = field(default_factory=dict)
    included: list[marking.Marking] = field(default_factory=list)
    #: section index -> keys of the records withheld from it
    withheld: dict[int, set] = field(default_factory=dict)
    #: section index -> keys of the records left out of a redacted brief as personal data
    left_out: dict[int, set] = field(default_factory=dict)
    #: section index -> keys of the records it shows
    shown_at: dict[int, set] = field(default_factory=dict)
    #: table -> {key: record} released and shown somewhere in the brief
    shown: dict[str, dict] = field(default_factory=dict)

    def visit_words(self, index: int) -> bool:
        """Whether section ``index`` may show the visit's own words (points, asks …).

        They count as one record at the highest marking of the visit's content for this
        country: above the ceiling they are withheld, and their marking counts towards
        the brief's like any record's.
        """
        if self.visit is None:
            return False
        words = _visit_words(self.visit)
        return bool(self.release("visit", [words], index))

    def release(self, table: str, records: Iterable[Any], index: int, *,
                below_floor: bool = False, limit: int | None = None) -> _Listed:
        """The records this scope shows; the rest are noted as withheld from ``index``
        (above the ceiling) or left out (personal data in a redacted brief).

        Records at or below the floor are skipped silently (the main body shows them)
        unless ``below_floor``. Past ``limit`` shown records, the rest that could be
        shown are only counted (``.more``): a brief lists the most relevant, not all.
        """
        out = _Listed()
        shown = self.shown.setdefault(table, {})
        for record in records:
            key = (table, _record_key(record))
            try:
                level = _parse_marking(record.marking)
            except marking.MarkingError as exc:
                raise BriefpackError(f"{table} record {key[1]}: marking "
                                     f"{record.marking!r}: {exc}") from None
            if not _within(level, self.ceiling):
                self.withheld.setdefault(index, set()).add(key)
                continue
            if self.floor is not None and not below_floor and _within(level, self.floor):
                continue
            if self.redact_personal and redaction.is_personal(table, level):
                if not model.is_personal_table(table):
                    self.left_out.setdefault(index, set()).add(key)
                    continue
                # shown as a count or a role: its classification counts, its names do not
                level = redaction.without_personal_data(level)
            if limit is not None and len(out) >= limit:
                out.more += 1
                continue
            out.append(record)
            self.included.append(level)
            shown[key[1]] = record
            self.shown_at.setdefault(index, set()).add(key)
        return out

    def personal_shown(self) -> int:
        """How many records holding personal data this scope shows."""
        return sum(1 for table, records in self.shown.items() for r in records.values()
                   if redaction.is_personal(table, _parse_marking(r.marking)))

    def above_ceiling(self, table: str, record_id: Any) -> Any | None:
        """The record ``table``/``record_id`` if the brief may not show it."""
        record = self.find(table, record_id)
        if record is None or _within(_parse_marking(record.marking), self.ceiling):
            return None
        return record

    def find(self, table: str, record_id: Any) -> Any | None:
        if table == "countries":
            return self.cf.country if record_id in (None, self.cf.country.code) else None
        spec = model.TABLES.get(table)
        records = spec.records(self.cf) if spec else ()
        return next((r for r in records if r.id == record_id), None)

    def interlocutors(self) -> list[model.Interlocutor]:
        """The visit's interlocutors in this country, in the visit's order; else all of them."""
        if self.visit is None:
            return list(self.cf.interlocutors)
        by_id = {p.id: p for p in self.cf.interlocutors}
        return [by_id[i] for i in self.visit.interlocutor_ids() if i in by_id]


class _Listed(list):
    """Records a section lists, and how many more it could have listed (``more``)."""

    more: int = 0


def _by_relevance(table: str, records: Iterable[Any]) -> list[Any]:
    """Most relevant first, as the table's spec orders them."""
    return sorted(records, key=model.TABLES[table].relevance)


def _record_key(record: Any) -> Any:
    if isinstance(record, model.Country):
        return record.code
    return record.id if record.id is not None else f"unsaved-{id(record)}"


@dataclass(frozen=True)
class _VisitWords:
    """The visit's own words for one country, as one record at their combined marking."""

    id: str
    marking: str
    source: str = ""
    updated_at: str = ""
    updated_by: str = ""


@lru_cache(maxsize=64)
def _words_of(key: str, markings: tuple[str, ...], updated_at: str,
              updated_by: str) -> _VisitWords:
    return _VisitWords(key, str(marking.combine(*markings)), updated_at=updated_at,
                       updated_by=updated_by)


def _visit_words(visit: model.Visit) -> _VisitWords:
    try:
        return _words_of(f"{visit.id or visit.title}:{visit.start}",
                         visit.content_markings(), visit.updated_at, visit.updated_by)
    except marking.MarkingError as exc:
        raise BriefpackError(f"visit {visit.title!r}: marking: {exc}") from None


Gather = Callable[[Section, _Scope, int, Any], Any]


def _nothing(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
    return ()


def _visit_part(*attributes: str) -> Gather:
    """A section showing the visit's lists: left out when they are empty."""
    def gather(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
        parts = tuple(getattr(scope.visit, a) for a in attributes)
        if not any(parts) or not scope.visit_words(index):
            return None
        return parts[0] if len(parts) == 1 else parts
    return gather


def _gather_summary(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
    """Page one: the visit at a glance, or the relationship when there is no visit."""
    _bind_scores(scope, scorecard)  # the page quotes the overall score
    if scope.visit is not None and scope.visit_words(index):
        return "visit"
    # a summary picks from what the brief may show: what is withheld is counted where
    # the records are listed in full, not twice
    def allowed(table: str, records: Iterable[Any]) -> list[Any]:
        levels = ((r, _parse_marking(r.marking)) for r in records)
        return [r for r, level in levels if level.is_within(scope.ceiling) and not (
            scope.redact_personal and redaction.is_personal(table, level))]

    country = scope.release("countries", allowed("countries", [scope.cf.country]), index)
    past = [e for e in _by_relevance("engagements", allowed("engagements",
                                                            scope.cf.engagements))
            if e.status != "planned" and e.date]
    latest = scope.release("engagements", past, index, limit=1)
    agreements = scope.release("agreements", _by_relevance("agreements", [
        a for a in allowed("agreements", scope.cf.agreements)
        if a.status == "active" and a.strategic]), index, limit=3)
    return "country", (country[0] if country else None), latest, agreements


def _gather_since(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
    """The last engagement with recorded outcomes (a readout), and the open actions."""
    readouts = [e for e in _by_relevance("engagements", scope.cf.engagements)
                if e.status == "past" and e.date and e.description.strip()]
    latest = scope.release("engagements", readouts, index, limit=1)
    actions = scope.release("actions", _by_relevance("actions", [
        a for a in scope.cf.actions if a.status == "open"]), index, limit=section.limit)
    if not latest and not actions:
        return None
    return (latest[0] if latest else None), actions


def _gather_calls(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
    calls = [p for p in (scope.visit.programme if scope.visit else ()) if p.is_call]
    if not calls or not scope.visit_words(index):
        return None
    linked = {a.interlocutor for c in calls for a in c.interlocutors if a.interlocutor}
    people = scope.release("interlocutors", [p for p in scope.cf.interlocutors
                                              if p.id in linked], index)
    return calls, {p.id: p for p in people}


def _gather_whos_who(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
    people = scope.interlocutors()
    if scope.visit is None:  # a visit's interlocutors keep the order the visit gives them
        people = _by_relevance("interlocutors", people)
    people = scope.release("interlocutors", people, index, limit=section.limit)
    linked = [a for a in scope.cf.alumni if a.id in {p.alumnus_id for p in people}]
    # an annex's interlocutor keeps an OFFICIAL alumni record the main body also shows
    alumni = {a.id: a for a in scope.release("alumni", linked, index, below_floor=True)}
    return people, alumni


def _gather_relationship(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
    country = scope.release("countries", [scope.cf.country], index)
    engagements = scope.release("engagements", _by_relevance("engagements", scope.cf.engagements),
                                index, limit=section.limit)
    met = scope.release("interlocutors", _by_relevance(
        "interlocutors", [p for p in scope.interlocutors() if p.last_met]), index,
        limit=section.limit)
    return (country[0] if country else None), engagements, met


def _gather_scorecard(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
    """Each objective with only the evidence whose record the brief may show."""
    scope.release("countries", [scope.cf.country], index)
    _bind_scores(scope, scorecard)
    objectives = []
    for objective in scorecard.objectives:
        criteria = []
        for criterion in objective.criteria:
            kept = []
            for evidence in criterion.evidence:
                spec = model.table_named(evidence.table)
                table = spec.name if spec else evidence.table
                if evidence.record_id is not None or table == "countries":
                    if scope.above_ceiling(table, evidence.record_id) is not None:
                        scope.withheld.setdefault(index, set()).add((table, evidence.record_id))
                        continue
                    record = scope.find(table, evidence.record_id)
                    if record is not None:
                        if not scope.release(table, [record], index):
                            continue  # left out as personal data, or the main body's
                        if scope.redact_personal and model.is_personal_table(table):
                            evidence = dataclasses.replace(
                                evidence, text=redaction.evidence_text(table, record))
                elif scope.floor is not None:
                    continue  # evidence about no record belongs to the main body
                kept.append(evidence)
            if kept or scope.floor is None:
                criteria.append((criterion, kept))
        if criteria or scope.floor is None:
            objectives.append((objective, criteria))
    return objectives


def _bind_scores(scope: _Scope, scorecard: Any) -> None:
    """A score is bound by the markings of the records it derives from, wherever shown."""
    for text in getattr(scorecard, "markings", ()):
        level = _parse_marking(text)
        if scope.redact_personal:  # a score names no one, as a count names no one
            level = redaction.without_personal_data(level)
        if not level.is_within(scope.ceiling):
            # a score derived from withheld records would hint at them: never shown
            raise BriefpackError(f"the scorecard derives from records marked {level}, above "
                                 f"this document's ceiling {scope.ceiling}; score the "
                                 "released records only (released_country_file)")
        if scope.floor is None or not level.is_within(scope.floor):
            scope.included.append(level)


def _gather_steering(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
    """The visit's words, if the brief may show them; the scores' markings count."""
    _bind_scores(scope, scorecard)
    return scope.visit_words(index)


def _gather_table(table: str, pick: Callable[[model.CountryFile], list]) -> Gather:
    def gather(section: Section, scope: _Scope, index: int, scorecard: Any) -> Any:
        # a redacted brief counts every alumnus, whatever the limit: a count names no one
        counted = scope.redact_personal and model.is_personal_table(table)
        return scope.release(table, _by_relevance(table, pick(scope.cf)), index,
                             limit=None if counted else section.limit)
    return gather


@dataclass
class _Annex:
    """The sensitive annex: its own scope and scorecard, and the sections it holds."""

    scope: _Scope
    scorecard: Any
    #: (section index, section, payload) of each section with annex material
    sections: list[tuple[int, Section, Any]]


#: sections whose records may move to the sensitive annex
_ANNEX_KINDS = ("whos_who", "relationship_summary", "scorecard", "score_annex", "agreements",
                "alumni", "exports", "sources")


def _gather_annex(gathered: list, body: _Scope, limit: marking.Marking,
                  scorecard: Any) -> _Annex:
    """Gather what each section holds above the body's ceiling, up to ``limit``.

    What moves to the annex is no longer withheld from the body's sections; what is
    above ``limit`` is withheld there too.
    """
    scope = _Scope(body.cf, body.visit, limit, floor=body.ceiling,
                   redact_personal=body.redact_personal, currency=body.currency)
    sections = []
    for index, section, _ in gathered:
        if section.kind not in _ANNEX_KINDS or section.kind == "sources":
            continue
        payload = _GATHER[section.kind](section, scope, index, scorecard)
        if scope.shown_at.get(index):
            sections.append((index, section, payload))
    if sections:
        sources = next(((i, s) for i, s, _ in gathered if s.kind == "sources"), None)
        if sources is not None:
            sections.append((*sources, ()))
    moved = {(table, key) for table, records in scope.shown.items() for key in records}
    for index in list(body.withheld):
        body.withheld[index] -= moved
        body.withheld[index] |= scope.withheld.pop(index, set())
        if not body.withheld[index]:
            del body.withheld[index]
    for index, keys in scope.withheld.items():
        body.withheld.setdefault(index, set()).update(keys)
    for index, keys in scope.left_out.items():
        body.left_out.setdefault(index, set()).update(keys)
    return _Annex(scope, scorecard, sections)


_GATHER: dict[str, Gather] = {
    "front_sheet": _nothing,
    "summary": _gather_summary,
    "contents": _nothing,
    "since_last_met": _gather_since,
    "steering_summary": _gather_steering,
    "points_to_make": _visit_part("points_to_make"),
    "asks": _visit_part("asks", "if_raised"),
    "press_lines": _visit_part("press_lines", "press_qa"),
    "handling": _visit_part("sensitivities"),
    "programme": _visit_part("programme"),
    "calls": _gather_calls,
    "whos_who": _gather_whos_who,
    "team": _visit_part("team"),
    "logistics": _visit_part("logistics"),
    "contacts": _visit_part("contacts"),
    "relationship_summary": _gather_relationship,
    "scorecard": _gather_scorecard,
    "score_annex": _gather_scorecard,
    "agreements": _gather_table("agreements",
                                lambda cf: [a for a in cf.agreements if a.status == "active"]),
    "alumni": _gather_table("alumni", lambda cf: cf.alumni),
    "exports": _gather_table("export_opportunities", lambda cf: cf.export_opportunities),
    "sources": _nothing,
}


#: sections that list records and say nothing else
_RECORD_KINDS = frozenset({"whos_who", "agreements", "alumni", "exports"})


def _no_records(scope: _Scope, index: int, section: Section, payload: Any) -> bool:
    """Whether a records section has nothing to list and nothing withheld to point at."""
    if section.kind not in _RECORD_KINDS:
        return False
    listed = payload[0] if section.kind == "whos_who" else payload
    return not listed and not scope.withheld.get(index) and not scope.left_out.get(index)


# -- pass two: words and blocks --------------------------------------------------------------

class _Writer:
    """Renders prose and builds blocks once the records and the marking are settled."""

    def __init__(self, template: Template, scope: _Scope, scorecard: Any, today: dt.date,
                 overall: marking.Marking, *, ceiling: marking.Marking, explicit_ceiling: bool,
                 annex: _Annex | None = None, body_marking: marking.Marking | None = None):
        self.template = template
        self.scope = scope
        self.scorecard = scorecard
        self.today = today
        self.overall = overall
        self.ceiling = ceiling
        self.explicit_ceiling = explicit_ceiling
        self.annex = annex
        self.body_marking = body_marking or overall
        self.headings: dict[int, str] = {}
        #: headings of the sections left out because they had no records to list
        self.no_records: list[str] = []
        visit = scope.visit
        self.context: dict[str, Any] = {
            "country": scope.cf.country, "visit": visit, "scorecard": scorecard,
            "today": today, "marking": str(overall), "ceiling": str(ceiling),
            "withheld": self.withheld_total(), "data_as_of": self.data_as_of(),
            "destination": scope.cf.country.name,
            "principal": visit.principal if visit else "",
        }

    def render(self, source: str, where: str) -> str:
        return self.template.render(source, where, self.context).strip()

    def prose(self, source: str, where: str) -> list[Block]:
        """Paragraphs split on blank lines; a paragraph of "- " lines becomes bullets."""
        text = self.render(source, where) if source else ""
        blocks: list[Block] = []
        for chunk in text.split("\n\n"):
            lines = [line.strip() for line in chunk.splitlines() if line.strip()]
            if not lines:
                continue
            if all(line.startswith("- ") for line in lines):
                blocks.append(Bullets(tuple(line[2:].strip() for line in lines)))
            else:
                blocks.append(Paragraph(" ".join(lines)))
        return blocks

    def empty_text(self, section: Section) -> str:
        return self.render(section.empty, f"{section.where}.empty") or EMPTY_TEXT

    def table(self, section: Section, rows: Iterable[dict[str, str]]) -> Table:
        return section_table(section.kind, rows, [(c.key, c.title) for c in section.columns],
                             empty_text=self.empty_text(section))

    # -- what the front sheet and annex need to know about the whole brief

    def withheld_total(self) -> int:
        return len(set().union(*self.scope.withheld.values()))

    def withheld_by_section(self) -> dict[str, int]:
        return self.by_heading(self.scope.withheld)

    def annex_by_section(self) -> dict[str, int]:
        if self.annex is None:
            return {}
        return self.by_heading({i: self.annex.scope.shown_at[i]
                                for i, s, _ in self.annex.sections if s.kind != "sources"})

    def by_heading(self, keys_by_index: dict[int, set]) -> dict[str, int]:
        return {self.headings.get(i, str(i)): len(keys)
                for i, keys in sorted(keys_by_index.items()) if keys}

    def personal_records(self) -> int:
        """How many personal records the brief shows by name (none once redacted)."""
        if self.scope.redact_personal:
            return 0
        annex = self.annex.scope.personal_shown() if self.annex else 0
        return self.scope.personal_shown() + annex

    def notices(self, section: Section | None) -> list[Block]:
        """What the front sheet says about withheld, annexed and redacted material."""
        title = section.word("withheld_title") if section else "Items withheld"
        return [*self.withheld_notice(title), *self.annex_notice(), *self.redaction_notice()]

    def withheld_notice(self, title: str) -> list[Block]:
        total = self.withheld_total()
        if not total:
            return []
        parts = [f"{heading} ({count})" for heading, count in self.withheld_by_section().items()]
        items = "item was" if total == 1 else "items were"
        text = (f"{total} {items} left out of this brief because they are marked above "
                f"{self.ceiling}. Withheld from: " + "; ".join(parts) + ".")
        return [Callout(text, title=title, kind="warning")]

    def annex_notice(self) -> list[Block]:
        """Says the annex exists and what it holds, never what it says."""
        held = self.annex_by_section()
        annex = self.annex
        if not held or annex is None:
            return []
        total = len(set().union(*(annex.scope.shown_at[i]
                                  for i, s, _ in annex.sections if s.kind != "sources")))
        parts = "; ".join(f"{heading} ({count})" for heading, count in held.items())
        items = "item" if total == 1 else "items"
        text = (f"{SENSITIVE_ANNEX_HEADING}, at the end of this brief, holds {total} "
                f"{items} marked above {self.scope.ceiling}, from: {parts}. The main body "
                f"is marked {self.body_marking}; the brief as a whole, annex included, "
                f"is {self.overall}.")
        return [Callout(text, title=SENSITIVE_ANNEX_HEADING, kind="note")]

    def redaction_notice(self) -> list[Block]:
        if not self.scope.redact_personal:
            return []
        text = ("Personal data is left out of this version: alumni are given as counts "
                "and interlocutors by role only.")
        left_out = self.by_heading(self.scope.left_out)
        if left_out:
            total = len(set().union(*self.scope.left_out.values()))
            parts = "; ".join(f"{heading} ({count})" for heading, count in left_out.items())
            items = "other item holding" if total == 1 else "other items holding"
            text += f" {total} {items} personal data left out from: {parts}."
        return [Callout(text, title="Personal data left out", kind="note")]

    def annex_blocks(self) -> list[Block]:
        """The sensitive annex: a new page, then each section's annex material."""
        annex = self.annex
        if annex is None:
            return []
        writer = copy.copy(self)
        writer.scope, writer.scorecard = annex.scope, annex.scorecard
        code = self.scope.cf.country.code
        blocks: list[Block] = [
            PageBreak(),
            Heading(SENSITIVE_ANNEX_HEADING, 1, anchor=f"{code}-sensitive-annex"),
            Paragraph(f"The material in this annex is marked above {self.scope.ceiling}. "
                      "It is kept here so that the main body of the brief is marked "
                      f"{self.body_marking}."),
        ]
        for index, section, payload in annex.sections:
            heading = self.headings[index].removeprefix("Annex: ")
            blocks.append(Heading(heading[:1].upper() + heading[1:], 2,
                                  anchor=f"{code}-sensitive-{section.kind}"))
            blocks += _demoted(_BUILD[section.kind](writer, section, payload))
        return blocks

    def data_as_of(self) -> dt.date | None:
        """How current the brief's data is: the oldest refresh of a section it shows (the
        store's record, which for sample data is its source's date); without that record,
        the newest record's own date."""
        oldest = self.oldest_refresh()
        if oldest is not None and oldest.refreshed_at is not None:
            return oldest.refreshed_at.date()
        dates = [_day(r.updated_at) for table, records in self.scope.shown.items()
                 if table != "visit" for r in records.values()]
        return max((d for d in dates if d), default=None)

    def oldest_refresh(self) -> model.SectionCurrency | None:
        sections = {"country" if table == "countries" else table
                    for table, records in self.scope.shown.items() if records}
        refreshed = [(c.refreshed_at, c) for name, c in self.scope.currency.items()
                     if name in sections and c.refreshed_at is not None]
        return min(refreshed, key=lambda pair: pair[0])[1] if refreshed else None

    def data_as_of_text(self) -> str:
        """"1 March 2026 (sample data: …, March 2026; stale: 275 days old)"."""
        day = self.context["data_as_of"]
        if day is None:
            return ""
        oldest = self.oldest_refresh()
        if oldest is None:
            return long_date(day)
        # who refreshed is a staff name (personal data) unless it names a source
        by = oldest.refreshed_by
        keep_by = by and not (self.scope.redact_personal and not by.startswith("sample data"))
        notes = [by] if keep_by else []
        if oldest.stale:
            notes.append(f"stale: {oldest.age_days} days old")
        return long_date(day) + (f" ({'; '.join(notes)})" if notes else "")


def section_table(kind: str, rows: Iterable[dict[str, str]],
                  columns: Sequence[tuple[str, str]] | None = None, *,
                  empty_text: str = EMPTY_TEXT) -> Table:
    """A table of section kind ``kind``: ``columns`` (key, title; default: all the kind's,
    as it titles them) less those no row fills (they only squeeze the rest), each as wide
    and aligned as the kind says; decided here so the .docx and the .pdf carry the same
    columns."""
    rows = list(rows)
    kinds = SECTION_KINDS[kind].columns
    if columns is None:
        columns = [(key, c.title) for key, c in kinds.items()]
    shown = [(key, title) for key, title in columns
             if any(row.get(key) for row in rows)] or columns
    return Table(tuple(Column(title, kinds[key].width, kinds[key].align)
                       for key, title in shown),
                 tuple(tuple(row.get(key, "") for key, _ in shown) for row in rows),
                 empty_text=empty_text)


def _demoted(blocks: list[Block]) -> list[Block]:
    """Sub-headings one level down, to sit under an annex's own sub-heading."""
    return [dataclasses.replace(b, level=min(b.level + 1, 3)) if isinstance(b, Heading) else b
            for b in blocks]


def _day(stamp: str) -> dt.date | None:
    if not stamp:
        return None
    try:
        return dt.datetime.fromisoformat(stamp).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(stamp[:10])
        except ValueError:
            return None


def _more(section: Section, listed: Any) -> list[Block]:
    """A note that the list stops at the section's limit, saying how much is left out."""
    more = getattr(listed, "more", 0)
    if not more:
        return []
    text = section.word("more").replace("{listed}", number(len(listed)))
    return [Paragraph(text.replace("{more}", number(more)).replace(
        "{total}", number(len(listed) + more)), "small")]


def _limited(items: Iterable[Any], section: Section) -> list[Any]:
    items = list(items)
    return items[: section.limit] if section.limit else items


# -- section builders -----------------------------------------------------------------------

def _front_sheet(w: _Writer, section: Section, payload: Any) -> list[Block]:
    visit = w.scope.visit
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


def _steering_summary(w: _Writer, section: Section, payload: Any) -> list[Block]:
    blocks: list[Block] = []
    labels = {o.key: o.label for o in w.scorecard.objectives}
    visit = w.scope.visit
    if payload and visit is not None and visit.objectives:
        blocks.append(Heading(section.word("objectives_heading"), 2))
        items = []
        for objective in _limited(visit.objectives, section):
            serves = "; ".join(labels.get(t, t) for t in objective.tags)
            items.append(f"{objective.text} ({section.word('serves')}: {serves})"
                         if serves else objective.text)
        blocks.append(Bullets(tuple(items), numbered=True))
    lines = tuple(w.scorecard.summary_line(o) for o in w.scorecard.objectives)
    if lines:
        blocks.append(Heading(section.word("scorecard_heading"), 2))
        blocks.append(Bullets(lines))
    return blocks


def _bullets(w: _Writer, section: Section, items: Any) -> list[Block]:
    return [Bullets(tuple(_limited(items, section)))]


def _press(w: _Writer, section: Section, payload: Any) -> list[Block]:
    """Press lines, then the reactive questions and answers."""
    lines, questions = payload
    blocks: list[Block] = [Bullets(tuple(_limited(lines, section)))] if lines else []
    if questions:
        blocks += [Heading(section.word("reactive_heading"), 2),
                   w.table(section, ({"question": q.question, "answer": q.answer}
                                     for q in _limited(questions, section)))]
    return blocks


def _asks(w: _Writer, section: Section, payload: Any) -> list[Block]:
    asks, if_raised = payload
    blocks: list[Block] = []
    if asks:
        blocks.append(w.table(section, ({"ask": a.ask, "response": a.response}
                                        for a in _limited(asks, section))))
    if if_raised:
        blocks.append(Heading(section.word("if_raised_heading"), 2))
        blocks.append(Bullets(tuple(_limited(if_raised, section))))
    return blocks


def _programme(w: _Writer, section: Section, items: Any) -> list[Block]:
    press = {"open": section.word("press_open"), "closed": section.word("press_closed")}
    rows = [{"day": p.day, "time": p.time, "place": p.place, "event": p.event,
             "uk_lead": p.uk_lead, "press": press.get(p.press, p.press)} for p in items]
    return _by_day(w, section, rows)


def _by_day(w: _Writer, section: Section, rows: list[dict[str, str]]) -> list[Block]:
    """One table per day, captioned with the day (a narrow day column would wrap it)."""
    if not any(c.key == "day" for c in section.columns):
        return [w.table(section, rows)]
    shown = dataclasses.replace(section, columns=tuple(c for c in section.columns
                                                       if c.key != "day"))
    days: dict[str, list] = {}
    for row in rows:
        days.setdefault(row["day"], []).append(row)
    return [dataclasses.replace(w.table(shown, day_rows), caption=day)
            for day, day_rows in days.items()]


def _summary(w: _Writer, section: Section, payload: Any) -> list[Block]:
    """Page one, readable in two minutes."""
    if payload == "visit" and w.scope.visit is not None:
        return _visit_summary(w, section, w.scope.visit)
    _, country, engagements, agreements = payload
    blocks: list[Block] = [Heading(section.word("relationship"), 2)]
    blocks += [Paragraph(text) for text in _relationship_prose(w, country, agreements,
                                                                engagements)]
    facts = _facts(country)
    if facts:
        blocks += [Heading(section.word("top_facts"), 2), Bullets(tuple(facts[:5]))]
    blocks.append(Paragraph(f"{w.scorecard.overall_line()}."))
    return blocks


def _visit_summary(w: _Writer, section: Section, visit: model.Visit) -> list[Block]:
    """Purpose, three things to achieve, top lines, the likely difficult ask and watch-outs
    (the marking is at the top and bottom of the page and on the front sheet above)."""
    blocks: list[Block] = []
    if visit.purpose:  # the standfirst: no heading of its own, to keep this to one page
        blocks.append(Paragraph(visit.purpose, "lead"))
    if visit.objectives:
        blocks += [Heading(section.word("achieve"), 2),
                   Bullets(tuple(o.text for o in visit.objectives[:3]), numbered=True)]
    top = visit.top_lines or visit.points_to_make[:3]
    if top:
        blocks += [Heading(section.word("top_lines"), 2), Bullets(tuple(_limited(top, section)))]
    ask = next((a for a in visit.asks if a.difficult), visit.asks[0] if visit.asks else None)
    if ask is not None:
        blocks += [Heading(section.word("difficult_ask"), 2),
                   Paragraph(f"{ask.ask} {section.word('response')}: {ask.response}")]
    if visit.sensitivities:
        blocks += [Heading(section.word("watch_outs"), 2),
                   Bullets(tuple(_limited(visit.sensitivities, section)))]
    return blocks


def _relationship_prose(w: _Writer, country: model.Country | None, agreements: list,
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
            a.name + (f" ({_when_agreed(a)})" if a.signed or a.announced else "")
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


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _facts(country: model.Country | None) -> list[str]:
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


def _listed(label: str, items: Iterable[Any]) -> str:
    """"Label: a; b." with no doubled stop where an item ends a sentence of its own."""
    return f"{label}: " + "; ".join(str(i).strip().rstrip(".") for i in items) + "."


def _the(name: str) -> str:
    """"the Maritime Capability Coalition" (a format's name, in running prose)."""
    return name if name.lower().startswith("the ") else f"the {name}"


def _since(w: _Writer, section: Section, payload: Any) -> list[Block]:
    """Since we last met: what the last visit achieved and what is still open."""
    engagement, actions = payload
    blocks: list[Block] = []
    if engagement is not None:
        blocks.append(Paragraph(f"{section.word('last')}: {engagement.title}, "
                                f"{long_date(engagement.date)}."))
        outcomes = tuple(line.strip() for line in engagement.description.splitlines()
                         if line.strip())
        blocks += [Heading(section.word("outcomes"), 2), Bullets(outcomes)]
    blocks.append(Heading(section.word("actions"), 2))
    if actions:
        blocks += [w.table(section, ({"action": a.action, "owner": a.owner,
                                     "due": long_date(a.due), "status": a.status,
                                     "raised_at": a.raised_at} for a in actions)),
                   *_more(section, actions)]
    else:
        blocks.append(Paragraph(section.word("no_actions")))
    return blocks


def _calls(w: _Writer, section: Section, payload: Any) -> list[Block]:
    """One brief per call: where, who, why, what to say and what they will ask."""
    calls, people = payload
    code = w.scope.cf.country.code
    press = {"open": section.word("press_open"), "closed": section.word("press_closed")}
    blocks: list[Block] = []
    for n, call in enumerate(calls, start=1):
        when = ", ".join(x for x in (call.day, call.time) if x)
        blocks.append(Heading(f"{call.event} ({when})" if when else call.event, 2,
                              anchor=f"{code}-call-{n}"))
        pairs = ((section.word("place"), call.place), (section.word("uk_lead"), call.uk_lead),
                 (section.word("press"), press.get(call.press, call.press)),
                 (section.word("dress"), call.dress))
        blocks.append(KeyValue(tuple((k, v) for k, v in pairs if v)))
        if call.purpose:
            blocks += [Heading(section.word("purpose"), 3), Paragraph(call.purpose)]
        if call.interlocutors:
            blocks += [Heading(section.word("whos_who"), 3),
                       w.table(section, _attendee_rows(w, section, call, people))]
        if call.points_to_make:
            blocks += [Heading(section.word("points"), 3), Bullets(call.points_to_make)]
        if call.asks:
            blocks += [Heading(section.word("asks"), 3)]
            blocks += [Bullets(tuple(f"{a.ask} {section.word('response')}: {a.response}"
                                     for a in call.asks))]
        if call.if_raised:
            blocks += [Heading(section.word("if_raised"), 3), Bullets(call.if_raised)]
    return blocks


def _attendee_rows(w: _Writer, section: Section, call: model.ProgrammeItem,
                   people: dict[int, model.Interlocutor]) -> list[dict[str, str]]:
    rows = []
    for attendee in call.interlocutors:
        person = people.get(attendee.interlocutor) if attendee.interlocutor else None
        if person is None or w.scope.redact_personal:
            role = attendee.role or (redaction.role_of(person) if person else "")
            if attendee.interlocutor and person is None:
                continue  # withheld or left out: the front sheet says so
            rows.append({"role": role})
            continue
        rows.append({"role": attendee.role or person.role, "name": person.name,
                     "pronunciation": person.pronunciation, "biography": person.biography,
                     "last_met": long_date(person.last_met), "languages": person.languages})
    return rows


def _team(w: _Writer, section: Section, members: Any) -> list[Block]:
    country = w.scope.cf.country
    rows = [{"role": m.role, "name": m.name,
             "where": country.name if m.country == country.code
             else m.country or section.word("whole_visit")} for m in members]
    return [w.table(section, rows)]


def _logistics(w: _Writer, section: Section, items: Any) -> list[Block]:
    rows = [{"day": i.day, "time": i.time, "detail": i.detail, "dress": i.dress}
            for i in items]
    return _by_day(w, section, rows)


def _contacts(w: _Writer, section: Section, items: Any) -> list[Block]:
    rows = [{"role": c.role, "name": c.name, "organisation": c.organisation,
             "phone": c.phone, "email": c.email} for c in items]
    return [w.table(section, rows)]


def _whos_who(w: _Writer, section: Section, payload: Any) -> list[Block]:
    people, alumni = payload
    if w.scope.redact_personal:
        return _roles_only(w, section, people) + _more(section, people)

    def alumnus(person: model.Interlocutor) -> str:
        a = alumni.get(person.alumnus_id)
        if a is None:
            return section.word("not_alumnus")
        detail = ", ".join(x for x in (a.course, a.institution, str(a.year or "")) if x)
        return f"Yes: {detail}" if detail else "Yes"

    return [w.table(section, ({"name": p.name, "role": p.role, "biography": p.biography,
                               "pronunciation": p.pronunciation,
                               "last_met": long_date(p.last_met),
                               "languages": p.languages, "alumnus": alumnus(p)}
                              for p in people)), *_more(section, people)]


def _roles_only(w: _Writer, section: Section, people: list) -> list[Block]:
    """Who's who in a redacted brief: each interlocutor's role, nothing else."""
    title = next((c.title for c in section.columns if c.key == "role"),
                 SECTION_KINDS["whos_who"].columns["role"].title)
    note = Paragraph("Interlocutors are listed by role only: names, biographies and "
                     "other personal details are left out of this version.", "small")
    table = Table((Column(title),), tuple((redaction.role_of(p),) for p in people),
                  empty_text=w.empty_text(section))
    return [note, table]


def _relationship(w: _Writer, section: Section, payload: Any) -> list[Block]:
    country, engagements, met = payload
    blocks: list[Block] = []
    if country is not None:
        facts = _facts(country)
        if facts:
            listed = _Listed(_limited(facts, section))
            listed.more = len(facts) - len(listed)
            blocks += [Bullets(tuple(listed)), *_more(section, listed)]
        formats = ", ".join(country.memberships) or section.word("no_formats")
        blocks.append(Paragraph(_listed(section.word("formats"), [formats])))
        if country.co_leads:
            blocks.append(Paragraph(_listed(section.word("co_leads"),
                                            [", ".join(country.co_leads)])))
    if met:
        blocks.append(Bullets(tuple(f"{section.word('last_met')} {_met_whom(w, p)}"
                                    + f": {long_date(p.last_met)}" for p in met)))
        blocks += _more(section, met)
    if engagements:
        blocks.append(Heading(section.word("engagements_heading"), 2))
        blocks.append(Bullets(tuple(_engagement_line(e) for e in engagements)))
        blocks += _more(section, engagements)
    if not blocks:
        blocks.append(Paragraph(w.empty_text(section)))
    return blocks


def _met_whom(w: _Writer, person: model.Interlocutor) -> str:
    if w.scope.redact_personal:
        return redaction.role_of(person)
    return person.name + (f" ({person.role})" if person.role else "")


def _engagement_line(e: model.Engagement) -> str:
    when = f"{long_date(e.date)}: " if e.date else ""
    return f"{when}{e.title} ({e.level}, {e.status})"


def _scorecard(w: _Writer, section: Section, objectives: Any) -> list[Block]:
    """One line per objective: score, band in words (and colour), coverage, the strongest
    evidence the brief may show and the biggest gap. The workings go to the annex."""
    blocks: list[Block] = []
    visit = w.scope.visit
    for objective, criteria in objectives:
        lines = [_objective_line(section, objective, criteria)]
        if visit is not None and objective.served_by:
            lines.append(_served_by(section, visit, objective.served_by))
        blocks.append(Callout(" ".join(lines), title=_objective_result(objective), kind="rag"))
    unserved = getattr(w.scorecard, "unserved", ())
    if visit is not None and unserved:
        labels = {o.key: o.label for o in w.scorecard.objectives}
        blocks.append(Paragraph(_listed(section.word("unserved"),
                                        [labels.get(u, str(u)) for u in unserved])))
    if not objectives:
        blocks.append(Paragraph(w.empty_text(section)))
    return blocks


def _served_by(section: Section, visit: model.Visit, texts: Iterable[str]) -> str:
    """"Served by visit objectives 1 and 3." (numbered as the steering summary lists them);
    an objective not in the visit's list is quoted."""
    numbers = {o.text: str(i) for i, o in enumerate(visit.objectives, start=1)}
    named = [numbers.get(t, f"\u201c{t}\u201d") for t in dict.fromkeys(texts)]
    label = section.word("served_by_one" if len(named) == 1 else "served_by")
    return f"{label} {joined(named)}."


def _objective_result(objective: Any) -> str:
    """"Euro-Atlantic: 61, Green (100% measured)"; "Growth: Insufficient data (10% measured)"."""
    measured = f"{percent(objective.coverage)} measured"
    if objective.band == INSUFFICIENT:
        return f"{objective.short}: {INSUFFICIENT} ({measured})"
    return f"{objective.short}: {whole(objective.score)}, {objective.band} ({measured})"


def _objective_line(section: Section, objective: Any, criteria: list) -> str:
    """The strongest evidence the brief may show, and the biggest gap, in one sentence each."""
    shown = [(c.weight * e.points, e) for c, kept in criteria if c.measured
             for e in kept if e.points > 0]
    # the reader gets the fact; how much of it was counted is the annex's business
    strongest = max(shown, key=lambda pair: pair[0])[1].text.split("; counted")[0] if shown \
        else section.word("no_evidence")
    gap = objective.biggest_gap()
    if gap is None:
        gap_text = section.word("no_gap")
    elif gap.measured:
        gap_text = f"{gap.label} ({whole(gap.score)} of 100)"
    else:
        gap_text = f"{gap.label} ({gap.status})"
    return (f"{section.word('strongest')}: {strongest}. "
            f"{section.word('gap')}: {gap_text}.")


def _score_annex(w: _Writer, section: Section, objectives: Any) -> list[Block]:
    """How this score was made: every criterion, what was found and its evidence."""
    blocks: list[Block] = []
    for objective, criteria in objectives:
        blocks.append(Heading(w.scorecard.summary_line(objective), 2))
        # the score column already says "no data": the fact says what is missing
        rows = ({"criterion": c.label,
                 "measure": (c.fact or _measured(c)).removeprefix("no data: "),
                 "score": c.score_text(), "weight": number(c.weight),
                 "evidence": "; ".join(_evidence_text(e) for e in kept)
                 or section.word("no_evidence")}
                for c, kept in criteria)
        blocks.append(w.table(section, rows))
    if not objectives:
        blocks.append(Paragraph(w.empty_text(section)))
    return blocks


def _measured(criterion: Any) -> str:
    """What was measured, without the scale (the score column shows the result)."""
    return (criterion.detail or criterion.measure).split("; scale:")[0]


def _evidence_text(evidence: Any) -> str:
    points = whole(evidence.points)
    if not points:
        return evidence.text
    return f"{evidence.text} ({'+' if points > 0 else ''}{points})"


def _when_agreed(agreement: model.Agreement) -> str:
    """The date an agreement was signed, or "announced …" when that is all that is known."""
    if agreement.signed:
        return long_date(agreement.signed)
    return f"announced {long_date(agreement.announced)}" if agreement.announced else ""


def _agreements(w: _Writer, section: Section, records: Any) -> list[Block]:
    return [w.table(section, ({"name": a.name, "kind": a.kind, "signed": _when_agreed(a),
                               "status": a.status, "commits": a.commits,
                               "value": money(a.value_gbp), "jobs": number(a.jobs)}
                              for a in records)), *_more(section, records)]


def _alumni(w: _Writer, section: Section, records: Any) -> list[Block]:
    if w.scope.redact_personal:
        # counted in full, whatever the section's limit: a count names no one
        return [Paragraph(redaction.alumni_summary(records) if records
                          else w.empty_text(section))]
    return [w.table(section, ({"name": a.name, "course": a.course,
                               "institution": a.institution, "year": str(a.year or ""),
                               "appointment": a.appointment}
                              for a in records)), *_more(section, records)]


def _exports(w: _Writer, section: Section, records: Any) -> list[Block]:
    return [w.table(section, ({"programme": e.programme, "company": e.company,
                               "value": money(e.value_gbp), "quantity": number(e.quantity),
                               "jobs": number(e.jobs), "stage": e.stage,
                               "next_milestone": e.next_milestone, "lead": e.lead}
                              for e in records)), *_more(section, records)]


def _sources(w: _Writer, section: Section, payload: Any) -> list[Block]:
    rows = []
    annex = w.scope.floor is not None
    for table, label in TABLE_LABELS.items():
        if table not in w.scope.shown or (annex and not w.scope.shown[table]):
            continue
        # counts only what this brief (or this annex) shows: withheld records stay unseen
        records = list(w.scope.shown[table].values())
        refreshed = w.scope.currency.get("country" if table == "countries" else table)
        rows.append({"table": label, "records": str(len(records)),
                     **(_section_currency(refreshed, section) if refreshed
                        else _currency(records, w.today, section))})
    visit = w.scope.visit
    if visit is not None and visit.updated_at and not annex:
        rows.append({"table": "Visit", "records": "1", **_currency([visit], w.today, section)})
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


def _section_currency(refreshed: model.SectionCurrency, section: Section) -> dict[str, str]:
    """The store's record of a section's last refresh, and whether that is stale."""
    if refreshed.refreshed_at is None:
        return {"refreshed": "", "by": "", "status": section.word("unknown")}
    status = (section.word("stale").replace("{days}", str(refreshed.age_days))
              if refreshed.stale else section.word("current"))
    return {"refreshed": long_date(refreshed.refreshed_at.date()),
            "by": refreshed.refreshed_by, "status": status}


def _currency(records: list[Any], today: dt.date, section: Section) -> dict[str, str]:
    """When the newest record was refreshed, by whom, and whether that is stale."""
    if not records:
        return {"refreshed": "", "by": "", "status": section.word("no_records")}
    days = [(_day(r.updated_at), r) for r in records]
    dated = [(d, r) for d, r in days if d is not None]
    if not dated:
        return {"refreshed": "", "by": "", "status": section.word("unknown")}
    day, newest = max(dated, key=lambda pair: (pair[0], pair[1].updated_at))
    age = (today - day).days
    status = (section.word("stale").replace("{days}", str(age)) if age > STALE_AFTER_DAYS
              else section.word("current"))
    return {"refreshed": long_date(day), "by": newest.updated_by, "status": status}


_BUILD: dict[str, Callable[[_Writer, Section, Any], list[Block]]] = {
    "front_sheet": _front_sheet,
    "summary": _summary,
    "since_last_met": _since,
    "steering_summary": _steering_summary,
    "points_to_make": _bullets,
    "asks": _asks,
    "press_lines": _press,
    "handling": _bullets,
    "programme": _programme,
    "calls": _calls,
    "whos_who": _whos_who,
    "team": _team,
    "logistics": _logistics,
    "contacts": _contacts,
    "relationship_summary": _relationship,
    "scorecard": _scorecard,
    "score_annex": _score_annex,
    "agreements": _agreements,
    "alumni": _alumni,
    "exports": _exports,
    "sources": _sources,
}

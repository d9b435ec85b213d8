"""What a document may show: the one place that decides it.

Every brief, annex and pack reads its release rules here: the ceiling (the lower of the
visit's and the one asked for, and the body's when a sensitive annex takes the rest),
which records a section may show (``Scope.release``), whether the visit's own words may be
shown, which personal data a redacted variant leaves out, and what a score is bound by.
Nothing else computes a ceiling.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import marking, model
from ..errors import BriefpackError
from ..formatting import date_range
from . import redaction

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
        return [r for r in records if within(parse_marking(r.marking), limit)]

    country = country_file.country
    withheld = not parse_marking(country.marking).is_within(limit)
    if withheld:
        # only what names the country stays: its memberships, co-leads, tier, defence
        # section and facts are bound by the record's marking, and so is all derived
        country = model.Country(code=country.code, name=country.name, alpha2=country.alpha2,
                                region=country.region)
    records = {name: keep(spec.records(country_file)) for name, spec in model.TABLES.items()}
    # a section with records left out is no longer complete: none released is not none
    whole = {"country": not withheld} | {
        name: len(kept) == len(model.TABLES[name].records(country_file))
        for name, kept in records.items()}
    complete = {s: as_of for s, as_of in country_file.complete.items() if whole.get(s)}
    return dataclasses.replace(country_file, country=country, country_withheld=withheld,
                               complete=complete, **records)


@lru_cache(maxsize=256)
def parse_marking(text: str) -> marking.Marking:
    return marking.parse(text)


def within(level: marking.Marking, ceiling: marking.Marking) -> bool:
    """``level.is_within(ceiling)`` for a ceiling ``effective_ceiling`` has checked:
    ``is_within`` checks its ceiling again on every call, once per record."""
    return marking.rank(level) <= marking.rank(ceiling)


def body_ceiling(visit: model.Visit | None, ceiling: str | marking.Marking | None,
                 sensitive_annex: bool) -> marking.Marking:
    """The ceiling of a document's main body: the effective ceiling, and no higher than
    OFFICIAL when a sensitive annex holds the rest."""
    limit = effective_ceiling(visit, ceiling)
    return min(limit, marking.OFFICIAL, key=marking.rank) if sensitive_annex else limit


@dataclass
class Scope:
    cf: model.CountryFile
    visit: model.Visit | None
    ceiling: marking.Marking
    #: a sensitive annex's scope shows only records above this level
    floor: marking.Marking | None = None
    redact_personal: bool = False
    #: section ("country" or a table) -> when the store last refreshed it
    currency: dict[str, model.SectionCurrency] = field(default_factory=dict)
    #: without the store's record, records updated longer ago than this are stale
    stale_after_days: int = model.STALE_AFTER_DAYS
    included: list[marking.Marking] = field(default_factory=list)
    #: section index -> keys of the records withheld from it
    withheld: dict[int, set] = field(default_factory=dict)
    #: section index -> keys of the records left out of a redacted brief as personal data
    left_out: dict[int, set] = field(default_factory=dict)
    #: section index -> keys of the records it shows
    shown_at: dict[int, set] = field(default_factory=dict)
    #: table -> {key: record} released and shown somewhere in the brief
    shown: dict[str, dict] = field(default_factory=dict)
    #: the analyst's annex was asked for: the host country's scores may be shown
    scores: bool = False
    #: how the visit serves the strategy here (``scoring.CountryImpact``): its
    #: opportunities are shown only as their records are released
    impact: Any = None

    def shows_section(self, kind: str) -> bool:
        """Whether a section of this kind is built: the score sections (the scorecard and
        how it was made) only in the analyst's annex, on request."""
        return self.scores or kind not in SCORE_KINDS

    def visit_words(self, index: int) -> bool:
        """Whether section ``index`` may show the visit's own words (points, asks …).

        They count as one record at the highest marking of the visit's content for this
        country: above the ceiling they are withheld, and their marking counts towards
        the brief's like any record's.
        """
        if self.visit is None:
            return False
        words = visit_words_of(self.visit)
        return bool(self.release("visit", [words], index))

    def visit_items(self, items: Iterable[Any]) -> tuple[Any, ...]:
        """The visit's items (team, contacts …) as this scope shows them: in a redacted
        document without their personal fields."""
        if not self.redact_personal:
            return tuple(items)
        return tuple(redaction.without_personal_fields(i) for i in items)

    def named_visit(self) -> model.Visit | None:
        """The visit as this document may name it (see ``named_visit``)."""
        return named_visit(self.visit, self.ceiling) if self.visit is not None else None

    def release(self, table: str, records: Iterable[Any], index: int, *,
                below_floor: bool = False, limit: int | None = None) -> Listed:
        """The records this scope shows; the rest are noted as withheld from ``index``
        (above the ceiling) or left out (personal data in a redacted brief).

        Records at or below the floor are skipped silently (the main body shows them)
        unless ``below_floor``. Past ``limit`` shown records, the rest that could be
        shown are only counted (``.more``): a brief lists the most relevant, not all.
        """
        out = Listed()
        shown = self.shown.setdefault(table, {})
        for record in records:
            key = (table, record_key(record))
            try:
                level = parse_marking(record.marking)
            except marking.MarkingError as exc:
                raise BriefpackError(f"{table} record {key[1]}: marking "
                                     f"{record.marking!r}: {exc}") from None
            if not within(level, self.ceiling):
                self.withheld.setdefault(index, set()).add(key)
                continue
            if self.floor is not None and not below_floor and within(level, self.floor):
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
            if self.redact_personal:
                record = redaction.without_personal_fields(record)
            out.append(record)
            self.included.append(level)
            shown[key[1]] = record
            self.shown_at.setdefault(index, set()).add(key)
        return out

    def releasable(self, table: str, records: Iterable[Any]) -> list[Any]:
        """The records this scope could show, noting nothing: for a section that picks
        a few (a summary) where the records are counted as withheld where listed in full,
        not twice."""
        levels = ((r, parse_marking(r.marking)) for r in records)
        return [r for r, level in levels if within(level, self.ceiling) and not (
            self.redact_personal and redaction.is_personal(table, level))]

    def annex_scope(self, ceiling: marking.Marking) -> Scope:
        """The scope of a sensitive annex to this (main body's) scope: what is above this
        scope's ceiling, up to ``ceiling``."""
        return Scope(self.cf, self.visit, ceiling, floor=self.ceiling,
                     redact_personal=self.redact_personal, currency=self.currency,
                     stale_after_days=self.stale_after_days)

    def take_back(self, annex: Scope) -> None:
        """Settle what the main body withheld once ``annex`` (its ``annex_scope``) has
        gathered: what moved to the annex is no longer withheld; what is above the
        annex's ceiling is withheld from the body's sections, and what the annex left out
        as personal data counts as left out."""
        moved = {(table, key) for table, records in annex.shown.items() for key in records}
        for index in list(self.withheld):
            self.withheld[index] -= moved
            self.withheld[index] |= annex.withheld.pop(index, set())
            if not self.withheld[index]:
                del self.withheld[index]
        for index, keys in annex.withheld.items():
            self.withheld.setdefault(index, set()).update(keys)
        for index, keys in annex.left_out.items():
            self.left_out.setdefault(index, set()).update(keys)

    def personal_shown(self) -> int:
        """How many records holding personal data this scope shows."""
        return sum(1 for table, records in self.shown.items() for r in records.values()
                   if redaction.is_personal(table, parse_marking(r.marking)))

    def above_ceiling(self, table: str, record_id: Any) -> Any | None:
        """The record ``table``/``record_id`` if the brief may not show it."""
        record = self.find(table, record_id)
        if record is None or within(parse_marking(record.marking), self.ceiling):
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


class Listed(list):
    """Records a section lists, and how many more it could have listed (``more``)."""

    more: int = 0


def record_key(record: Any) -> Any:
    if isinstance(record, model.Country):
        return record.code
    return record.id if record.id is not None else f"unsaved-{id(record)}"


@dataclass(frozen=True)
class VisitWords:
    """The visit's own words for one country, as one record at their combined marking."""

    id: str
    marking: str
    source: str = ""
    updated_at: str = ""
    updated_by: str = ""


@lru_cache(maxsize=64)
def _words_cached(key: str, markings: tuple[str, ...], updated_at: str,
                  updated_by: str) -> VisitWords:
    return VisitWords(key, str(marking.combine(*markings)), updated_at=updated_at,
                      updated_by=updated_by)


def visit_words_of(visit: model.Visit) -> VisitWords:
    try:
        return _words_cached(f"{visit.id or visit.title}:{visit.start}",
                             visit.content_markings(), visit.updated_at, visit.updated_by)
    except marking.MarkingError as exc:
        raise BriefpackError(f"visit {visit.title!r}: marking: {exc}") from None


#: the section kinds that grade the host country: built only for the analyst's annex
SCORE_KINDS = frozenset({"scorecard", "score_annex"})


def bind_scores(scope: Scope, scorecard: Any) -> None:
    """A score is bound by the markings of the records it derives from, wherever shown."""
    for text in getattr(scorecard, "markings", ()):
        level = parse_marking(text)
        if scope.redact_personal:  # a score names no one, as a count names no one
            level = redaction.without_personal_data(level)
        if not level.is_within(scope.ceiling):
            # a score derived from withheld records would hint at them: never shown
            raise BriefpackError(f"the scorecard derives from records marked {level}, above "
                                 f"this document's ceiling {scope.ceiling}; score the "
                                 "released records only (released_country_file)")
        if scope.floor is None or not level.is_within(scope.floor):
            scope.included.append(level)




# -- the visit's words and names -----------------------------------------------------------

#: the visit's principal where the visit's marking is above what a document may hold
WITHHELD_PRINCIPAL = "The principal"


def words_marking(visit: model.Visit, code: str = "") -> marking.Marking:
    """The marking of the visit's words for country ``code`` (the visit's own marking and
    that country's section's, as its brief counts them); with no code, the tour-wide
    words' (the visit's marking)."""
    if not code:
        try:
            return parse_marking(visit.marking)
        except marking.MarkingError as exc:
            raise BriefpackError(f"visit {visit.title!r}: marking: {exc}") from None
    return parse_marking(visit_words_of(visit.for_country(code)).marking)


def named_visit(visit: model.Visit, ceiling: marking.Marking) -> model.Visit:
    """The visit as a document under ``ceiling`` may name it on its cover, front sheet,
    headers and file properties.

    The title, principal and owning team are the visit's words, at the visit's marking:
    above the ceiling they give way to neutral words (the dates and destinations stay).
    """
    if within(words_marking(visit), ceiling):
        return visit
    return dataclasses.replace(visit, title=f"Visit, {date_range(visit.start, visit.end)}",
                               principal=WITHHELD_PRINCIPAL, owning_team="")


@dataclass
class TourScope:
    """What a pack's steering brief may show of the visit.

    The tour-wide words (purpose, objectives, lines, asks …) at the visit's marking; each
    item placed in a country (programme, team, logistics, contacts) at that country's
    words' marking, as the country's own brief shows it; an item for the whole visit at
    the visit's. A redacted pack leaves each item's personal fields out.
    """

    visit: model.Visit
    ceiling: marking.Marking
    redact_personal: bool = False
    #: the markings of what the steering brief shows
    included: list[marking.Marking] = field(default_factory=list)
    #: codes of the countries whose placed items were withheld
    withheld_for: list[str] = field(default_factory=list)

    def tour_words(self) -> bool:
        """Whether the tour-wide words may be shown (their marking then counts)."""
        level = words_marking(self.visit)
        if not within(level, self.ceiling):
            return False
        self.included.append(level)
        return True

    def may_show(self, code: str) -> bool:
        """Whether the items placed in country ``code`` ("" the whole visit) may be shown."""
        return within(words_marking(self.visit, code), self.ceiling)

    def items(self, items: Iterable[Any]) -> list[Any]:
        """The placed items the steering brief may show, personal fields left out of a
        redacted pack; the countries of the others are noted."""
        shown = []
        for item in items:
            if not self.may_show(item.country):
                if item.country not in self.withheld_for:
                    self.withheld_for.append(item.country)
                continue
            self.included.append(words_marking(self.visit, item.country))
            shown.append(redaction.without_personal_fields(item) if self.redact_personal
                         else item)
        return shown

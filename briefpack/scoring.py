"""Score a country against the strategy's priorities, with the evidence behind each score.

Pure functions, no I/O: ``today`` is passed in (``date.today()`` only when left out).
Each criterion measures something in a ``CountryFile`` (see ``priorities.MEASURES``), its
scale turns that into 0-100 points, and the records that moved it are kept as Evidence,
each with its share of the criterion's points (the shares add up to the points).

Absence of evidence is not evidence of absence: a criterion is *measured* only by positive
evidence (a record or fact that counts towards it), or where the data's owner declared the
section it reads complete ("agreements: complete as of 2026-03-01"), where "none recorded"
means none. Otherwise it has *no data*; or it is *not applicable* (its ``applies_to``
excludes the country).

Monotone by construction: adding a record can only add evidence, so it never lowers a
criterion (scales are checked to rise with the evidence); an objective's score is the
points its criteria's evidence earns out of all of its applicable weight (a criterion with
no data earns nothing, it is not averaged away), and the overall score likewise out of the
objectives' weights. So a score is what the evidence backs, and *coverage* says how much
of the weight was measured. A band is Green or Amber when the evidence alone reaches it;
below Amber it is Red only when at least the priorities' minimum coverage was measured,
else "Insufficient data" (see data/priorities.yaml).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from . import model
from .priorities import (
    INSUFFICIENT_BAND, MEASURES, Criterion, Filter, Objective, Priorities, Source)
from .formatting import long_date, money

# -- public types ------------------------------------------------------------------------


MEASURED = "measured"
NO_DATA = "no data"
NOT_APPLICABLE = "not applicable"
INSUFFICIENT = INSUFFICIENT_BAND


@dataclass(frozen=True)
class Evidence:
    """A fact that moved a criterion, and by how many of its 0-100 points."""

    text: str
    points: float
    table: str = ""
    record_id: object = None
    #: the protective marking of the record the fact comes from
    marking: str = model.DEFAULT_MARKING


@dataclass(frozen=True)
class CriterionScore:
    key: str
    label: str
    measure: str
    score: float
    weight: float
    evidence: tuple[Evidence, ...]
    #: what was measured and the scale used, in words (``score --explain``)
    detail: str
    #: MEASURED, NO_DATA or NOT_APPLICABLE; only a measured criterion counts
    status: str = MEASURED
    #: what was found, in a reader's words (no scale, no formula)
    fact: str = ""
    #: the sentence of the strategy the criterion serves
    serves: str = ""
    #: markings of the records the result derives from (found or not)
    markings: tuple[str, ...] = ()

    @property
    def measured(self) -> bool:
        return self.status == MEASURED

    def score_text(self) -> str:
        """"40", "no data" or "not applicable"."""
        return str(whole(self.score)) if self.measured else self.status


@dataclass(frozen=True)
class ObjectiveScore:
    key: str
    label: str
    score: float
    band: str
    weight: float
    criteria: tuple[CriterionScore, ...]
    #: texts of the visit's objectives tagged with this objective's key
    served_by: tuple[str, ...] = ()
    #: a few words for narrow places (the priorities' ``short``; else the label)
    short: str = ""
    #: share (0-1) of the applicable criteria's weight that was measured
    coverage: float = 1.0

    @property
    def sufficient(self) -> bool:
        return self.band != INSUFFICIENT

    def biggest_gap(self) -> CriterionScore | None:
        """The criterion costing most weight: lowest measured points, or no data at all."""
        lost = [(c.weight * (100 - c.score if c.measured else 100), c)
                for c in self.criteria if c.status != NOT_APPLICABLE and c.weight > 0]
        lost = [pair for pair in lost if pair[0] > 0]
        return max(lost, key=lambda t: t[0])[1] if lost else None


@dataclass(frozen=True)
class Scorecard:
    country_code: str
    country_name: str
    overall: float
    band: str
    objectives: tuple[ObjectiveScore, ...]
    #: labels of weighted objectives that no visit objective is tagged with
    unserved: tuple[str, ...] = ()
    visit_title: str = ""
    #: share (0-1) of the overall weight that was measured
    coverage: float = 1.0
    #: markings of every record the scores derive from: the scorecard is bound by them
    markings: tuple[str, ...] = ()

    @property
    def sufficient(self) -> bool:
        return self.band != INSUFFICIENT

    def objective(self, key: str) -> ObjectiveScore:
        for objective in self.objectives:
            if objective.key == key:
                return objective
        raise KeyError(key)

    def summary_line(self, objective: ObjectiveScore | str) -> str:
        """"Deter and defend in the Euro-Atlantic: 82 (Green), 85% measured"."""
        if isinstance(objective, str):
            objective = self.objective(objective)
        result = result_text(objective.score, objective.band, objective.coverage)
        return f"{objective.label}: {result}"

    def overall_line(self) -> str:
        return f"Overall: {result_text(self.overall, self.band, self.coverage)}"


def whole(score: float) -> int:
    """A score as shown to people: rounded half up to a whole number."""
    return math.floor(score + 0.5)


def percent(share: float) -> str:
    """A coverage as people read it: "85%"."""
    return f"{whole(100 * share)}%"


def result_text(value: float, band: str, coverage: float) -> str:
    """"82 (Green), 85% measured"; "Insufficient data (24% measured)" below the minimum."""
    if band == INSUFFICIENT:
        return f"{INSUFFICIENT} ({percent(coverage)} measured)"
    return f"{whole(value)} ({band}), {percent(coverage)} measured"


def band_for(score: float, priorities: Priorities, coverage: float = 1.0) -> str:
    """The band word: "Green", "Amber" or "Red"; "Insufficient data" below the coverage."""
    return priorities.bands.band(score, coverage)


# -- scoring -----------------------------------------------------------------------------


def score(country_file: model.CountryFile, priorities: Priorities,
          visit: model.Visit | None = None, *, today: dt.date | None = None) -> Scorecard:
    """Score one country; with a visit, show which objectives its own objectives serve."""
    today = today or dt.date.today()
    served = _served_by(visit, priorities)
    objectives = tuple(_score_objective(country_file, o, priorities, today, served.get(o.key, ()))
                       for o in priorities.objectives)
    # out of every applicable objective's weight: an objective with no evidence earns 0
    applicable = [o for o in objectives if _applicable(o)]
    overall = _share((o.score, o.weight) for o in applicable)
    total = sum(o.weight for o in applicable)
    coverage = sum(o.weight * o.coverage for o in applicable) / total if total > 0 else 0.0
    unserved = () if visit is None else tuple(
        o.label for o in priorities.objectives if o.weight > 0 and not served.get(o.key))
    markings = tuple(dict.fromkeys(m for o in objectives for c in o.criteria
                                   for m in c.markings))
    return Scorecard(
        country_code=country_file.country.code, country_name=country_file.country.name,
        overall=overall, band=band_for(overall, priorities, coverage), objectives=objectives,
        unserved=unserved, visit_title=visit.title if visit else "", coverage=coverage,
        markings=markings)


def rank(country_files: Iterable[model.CountryFile], priorities: Priorities, *,
         today: dt.date | None = None) -> list[Scorecard]:
    """Score every country: those with enough data best first, then the insufficient-data
    ones apart, best covered first (ties by name)."""
    today = today or dt.date.today()
    cards = [score(cf, priorities, today=today) for cf in country_files]
    cards.sort(key=rank_key)
    return cards


def numbered(cards: Iterable[Scorecard]) -> list[tuple[int | None, Scorecard]]:
    """The one rule for numbering a ranking, in the CLI, the app and the README alike:
    countries with enough data are numbered 1, 2, 3 …; "Insufficient data" ones are listed
    after them unnumbered (their place would claim a comparison the data cannot make)."""
    out: list[tuple[int | None, Scorecard]] = []
    place = 0
    for card in cards:
        if card.sufficient:
            place += 1
        out.append((place if card.sufficient else None, card))
    return out


def rank_key(card: Scorecard) -> tuple:
    """Sufficient data first, by score; then insufficient data, by coverage and score."""
    if card.sufficient:
        return (0, -card.overall, 0.0, card.country_name)
    return (1, -card.coverage, -card.overall, card.country_name)


def _applicable(objective: ObjectiveScore) -> bool:
    return any(c.status != NOT_APPLICABLE and c.weight > 0 for c in objective.criteria)


def unknown_tags(visit: model.Visit, priorities: Priorities) -> list[str]:
    """Tags on the visit's objectives that name no objective in the priorities."""
    keys = {o.key for o in priorities.objectives}
    return [f"{vo.text!r} is tagged {tag!r}, which is not an objective key "
            f"(expected one of: {', '.join(sorted(keys))})"
            for vo in visit.objectives for tag in vo.tags if _tag(tag) not in keys]


def _tag(text: str) -> str:
    return text.strip().lower()


def _served_by(visit: model.Visit | None, priorities: Priorities) -> dict[str, tuple[str, ...]]:
    if visit is None:
        return {}
    served: dict[str, list[str]] = {o.key: [] for o in priorities.objectives}
    for vo in visit.objectives:
        for key in dict.fromkeys(_tag(t) for t in vo.tags):
            if key in served:
                served[key].append(vo.text)
    return {key: tuple(texts) for key, texts in served.items()}


def _score_objective(cf: model.CountryFile, objective: Objective, priorities: Priorities,
                     today: dt.date, served_by: tuple[str, ...]) -> ObjectiveScore:
    criteria = tuple(_score_criterion(cf, c, priorities, today) for c in objective.criteria)
    # the points the evidence earns out of all the applicable weight: no data earns none
    value = _share((c.score if c.measured else 0.0, c.weight)
                   for c in criteria if c.status != NOT_APPLICABLE)
    applicable = sum(c.weight for c in criteria if c.status != NOT_APPLICABLE)
    measured = sum(c.weight for c in criteria if c.measured)
    coverage = measured / applicable if applicable > 0 else 0.0
    return ObjectiveScore(key=objective.key, label=objective.label,
                          short=objective.short or objective.label, score=value,
                          band=band_for(value, priorities, coverage), weight=objective.weight,
                          criteria=criteria, served_by=served_by, coverage=coverage)


def _share(pairs: Iterable[tuple[float, float]]) -> float:
    """The weighted mean of (points, weight) pairs; 0 when no weight."""
    pairs = list(pairs)
    total = sum(weight for _, weight in pairs)
    if total <= 0:
        return 0.0
    return _clamp(sum(value * weight for value, weight in pairs) / total)


def _clamp(value: float) -> float:
    return min(100.0, max(0.0, value))


def _score_criterion(cf: model.CountryFile, criterion: Criterion, priorities: Priorities,
                     today: dt.date) -> CriterionScore:
    def result(points: float, evidence: list[Evidence], detail: str, status: str,
               fact: str, markings: Iterable[str] = ()) -> CriterionScore:
        return CriterionScore(key=criterion.key, label=criterion.label,
                              measure=criterion.measure, score=_clamp(points),
                              weight=criterion.weight, evidence=tuple(evidence), detail=detail,
                              status=status, fact=fact, serves=criterion.serves,
                              markings=tuple(dict.fromkeys(markings)))

    if criterion.applies_to:
        where = ", ".join(f.describe() for f in criterion.applies_to)
        if cf.country_withheld:
            return result(0.0, [], f"the country record is withheld; applies only to "
                          f"countries with {where}", NO_DATA, WITHHELD_FACT)
        if not _matcher(criterion.applies_to)(cf.country):
            fact = f"applies only to countries with {where}"
            return result(0.0, [], fact, NOT_APPLICABLE, fact,
                          [cf.country.marking])
    if cf.country_withheld and MEASURES[criterion.measure].table == "" \
            and not criterion.also:
        return result(0.0, [], WITHHELD_FACT, NO_DATA, WITHHELD_FACT)
    measured = _measure(cf, criterion, priorities, today)
    if measured.value is None and criterion.scale.missing is None:
        return result(0.0, [], measured.fact, NO_DATA, measured.fact, measured.markings)
    points = criterion.scale.points(measured.value)
    detail = f"{measured.fact}; scale: {criterion.scale.describe(_value_format(criterion))}"
    if measured.items is not None:
        evidence = _attribute(measured.items, points, criterion)
    elif points > 0 and measured.single is not None:
        evidence = [_evidence(measured.single, points, criterion)]
    else:
        evidence = []
    return result(points, evidence, detail, MEASURED, measured.plain or measured.fact,
                  measured.markings)


WITHHELD_FACT = "no data: the country's own record is marked above this document's ceiling"


# -- measures ----------------------------------------------------------------------------


class _Item(NamedTuple):
    """One record's share of an additive measured value."""

    amount: float
    table: str
    record: Any


@dataclass
class _Measured:
    """What a measure found. ``value`` None: nothing to measure with (no data)."""

    value: float | str | None
    #: what was measured, in words, with any formula (``score --explain``)
    fact: str
    #: additive measures: each record's share of the value (None: not additive)
    items: list[_Item] | None = None
    #: non-additive measures: the one fact behind the value
    single: _Item | None = None
    #: what was found in a reader's words, when ``fact`` carries a formula
    plain: str = ""
    #: markings of the records the value derives from
    markings: tuple[str, ...] = ()


def _held(cf: model.CountryFile, table: str) -> list[Any]:
    return model.TABLES[table].records(cf)


def _records(cf: model.CountryFile, criterion: Criterion,
             extra: Callable[[Any], bool] | None = None) -> list[Any]:
    match = _matcher(criterion.filters)
    return [r for r in _held(cf, criterion.table) if match(r) and (extra is None or extra(r))]


def _measure(cf: model.CountryFile, criterion: Criterion, priorities: Priorities,
             today: dt.date) -> _Measured:
    """What the criterion's measure finds, with what its ``also`` sources find counted in."""
    main = _MEASURE_FUNCTIONS[criterion.measure](cf, criterion, priorities, today)
    if not criterion.also:
        return main
    parts = [(1.0, main, "")] + [(s.counts, _source(cf, criterion, s, priorities, today), s.why)
                                 for s in criterion.also]
    markings = tuple(dict.fromkeys(m for _, part, _ in parts for m in part.markings))
    found = [(counts, part, why) for counts, part, why in parts if part.value]
    if not found:
        known = all(part.value is not None for _, part, _ in parts)
        fact = "; ".join(part.fact for _, part, _ in parts)
        if known:
            return _Measured(0.0, fact, items=[], markings=markings)
        unknown = "; ".join(part.fact.removeprefix("no data: ") for _, part, _ in parts)
        return _Measured(None, "no data: " + unknown, markings=markings)
    value = sum(counts * float(part.value or 0) for counts, part, _ in found)
    items = [_Item(i.amount * counts, i.table, i.record)
             for counts, part, _ in found for i in part.items or []]
    plain = "; ".join(part.plain or part.fact for _, part, _ in found)
    fact = "; ".join((part.plain or part.fact) + (f" (counted as {_show_count(counts)}: {why})"
                                                  if why else "")
                     for counts, part, why in found)
    return _Measured(value, fact, items=items, plain=plain, markings=markings)


def _source(cf: model.CountryFile, criterion: Criterion, source: Source,
            priorities: Priorities, today: dt.date) -> _Measured:
    if cf.country_withheld and MEASURES[source.measure].table == "":
        return _Measured(None, WITHHELD_FACT)
    counted = dataclasses.replace(criterion, measure=source.measure, table=source.table
                                  or (MEASURES[source.measure].table or ""),
                                  formats=source.formats, filters=source.filters, also=())
    return _MEASURE_FUNCTIONS[source.measure](cf, counted, priorities, today)


def _show_count(counts: float) -> str:
    text = f"{counts:g}"
    return f"{text} each" if counts != 1 else "1 each"


def _absent(cf: model.CountryFile, section: str, found: str, records: Iterable[Any] = (),
            *, value: float = 0.0) -> _Measured:
    """No positive evidence: a measured ``value`` (0) where the data's owner declared
    ``section`` complete, else no data. ``found`` says what was looked for, e.g. "0
    agreements with status active"."""
    as_of = cf.complete.get(section)
    name = _section_name(section)
    if as_of is not None:
        return _Measured(value, f"{found}; {name} declared complete as of {_date(as_of)}",
                         items=[], markings=_marks(records) or (cf.country.marking,))
    return _Measured(None, f"no data: {found}; {name} not declared complete",
                     markings=_marks(records))


def _section_name(section: str) -> str:
    return "the country's facts" if section == "country" else model.TABLES[section].plural


def _count_of(n: int, table: str, criterion: Criterion, qualifier: str = "") -> str:
    spec = model.TABLES[table]
    noun = spec.noun if n == 1 else spec.plural
    where = ", ".join(f.describe() for f in criterion.filters)
    text = f"{n} {qualifier}{noun}"
    return f"{text} with {where}" if where else text


def _fact_item(cf: model.CountryFile, kind: str, value: Any, amount: float = 1.0) -> _Item:
    """A fact from the country's own record, carrying that record's marking."""
    return _Item(amount, "countries", (kind, value, cf.country.code, cf.country.marking))


def _marks(records: Iterable[Any]) -> tuple[str, ...]:
    """The markings a result is bound by. A record-based result derives from every record
    of its table held: even "none matching" is measured only because they exist."""
    return tuple(dict.fromkeys(r.marking for r in records))


def _membership(cf, criterion, priorities, today) -> _Measured:
    wanted = criterion.formats or cf.country.memberships
    held = [f for f in cf.country.memberships if f in wanted]
    marks = (cf.country.marking,)
    if not held and wanted and all(f in model.PARTIAL_FORMATS for f in wanted):
        # these lists hold only the members the strategy names: absence is not known
        return _Measured(None, "no data: membership of " + ", ".join(wanted)
                         + " is recorded only where the strategy names it", markings=marks)
    if criterion.formats:
        fact = (f"member of {len(held)} of {len(wanted)}: {', '.join(held)}" if held
                else f"member of none of: {', '.join(wanted)}")
    else:
        fact = f"member of {len(held)} formats" + (f": {', '.join(held)}" if held else "")
    items = [_fact_item(cf, "membership", f) for f in held]
    return _Measured(float(len(held)), fact, items=items, markings=marks)


def _co_leadership(cf, criterion, priorities, today) -> _Measured:
    wanted = {f.casefold() for f in criterion.formats}
    led = [f for f in cf.country.co_leads if not wanted or f.casefold() in wanted]
    if not led:
        what = ("co-leads none of: " + ", ".join(criterion.formats) if criterion.formats
                else "co-leads no format with the UK")
        return _absent(cf, "country", what, [cf.country])
    fact = f"co-leads {len(led)} with the UK: {', '.join(led)}"
    items = [_fact_item(cf, "co_lead", f) for f in led]
    return _Measured(float(len(led)), fact, items=items, markings=(cf.country.marking,))


def _strategic_agreements(cf, criterion, priorities, today) -> _Measured:
    found = _records(cf, criterion, lambda a: a.strategic and a.status == "active")
    fact = _count_of(len(found), "agreements", criterion, "active strategic ")
    if not found:
        return _absent(cf, "agreements", fact, _held(cf, "agreements"))
    return _Measured(float(len(found)), fact, markings=_marks(_held(cf, "agreements")),
                     items=[_Item(1.0, "agreements", a) for a in found])


def _record_count(cf, criterion, priorities, today) -> _Measured:
    found = _records(cf, criterion)
    fact = _count_of(len(found), criterion.table, criterion)
    if not found:
        return _absent(cf, criterion.table, fact, _held(cf, criterion.table))
    return _Measured(float(len(found)), fact,
                     items=[_Item(1.0, criterion.table, r) for r in found],
                     markings=_marks(_held(cf, criterion.table)))


def _record_sum(cf, criterion, priorities, today) -> _Measured:
    name = criterion.field
    matching = _records(cf, criterion)
    found = [r for r in matching if (getattr(r, name) or 0) > 0]
    if not found:
        # records that may count but whose amount is not known count for nothing
        unrecorded = [r for r in matching if getattr(r, name) is None]
        what = (f"{_field_noun(name)} not recorded for "
                + _count_of(len(unrecorded), criterion.table, criterion) if unrecorded
                else f"no {_field_noun(name)} from "
                + _count_of(len(matching), criterion.table, criterion))
        return _absent(cf, criterion.table, what, _held(cf, criterion.table))
    total = float(sum(getattr(r, name) for r in found))
    fact = f"{_amount(total, name)} {_field_noun(name)} from " + \
        _count_of(len(found), criterion.table, criterion)
    return _Measured(total, fact, markings=_marks(_held(cf, criterion.table)),
                     items=[_Item(float(getattr(r, name)), criterion.table, r) for r in found])


def _export_pipeline(cf, criterion, priorities, today) -> _Measured:
    shares = dict(criterion.stages)
    matching = _records(cf, criterion, lambda e: bool(shares.get(e.stage)))
    found = [e for e in matching if (e.value_gbp or 0) > 0]
    if not found:
        unrecorded = [e for e in matching if e.value_gbp is None]
        what = ("value not recorded for " if unrecorded else "no value from ") + \
            _count_of(len(unrecorded or matching), "export_opportunities", criterion)
        return _absent(cf, "export_opportunities", what, _held(cf, "export_opportunities"))
    items = [_Item(e.value_gbp * shares[e.stage], "export_opportunities", e) for e in found]
    total = sum(i.amount for i in items)
    stages = ", ".join(f"{stage} {share:g}" for stage, share in criterion.stages)
    counted = f"{_money(total)} counted from " + _count_of(len(found), "export_opportunities",
                                                           criterion)
    return _Measured(total, counted + f" (share of value counted by stage: {stages})",
                     items=items, plain=counted,
                     markings=_marks(_held(cf, "export_opportunities")))


def _days_since_engagement(cf, criterion, priorities, today) -> _Measured:
    matching = _records(cf, criterion)
    dated = [e for e in matching if e.date is not None]
    if not dated:
        where = ", ".join(f.describe() for f in criterion.filters)
        what = "engagement" + (f" with {where}" if where else "")
        # declared complete and none dated: as long ago as the scale reaches
        found = f"{len(matching)} {what} recorded, none dated" if matching else f"no {what}"
        return _absent(cf, "engagements", found, _held(cf, "engagements"), value=math.inf)
    latest = max(dated, key=lambda e: (e.date, e.id or 0))
    days = max(0, (today - latest.date).days)
    fact = f"latest {days} days before {_date(today)}, on {_date(latest.date)}"
    return _Measured(float(days), fact, single=_Item(days, "engagements", latest),
                     markings=_marks(_held(cf, "engagements")))


def _senior_alumni(cf, criterion, priorities, today) -> _Measured:
    found = _records(cf, criterion, lambda a: a.senior)
    fact = _count_of(len(found), "alumni", criterion, "senior ")
    if not found:
        return _absent(cf, "alumni", fact, _held(cf, "alumni"))
    return _Measured(float(len(found)), fact,
                     items=[_Item(1.0, "alumni", a) for a in found],
                     markings=_marks(_held(cf, "alumni")))


def _defence_section(cf, criterion, priorities, today) -> _Measured:
    section = cf.country.defence_section
    if section == "unknown":
        return _Measured(None, "no data: UK defence section not set",
                         markings=(cf.country.marking,))
    return _Measured(section, f"UK defence section: {section}", markings=(cf.country.marking,),
                     single=_fact_item(cf, "defence_section", section, 0))


def _region_weight(cf, criterion, priorities, today) -> _Measured:
    region = cf.country.region
    weight = priorities.region_weight(region)
    return _Measured(weight, f"{region}, weight of effort {weight:g}",
                     plain=f"{region}, where the strategy puts weight of effort {weight:g}",
                     markings=(cf.country.marking,),
                     single=_fact_item(cf, "region", region, weight))


def _priority_tier(cf, criterion, priorities, today) -> _Measured:
    tier = cf.country.priority_tier
    if tier is None:
        return _Measured(None, "no data: priority tier not set",
                         markings=(cf.country.marking,))
    return _Measured(str(tier), f"priority tier {tier}", markings=(cf.country.marking,),
                     single=_fact_item(cf, "priority_tier", tier, tier))


_MEASURE_FUNCTIONS: dict[str, Callable[..., _Measured]] = {
    "membership": _membership,
    "co_leadership": _co_leadership,
    "strategic_agreements": _strategic_agreements,
    "record_count": _record_count,
    "record_sum": _record_sum,
    "export_pipeline": _export_pipeline,
    "days_since_engagement": _days_since_engagement,
    "senior_alumni": _senior_alumni,
    "defence_section": _defence_section,
    "region_weight": _region_weight,
    "priority_tier": _priority_tier,
}
assert set(_MEASURE_FUNCTIONS) == set(MEASURES), "every measure in the vocabulary is scored"


@lru_cache(maxsize=512)
def _matcher(filters: tuple[Filter, ...]) -> Callable[[Any], bool]:
    """One predicate for all of a criterion's filters (compiled once per filter set)."""
    tests = []
    for f in filters:
        wanted = frozenset(f.values)
        name = f.field

        def test(record: Any, name: str = name, wanted: frozenset = wanted) -> bool:
            value = getattr(record, name)
            if isinstance(value, tuple):
                return any(v in wanted for v in value)
            return value in wanted

        tests.append(test)
    return lambda record: all(t(record) for t in tests)


# -- evidence ----------------------------------------------------------------------------


def _attribute(items: list[_Item], points: float, criterion: Criterion) -> list[Evidence]:
    """Share the points among the records, largest first, up to what the scale counts."""
    if points <= 0 or not items:
        return []
    counted = criterion.scale.counted(sum(i.amount for i in items))
    if counted <= 0:
        return []
    evidence, used = [], 0.0
    for item in sorted(items, key=lambda i: -i.amount):
        if used >= counted:
            break
        share = min(item.amount, counted - used)
        used += share
        evidence.append(_evidence(item, points * share / counted, criterion))
    return evidence


def _evidence(item: _Item, points: float, criterion: Criterion) -> Evidence:
    record = item.record
    if item.table == "countries":
        kind, value, code, marked = record
        return Evidence(_country_fact(kind, value), points, "countries", code, marked)
    text = _describe(item.table, record)
    if criterion.measure == "record_sum":
        text += f": {_amount(item.amount, criterion.field)} {_field_noun(criterion.field)}"
    elif criterion.measure == "export_pipeline":
        counted = "in full" if item.amount >= (record.value_gbp or 0) else \
            f"{_money(item.amount)} ({item.amount / record.value_gbp:.0%} of value)"
        text += f"; counted {counted}"
    elif criterion.measure == "days_since_engagement":
        text += f" ({item.amount} days ago)"
    return Evidence(text, points, item.table, record.id, record.marking)


def _country_fact(kind: str, value: Any) -> str:
    return {
        "membership": f"Member of {value}",
        "co_lead": f"Co-leads the {value} with the UK",
        "defence_section": f"UK defence section: {value}",
        "region": f"Region: {value}",
        "priority_tier": f"Priority tier {value}",
    }[kind]


def _describe(table: str, r: Any) -> str:
    """One line naming a record, e.g. "Lunna House, signed 4 December 2025, active ..."."""
    if table == "agreements":
        kind = "strategic agreement" if r.strategic else r.kind
        signed = (f", signed {_date(r.signed)}" if r.signed else
                  f", announced {_date(r.announced)}" if r.announced else "")
        return f"{r.name}{signed}, {r.status} {kind}"
    if table == "export_opportunities":
        company = f" ({r.company})" if r.company else ""
        value = f", {_money(r.value_gbp)}" if r.value_gbp else ""
        return f"{r.programme}{company}, {r.stage}{value}"
    if table == "engagements":
        when = _date(r.date) if r.date else "date not recorded"
        return f"{r.title}, {r.level}, {when}"
    if table == "alumni":
        course = ", ".join(str(p) for p in (r.course, r.institution, r.year) if p)
        return f"{r.name}, {r.appointment or 'appointment not recorded'}" + \
            (f" ({course})" if course else "")
    return f"{r.name}, {r.role}" if r.role else r.name


def _value_format(criterion: Criterion) -> Callable[[float], str] | None:
    """Money measures show their scale in pounds."""
    if criterion.measure == "export_pipeline" or criterion.field == "value_gbp":
        return _money
    return None


_date = long_date


def _field_noun(name: str) -> str:
    return {"value_gbp": "in value", "jobs": "jobs"}.get(name, name.replace("_", " "))


def _amount(value: float, field: str) -> str:
    if field == "value_gbp":
        return _money(value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _money(value: float | None) -> str:
    return money(value or 0)


# -- scoring a visit ------------------------------------------------------------------------
#
# The planner's tool: for a visit, and each country and call in it, which of the strategy's
# objectives it serves and through which live opportunities in that country; and what it
# leaves on the table. It grades the visit's use of the relationship, never the partner.


@dataclass(frozen=True)
class Opportunity:
    """A live record (or fact) of a country that is evidence for a priority objective: an
    agreement to implement, an export by stage and value, a coalition or activity under way,
    a senior alumnus, a format co-led with the UK."""

    text: str
    table: str
    record_id: object
    #: keys of the weighted objectives it is evidence for
    objectives: tuple[str, ...]
    #: the record's own date (signed or announced, the engagement's), None if it has none
    date: dt.date | None = None
    marking: str = model.DEFAULT_MARKING
    #: the words a visit would use to mention it ("Lunna House", "Maritime Capability
    #: Coalition")
    name: str = ""


@dataclass(frozen=True)
class ObjectiveServed:
    key: str
    label: str
    #: the visit's objectives tagged with it
    by: tuple[str, ...]
    #: the live opportunities serving it that the visit mentions
    through: tuple[Opportunity, ...]


@dataclass(frozen=True)
class CallImpact:
    """One call of the programme: the opportunities it mentions and the objectives they
    serve."""

    label: str
    objectives: tuple[str, ...]
    opportunities: tuple[Opportunity, ...]


@dataclass(frozen=True)
class CountryImpact:
    code: str
    name: str
    serves: tuple[ObjectiveServed, ...]
    #: labels of the weighted objectives nothing in the visit serves for this country
    unserved: tuple[str, ...]
    calls: tuple[CallImpact, ...]
    #: live opportunities serving a priority objective that no objective, ask or call of
    #: the visit mentions: "You could also raise"
    left_on_table: tuple[Opportunity, ...]
    markings: tuple[str, ...] = ()


@dataclass(frozen=True)
class VisitImpact:
    title: str
    countries: tuple[CountryImpact, ...]

    def country(self, code: str) -> CountryImpact:
        for impact in self.countries:
            if impact.code == code:
                return impact
        raise KeyError(code)


def score_visit(visit: model.Visit, country_files: Iterable[model.CountryFile],
                priorities: Priorities, *, today: dt.date | None = None) -> VisitImpact:
    """How a visit serves the strategy, country by country and call by call (see above).
    ``country_files`` holds (at least) the visit's countries, released as the reader may
    see them."""
    today = today or dt.date.today()
    files = {cf.country.code: cf for cf in country_files}
    return VisitImpact(visit.title, tuple(
        country_impact(visit, files[code], priorities, today=today)
        for code in visit.countries if code in files))


def country_impact(visit: model.Visit | None, cf: model.CountryFile, priorities: Priorities,
                   *, today: dt.date | None = None) -> CountryImpact:
    """What the visit does in one of its countries (see ``score_visit``). Without a visit:
    the live opportunities serving each objective, with nothing "left on the table"."""
    today = today or dt.date.today()
    code = cf.country.code
    if visit is None:
        live = live_opportunities(cf, priorities, today)
        offers = tuple(ObjectiveServed(o.key, o.label, (), tuple(
            x for x in live if o.key in x.objectives))
            for o in priorities.objectives if o.weight > 0)
        return CountryImpact(code, cf.country.name, tuple(s for s in offers if s.through),
                             tuple(s.label for s in offers if not s.through), (), (),
                             tuple(dict.fromkeys(x.marking for x in live)))
    own = visit.for_country(code)
    objectives = _unique(visit.objectives + own.objectives) if len(visit.countries) > 1 \
        else own.objectives
    card = score(cf, priorities, dataclasses.replace(own, objectives=objectives), today=today)
    opportunities = live_opportunities(cf, priorities, today)
    met_alumni = _alumni_met(visit, cf)
    texts = _visit_texts(visit, own)
    mentioned = [o for o in opportunities
                 if _mentions(texts, o) or (o.table == "alumni" and o.record_id in met_alumni)]
    weighted = [o for o in priorities.objectives if o.weight > 0]
    serves = []
    for objective in weighted:
        by = card.objective(objective.key).served_by
        through = tuple(o for o in mentioned if objective.key in o.objectives)
        if by or through:
            serves.append(ObjectiveServed(objective.key, objective.label, by, through))
    served = {s.key for s in serves}
    calls = []
    for item in own.programme:
        if not item.is_call:
            continue
        words = _call_texts(item)
        found = tuple(o for o in opportunities if _mentions(words, o) or (
            o.table == "alumni" and o.record_id in _alumni_at(item, cf)))
        keys = tuple(dict.fromkeys(k for o in found for k in o.objectives))
        calls.append(CallImpact(_call_label(item), keys, found))
    left = tuple(o for o in opportunities if o not in mentioned)
    markings = tuple(dict.fromkeys(o.marking for o in (*mentioned, *left)))
    return CountryImpact(code, cf.country.name, tuple(serves),
                         tuple(o.label for o in weighted if o.key not in served),
                         tuple(calls), left, markings)


def live_opportunities(cf: model.CountryFile, priorities: Priorities,
                       today: dt.date) -> list[Opportunity]:
    """The country's live records (and co-leads) that count towards a criterion of a
    weighted objective (whether or not the criterion's scale is already full), most
    relevant first within each table."""
    serves: dict[tuple[str, Any], list[str]] = {}
    applicable = cf if not cf.country_withheld else None
    for objective in priorities.objectives:
        if objective.weight <= 0:
            continue
        for criterion in objective.criteria:
            if criterion.weight <= 0 or (criterion.applies_to and (
                    applicable is None or not _matcher(criterion.applies_to)(cf.country))):
                continue
            measured = _measure(cf, criterion, priorities, today)
            for item in measured.items or ():
                if item.table == "countries":
                    kind, value = item.record[0], item.record[1]
                    key: tuple[str, Any] = ("countries", _country_fact(kind, value))
                else:
                    key = (item.table, item.record.id)
                found = serves.setdefault(key, [])
                if objective.key not in found:
                    found.append(objective.key)
    out = []
    for table, spec in model.TABLES.items():
        for record in sorted(spec.records(cf), key=spec.relevance):
            keys = serves.get((table, record.id))
            if keys and _live(table, record):
                out.append(Opportunity(_describe(table, record), table, record.id,
                                       tuple(keys), _record_date(table, record),
                                       record.marking, _name_of(table, record)))
    for led in cf.country.co_leads:
        text = _country_fact("co_lead", led)
        keys = serves.get(("countries", text))
        if not keys or cf.country_withheld:
            continue
        # the coalition's own record, if there is one, stands for it (with both's objectives)
        same = next((i for i, o in enumerate(out) if o.table == "engagements"
                     and _words(led) <= _words(o.name)), None)
        if same is None:
            out.append(Opportunity(text, "countries", cf.country.code, tuple(keys), None,
                                   cf.country.marking, led))
        else:
            merged = tuple(dict.fromkeys((*out[same].objectives, *keys)))
            out[same] = dataclasses.replace(out[same], objectives=merged)
    return out


def _live(table: str, record: Any) -> bool:
    """Still to act on: agreements in force or planned, exports not lost, engagements under
    way or planned, alumni in senior appointments."""
    if table == "agreements":
        return record.status in ("active", "planned")
    if table == "export_opportunities":
        return record.stage != "lost"
    if table == "engagements":
        return record.status in ("ongoing", "planned")
    return table == "alumni" and record.senior


def _record_date(table: str, record: Any) -> dt.date | None:
    if table == "agreements":
        return record.signed or record.announced
    if table == "engagements":
        return record.date
    return None


def _name_of(table: str, record: Any) -> str:
    """The words a visit uses to name a record: its name or title up to the first colon,
    comma or bracket ("Operation Interstorm", "Anti-Submarine Warfare frigates")."""
    text = {"agreements": "name", "alumni": "name", "export_opportunities": "programme",
            "engagements": "title"}.get(table)
    full = str(getattr(record, text, "") if text else "")
    return _HEAD.split(full, maxsplit=1)[0].strip() or full


_HEAD = re.compile(r"[:(,;]| - | – ")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
#: words that name no particular thing: a mention needs a word beyond these
_GENERIC = frozenset("""
    agreement agreements partnership partnerships programme programmes program coalition
    coalitions capability capabilities defence ukraine ukrainian support training fund
    group operation operations combined joint with from into over under about their
    this that these those uk british united kingdom strategic international national
    partner partners nato visit meeting minister ministry armed forces force military
    """.split())


def _stem(word: str) -> str:
    word = word.casefold().replace("’", "'").removesuffix("'s")
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") \
        else word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text)}


def _acronym(name: str) -> str:
    capitals = [w[0] for w in re.findall(r"[A-Za-z][A-Za-z-]*", name) if w[0].isupper()]
    return "".join(capitals) if len(capitals) >= 3 else ""


def _mentions(texts: tuple[set[str], set[str]], opportunity: Opportunity) -> bool:
    """Whether the visit's words name the opportunity: its acronym ("GCAP"), or enough of
    the distinctive words of its name (one in three, at least one)."""
    words, upper = texts
    acronym = _acronym(opportunity.name)
    if acronym and acronym in upper:
        return True
    distinct = {_stem(w) for w in _WORD.findall(opportunity.name)
                if len(w) >= 4 and _stem(w) not in _GENERIC}
    if not distinct:
        return _stem(opportunity.name) in words
    return len(distinct & words) >= max(1, math.ceil(len(distinct) / 3))


def _texts_of(parts: Iterable[str]) -> tuple[set[str], set[str]]:
    text = " ".join(parts)
    return _words(text), set(re.findall(r"\b[A-Z]{3,}\b", text))


def _visit_texts(visit: model.Visit, own: model.Visit) -> tuple[set[str], set[str]]:
    """Every word of the visit's objectives, asks, points and calls for one country, and
    of the tour-wide ones."""
    parts: list[str] = []
    for view in (visit, own):
        parts += [view.purpose, *view.top_lines, *view.points_to_make, *view.if_raised,
                  *view.press_lines, *(o.text for o in view.objectives),
                  *(f"{a.ask} {a.response}" for a in view.asks)]
    for item in own.programme:
        parts += _call_parts(item)
    return _texts_of(parts)


def _call_parts(item: model.ProgrammeItem) -> list[str]:
    return [item.event, item.purpose, *item.points_to_make, *item.if_raised,
            *(f"{a.ask} {a.response}" for a in item.asks),
            *(a.role for a in item.interlocutors)]


def _call_texts(item: model.ProgrammeItem) -> tuple[set[str], set[str]]:
    return _texts_of(_call_parts(item))


def _call_label(item: model.ProgrammeItem) -> str:
    return f"{item.day} {item.time}, {item.place}: {item.event}"


def _alumni_met(visit: model.Visit, cf: model.CountryFile) -> set[Any]:
    """Alumni the visit meets: its interlocutors linked to an alumnus record."""
    met = set(visit.interlocutor_ids())
    return {p.alumnus_id for p in cf.interlocutors if p.id in met and p.alumnus_id}


def _alumni_at(item: model.ProgrammeItem, cf: model.CountryFile) -> set[Any]:
    ids = {a.interlocutor for a in item.interlocutors if a.interlocutor}
    return {p.alumnus_id for p in cf.interlocutors if p.id in ids and p.alumnus_id}


def _unique(objectives: tuple[model.VisitObjective, ...]) -> tuple[model.VisitObjective, ...]:
    return tuple(dict.fromkeys(objectives))

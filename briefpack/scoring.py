"""Score a country against the strategy's priorities, with the evidence behind each score.

Pure functions, no I/O: ``today`` is passed in (``date.today()`` only when left out).
Each criterion measures something in a ``CountryFile`` (see ``priorities.MEASURES``), its
scale turns that into 0-100 points, and the records that moved it are kept as Evidence,
each with its share of the criterion's points (the shares add up to the points).
An objective's score is the weighted mean of its criteria; the overall score is the
weighted mean of the objectives (see data/priorities.yaml).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from . import model
from .priorities import MEASURES, Criterion, Filter, Objective, Priorities
from .formatting import long_date, money

# -- public types ------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A fact that moved a criterion, and by how many of its 0-100 points."""

    text: str
    points: float
    table: str = ""
    record_id: object = None


@dataclass(frozen=True)
class CriterionScore:
    key: str
    label: str
    measure: str
    score: float
    weight: float
    evidence: tuple[Evidence, ...]
    #: what was measured and the scale used, in words
    detail: str


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

    def objective(self, key: str) -> ObjectiveScore:
        for objective in self.objectives:
            if objective.key == key:
                return objective
        raise KeyError(key)

    def summary_line(self, objective: ObjectiveScore | str) -> str:
        """"Deter and defend in the Euro-Atlantic: 82 (Green)"."""
        if isinstance(objective, str):
            objective = self.objective(objective)
        return f"{objective.label}: {whole(objective.score)} ({objective.band})"

    def overall_line(self) -> str:
        return f"Overall: {whole(self.overall)} ({self.band})"


def whole(score: float) -> int:
    """A score as shown to people: rounded half up to a whole number."""
    return math.floor(score + 0.5)


def band_for(score: float, priorities: Priorities) -> str:
    """The RAG band word for a score: "Green", "Amber" or "Red"."""
    return priorities.bands.band(score)


# -- scoring -----------------------------------------------------------------------------


def score(country_file: model.CountryFile, priorities: Priorities,
          visit: model.Visit | None = None, *, today: dt.date | None = None) -> Scorecard:
    """Score one country; with a visit, show which objectives its own objectives serve."""
    today = today or dt.date.today()
    served = _served_by(visit, priorities)
    objectives = tuple(_score_objective(country_file, o, priorities, today, served.get(o.key, ()))
                       for o in priorities.objectives)
    overall = _weighted_mean((o.score, o.weight) for o in objectives)
    unserved = () if visit is None else tuple(
        o.label for o in priorities.objectives if o.weight > 0 and not served.get(o.key))
    return Scorecard(
        country_code=country_file.country.code, country_name=country_file.country.name,
        overall=overall, band=band_for(overall, priorities), objectives=objectives,
        unserved=unserved, visit_title=visit.title if visit else "")


def rank(country_files: Iterable[model.CountryFile], priorities: Priorities, *,
         today: dt.date | None = None) -> list[Scorecard]:
    """Score every country; best first (ties by name)."""
    today = today or dt.date.today()
    cards = [score(cf, priorities, today=today) for cf in country_files]
    cards.sort(key=lambda c: (-c.overall, c.country_name))
    return cards


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
    value = _weighted_mean((c.score, c.weight) for c in criteria)
    return ObjectiveScore(key=objective.key, label=objective.label,
                          short=objective.short or objective.label, score=value,
                          band=band_for(value, priorities), weight=objective.weight,
                          criteria=criteria, served_by=served_by)


def _weighted_mean(pairs: Iterable[tuple[float, float]]) -> float:
    pairs = list(pairs)
    total = sum(weight for _, weight in pairs)
    if total <= 0:
        return 0.0
    return _clamp(sum(value * weight for value, weight in pairs) / total)


def _clamp(value: float) -> float:
    return min(100.0, max(0.0, value))


def _score_criterion(cf: model.CountryFile, criterion: Criterion, priorities: Priorities,
                     today: dt.date) -> CriterionScore:
    def result(points: float, evidence: list[Evidence], detail: str) -> CriterionScore:
        return CriterionScore(key=criterion.key, label=criterion.label,
                              measure=criterion.measure, score=_clamp(points),
                              weight=criterion.weight, evidence=tuple(evidence), detail=detail)

    if criterion.applies_to and not _matcher(criterion.applies_to)(cf.country):
        where = ", ".join(f.describe() for f in criterion.applies_to)
        return result(0.0, [], f"applies only to countries with {where}")
    measured = _MEASURE_FUNCTIONS[criterion.measure](cf, criterion, priorities, today)
    points = criterion.scale.points(measured.value)
    detail = f"{measured.fact}; scale: {criterion.scale.describe(_value_format(criterion))}"
    if measured.items is not None:
        evidence = _attribute(measured.items, points, criterion)
    elif points > 0 and measured.single is not None:
        evidence = [_evidence(measured.single, points, criterion)]
    else:
        evidence = []
    return result(points, evidence, detail)


# -- measures ----------------------------------------------------------------------------


class _Item(NamedTuple):
    """One record's share of an additive measured value."""

    amount: float
    table: str
    record: Any


@dataclass
class _Measured:
    value: float | str | None
    #: what was measured, in words
    fact: str
    #: additive measures: each record's share of the value (None: not additive)
    items: list[_Item] | None = None
    #: non-additive measures: the one fact behind the value
    single: _Item | None = None


def _records(cf: model.CountryFile, criterion: Criterion,
             extra: Callable[[Any], bool] | None = None) -> list[Any]:
    match = _matcher(criterion.filters)
    records = model.TABLES[criterion.table].records(cf)
    return [r for r in records if match(r) and (extra is None or extra(r))]


def _count_of(n: int, table: str, criterion: Criterion, qualifier: str = "") -> str:
    spec = model.TABLES[table]
    noun = spec.noun if n == 1 else spec.plural
    where = ", ".join(f.describe() for f in criterion.filters)
    text = f"{n} {qualifier}{noun}"
    return f"{text} with {where}" if where else text


def _membership(cf, criterion, priorities, today) -> _Measured:
    wanted = criterion.formats or cf.country.memberships
    held = [f for f in cf.country.memberships if f in wanted]
    if criterion.formats:
        fact = (f"member of {len(held)} of {len(wanted)}: {', '.join(held)}" if held
                else f"member of none of: {', '.join(wanted)}")
    else:
        fact = f"member of {len(held)} formats" + (f": {', '.join(held)}" if held else "")
    items = [_Item(1.0, "countries", ("membership", f, cf.country.code)) for f in held]
    return _Measured(float(len(held)), fact, items=items)


def _co_leadership(cf, criterion, priorities, today) -> _Measured:
    wanted = {f.casefold() for f in criterion.formats}
    led = [f for f in cf.country.co_leads if not wanted or f.casefold() in wanted]
    fact = (f"co-leads {len(led)} with the UK: {', '.join(led)}" if led
            else "co-leads no format with the UK")
    items = [_Item(1.0, "countries", ("co_lead", f, cf.country.code)) for f in led]
    return _Measured(float(len(led)), fact, items=items)


def _strategic_agreements(cf, criterion, priorities, today) -> _Measured:
    found = _records(cf, criterion, lambda a: a.strategic and a.status == "active")
    fact = _count_of(len(found), "agreements", criterion, "active strategic ")
    return _Measured(float(len(found)), fact,
                     items=[_Item(1.0, "agreements", a) for a in found])


def _record_count(cf, criterion, priorities, today) -> _Measured:
    found = _records(cf, criterion)
    return _Measured(float(len(found)), _count_of(len(found), criterion.table, criterion),
                     items=[_Item(1.0, criterion.table, r) for r in found])


def _record_sum(cf, criterion, priorities, today) -> _Measured:
    name = criterion.field
    found = _records(cf, criterion, lambda r: (getattr(r, name) or 0) > 0)
    total = float(sum(getattr(r, name) for r in found))
    fact = f"{_amount(total, name)} {_field_noun(name)} from " + \
        _count_of(len(found), criterion.table, criterion)
    return _Measured(total, fact,
                     items=[_Item(float(getattr(r, name)), criterion.table, r) for r in found])


def _export_pipeline(cf, criterion, priorities, today) -> _Measured:
    shares = dict(criterion.stages)
    found = _records(cf, criterion, lambda e: (e.value_gbp or 0) > 0 and shares.get(e.stage))
    items = [_Item(e.value_gbp * shares[e.stage], "export_opportunities", e) for e in found]
    total = sum(i.amount for i in items)
    stages = ", ".join(f"{stage} {share:g}" for stage, share in criterion.stages)
    fact = (f"{_money(total)} counted from " + _count_of(len(found), "export_opportunities",
                                                         criterion)
            + f" (share of value counted by stage: {stages})")
    return _Measured(total, fact, items=items)


def _days_since_engagement(cf, criterion, priorities, today) -> _Measured:
    dated = _records(cf, criterion, lambda e: e.date is not None)
    if not dated:
        where = ", ".join(f.describe() for f in criterion.filters)
        return _Measured(None, "no dated engagement" + (f" with {where}" if where else ""))
    latest = max(dated, key=lambda e: (e.date, e.id or 0))
    days = max(0, (today - latest.date).days)
    fact = f"latest {days} days before {_date(today)}, on {_date(latest.date)}"
    return _Measured(float(days), fact, single=_Item(days, "engagements", latest))


def _senior_alumni(cf, criterion, priorities, today) -> _Measured:
    found = _records(cf, criterion, lambda a: a.senior)
    return _Measured(float(len(found)), _count_of(len(found), "alumni", criterion, "senior "),
                     items=[_Item(1.0, "alumni", a) for a in found])


def _defence_section(cf, criterion, priorities, today) -> _Measured:
    section = cf.country.defence_section
    return _Measured(section, f"UK defence section: {section}",
                     single=_Item(0, "countries", ("defence_section", section, cf.country.code)))


def _region_weight(cf, criterion, priorities, today) -> _Measured:
    region = cf.country.region
    weight = priorities.region_weight(region)
    return _Measured(weight, f"{region}, weight of effort {weight:g}",
                     single=_Item(weight, "countries", ("region", region, cf.country.code)))


def _priority_tier(cf, criterion, priorities, today) -> _Measured:
    tier = cf.country.priority_tier
    if tier is None:
        return _Measured(None, "no priority tier recorded")
    return _Measured(str(tier), f"priority tier {tier}",
                     single=_Item(tier, "countries", ("priority_tier", tier, cf.country.code)))


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
        kind, value, code = record
        return Evidence(_country_fact(kind, value), points, "countries", code)
    text = _describe(item.table, record)
    if criterion.measure == "record_sum":
        text += f": {_amount(item.amount, criterion.field)} {_field_noun(criterion.field)}"
    elif criterion.measure == "export_pipeline":
        counted = "in full" if item.amount >= (record.value_gbp or 0) else \
            f"{_money(item.amount)} ({item.amount / record.value_gbp:.0%} of value)"
        text += f"; counted {counted}"
    elif criterion.measure == "days_since_engagement":
        text += f" ({item.amount} days ago)"
    return Evidence(text, points, item.table, record.id)


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
        signed = f", signed {_date(r.signed)}" if r.signed else ""
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

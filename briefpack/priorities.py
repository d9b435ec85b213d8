"""The strategy's priorities: objectives, criteria, regional weights and RAG bands.

``load_priorities`` reads ``priorities.yaml`` into frozen dataclasses and validates it,
reporting every problem with file, line, key and what was expected. Nothing in the file
is evaluated: a criterion names a measure from ``MEASURES`` (implemented in
``briefpack.scoring``) and a ``Scale`` turning the measured value into 0-100 points.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import model, paths
from .coercion import (
    MISSING, Context, bounded, build, check_keys, coerce, convert_noted, converted, key_name,
    kind, line_of, number, shape, text, type_hints, words)
from .yamlio import YList, load

# -- the vocabulary the code implements -----------------------------------------------


@dataclass(frozen=True)
class MeasureSpec:
    """What a measure reads and which criterion keys it takes."""

    name: str
    summary: str
    #: the record table it reads ("" for facts about the country itself; None: the
    #: criterion's own ``table`` key says)
    table: str | None = ""
    #: False: the measure gives a category, scored with a ``categories`` scale
    numeric: bool = True
    options: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    #: the categories a non-numeric measure can give
    categories: tuple[str, ...] = ()


def _spec(name: str, summary: str, table: str | None = "", numeric: bool = True,
          options: tuple[str, ...] = (), required: tuple[str, ...] = (),
          categories: tuple[str, ...] = ()) -> MeasureSpec:
    return MeasureSpec(name, summary, table, numeric, frozenset(options) | frozenset(required),
                       frozenset(required), categories)


MEASURES: dict[str, MeasureSpec] = {s.name: s for s in (
    _spec("membership", "how many of the listed formats the country belongs to",
          options=("formats",)),
    _spec("co_leadership", "how many formats the country co-leads with the UK",
          options=("formats",)),
    _spec("strategic_agreements", "active strategic agreements in force",
          table="agreements", options=("filter",)),
    _spec("record_count", "how many records of a table match the filter",
          table=None, options=("filter",), required=("table",)),
    _spec("record_sum", "the total of a numeric field over the records matching the filter",
          table=None, options=("filter",), required=("table", "field")),
    _spec("export_pipeline", "export pipeline value in pounds, each stage counted at its factor",
          table="export_opportunities", options=("filter",), required=("stages",)),
    _spec("days_since_engagement", "days since the latest dated engagement matching the filter",
          table="engagements", options=("filter",)),
    _spec("senior_alumni", "alumni of UK courses now in senior appointments",
          table="alumni", options=("filter",)),
    _spec("defence_section", "the UK defence section in the country (a category)",
          numeric=False, categories=model.DEFENCE_SECTIONS),
    _spec("region_weight", "the weight of effort of the country's region (from `regions`)"),
    _spec("priority_tier", "the country's priority tier (a category: 1, 2, 3 or 4)",
          numeric=False, categories=("1", "2", "3", "4")),
)}

COMMON_CRITERION_KEYS = ("key", "label", "measure", "weight", "scale", "description",
                         "applies_to", "serves", "also")
#: measures that count things (records, formats): only these add up, so only these may
#: take ``also:`` (other things the criterion's sentence names, counted with them)
COUNT_MEASURES = ("membership", "co_leadership", "strategic_agreements", "record_count",
                  "senior_alumni")
#: measures where a smaller value is better (fewer days since): their thresholds' points
#: must fall as the value rises, where every other measure's must rise
SMALLER_IS_BETTER = ("days_since_engagement",)
SOURCE_KEYS = ("measure", "why", "counts") + ("table", "formats", "filter")
OPTION_KEYS = ("table", "field", "formats", "stages", "filter")
SCALE_KINDS = ("thresholds", "linear", "categories")
BAND_NAMES = ("Green", "Amber", "Red")

#: closed vocabularies of record fields, so a filter value can be checked
FIELD_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("agreements", "status"): model.AGREEMENT_STATUSES,
    ("export_opportunities", "stage"): model.EXPORT_STAGES,
    ("engagements", "status"): model.ENGAGEMENT_STATUSES,
    ("engagements", "level"): model.ENGAGEMENT_LEVELS,
    ("countries", "region"): model.REGIONS,
    ("countries", "defence_section"): model.DEFENCE_SECTIONS,
    ("countries", "memberships"): model.FORMATS,
}

#: fields a filter may not use: bookkeeping, not facts about the relationship
_UNFILTERABLE = {"id", "country", "updated_at", "updated_by", "origin"}
_REGION_ALIASES = {"latin america and the caribbean": "Latin America and Caribbean"}


def table_class(table: str) -> type:
    """The model class of a record table, or Country for "countries"."""
    return model.Country if table == "countries" else model.TABLES[table].record


def region_named(text: str) -> str | None:
    """The canonical region for a name, alias or first word ("euro", "Africa"), else None."""
    folded = str(text).strip().casefold()
    if folded in _REGION_ALIASES:
        return _REGION_ALIASES[folded]
    for region in model.REGIONS:
        if folded in (region.casefold(), re.split(r"[\s-]", region)[0].casefold()):
            return region
    return None


# -- the data types ---------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """One condition on a record field: its value is one of ``values``.

    For a list field (a country's memberships) the condition holds if any item is one of
    ``values``.
    """

    field: str
    values: tuple[Any, ...]

    def describe(self) -> str:
        """In words a principal reads: "status active", "kind treaty or declaration"."""
        shown = [_show(v) for v in self.values]
        values = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
        return f"{self.field.replace('_', ' ')} {values}"


@dataclass(frozen=True)
class Scale:
    """Turns a measured value into 0-100 points.

    ``thresholds``: the points of the highest step whose ``at_least`` the value reaches
    (0 below the first step). ``linear``: 0 at 0 rising in a straight line to 100 at
    ``cap`` and beyond. ``categories``: the points listed for the value, 0 if unlisted.
    ``missing``: the points when there is nothing to measure (e.g. no dated engagement);
    None (the default) leaves the criterion unmeasured: unknown is not zero.
    """

    kind: str
    steps: tuple[tuple[float, float], ...] = ()
    cap: float = 0.0
    categories: tuple[tuple[str, float], ...] = ()
    missing: float | None = None

    def points(self, value: Any) -> float:
        if value is None:
            return self.missing or 0.0
        if self.kind == "categories":
            return dict(self.categories).get(str(value), 0.0)
        if self.kind == "linear":
            return 100.0 * self.counted(value) / self.cap
        reached = [points for at_least, points in self.steps if value >= at_least]
        return reached[-1] if reached else 0.0

    def counted(self, value: float) -> float:
        """How much of a numeric value the scale gives credit for (the rest is beyond it)."""
        if self.kind == "linear":
            return min(max(value, 0.0), self.cap)
        reached = [at_least for at_least, _ in self.steps if value >= at_least]
        return reached[-1] if reached else 0.0

    def describe(self, show_value: Callable[[float], str] | None = None) -> str:
        """The scale in words; ``show_value`` formats measured values (e.g. as money)."""
        show_value = show_value or _show
        if self.kind == "linear":
            text = f"linear, 100 at {show_value(self.cap)} or more"
        elif self.kind == "categories":
            text = "; ".join(f"{name} {_show(p)}" for name, p in self.categories) + \
                "; anything else 0"
        else:
            text = "thresholds " + ", ".join(f"{show_value(a)}+ → {_show(p)}"
                                             for a, p in self.steps)
        return text + (f"; nothing to measure {_show(self.missing)}"
                       if self.missing is not None else "")


INSUFFICIENT_BAND = "Insufficient data"


#: field metadata: a percentage, or points out of 100
_PERCENT = bounded(0, 100)
#: field metadata: a weight (at most MAX_WEIGHT: 1e308 would overflow every sum into
#: infinity, and every overall score would read 100)
MAX_WEIGHT = 1000
_WEIGHT = bounded(0, MAX_WEIGHT)
_KEY = converted(key_name)
_LABEL = converted(words)
_PARAGRAPH = converted(lambda value: text(value).strip())
_SENTENCE = converted(lambda value: " ".join(text(value).split()))


@dataclass(frozen=True)
class Bands:
    """RAG bands: Green at ``green`` or more, Amber at ``amber`` or more, else Red; but
    "Insufficient data" instead of Red when less than ``minimum_coverage`` per cent of the
    weight was measured. A score counts only what the evidence backs, so Green and Amber
    stand whatever the coverage: more evidence can only raise them."""

    green: float = dataclasses.field(metadata=_PERCENT)
    amber: float = dataclasses.field(metadata=_PERCENT)
    minimum_coverage: float = dataclasses.field(default=60.0, metadata=_PERCENT)

    def band(self, score: float, coverage: float = 1.0) -> str:
        if score >= self.green:
            return "Green"
        if score >= self.amber:
            return "Amber"
        if 100 * coverage < self.minimum_coverage - 1e-9:
            return INSUFFICIENT_BAND
        return "Red"


@dataclass(frozen=True)
class Source:
    """Something else a criterion's sentence names, counted with what its measure counts:
    e.g. AUKUS membership for the nuclear relationship ("AUKUS Pillar 1 with the US and
    Australia"). Written in the priorities file under ``also:``, with ``why``."""

    measure: str
    #: why the sentence names it, in the file's words (shown by ``score --explain``)
    why: str
    #: what one of its items counts as (a co-led coalition may count as full support)
    counts: float = 1.0
    table: str = ""
    formats: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()


@dataclass(frozen=True)
class Criterion:
    key: str = dataclasses.field(metadata=_KEY)
    label: str = dataclasses.field(metadata=_LABEL)
    measure: str
    weight: float = dataclasses.field(metadata=_WEIGHT)
    scale: Scale
    description: str = dataclasses.field(default="", metadata=_PARAGRAPH)
    #: the record table the measure reads ("" for facts about the country itself)
    table: str = ""
    #: numeric field summed by record_sum
    field: str = ""
    #: formats for membership / co_leadership (empty: any)
    formats: tuple[str, ...] = ()
    #: export stage -> the share of its value counted, for export_pipeline
    stages: tuple[tuple[str, float], ...] = ()
    #: conditions on the records measured (all must hold)
    filters: tuple[Filter, ...] = ()
    #: conditions on the country; elsewhere the criterion is not applicable (all must hold)
    applies_to: tuple[Filter, ...] = ()
    #: the sentence of the strategy this criterion serves
    serves: str = dataclasses.field(default="", metadata=_SENTENCE)
    #: other things the sentence names, counted with the measure's own (count measures)
    also: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Objective:
    key: str = dataclasses.field(metadata=_KEY)
    label: str = dataclasses.field(metadata=_LABEL)
    weight: float = dataclasses.field(metadata=_WEIGHT)
    criteria: tuple[Criterion, ...]
    description: str = dataclasses.field(default="", metadata=_PARAGRAPH)
    #: a few words for narrow places, e.g. a column heading ("Euro-Atlantic"); the label
    #: if the file gives none
    short: str = dataclasses.field(default="", metadata=_LABEL)


@dataclass(frozen=True)
class Priorities:
    objectives: tuple[Objective, ...]
    #: region -> weight of effort, in the strategy's order
    regions: tuple[tuple[str, float], ...]
    bands: Bands
    source: str = ""
    #: priority tier -> days within which a country of that tier should see a ministerial
    #: or senior military visit (``briefpack plan``); a tier not listed is never overdue
    visit_every_days: tuple[tuple[int, int], ...] = ()

    def objective(self, key: str) -> Objective:
        for objective in self.objectives:
            if objective.key == key:
                return objective
        raise KeyError(key)

    def region_weight(self, region: str) -> float:
        return dict(self.regions).get(region, 0.0)


# -- loading ----------------------------------------------------------------------------


def default_path() -> Path:
    return paths.data_dir() / "priorities.yaml"


def load_priorities(path: Path | str | None = None) -> Priorities:
    """Read and validate a priorities file; DataError lists every problem found."""
    file = Path(path) if path else default_path()
    return parse_priorities(load(file), str(file))


def parse_priorities(data: Any, file: str) -> Priorities:
    """Validate already-parsed YAML (see ``yamlio.load``) and build Priorities."""
    ctx = Context(file)
    reader = _Reader(ctx)
    priorities = reader.priorities(data, file)
    ctx.raise_if_any()
    assert priorities is not None
    return priorities


#: the keys of a criterion in the file (``filter`` holds ``Criterion.filters``)
CRITERION_KEYS = COMMON_CRITERION_KEYS + OPTION_KEYS
OBJECTIVE_KEYS = ("key", "label", "short", "weight", "description", "criteria")
#: the fields of a Criterion that depend on its measure, read by _Reader rather than build
_READ_BY_CRITERION = ("measure", "scale", "applies_to", "also") + tuple(
    name if name != "filter" else "filters" for name in OPTION_KEYS)


class _Reader:
    """Validates one priorities file, noting every problem in ``ctx``.

    The plain parts (bands, objectives, criteria) are dataclasses ``coercion.build`` walks;
    what is left here is what depends on more than one key: the measure's own keys, scales,
    filters on record fields, region names, and the order of the bands.
    """

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def add(self, data: Any, key: Any, field: str, message: str) -> None:
        """A problem at ``key`` of ``data`` (at ``data`` itself when the key is None)."""
        line = line_of(data, key) if key is not None else None
        self.ctx.add(line or getattr(data, "line", None), field, message)

    def mapping(self, data: Any, holder: Any, key: Any, field: str,
                expected: str = "a mapping", *, empty: bool = True) -> bool:
        """Whether ``data`` (``holder[key]``) is a mapping (an ``empty`` one too); a
        problem noted if not."""
        if isinstance(data, dict) and (data or empty):
            return True
        self.add(holder, key, field, f"expected {expected}, got {kind(data)}")
        return False

    def known(self, value: Any, allowed: Any, noun: str, data: Any, key: Any, field: str,
              of: str = "") -> bool:
        """Whether ``value`` is one of ``allowed``; "unknown <noun> …" noted if not."""
        if isinstance(value, str) and value in allowed:
            return True
        self.add(data, key, field, f"unknown {noun} {value!r}{of}; expected one of: "
                 f"{', '.join(allowed)}")
        return False

    def number(self, data: Any, key: Any, field: str, low: float | None = 0.0,
               high: float | None = None) -> float | None:
        value = convert_noted(number, data[key], self.ctx, line_of(data, key), field, low, high)
        return None if value is MISSING else value

    def build(self, cls: type, data: Any, field: str, allowed: tuple[str, ...],
              given: dict | None = None) -> Any:
        return build(cls, data, self.ctx, field, given=given, allowed=allowed, noun="key")

    # -- sections ---------------------------------------------------------------------

    def priorities(self, data: Any, file: str) -> Priorities | None:
        if not self.mapping(data, data, None, ""):
            return None
        check_keys(data, self.ctx, "", ("version", "bands", "regions", "objectives",
                                        "visit_every_days"),
                   ("bands", "regions", "objectives"), noun="key")
        if "version" in data and data["version"] != 1:
            self.add(data, "version", "version", f"expected 1, got {data['version']!r}")
        bands = self.bands(data["bands"], data) if "bands" in data else None
        regions = self.region_weights(data["regions"], data) if "regions" in data else None
        objectives = self.objectives(data["objectives"], data) if "objectives" in data else None
        every = self.visit_every(data["visit_every_days"], data) \
            if "visit_every_days" in data else ()
        if bands is None or regions is None or objectives is None or self.ctx.problems:
            return None
        return Priorities(objectives=objectives, regions=regions, bands=bands, source=file,
                          visit_every_days=every)

    def visit_every(self, data: Any, parent: Any) -> tuple[tuple[int, int], ...]:
        if not self.mapping(data, parent, "visit_every_days", "visit_every_days",
                            "a mapping of tier: days, e.g. {1: 180, 2: 365}"):
            return ()
        out = []
        for tier in data:
            where = f"visit_every_days.{tier}"
            if str(tier) not in ("1", "2", "3", "4"):
                self.add(data, tier, where, f"unknown priority tier {tier!r}; expected one "
                         "of: 1, 2, 3, 4")
                continue
            days = self.number(data, tier, where, low=1)
            if days is not None:
                out.append((int(str(tier)), int(days)))
        return tuple(sorted(out))

    def bands(self, data: Any, parent: Any) -> Bands | None:
        if not self.mapping(data, parent, "bands", "bands"):
            return None
        bands = self.build(Bands, data, "bands", ("green", "amber", "minimum_coverage"))
        if bands is not None and bands.amber >= bands.green:
            self.add(data, "amber", "bands.amber", f"expected a number below bands.green "
                     f"({_show(bands.green)}), got {_show(bands.amber)}")
            return None
        return bands

    def region_weights(self, data: Any, parent: Any) -> tuple[tuple[str, float], ...] | None:
        if not self.mapping(data, parent, "regions", "regions", "a mapping of region: weight"):
            return None
        weights: dict[str, float] = {}
        for name in data:
            region = region_named(name) or name
            if not self.known(region, model.REGIONS, "region", data, name, f"regions.{name}"):
                continue
            weight = self.number(data, name, f"regions.{name}", high=100)
            if weight is not None:
                weights[region] = weight
        named = {region_named(n) for n in data}
        for region in model.REGIONS:
            if region not in named:
                self.add(data, None, f"regions.{region}", "required region is missing")
        return tuple((r, weights[r]) for r in model.REGIONS if r in weights)

    def keyed_list(self, data: Any, parent: Any, key: str, field: str, noun: str,
                   read: Callable[[Any, str, Any, int], Any]) -> tuple | None:
        """A list of mappings (``parent[key]``) each with a unique ``key``, read by
        ``read``; at least one with a weight above 0."""
        if not isinstance(data, list) or not data:
            self.add(parent, key, field, f"expected a list of {key}, got {kind(data)}")
            return None
        built, seen = [], set()
        for index, item in enumerate(data):
            name = item.get("key") if isinstance(item, dict) else None
            where = f"{field}[{name or index + 1}]"
            if isinstance(name, str) and name in seen:
                self.add(item, "key", f"{where}.key", f"duplicate {noun} key {name!r}")
            if isinstance(name, str):  # a key that is a list is reported, not remembered
                seen.add(name)
            built.append(read(item, where, data, index))
        if any(b is None for b in built):
            return None
        if not any(b.weight for b in built):
            self.add(data, None, field, f"expected at least one {noun} with weight > 0")
            return None
        return tuple(built)

    def objectives(self, data: Any, parent: Any) -> tuple[Objective, ...] | None:
        return self.keyed_list(data, parent, "objectives", "objectives", "objective",
                               self.objective)

    def objective(self, data: Any, field: str, parent: Any, index: int) -> Objective | None:
        if not self.mapping(data, parent, index, field):
            return None
        criteria = self.keyed_list(data["criteria"], data, "criteria", f"{field}.criteria",
                                   "criterion", self.criterion) if "criteria" in data else None
        given = {"criteria": MISSING if criteria is None else criteria}
        objective = self.build(Objective, data, field, OBJECTIVE_KEYS, given)
        if objective is None or criteria is None:
            return None
        return objective if objective.short else dataclasses.replace(objective,
                                                                     short=objective.label)

    def criterion(self, data: Any, field: str, parent: Any, index: int) -> Criterion | None:
        if not self.mapping(data, parent, index, field):
            return None
        before = len(self.ctx.problems)
        # the keys read here, not by build: MISSING until read
        given: dict[str, Any] = dict.fromkeys(_READ_BY_CRITERION, MISSING)
        spec = self.measure(data, field) if "measure" in data else None
        if spec is not None:
            given.update(measure=spec.name, **self.options(data, field, spec))
            if "scale" in data:
                given["scale"] = self.scale(data["scale"], data, f"{field}.scale", spec) \
                    or MISSING
        if "applies_to" in data:
            given["applies_to"] = self.filters(data["applies_to"], data, "applies_to",
                                               f"{field}.applies_to", "countries")
        if "also" in data and spec is not None:
            given["also"] = self.also(data["also"], data, f"{field}.also", spec)
        criterion = self.build(Criterion, data, field, CRITERION_KEYS, given)
        return criterion if len(self.ctx.problems) == before else None

    def also(self, data: Any, parent: Any, field: str, spec: MeasureSpec) -> tuple[Source, ...]:
        """The other things a count criterion's sentence names (``also:``)."""
        if spec.name not in COUNT_MEASURES:
            self.add(parent, "also", field, f"measure {spec.name} does not count things, so "
                     f"nothing can be counted with it; 'also' needs one of: "
                     f"{', '.join(COUNT_MEASURES)}")
            return ()
        if not isinstance(data, list) or not data:
            self.add(parent, "also", field, f"expected a list of sources, got {kind(data)}")
            return ()
        out = []
        for index, item in enumerate(data):
            where = f"{field}[{index + 1}]"
            if not self.mapping(item, data, index, where):
                continue
            check_keys(item, self.ctx, where, SOURCE_KEYS, ("measure", "why"), noun="key")
            if "measure" not in item or "why" not in item:
                continue
            source = self.measure(item, where)
            if source is None:
                continue
            if source.name not in COUNT_MEASURES:
                self.add(item, "measure", f"{where}.measure", f"expected a measure that "
                         f"counts: {', '.join(COUNT_MEASURES)}; got {source.name!r}")
                continue
            counts = self.number(item, "counts", f"{where}.counts") if "counts" in item \
                else 1.0
            if counts == 0:
                self.add(item, "counts", f"{where}.counts", "expected a number above 0, got 0")
                continue
            options = self.options(item, where, source)
            out.append(Source(measure=source.name, why=" ".join(text(item["why"]).split()),
                              counts=counts if counts is not None else 1.0,
                              table=options.get("table", ""),
                              formats=options.get("formats", ()),
                              filters=options.get("filters", ())))
        return tuple(out)

    def measure(self, data: Any, field: str) -> MeasureSpec | None:
        name = data["measure"]
        known = self.known(name, MEASURES, "measure", data, "measure", f"{field}.measure")
        return MEASURES[name] if known else None

    def options(self, data: Any, field: str, spec: MeasureSpec) -> dict[str, Any]:
        """The measure's own keys (table, field, formats, stages, filter), checked."""
        for name in OPTION_KEYS:
            if name in data and name not in spec.options:
                takes = ", ".join(sorted(spec.options)) or "none of them"
                self.add(data, name, f"{field}.{name}",
                         f"measure {spec.name} does not take {name!r}; it takes: {takes}")
        for name in sorted(spec.required):
            if name not in data:
                self.add(data, None, f"{field}.{name}",
                         f"required key is missing (measure {spec.name} needs it)")
        table = spec.table
        if spec.table is None and "table" in data:
            table = data["table"] if self.known(data["table"], model.TABLES, "table", data,
                                                "table", f"{field}.table") else None
        out: dict[str, Any] = {"table": table or ""}
        if "field" in data and "field" in spec.options and table:
            out["field"] = self.sum_field(data, field, table) or ""
        if "formats" in data and "formats" in spec.options:
            out["formats"] = self.formats(data, field, spec)
        if "stages" in data and "stages" in spec.options:
            out["stages"] = self.stages(data["stages"], data, f"{field}.stages")
        if "filter" in data and "filter" in spec.options and table:
            out["filters"] = self.filters(data["filter"], data, "filter", f"{field}.filter", table)
        return out

    def sum_field(self, data: Any, field: str, table: str) -> str | None:
        numeric = [name for name, hint in _hints(table).items()
                   if shape(hint).kind in ("int", "float") and name not in _UNFILTERABLE]
        if data["field"] not in numeric:
            self.add(data, "field", f"{field}.field",
                     f"expected a numeric field of {table}: {', '.join(numeric)}; "
                     f"got {data['field']!r}")
            return None
        return data["field"]

    def formats(self, data: Any, field: str, spec: MeasureSpec) -> tuple[str, ...]:
        value = data["formats"]
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str) and i.strip() for i in items):
            self.add(data, "formats", f"{field}.formats", "expected a list of format names")
            return ()
        if spec.name == "membership":
            for i, name in enumerate(items):
                holder, key = (items, i) if isinstance(items, YList) else (data, "formats")
                self.known(name, model.FORMATS, "format", holder, key, f"{field}.formats")
        return tuple(i.strip() for i in items)

    def stages(self, data: Any, parent: Any, field: str) -> tuple[tuple[str, float], ...]:
        if not self.mapping(data, parent, "stages", field):
            return ()
        check_keys(data, self.ctx, field, model.EXPORT_STAGES, noun="key")
        out = []
        for stage in data:
            if stage in model.EXPORT_STAGES:
                share = self.number(data, stage, f"{field}.{stage}", high=1)
                if share is not None:
                    out.append((stage, share))
        return tuple(out)

    def filters(self, data: Any, parent: Any, key: str, field: str,
                table: str) -> tuple[Filter, ...]:
        fields = {name: hint for name, hint in _hints(table).items()
                  if name not in _UNFILTERABLE}
        if not self.mapping(data, parent, key, field,
                            "a mapping of field: value (or list of values)", empty=False):
            return ()
        out = []
        for name in data:
            where = f"{field}.{name}"
            if not self.known(name, fields, "field", data, name, where, f" of {table}"):
                continue
            values = self.filter_values(data, name, where, table, fields[name])
            if values:
                out.append(Filter(field=name, values=values))
        return tuple(out)

    def filter_values(self, data: Any, name: str, where: str, table: str,
                      hint: Any) -> tuple[Any, ...]:
        raw = data[name]
        items = list(raw) if isinstance(raw, list) else [raw]
        if not items:
            self.add(data, name, where, "expected a value or a non-empty list of values")
            return ()
        form = shape(hint)
        form = form.item or form
        line = line_of(data, name)
        allowed = FIELD_VALUES.get((table, name))
        if table == "countries" and name == "region":
            items = [region_named(i) or i for i in items]
        values = []
        for item in items:
            before = len(self.ctx.problems)
            value = coerce(item, form, self.ctx, line, where)
            if len(self.ctx.problems) > before:
                continue
            if allowed and not self.known(value, allowed, name, data, name, where):
                continue
            values.append(value)
        return tuple(values) if len(values) == len(items) else ()

    def scale(self, data: Any, parent: Any, field: str, spec: MeasureSpec) -> Scale | None:
        if not self.mapping(data, parent, "scale", field):
            return None
        check_keys(data, self.ctx, field, SCALE_KINDS + ("missing",), noun="key")
        kinds = [k for k in SCALE_KINDS if k in data]
        if len(kinds) != 1:
            got = ", ".join(kinds) or "none"
            self.add(parent, "scale", field,
                     f"expected exactly one of: {', '.join(SCALE_KINDS)}; got {got}")
            return None
        kind_ = kinds[0]
        if (kind_ == "categories") == spec.numeric:
            expected = "categories" if not spec.numeric else "thresholds or linear"
            self.add(data, kind_, f"{field}.{kind_}",
                     f"measure {spec.name} gives {'a number' if spec.numeric else 'a category'};"
                     f" expected a {expected} scale")
            return None
        missing = self.number(data, "missing", f"{field}.missing", high=100) \
            if "missing" in data else None
        if kind_ == "linear":
            body = self.scale_linear(data[kind_], data, f"{field}.linear")
        else:
            body = self.scale_points(data[kind_], data, kind_, f"{field}.{kind_}", spec)
        if body is None or ("missing" in data and missing is None):
            return None
        if not self.monotone(body, kind_, missing, data, field, spec):
            return None
        return Scale(kind=kind_, missing=missing, **body)

    def monotone(self, body: dict, kind_: str, missing: float | None, data: Any, field: str,
                 spec: MeasureSpec) -> bool:
        """Whether more evidence can never give fewer points: thresholds rising with the
        value (falling, for a measure where smaller is better), and ``missing`` no more
        than any evidence would give."""
        if kind_ == "categories":
            return True
        points = [p for _, p in body.get("steps", ())]
        falling = spec.name in SMALLER_IS_BETTER
        ordered = points == sorted(points, reverse=falling)
        if not ordered:
            way = "fall" if falling else "rise"
            self.add(data, kind_, f"{field}.{kind_}", f"expected points that {way} with the "
                     f"value, so that more evidence never scores less; got "
                     f"{', '.join(_show(p) for p in points)}")
            return False
        lowest = min(points) if points else 0.0
        if not falling and points and body["steps"][0][0] > 0:
            lowest = 0.0  # a value below the first step scores 0
        if missing is not None and missing > lowest:
            self.add(data, "missing", f"{field}.missing", f"expected at most {_show(lowest)} "
                     f"(the fewest points evidence can give), so that evidence never scores "
                     f"less than none; got {_show(missing)}")
            return False
        return True

    def scale_points(self, data: Any, parent: Any, kind_: str, field: str,
                     spec: MeasureSpec) -> dict | None:
        """Thresholds (at-least value: points) or categories (category: points)."""
        example = "at-least value: points, e.g. {1: 50, 3: 100}" if kind_ == "thresholds" \
            else "category: points, e.g. {resident: 100}"
        if not self.mapping(data, parent, kind_, field, f"a mapping of {example}", empty=False):
            return None
        out: dict[Any, float] = {}
        ok = True
        for raw in data:
            where = f"{field}.{raw}"
            if kind_ == "categories":
                step: Any = str(raw)
                if not self.known(step, spec.categories, "category", data, raw, where):
                    ok = False
                    continue
            else:
                step = convert_noted(number, raw, self.ctx, line_of(data, raw), where, 0)
                if step in out:
                    self.add(data, raw, where, f"duplicate at-least value {raw!r}")
                    step = MISSING
            points = self.number(data, raw, where, high=100)
            if step is MISSING or points is None:
                ok = False
            else:
                out[step] = points
        if not ok:
            return None
        if kind_ == "categories":
            return {"categories": tuple(out.items())}
        return {"steps": tuple(sorted(out.items()))}

    def scale_linear(self, data: Any, parent: Any, field: str) -> dict | None:
        if not self.mapping(data, parent, "linear", field):
            return None
        check_keys(data, self.ctx, field, ("cap",), ("cap",), noun="key")
        cap = self.number(data, "cap", f"{field}.cap") if "cap" in data else None
        if cap == 0:
            self.add(data, "cap", f"{field}.cap", "expected a number above 0, got 0")
            return None
        return None if cap is None else {"cap": cap}


# -- helpers ----------------------------------------------------------------------------

def _hints(table: str) -> dict[str, Any]:
    """The fields of a table's records and their annotations."""
    cls = table_class(table)
    hints = type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

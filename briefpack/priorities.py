"""The strategy's priorities: objectives, criteria, regional weights and RAG bands.

``load_priorities`` reads ``priorities.yaml`` into frozen dataclasses and validates it,
reporting every problem with file, line, key and what was expected. Nothing in the file
is evaluated: a criterion names a measure from ``MEASURES`` (implemented in
``briefpack.scoring``) and a ``Scale`` turning the measured value into 0-100 points.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import model, paths
from .yamlio import Context, YList, YMap, coerce, load

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
                         "applies_to", "serves")
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
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
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


@dataclass(frozen=True)
class Bands:
    """RAG bands: Green at ``green`` or more, Amber at ``amber`` or more, else Red; but
    "Insufficient data" when less than ``minimum_coverage`` per cent of the weight was
    measured."""

    green: float
    amber: float
    minimum_coverage: float = 60.0

    def band(self, score: float, coverage: float = 1.0) -> str:
        if 100 * coverage < self.minimum_coverage - 1e-9:
            return INSUFFICIENT_BAND
        if score >= self.green:
            return "Green"
        return "Amber" if score >= self.amber else "Red"


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    measure: str
    weight: float
    scale: Scale
    description: str = ""
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
    serves: str = ""


@dataclass(frozen=True)
class Objective:
    key: str
    label: str
    weight: float
    criteria: tuple[Criterion, ...]
    description: str = ""
    #: a few words for narrow places, e.g. a column heading ("Euro-Atlantic")
    short: str = ""


@dataclass(frozen=True)
class Priorities:
    objectives: tuple[Objective, ...]
    #: region -> weight of effort, in the strategy's order
    regions: tuple[tuple[str, float], ...]
    bands: Bands
    source: str = ""

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


class _Reader:
    """Validates one priorities file, noting every problem in ``ctx``."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.regions: dict[str, float] = {}

    def add(self, data: Any, key: Any, field: str, message: str) -> None:
        line = data.line_of(key) if key is not None and isinstance(data, (YMap, YList)) \
            else None
        self.ctx.add(line or getattr(data, "line", None), field, message)

    def mapping(self, data: Any, field: str, allowed: tuple[str, ...], required: tuple[str, ...],
                holder: Any = None, key: Any = None) -> bool:
        """Check ``data`` is a mapping with only ``allowed`` keys and every ``required`` one."""
        if not isinstance(data, dict):
            self.add(holder if holder is not None else data, key, field,
                     f"expected a mapping, got {_kind(data)}")
            return False
        for name in data:
            if name not in allowed:
                self.add(data, name, f"{field}.{name}" if field else str(name),
                         f"unknown key {name!r}; expected one of: {', '.join(allowed)}")
        for name in required:
            if name not in data:
                self.add(data, None, f"{field}.{name}" if field else name,
                         "required key is missing")
        return True

    def number(self, data: Any, key: Any, field: str, *, low: float | None = 0.0,
               high: float | None = None) -> float | None:
        value = parse_amount(data[key])
        expected = "a number" + _range_text(low, high)
        if value is None or (low is not None and value < low) or \
                (high is not None and value > high):
            self.add(data, key, field, f"expected {expected}, got {data[key]!r}")
            return None
        return value

    def text(self, data: Any, key: str, field: str) -> str | None:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.add(data, key, field, f"expected text, got {_kind(value)}")
            return None
        return value.strip()

    def ident(self, data: Any, field: str) -> str | None:
        value = data.get("key")
        if not isinstance(value, str) or not _KEY_PATTERN.match(value):
            self.add(data, "key", f"{field}.key",
                     f"expected a key in lower case letters, digits and _, got {value!r}")
            return None
        return value

    # -- sections ---------------------------------------------------------------------

    def priorities(self, data: Any, file: str) -> Priorities | None:
        if not self.mapping(data, "", ("version", "bands", "regions", "objectives"),
                            ("bands", "regions", "objectives")):
            return None
        if "version" in data and data["version"] != 1:
            self.add(data, "version", "version", f"expected 1, got {data['version']!r}")
        bands = self.bands(data["bands"], data) if "bands" in data else None
        regions = self.region_weights(data["regions"], data) if "regions" in data else None
        objectives = self.objectives(data["objectives"], data) if "objectives" in data else None
        if bands is None or regions is None or objectives is None or self.ctx.problems:
            return None
        return Priorities(objectives=objectives, regions=regions, bands=bands, source=file)

    def bands(self, data: Any, parent: Any) -> Bands | None:
        if not self.mapping(data, "bands", ("green", "amber", "minimum_coverage"),
                            ("green", "amber"), parent, "bands"):
            return None
        green = self.number(data, "green", "bands.green", high=100) if "green" in data else None
        amber = self.number(data, "amber", "bands.amber", high=100) if "amber" in data else None
        coverage = self.number(data, "minimum_coverage", "bands.minimum_coverage", high=100) \
            if "minimum_coverage" in data else Bands.minimum_coverage
        if green is None or amber is None or coverage is None:
            return None
        if amber >= green:
            self.add(data, "amber", "bands.amber",
                     f"expected a number below bands.green ({_show(green)}), got {_show(amber)}")
            return None
        return Bands(green=green, amber=amber, minimum_coverage=coverage)

    def region_weights(self, data: Any, parent: Any) -> tuple[tuple[str, float], ...] | None:
        if not isinstance(data, dict):
            self.add(parent, "regions", "regions",
                     f"expected a mapping of region: weight, got {_kind(data)}")
            return None
        weights: dict[str, float] = {}
        for name in data:
            region = region_named(name)
            field = f"regions.{name}"
            if region is None:
                self.add(data, name, field,
                         f"unknown region {name!r}; expected one of: {', '.join(model.REGIONS)}")
                continue
            weight = self.number(data, name, field, high=100)
            if weight is not None:
                weights[region] = weight
        missing = [r for r in model.REGIONS if r not in weights and
                   not any(region_named(n) == r for n in data)]
        for region in missing:
            self.add(data, None, f"regions.{region}", "required region is missing")
        self.regions = weights
        return tuple((r, weights[r]) for r in model.REGIONS if r in weights)

    def objectives(self, data: Any, parent: Any) -> tuple[Objective, ...] | None:
        if not isinstance(data, list) or not data:
            self.add(parent, "objectives", "objectives",
                     f"expected a list of objectives, got {_kind(data)}")
            return None
        built, seen = [], set()
        for index, item in enumerate(data):
            name = item.get("key") if isinstance(item, dict) else None
            field = f"objectives[{name or index + 1}]"
            if isinstance(name, str) and name in seen:
                self.add(item, "key", f"{field}.key", f"duplicate objective key {name!r}")
            if isinstance(name, str):  # a key that is a list is reported, not remembered
                seen.add(name)
            built.append(self.objective(item, field, data, index))
        objectives = [o for o in built if o is not None]
        if len(objectives) < len(built):
            return None
        if not any(o.weight for o in objectives):
            self.add(data, None, "objectives", "expected at least one objective with weight > 0")
        return tuple(objectives)

    def objective(self, data: Any, field: str, parent: Any, index: int) -> Objective | None:
        keys = ("key", "label", "short", "weight", "description", "criteria")
        if not self.mapping(data, field, keys, ("key", "label", "weight", "criteria"), parent,
                            index):
            return None
        key = self.ident(data, field) if "key" in data else None
        label = self.text(data, "label", f"{field}.label") if "label" in data else None
        weight = self.number(data, "weight", f"{field}.weight") if "weight" in data else None
        criteria = self.criteria(data["criteria"], data, field) if "criteria" in data else None
        if key is None or label is None or weight is None or criteria is None:
            return None
        short = self.text(data, "short", f"{field}.short") if "short" in data else label
        if short is None:
            return None
        return Objective(key=key, label=label, weight=weight, criteria=criteria,
                         description=str(data.get("description") or "").strip(), short=short)

    def criteria(self, data: Any, parent: Any, where: str) -> tuple[Criterion, ...] | None:
        if not isinstance(data, list) or not data:
            self.add(parent, "criteria", f"{where}.criteria",
                     f"expected a list of criteria, got {_kind(data)}")
            return None
        built, seen = [], set()
        for index, item in enumerate(data):
            name = item.get("key") if isinstance(item, dict) else None
            field = f"{where}.criteria[{name or index + 1}]"
            if isinstance(name, str) and name in seen:
                self.add(item, "key", f"{field}.key", f"duplicate criterion key {name!r}")
            if isinstance(name, str):  # a key that is a list is reported, not remembered
                seen.add(name)
            built.append(self.criterion(item, field, data, index))
        criteria = [c for c in built if c is not None]
        if len(criteria) < len(built):
            return None
        if not any(c.weight for c in criteria):
            self.add(data, None, f"{where}.criteria",
                     "expected at least one criterion with weight > 0")
            return None
        return tuple(criteria)

    def criterion(self, data: Any, field: str, parent: Any, index: int) -> Criterion | None:
        allowed = COMMON_CRITERION_KEYS + OPTION_KEYS
        if not self.mapping(data, field, allowed, ("key", "label", "measure", "weight", "scale"),
                            parent, index):
            return None
        before = len(self.ctx.problems)
        key = self.ident(data, field) if "key" in data else None
        label = self.text(data, "label", f"{field}.label") if "label" in data else None
        weight = self.number(data, "weight", f"{field}.weight") if "weight" in data else None
        spec = self.measure(data, field) if "measure" in data else None
        options = self.options(data, field, spec) if spec else {}
        scale = self.scale(data["scale"], data, f"{field}.scale", spec) \
            if "scale" in data and spec else None
        applies_to = self.filters(data["applies_to"], data, "applies_to", f"{field}.applies_to",
                                  "countries") if "applies_to" in data else ()
        if (len(self.ctx.problems) > before or key is None or label is None or weight is None
                or spec is None or scale is None):
            return None
        return Criterion(key=key, label=label, measure=spec.name, weight=weight, scale=scale,
                         description=str(data.get("description") or "").strip(),
                         serves=" ".join(str(data.get("serves") or "").split()),
                         applies_to=applies_to, **options)

    def measure(self, data: Any, field: str) -> MeasureSpec | None:
        name = data["measure"]
        spec = MEASURES.get(name) if isinstance(name, str) else None
        if spec is None:
            self.add(data, "measure", f"{field}.measure",
                     f"unknown measure {name!r}; expected one of: {', '.join(MEASURES)}")
        return spec

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
            table = self.table(data, field)
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

    def table(self, data: Any, field: str) -> str | None:
        table = data["table"]
        if table not in model.TABLES:
            self.add(data, "table", f"{field}.table",
                     f"unknown table {table!r}; expected one of: {', '.join(model.TABLES)}")
            return None
        return table

    def sum_field(self, data: Any, field: str, table: str) -> str | None:
        numeric = [name for name, hint in _hints(table).items()
                   if _base(hint) in (int, float) and name not in _UNFILTERABLE]
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
                if name not in model.FORMATS:
                    self.add(items if isinstance(items, YList) else data,
                             i if isinstance(items, YList) else "formats",
                             f"{field}.formats", f"unknown format {name!r}; expected one of: "
                             f"{', '.join(model.FORMATS)}")
        return tuple(i.strip() for i in items)

    def stages(self, data: Any, parent: Any, field: str) -> tuple[tuple[str, float], ...]:
        if not self.mapping(data, field, model.EXPORT_STAGES, (), parent, "stages"):
            return ()
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
        if not isinstance(data, dict) or not data:
            self.add(parent, key, field,
                     f"expected a mapping of field: value (or list of values), got {_kind(data)}")
            return ()
        out = []
        for name in data:
            where = f"{field}.{name}"
            if name not in fields:
                self.add(data, name, where, f"unknown field {name!r} of {table}; expected one "
                         f"of: {', '.join(fields)}")
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
        hint = _base(hint)
        if typing.get_origin(hint) is tuple:
            hint = typing.get_args(hint)[0]
        line = data.line_of(name) if isinstance(data, YMap) else None
        allowed = FIELD_VALUES.get((table, name))
        if table == "countries" and name == "region":
            items = [region_named(i) or i for i in items]
        values = []
        for item in items:
            before = len(self.ctx.problems)
            value = coerce(item, hint, self.ctx, line, where)
            if len(self.ctx.problems) > before:
                continue
            if allowed and value not in allowed:
                self.add(data, name, where, f"unknown {name} {item!r}; expected one of: "
                         f"{', '.join(allowed)}")
                continue
            values.append(value)
        return tuple(values) if len(values) == len(items) else ()

    def scale(self, data: Any, parent: Any, field: str, spec: MeasureSpec) -> Scale | None:
        if not self.mapping(data, field, SCALE_KINDS + ("missing",), (), parent, "scale"):
            return None
        kinds = [k for k in SCALE_KINDS if k in data]
        if len(kinds) != 1:
            got = ", ".join(kinds) or "none"
            self.add(parent, "scale", field,
                     f"expected exactly one of: {', '.join(SCALE_KINDS)}; got {got}")
            return None
        kind = kinds[0]
        expected = "categories" if not spec.numeric else "thresholds or linear"
        if (kind == "categories") == spec.numeric:
            self.add(data, kind, f"{field}.{kind}",
                     f"measure {spec.name} gives {'a number' if spec.numeric else 'a category'};"
                     f" expected a {expected} scale")
            return None
        missing = self.number(data, "missing", f"{field}.missing", high=100) \
            if "missing" in data else None
        if kind == "categories":
            body = self.scale_categories(data[kind], data, f"{field}.{kind}", spec.categories)
        else:
            body = getattr(self, f"scale_{kind}")(data[kind], data, f"{field}.{kind}")
        if body is None or ("missing" in data and missing is None):
            return None
        return Scale(kind=kind, missing=missing, **body)

    def scale_thresholds(self, data: Any, parent: Any, field: str) -> dict | None:
        if not isinstance(data, dict) or not data:
            self.add(parent, "thresholds", field,
                     "expected a mapping of at-least value: points, e.g. {1: 50, 3: 100}")
            return None
        steps: dict[float, float] = {}
        ok = True
        for raw in data:
            at_least = parse_amount(raw)
            if at_least is None or at_least < 0:
                self.add(data, raw, f"{field}.{raw}",
                         f"expected a number of 0 or more as the at-least value, got {raw!r}")
                ok = False
                continue
            points = self.number(data, raw, f"{field}.{raw}", high=100)
            if at_least in steps:
                self.add(data, raw, f"{field}.{raw}", f"duplicate at-least value {raw!r}")
                ok = False
            if points is None:
                ok = False
            else:
                steps[at_least] = points
        return {"steps": tuple(sorted(steps.items()))} if ok else None

    def scale_linear(self, data: Any, parent: Any, field: str) -> dict | None:
        if not self.mapping(data, field, ("cap",), ("cap",), parent, "linear"):
            return None
        if "cap" not in data:
            return None
        cap = self.number(data, "cap", f"{field}.cap")
        if cap is not None and cap <= 0:
            self.add(data, "cap", f"{field}.cap", f"expected a number above 0, got {cap!r}")
            return None
        return None if cap is None else {"cap": cap}

    def scale_categories(self, data: Any, parent: Any, field: str,
                         known: tuple[str, ...]) -> dict | None:
        if not isinstance(data, dict) or not data:
            self.add(parent, "categories", field,
                     "expected a mapping of category: points, e.g. {resident: 100}")
            return None
        out, ok = [], True
        for name in data:
            if str(name) not in known:
                self.add(data, name, f"{field}.{name}",
                         f"unknown category {name!r}; expected one of: {', '.join(known)}")
                ok = False
                continue
            points = self.number(data, name, f"{field}.{name}", high=100)
            if points is None:
                ok = False
            else:
                out.append((str(name), points))
        return {"categories": tuple(out)} if ok else None


# -- helpers ----------------------------------------------------------------------------

_AMOUNT = re.compile(r"^£?\s*(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|k|m|bn)?$",
                     re.IGNORECASE)
_MULTIPLIERS = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}


def parse_amount(value: Any) -> float | None:
    """A number from YAML: 12, 0.5, "1,000", "£800 million", "£2 billion"; else None."""
    if isinstance(value, bool):
        return None
    number = None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # a whole number too large for a float
            return None
    elif isinstance(value, str):
        match = _AMOUNT.match(value.strip())
        if match:
            number = float(match.group(1).replace(",", ""))
            number *= _MULTIPLIERS.get((match.group(2) or "").lower(), 1.0)
    # NaN compares false with every bound, so it would pass any range check
    return number if number is not None and math.isfinite(number) else None


def _hints(table: str) -> dict[str, Any]:
    cls = table_class(table)
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _base(hint: Any) -> Any:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return hint


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f" from {_show(low)} to {_show(high)}"
    return f" of {_show(low)} or more" if low is not None else ""


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"text {value!r}" if isinstance(value, str) else type(value).__name__

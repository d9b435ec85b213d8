"""Loads the sample store content from data/ (YAML), validating everything first."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from .. import model, paths
from ..coercion import Refused, marking_text
from ..errors import DataError
from ..formatting import month_year
from ..yamlio import Context, YList, YMap, build, load

DEFAULT_SOURCE = "Defence Diplomacy Strategy 2026, public summary"


@dataclass
class Sample:
    source: str
    countries: list[model.CountryFile] = field(default_factory=list)
    #: per country code: interlocutor index -> the name of the alumnus it is
    alumni_links: dict[str, dict[int, str]] = field(default_factory=dict)
    figures: list[model.NationalFigure] = field(default_factory=list)
    #: the date of the sample's source (data/sample.yaml), not the day a store is made
    as_of: dt.date | None = None

    def refreshed_by(self) -> str:
        """Who a sample refresh is credited to, with its source's date: "sample data:
        source dated March 2026" (the source itself is cited on every record)."""
        if self.as_of is None:
            return model.SAMPLE_REFRESHED_BY
        return f"{model.SAMPLE_REFRESHED_BY}: source dated {month_year(self.as_of)}"


#: a country file's keys besides its record tables (named as in model.TABLES, or an alias)
_COUNTRY_KEYS = ("country", "source", "summary", "co_leads", "marking")


def load_sample(data_dir: Path | None = None) -> Sample:
    """Read and validate every sample data file; raise DataError with every problem."""
    root = Path(data_dir) if data_dir else paths.data_dir()
    problems = []
    sample = Sample(source=str(root))
    countries: dict[str, model.CountryFile] = {}
    try:
        countries, index_problems = _load_index(root / "countries.yaml")
        problems += index_problems
    except DataError as exc:
        problems += exc.problems
    for detail in sorted((root / "countries").glob("*.yaml")):
        try:
            _load_detail(detail, countries, sample)
        except DataError as exc:
            problems += exc.problems
    about = root / "sample.yaml"
    if about.exists():
        try:
            sample.as_of = _load_about(about)
        except DataError as exc:
            problems += exc.problems
    uk = root / "uk.yaml"
    if uk.exists():
        try:
            sample.figures = _load_figures(uk)
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    sample.countries = list(countries.values())
    if sample.as_of is not None:
        _date_facts(sample, sample.as_of)
    return sample


def _load_about(path: Path) -> dt.date:
    """The date of the sample's source (data/sample.yaml)."""
    data = load(path)
    ctx = Context(str(path))
    if not isinstance(data, dict):
        ctx.add(getattr(data, "line", None), "", "expected a mapping with as_of")
        ctx.raise_if_any()
    for key in data:
        if key != "as_of":
            ctx.add(data.line_of(key), key, "unknown key; expected: as_of")
    as_of = data.get("as_of")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        ctx.add(data.line_of("as_of") if "as_of" in data else data.line, "as_of",
                f"expected the source's date as YYYY-MM-DD, got {as_of!r}")
    ctx.raise_if_any()
    return as_of


def _date_facts(sample: Sample, as_of: dt.date) -> None:
    """Every sample fact carries its source's date (unless its file gives its own)."""
    stamp = as_of.isoformat()

    def dated(record):
        return record if record.updated_at else dataclasses.replace(
            record, updated_at=stamp, updated_by=record.updated_by or "sample data")

    for cf in sample.countries:
        cf.country = dated(cf.country)
        for spec in model.TABLES.values():
            setattr(cf, spec.name, [dated(r) for r in spec.records(cf)])


def _load_index(path: Path) -> tuple[dict[str, model.CountryFile], list]:
    """Every country row that is valid, and the problems of those that are not.

    A country whose fields are wrong still counts as listed, so the detail files are
    checked against it instead of failing for a knock-on reason.
    """
    data = load(path)
    ctx = Context(str(path))
    if not isinstance(data, YList):
        ctx.add(getattr(data, "line", None), "", "expected a list of countries")
        ctx.raise_if_any()
    out: dict[str, model.CountryFile] = {}
    for i, item in enumerate(data):
        where = f"[{i + 1}]"
        if not isinstance(item, YMap):
            ctx.add(data.line_of(i), where, "expected a mapping for each country")
            continue
        code = str(item.get("code", "")).upper()
        where = code or where
        entry = pycountry.countries.get(alpha_3=code) if code else None
        if entry is None:
            ctx.add(item.line_of("code"), f"{where}.code",
                    f"{code or 'missing'}: not an ISO 3166 alpha-3 country code")
            continue
        if code in out:
            ctx.add(item.line_of("code"), f"{where}.code", "country listed twice")
            continue
        defaults = {"code": code, "alpha2": entry.alpha_2,
                    "name": getattr(entry, "common_name", None) or entry.name,
                    "source": "Public membership lists", "origin": "import"}
        country = build(model.Country, item, ctx, where, defaults=defaults)
        out[code] = model.CountryFile(
            country=country or model.Country(code=code, name=defaults["name"]))
    return out, ctx.problems


def checked_marking(record, item: YMap, ctx: Context, where: str):
    """The record with its marking normalised, or a problem noted (SECRET is refused)."""
    try:
        return dataclasses.replace(record, marking=marking_text(record.marking))
    except Refused as exc:
        ctx.add(item.line_of("marking"), f"{where}.marking", str(exc))
        return record


def _load_detail(path: Path, countries: dict[str, model.CountryFile], sample: Sample) -> None:
    data = load(path)
    ctx = Context(str(path))
    if not isinstance(data, dict):
        ctx.add(getattr(data, "line", None), "", "expected a mapping with a 'country' key")
        ctx.raise_if_any()
    code = str(data.get("country", "")).upper()
    if code not in countries:
        ctx.add(data.line_of("country"), "country",
                f"{code or 'missing'}: not a country listed in countries.yaml")
        ctx.raise_if_any()
    sections: dict[str, str] = {}  # table -> the key this file gives it under
    for key in data:
        spec = None if key in _COUNTRY_KEYS else model.table_named(str(key))
        if spec is None and key not in _COUNTRY_KEYS:
            ctx.add(data.line_of(key), key, "unknown section; expected one of: "
                    + ", ".join(sorted((*_COUNTRY_KEYS, *model.TABLES))))
        elif spec is not None and spec.name in sections:
            ctx.add(data.line_of(key), key,
                    f"{spec.plural} given twice (also as {sections[spec.name]!r})")
        elif spec is not None:
            sections[spec.name] = key
    source = str(data.get("source") or DEFAULT_SOURCE)
    cf = countries[code]
    summary = data.get("summary") or []
    if not isinstance(summary, list) or not all(isinstance(s, str) for s in summary):
        ctx.add(data.line_of("summary"), "summary", "expected a list of facts as text")
        summary = []
    co_leads = data.get("co_leads") or []
    if not isinstance(co_leads, list):
        ctx.add(data.line_of("co_leads"), "co_leads", "expected a list of formats")
        co_leads = []
    cf.country = dataclasses.replace(
        cf.country, summary="\n".join(summary), co_leads=tuple(map(str, co_leads)),
        source=source, marking=str(data.get("marking") or cf.country.marking))
    links: dict[int, str] = {}
    alumni = data.get(sections.get("alumni", "alumni")) or []
    for table, section in sections.items():
        spec = model.TABLES[table]
        items = data.get(section) or []
        if not isinstance(items, list):
            ctx.add(data.line_of(section), section, "expected a list of records")
            continue
        for i, item in enumerate(items):
            where = f"{section}[{i + 1}]"
            link = item.pop("alumnus", None) if isinstance(item, dict) else None
            defaults = {"country": code, "source": source, "origin": "import"}
            record = build(spec.record, item, ctx, where, defaults=defaults)
            if record is None:
                continue
            record = checked_marking(record, item, ctx, where)
            if link:
                if not any(a.get("name") == link for a in alumni if isinstance(a, dict)):
                    ctx.add(item.line, f"{where}.alumnus",
                            f"{link!r} is not an alumnus in this file")
                links[len(cf.interlocutors)] = str(link)
            spec.records(cf).append(record)
    ctx.raise_if_any()
    sample.alumni_links[code] = links


def _load_figures(path: Path) -> list[model.NationalFigure]:
    data = load(path)
    ctx = Context(str(path))
    if not isinstance(data, YList):
        ctx.add(getattr(data, "line", None), "", "expected a list of figures")
        ctx.raise_if_any()
    figures = []
    for i, item in enumerate(data):
        fig = build(model.NationalFigure, item, ctx, f"[{i + 1}]",
                    defaults={"source": DEFAULT_SOURCE, "origin": "import"})
        if fig is not None:
            figures.append(fig)
    ctx.raise_if_any()
    return figures

"""Visit files: a visit as YAML, read with every problem reported and written back exactly.

A visit file names countries and interlocutors the way people write them (a country's
name or code, an interlocutor's name); loading resolves them against the store.
``load_visit(dump_visit(v))`` gives ``v`` back field for field.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Collection
from pathlib import Path
from typing import Any

from . import marking, model, templates
from .errors import BriefpackError, UnknownCountry
from .store import Store
from .yamlio import Context, YList, YMap, build, dump, load, loads

PRESS = ("open", "closed")

_FIELDS = {f.name: f for f in dataclasses.fields(model.Visit)}
#: keys a visit file may hold, in the order dump_visit writes them
_ORDER = ("id", "title", "principal", "start", "end", "countries", "owning_team", "template",
          "ceiling", "version", "final", "objectives", "points_to_make", "asks", "if_raised",
          "press_lines", "programme", "interlocutors", "updated_at", "updated_by")
_RESOLVED = ("countries", "interlocutors", "ceiling", "template")


def load_visit(path: Path | str, store: Store, *,
               objective_keys: Collection[str] | None = None,
               template_root: Path | None = None) -> model.Visit:
    """Read a visit file; raise DataError naming file, line and field of every problem.

    ``objective_keys``: the strategy objectives objectives may be tagged with (from the
    priorities); when given, any other tag is an error.
    """
    return parse_visit(load(path), str(path), store, objective_keys=objective_keys,
                       template_root=template_root)


def loads_visit(text: str, store: Store, *, name: str = "<visit>",
                objective_keys: Collection[str] | None = None,
                template_root: Path | None = None) -> model.Visit:
    """Like load_visit, from text already read."""
    return parse_visit(loads(text, name), name, store, objective_keys=objective_keys,
                       template_root=template_root)


def parse_visit(data: Any, file: str, store: Store, *,
                objective_keys: Collection[str] | None = None,
                template_root: Path | None = None) -> model.Visit:
    """Validate parsed YAML as a visit."""
    ctx = Context(file)
    if not isinstance(data, YMap):
        ctx.add(getattr(data, "line", None), "", "expected a mapping of visit fields "
                "(title, principal, start, end, countries …)")
        ctx.raise_if_any()
    for key in data:
        if key not in _ORDER:
            ctx.add(data.line_of(key), str(key), "unknown field; expected one of: "
                    + ", ".join(_ORDER))
    plain = YMap({k: v for k, v in data.items() if k in _ORDER and k not in _RESOLVED})
    plain.line, plain.key_lines = data.line, data.key_lines
    countries = _countries(data, store, ctx)
    resolved = {
        "countries": countries,
        "interlocutors": _interlocutors(data, countries, store, ctx),
        "ceiling": _ceiling(data, ctx),
        "template": _template(data, ctx, template_root),
    }
    _prepare_programme(data, store, ctx)
    visit = build(model.Visit, plain, ctx, "visit", defaults=resolved)
    if visit is not None:
        _check(visit, data, ctx, objective_keys)
    ctx.raise_if_any()
    return visit


def _countries(data: YMap, store: Store, ctx: Context) -> tuple[str, ...]:
    value = data.get("countries")
    line = data.line_of("countries")
    if value in (None, "", []):
        ctx.add(line, "countries", "required field is missing: name at least one country")
        return ()
    items = value if isinstance(value, list) else [value]
    codes: list[str] = []
    for i, text in enumerate(items):
        item_line = items.line_of(i) if isinstance(items, YList) else line
        where = f"countries[{i + 1}]"
        if not isinstance(text, str):
            ctx.add(item_line, where, "expected a country name or code as text")
            continue
        try:
            code = store.resolve_country(text).code
        except UnknownCountry as exc:
            ctx.add(item_line, where, str(exc))
            continue
        if code in codes:
            ctx.add(item_line, where, f"{text!r} is listed twice")
            continue
        codes.append(code)
    return tuple(codes)


def _interlocutors(data: YMap, countries: tuple[str, ...], store: Store,
                   ctx: Context) -> tuple[int, ...]:
    """Interlocutors by name (or ``{name, country}``) among the visit's countries."""
    value = data.get("interlocutors")
    if value in (None, []):
        return ()
    if not isinstance(value, YList):
        ctx.add(data.line_of("interlocutors"), "interlocutors", "expected a list of names")
        return ()
    people = [p for code in countries for p in store.records("interlocutors", code)]
    ids: list[int] = []
    for i, entry in enumerate(value):
        where = f"interlocutors[{i + 1}]"
        line = value.line_of(i)
        name, country = _person_ref(entry)
        if not name:
            ctx.add(line, where, "expected a name, or a mapping with name and country")
            continue
        matches = [p for p in people if p.name.casefold() == name.strip().casefold()
                   and (not country or _same_country(store, p.country, country))]
        if len(matches) == 1:
            ids.append(matches[0].id)
            continue
        if matches:
            ctx.add(line, where, f"{name!r} matches {len(matches)} interlocutors; give their "
                    "country as well: {name: …, country: …}")
            continue
        known = sorted({p.name for p in people})
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        hint = (f"; did you mean: {', '.join(close)}?" if close else
                f"; interlocutors recorded for {', '.join(countries) or 'these countries'}: "
                + (", ".join(known) or "none"))
        ctx.add(line, where, f"unknown interlocutor {name!r}{hint}")
    return tuple(ids)


def _person_ref(entry: Any) -> tuple[str, str]:
    if isinstance(entry, str):
        return entry, ""
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        country = entry.get("country")
        return entry["name"], country if isinstance(country, str) else ""
    return "", ""


def _same_country(store: Store, code: str, text: str) -> bool:
    try:
        return store.resolve_country(text).code == code
    except UnknownCountry:
        return False


def _ceiling(data: YMap, ctx: Context) -> str:
    value = data.get("ceiling", _FIELDS["ceiling"].default)
    try:
        return str(marking.parse_ceiling(str(value)))
    except marking.MarkingError as exc:
        ctx.add(data.line_of("ceiling"), "ceiling", str(exc))
        return _FIELDS["ceiling"].default


def _template(data: YMap, ctx: Context, root: Path | None) -> str:
    value = data.get("template", _FIELDS["template"].default)
    names = templates.available_templates(root)
    if value not in names:
        ctx.add(data.line_of("template"), "template", f"unknown template {value!r}; "
                "available templates: " + (", ".join(names) or "none"))
    return str(value)


def _prepare_programme(data: YMap, store: Store, ctx: Context) -> None:
    """Resolve each item's country to its code; catch times YAML misread as numbers."""
    items = data.get("programme")
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if not isinstance(item, YMap):
            continue
        where = f"visit.programme[{i + 1}]"
        time = item.get("time")
        # YAML reads an unquoted 10:30 as the number 630: insist on quotes, never guess
        if isinstance(time, (int, float)) and not isinstance(time, bool):
            ctx.add(item.line_of("time"), f"{where}.time", 'write the time in quotes, e.g. '
                    'time: "10:30" (unquoted, YAML reads 10:30 as a number)')
            item["time"] = ""
        country = item.get("country")
        if isinstance(country, str) and country.strip():
            try:
                item["country"] = store.resolve_country(country).code
            except UnknownCountry as exc:
                ctx.add(item.line_of("country"), f"{where}.country", str(exc))
                item["country"] = ""


def _check(visit: model.Visit, data: YMap, ctx: Context,
           objective_keys: Collection[str] | None) -> None:
    """Rules that go beyond each field's type."""
    if visit.end < visit.start:
        ctx.add(data.line_of("end"), "visit.end",
                f"the visit ends ({visit.end}) before it starts ({visit.start})")
    for key in ("title", "principal"):
        if not getattr(visit, key).strip():
            ctx.add(data.line_of(key), f"visit.{key}", "must not be empty")
    objectives = data.get("objectives") or []
    for i, objective in enumerate(visit.objectives):
        item = objectives[i]
        if not objective.text.strip():
            ctx.add(item.line_of("text"), f"visit.objectives[{i + 1}].text", "must not be empty")
        if objective_keys is not None:
            for tag in objective.tags:
                if tag not in objective_keys:
                    ctx.add(item.line_of("tags"), f"visit.objectives[{i + 1}].tags",
                            f"{tag!r} is not a strategy objective; expected one of: "
                            + ", ".join(objective_keys))
    programme = data.get("programme") or []
    for i, entry in enumerate(visit.programme):
        item = programme[i]
        where = f"visit.programme[{i + 1}]"
        if entry.press not in PRESS:
            ctx.add(item.line_of("press"), f"{where}.press",
                    f"{entry.press!r}: expected open or closed")
        if entry.country and entry.country not in visit.countries:
            ctx.add(item.line_of("country"), f"{where}.country",
                    f"{entry.country!r} is not one of this visit's countries ("
                    + ", ".join(visit.countries) + ")")
        elif not entry.country and len(visit.countries) > 1:
            ctx.add(item.line, f"{where}.country",
                    "a visit to several countries needs the country of each programme item")


def dump_visit(visit: model.Visit, store: Store) -> str:
    """The visit as YAML, countries by code and interlocutors by name."""
    out: dict[str, Any] = {}
    for key in _ORDER:
        value = getattr(visit, key)
        f = _FIELDS[key]
        if key in ("title", "principal", "start", "end", "countries"):
            pass  # always written, even if empty
        elif f.default is not dataclasses.MISSING and value == f.default:
            continue
        out[key] = _plain(key, value, store)
    return dump(out)


def _plain(key: str, value: Any, store: Store) -> Any:
    if key == "interlocutors":
        return [_person_name(store, person_id) for person_id in value]
    if key in ("objectives", "asks", "programme"):
        return [_record(item) for item in value]
    if isinstance(value, tuple):
        return list(value)
    return value


def _record(item: Any) -> dict[str, Any]:
    """A nested visit part, leaving out fields at their default."""
    out = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def _person_name(store: Store, person_id: int) -> Any:
    try:
        person = store.get("interlocutors", person_id)
    except BriefpackError:
        raise BriefpackError(f"the visit names interlocutor {person_id}, who is not in the "
                             "store") from None
    namesakes = [p for p in store.records("interlocutors", person.country)
                 if p.name.casefold() == person.name.casefold()]
    if len(namesakes) > 1:
        raise BriefpackError(f"two interlocutors in {person.country} are called "
                             f"{person.name!r}; rename one before writing the visit file")
    others = [p for p in store.records("interlocutors")
              if p.name.casefold() == person.name.casefold() and p.country != person.country]
    return {"name": person.name, "country": person.country} if others else person.name

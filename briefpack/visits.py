"""Visit files: a visit as YAML, read with every problem reported and written back exactly.

A visit file names countries and interlocutors the way people write them (a country's
name or code, an interlocutor's name); loading resolves them against the store.
``load_visit(dump_visit(v))`` gives ``v`` back field for field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from . import marking, model, templates
from .formatting import MONTHS, date_range, long_date
from .coercion import MISSING, check_keys, convert_noted
from .errors import BriefpackError, UnknownCountry
from .store import Store
from .yamlio import Context, YList, YMap, build, dump, load, loads


_FIELDS = {f.name: f for f in dataclasses.fields(model.Visit)}
#: keys a visit file may hold, in the order dump_visit writes them
_ORDER = ("id", "title", "principal", "start", "end", "countries", "owning_team", "template",
          "ceiling", "marking", "version", "final", "purpose", "objectives", "top_lines",
          "points_to_make", "asks", "if_raised", "press_lines", "press_qa", "sensitivities",
          "per_country",
          "programme", "interlocutors", "people", "team", "logistics", "contacts", "readout_date",
          "outcomes", "actions", "updated_at", "updated_by")
_RESOLVED = ("countries", "interlocutors", "people", "ceiling", "template", "marking")
#: lists whose items may name one of the visit's countries
_PLACED = ("per_country", "programme", "team", "logistics", "contacts", "outcomes",
           "actions")


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
    check_keys(data, ctx, "", _ORDER)
    plain = YMap({k: v for k, v in data.items() if k in _ORDER and k not in _RESOLVED})
    plain.line, plain.key_lines = data.line, data.key_lines
    countries = _countries(data, store, ctx)
    people = _people(data, countries, store, ctx)
    resolved = {
        "countries": countries,
        "people": people,
        "interlocutors": _interlocutors(data, countries, store, ctx, people),
        "ceiling": _ceiling(data, ctx),
        "template": _template(data, ctx, template_root),
        "marking": _marking(data, "marking", ctx),
    }
    for key in _PLACED:
        _prepare_places(data, key, store, ctx)
    _prepare_programme(data, countries, store, ctx, people)
    _prepare_sections(data, ctx)
    _convert_first(data, ctx)
    visit = build(model.Visit, plain, ctx, "visit", defaults=resolved)
    if visit is not None:
        _check(visit, data, ctx, objective_keys)
    ctx.raise_if_any()
    assert visit is not None  # build() noted why it could not, so raise_if_any raised
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


#: what a visit file may say about one of its people
_PERSON_KEYS = tuple(f.name for f in dataclasses.fields(model.VisitPerson))


def _people(data: YMap, countries: tuple[str, ...], store: Store,
            ctx: Context) -> tuple[model.VisitPerson, ...]:
    """The people written in the visit file, each in one of its countries."""
    value = data.get("people")
    if value in (None, []):
        return ()
    if not isinstance(value, YList):
        ctx.add(data.line_of("people"), "visit.people", "expected a list of people, each "
                "with a name and appointment")
        return ()
    out: list[model.VisitPerson] = []
    for i, item in enumerate(value):
        where = f"visit.people[{i + 1}]"
        if not isinstance(item, YMap):
            ctx.add(value.line_of(i), where, "expected a mapping with name, appointment, "
                    "country, biography, pronunciation, languages, review_date, marking")
            continue
        given = {"country": _person_country(item, countries, store, ctx, where),
                 "marking": _person_marking(item, ctx, where)}
        person = build(model.VisitPerson, item, ctx, where, given=given)
        if person is None:
            continue
        if not person.name.strip():
            ctx.add(item.line_of("name"), f"{where}.name", "must not be empty")
        elif any(p.name.casefold() == person.name.casefold() and p.country == person.country
                 for p in out):
            ctx.add(item.line_of("name"), f"{where}.name",
                    f"{person.name!r} is listed twice for {person.country}")
        out.append(person)
    return tuple(out)


def _person_country(item: YMap, countries: tuple[str, ...], store: Store, ctx: Context,
                    where: str) -> Any:
    text = item.get("country")
    if text in (None, ""):
        if len(countries) == 1:
            return countries[0]
        if countries:
            ctx.add(item.line, f"{where}.country", "a visit to several countries needs the "
                    "country of each person")
        return MISSING
    try:
        code = store.resolve_country(str(text)).code
    except UnknownCountry as exc:
        ctx.add(item.line_of("country"), f"{where}.country", str(exc))
        return MISSING
    if code not in countries:
        ctx.add(item.line_of("country"), f"{where}.country", f"{code!r} is not one of this "
                "visit's countries (" + ", ".join(countries) + ")")
        return MISSING
    return code


def _person_marking(item: YMap, ctx: Context, where: str) -> Any:
    """A person's marking: PERSONAL DATA always (as the store would make it)."""
    text = item.get("marking")
    try:
        level = marking.parse(str(text)) if text not in (None, "") else \
            marking.parse(model.PERSONAL_MARKING)
    except marking.MarkingError as exc:
        ctx.add(item.line_of("marking"), f"{where}.marking", str(exc))
        return MISSING
    return str(marking.with_descriptor(level, "PERSONAL DATA"))


def _interlocutors(data: YMap, countries: tuple[str, ...], store: Store,
                   ctx: Context, people: tuple[model.VisitPerson, ...] = ()) -> tuple[int, ...]:
    """Interlocutors by name (or ``{name, country}``) among the visit's countries."""
    value = data.get("interlocutors")
    if value in (None, []):
        return ()
    if not isinstance(value, YList):
        ctx.add(data.line_of("interlocutors"), "interlocutors", "expected a list of names")
        return ()
    ids: list[int] = []
    for i, entry in enumerate(value):
        where = f"interlocutors[{i + 1}]"
        name, country = _person_ref(entry)
        if not name:
            ctx.add(value.line_of(i), where, "expected a name, or a mapping with name and "
                    "country")
            continue
        person = _find_person(store, name, country, countries, ctx, value.line_of(i), where,
                              people)
        if person is not None:
            ids.append(person)
    return tuple(ids)


def _find_person(store: Store, name: str, country: str, countries: tuple[str, ...],
                 ctx: Context, line: int | None, where: str,
                 visit_people: tuple[model.VisitPerson, ...] = ()) -> int | None:
    """The id of the person called ``name`` among ``countries``: one of the visit's own
    people (their visit id), else an interlocutor record; else note why not."""
    wanted = name.strip().casefold()
    own = [model.visit_person_id(i) for i, p in enumerate(visit_people)
           if p.name.casefold() == wanted and p.country in countries
           and (not country or _same_country(store, p.country, country))]
    if len(own) == 1:
        return own[0]
    if own:
        ctx.add(line, where, f"{name!r} matches {len(own)} of the visit's people; give "
                "their country as well: {name: …, country: …}")
        return None
    people = [p for code in countries for p in store.records("interlocutors", code)]
    matches = [p for p in people if p.name.casefold() == name.strip().casefold()
               and (not country or _same_country(store, p.country, country))]
    if len(matches) == 1:
        return matches[0].id
    if matches:
        ctx.add(line, where, f"{name!r} matches {len(matches)} interlocutors; give their "
                "country as well: {name: …, country: …}")
        return None
    known = sorted({p.name for p in people} | {p.name for p in visit_people})
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = (f"; did you mean: {', '.join(close)}?" if close else
            f"; interlocutors recorded for {', '.join(countries) or 'these countries'}: "
            + (", ".join(known) or "none"))
    ctx.add(line, where, f"unknown interlocutor {name!r}{hint}")
    return None


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
        return str(_FIELDS["ceiling"].default)


def _template(data: YMap, ctx: Context, root: Path | None) -> str:
    value = data.get("template", _FIELDS["template"].default)
    names = templates.available_templates(root)
    if value not in names and not (isinstance(value, str) and templates.is_template_path(value)
                                   and (Path(value) / templates.SPEC_FILE).is_file()):
        ctx.add(data.line_of("template"), "template", f"unknown template {value!r}; "
                "available templates: " + (", ".join(names) or "none"))
    return str(value)


def _marking(data: YMap, key: str, ctx: Context, where: str = "visit") -> str:
    """The marking of the visit's own words (default OFFICIAL), in canonical form."""
    value = data.get(key)
    if value in (None, ""):
        return model.DEFAULT_MARKING
    try:
        return str(marking.parse(str(value)))
    except marking.MarkingError as exc:
        ctx.add(data.line_of(key), f"{where}.{key}", str(exc))
        return model.DEFAULT_MARKING


def _items(data: YMap, key: str):
    """(index, item) for each mapping in the list ``key``."""
    items = data.get(key)
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if isinstance(item, YMap):
            yield i, item


def _prepare_places(data: YMap, key: str, store: Store, ctx: Context) -> None:
    """Resolve each item's country (a name or code) to its code."""
    for i, item in _items(data, key):
        country = item.get("country")
        if isinstance(country, str) and country.strip():
            try:
                item["country"] = store.resolve_country(country).code
            except UnknownCountry as exc:
                ctx.add(item.line_of("country"), f"visit.{key}[{i + 1}].country", str(exc))
                item["country"] = ""


#: list -> (its item class, the fields converted before the visit is built), so that one
#: bad time or status does not hide the problems only a built visit shows
_CONVERTED_FIRST = {"programme": (model.ProgrammeItem, ("time", "press")),
                    "logistics": (model.LogisticsItem, ("time",)),
                    "outcomes": (model.Outcome, ("status",)),
                    "actions": (model.ReadoutAction, ("status",))}


def _convert_first(data: YMap, ctx: Context) -> None:
    """Each such field through the converter its class declares; a refused value is noted
    and left out (its default stands in, so the rest of the visit can be checked)."""
    for key, (cls, names) in _CONVERTED_FIRST.items():
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for i, item in _items(data, key):
            for name in set(names) & set(item):
                value = convert_noted(fields[name].metadata["convert"], item[name], ctx,
                                      item.line_of(name), f"visit.{key}[{i + 1}].{name}")
                if value is not MISSING:
                    item[name] = value
                elif fields[name].default is not dataclasses.MISSING:
                    del item[name]
                else:
                    item[name] = ""


def _prepare_sections(data: YMap, ctx: Context) -> None:
    """Each country section's marking in canonical form."""
    for i, item in _items(data, "per_country"):
        if "marking" in item:
            item["marking"] = _marking(item, "marking", ctx, f"visit.per_country[{i + 1}]")


def _prepare_programme(data: YMap, countries: tuple[str, ...], store: Store,
                       ctx: Context, people: tuple[model.VisitPerson, ...] = ()) -> None:
    """Catch times YAML misread as numbers; resolve the people at each call."""
    for i, item in _items(data, "programme"):
        where = f"visit.programme[{i + 1}]"
        time = item.get("time")
        # YAML reads an unquoted 10:30 as the number 630: insist on quotes, never guess
        if isinstance(time, (int, float)) and not isinstance(time, bool):
            ctx.add(item.line_of("time"), f"{where}.time", 'write the time in quotes, e.g. '
                    'time: "10:30" (unquoted, YAML reads 10:30 as a number)')
            item["time"] = ""
        if "interlocutors" in item:
            item["interlocutors"] = _attendees(item, countries, store, ctx, where, people)


def _attendees(item: YMap, countries: tuple[str, ...], store: Store, ctx: Context,
               where: str, people: tuple[model.VisitPerson, ...] = ()) -> list[dict]:
    """A call's people: a name (an interlocutor record), or ``{role: …}`` when unnamed.

    ``{name: …, country: …, role: …}`` names a record in another country or gives the
    role the person has at this call.
    """
    value = item.get("interlocutors")
    if value in (None, []):
        return []
    if not isinstance(value, YList):
        ctx.add(item.line_of("interlocutors"), f"{where}.interlocutors",
                "expected a list of names or {role: …} entries")
        return []
    code = item.get("country")
    scope = (code,) if isinstance(code, str) and code in countries else countries
    out: list[dict[str, Any]] = []
    for i, entry in enumerate(value):
        name, country = _person_ref(entry)
        role = entry.get("role") if isinstance(entry, dict) else None
        spot = f"{where}.interlocutors[{i + 1}]"
        if isinstance(entry, dict):
            for key in entry:
                if key not in ("name", "country", "role"):
                    ctx.add(value.line_of(i), f"{spot}.{key}",
                            "unknown field; expected name, country or role")
        if role is not None and not isinstance(role, str):
            ctx.add(value.line_of(i), f"{spot}.role", "expected the role as text")
            role = None
        if not name:
            if role and role.strip():
                out.append({"role": role.strip()})
            else:
                ctx.add(value.line_of(i), spot, "expected a name, or a mapping with a name "
                        "or a role")
            continue
        person = _find_person(store, name, country, scope, ctx, value.line_of(i), spot,
                              people)
        if person is not None:
            out.append({"role": (role or "").strip(), "interlocutor": person})
    return out


def _check(visit: model.Visit, data: YMap, ctx: Context,
           objective_keys: Collection[str] | None) -> None:
    """Rules that go beyond each field's type."""
    if visit.end < visit.start:
        ctx.add(data.line_of("end"), "visit.end",
                f"the visit ends ({visit.end}) before it starts ({visit.start})")
    for key in ("title", "principal"):
        if not getattr(visit, key).strip():
            ctx.add(data.line_of(key), f"visit.{key}", "must not be empty")
    _check_objectives(visit.objectives, data.get("objectives") or [], "visit.objectives",
                      ctx, objective_keys)
    sections = data.get("per_country") or []
    seen: set[str] = set()
    for i, content in enumerate(visit.per_country):
        item, where = sections[i], f"visit.per_country[{i + 1}]"
        if not content.country and not _noted(ctx, f"{where}.country"):
            ctx.add(item.line, f"{where}.country", "required field is missing: the country "
                    "this content is for")
        elif content.country in seen:
            ctx.add(item.line_of("country"), f"{where}.country",
                    f"{content.country!r} has two sections; merge them into one")
        seen.add(content.country)
        _check_objectives(content.objectives, item.get("objectives") or [],
                          f"{where}.objectives", ctx, objective_keys)
    _check_places(visit, data, ctx, ("per_country", "team", "logistics", "contacts",
                                     "outcomes", "actions"))
    _check_readout(visit, data, ctx)
    _check_places(visit, data, ctx, ("programme",))
    _check_days(visit, data, ctx)


def _noted(ctx: Context, field: str) -> bool:
    """True if a problem with ``field`` is already noted (say, an unknown country that
    left the field empty): one message per mistake."""
    return any(p.field == field for p in ctx.problems)


#: lists each of whose items a visit to several countries must place: list -> item noun.
#: Outcomes and actions may be tour-wide (no country): the readout records them for each
#: of the visit's countries.
_PLACED_EACH = {"programme": "programme item"}


def _check_places(visit: model.Visit, data: YMap, ctx: Context, keys: tuple[str, ...]) -> None:
    """Each item's country is one of the visit's; where it must be, it is given."""
    for key in keys:
        items = data.get(key) or []
        for i, entry in enumerate(getattr(visit, key)):
            if entry.country and entry.country not in visit.countries:
                ctx.add(items[i].line_of("country"), f"visit.{key}[{i + 1}].country",
                        f"{entry.country!r} is not one of this visit's countries ("
                        + ", ".join(visit.countries) + ")")
            elif key in _PLACED_EACH and not entry.country and len(visit.countries) > 1:
                ctx.add(items[i].line, f"visit.{key}[{i + 1}].country",
                        "a visit to several countries needs the country of each "
                        + _PLACED_EACH[key])


def _check_readout(visit: model.Visit, data: YMap, ctx: Context) -> None:
    """Outcomes and actions say something; outcomes name a real objective."""
    for key in ("outcomes", "actions"):
        items = data.get(key) or []
        for i, entry in enumerate(getattr(visit, key)):
            where = f"visit.{key}[{i + 1}]"
            text = entry.outcome if key == "outcomes" else entry.action
            if not text.strip():
                ctx.add(items[i].line, where, "must say what happened" if key == "outcomes"
                        else "must say what is to be done")
            if key == "outcomes":
                objectives = outcome_objectives(visit, entry)
                if objective_text(entry, objectives) is None:
                    ctx.add(items[i].line_of("objective"), f"{where}.objective",
                            f"{entry.objective!r} is not one of the "
                            f"{len(objectives)} objectives for "
                            f"{entry.country or 'the whole visit'}: give its number "
                            "(1, 2 …) or its text")


def outcome_objectives(visit: model.Visit,
                       outcome: model.Outcome) -> tuple[model.VisitObjective, ...]:
    """The objectives an outcome's number or text refers to: its country's, or for a
    tour-wide outcome (no country) the visit's own (on a one-country visit, that
    country's, which include the visit's)."""
    if outcome.country or len(visit.countries) == 1:
        return visit.for_country(outcome.country or visit.countries[0]).objectives
    return visit.objectives


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: a programme or logistics day written as a date: "Wednesday 25 November", "Wed 25 Nov
#: 2026", "25 November"; other labels ("Day 1", "Arrival") are not checked
_DAY = re.compile(r"(?:(?P<weekday>[A-Za-z]+),?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
                  r"(?P<month>[A-Za-z]+)\.?(?:,?\s+(?P<year>\d{4}))?")


def _named(text: str, names: tuple[str, ...]) -> int | None:
    """The index of the name ``text`` spells in full or by its first three letters."""
    word = text.casefold()
    for i, name in enumerate(names):
        if word == name.casefold() or (len(word) >= 3 and name.casefold().startswith(word)):
            return i
    return None


def day_date(text: str, start: dt.date, end: dt.date) -> tuple[dt.date | None, str]:
    """The date a programme or logistics day names, and a problem with it ("" if none).

    A day without a year takes the year that puts it within the visit (else the visit's
    start year). ``(None, "")`` for a label that is not a date.
    """
    match = _DAY.fullmatch(text.strip())
    if not match:
        try:
            return dt.date.fromisoformat(text.strip()), ""
        except ValueError:
            return None, ""
    month = _named(match["month"], MONTHS)
    weekday = _named(match["weekday"], _WEEKDAYS) if match["weekday"] else None
    if month is None or (match["weekday"] and weekday is None):
        return None, ""
    day = int(match["day"])
    years = ([int(match["year"])] if match["year"]
             else list(dict.fromkeys((start.year, end.year))))
    found = []
    for year in years:
        try:
            found.append(dt.date(year, month + 1, day))
        except ValueError:
            pass
    if not found:
        return None, f"there is no {day} {MONTHS[month]}" + (
            f" {match['year']}" if match["year"] else f" in {years[0]}")
    date = next((d for d in found if start <= d <= end), found[0])
    if weekday is not None and date.weekday() != weekday:
        return date, (f"{long_date(date)} is a {_WEEKDAYS[date.weekday()]}, not a "
                      f"{_WEEKDAYS[weekday]}")
    return date, ""


def _check_days(visit: model.Visit, data: YMap, ctx: Context) -> None:
    """A day written as a date names the right weekday and falls within the visit."""
    span = date_range(visit.start, visit.end)
    for key in ("programme", "logistics"):
        items = data.get(key) or []
        for i, entry in enumerate(getattr(visit, key)):
            if not entry.day:
                continue
            where, line = f"visit.{key}[{i + 1}].day", items[i].line_of("day")
            date, problem = day_date(entry.day, visit.start, visit.end)
            if problem:
                ctx.add(line, where, problem)
            elif date is not None and date < visit.start:
                ctx.add(line, where, f"{long_date(date)} is before the visit starts ({span})")
            elif date is not None and date > visit.end:
                ctx.add(line, where, f"{long_date(date)} is after the visit ends ({span})")


def objective_text(outcome: model.Outcome,
                   objectives: tuple[model.VisitObjective, ...]) -> str | None:
    """The objective an outcome is against: by number (from 1) or by its text."""
    ref = str(outcome.objective).strip()
    if ref.isdigit():
        n = int(ref)
        return objectives[n - 1].text if 1 <= n <= len(objectives) else None
    texts = [o.text for o in objectives]
    return ref if ref in texts else (ref if not objectives else None)


def _check_objectives(objectives: tuple[model.VisitObjective, ...], items: list, where: str,
                      ctx: Context, objective_keys: Collection[str] | None) -> None:
    for i, objective in enumerate(objectives):
        item = items[i]
        if not objective.text.strip():
            ctx.add(item.line_of("text"), f"{where}[{i + 1}].text", "must not be empty")
        if objective_keys is not None:
            for tag in objective.tags:
                if tag not in objective_keys:
                    ctx.add(item.line_of("tags"), f"{where}[{i + 1}].tags",
                            f"{tag!r} is not a strategy objective; expected one of: "
                            + ", ".join(objective_keys))


#: words that mark text as not yet written: TBC, "to be confirmed", XXX, ???, [insert …]
_PLACEHOLDER = re.compile(
    r"\b(?:TBC|TBD|TBA|TK)\b|\bto be (?:confirmed|decided|announced|advised|agreed)\b"
    r"|\bX{3,}\b|\?{3,}|\{\{|\}\}|\[\s*(?:insert|name|add|…|\.\.\.)[^\]]*\]"
    r"|<\s*(?:insert|name|add)\b[^>]*>", re.IGNORECASE)


def placeholders(visit: model.Visit) -> list[str]:
    """Each piece of the visit's text still a placeholder, as ``field: 'text'``."""
    found: list[str] = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, str):
            match = _PLACEHOLDER.search(value)
            if match:
                found.append(f"{where}: {match.group(0)!r} in {_shortened(value)!r}")
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i + 1}]")
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), f"{where}.{f.name}")

    for f in dataclasses.fields(visit):
        if f.name not in ("updated_by", "updated_at", "template", "ceiling", "marking"):
            walk(getattr(visit, f.name), f"visit.{f.name}")
    return found


def _shortened(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def final_problems(visit: model.Visit) -> list[str]:
    """Why the visit cannot be printed as a final copy (none: it can): text still a
    placeholder, and parts every brief needs left unwritten."""
    problems = placeholders(visit)
    if not visit.purpose.strip() and not any(c.purpose.strip() for c in visit.per_country):
        problems.append("visit.purpose: not written (page 1 says why the visit happens)")
    if not visit.objectives and not any(c.objectives for c in visit.per_country):
        problems.append("visit.objectives: none written (page 1 lists what to achieve)")
    if not visit.programme:
        problems.append("visit.programme: empty")
    return problems


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
        out[key] = _plain(key, value, store, visit)
    return dump(out)


def _plain(key: str, value: Any, store: Store, visit: model.Visit) -> Any:
    if key == "interlocutors":
        return [_person_name(store, person_id, visit) for person_id in value]
    if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        return [_record(item, store, visit) for item in value]
    if isinstance(value, tuple):
        return list(value)
    return value


def _record(item: Any, store: Store, visit: model.Visit) -> Any:
    """A nested visit part, leaving out fields at their default."""
    if isinstance(item, model.Attendee):
        return _attendee(item, store, visit)
    out = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        if isinstance(value, tuple):
            value = [_record(v, store, visit) if dataclasses.is_dataclass(v) else v
                     for v in value]
        out[f.name] = value
    return out


def _attendee(attendee: model.Attendee, store: Store, visit: model.Visit) -> Any:
    if attendee.interlocutor is None:
        return {"role": attendee.role}
    name = _person_name(store, attendee.interlocutor, visit)
    if not attendee.role:
        return name
    return {**(name if isinstance(name, dict) else {"name": name}), "role": attendee.role}


def _person_name(store: Store, person_id: int, visit: model.Visit) -> Any:
    if person_id < 0:  # one of the visit's own people, not yet stored
        person = visit.people[-person_id - 1]
        namesakes = [p for p in visit.people if p.name.casefold() == person.name.casefold()]
        return ({"name": person.name, "country": person.country} if len(namesakes) > 1
                else person.name)
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

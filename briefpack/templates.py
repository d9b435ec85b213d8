"""Brief templates: a folder holding ``brief.yaml`` (the spec) plus the renderers' styles.

The spec lists the sections of a brief in order: which kind of content each shows, its
heading, optional prose, table columns and wording. Prose is Jinja2, rendered in a
sandbox with StrictUndefined, so a template can say things but never run code, and a
misspelt name is an error naming the template file, line and key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

from . import model, paths
from .formatting import as_subject, long_date, money, number
from .errors import DataError, Problem, UsageError
from .coercion import MISSING, convert_noted, whole, yes_no
from .yamlio import Context, YList, YMap, load

SPEC_FILE = "brief.yaml"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


# -- what a section can show ------------------------------------------------------------

@dataclass(frozen=True)
class ColumnKind:
    title: str
    width: float = 1.0
    align: str = "left"


@dataclass(frozen=True)
class SectionKind:
    """One kind of section the assembler knows how to fill."""

    key: str
    visit_only: bool = False
    #: column (or front-sheet field) key -> default title, relative width, alignment
    columns: dict[str, ColumnKind] = field(default_factory=dict)
    #: wording key -> default text; a template may override any of them
    wording: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # every section may stop a long list at its limit, and says so in these words
        self.wording.setdefault("more", COMMON_WORDING["more"])


#: wording every section kind has
COMMON_WORDING = {
    "more": "The {listed} most relevant of {total} are listed here; the other {more} are "
            "held in the store.",
}


def _cols(**spec: tuple) -> dict[str, ColumnKind]:
    return {key: ColumnKind(*value) for key, value in spec.items()}


def _record_cols(record: type, **spec: tuple) -> dict[str, ColumnKind]:
    """Columns showing a record's fields, each titled as the model titles the field
    (``model.field_title``) and given here its width and alignment; a column that is no
    field of the record gives its title first."""
    return {key: ColumnKind(*value) if isinstance(value[0], str)
            else ColumnKind(model.field_title(record, key), *value)
            for key, value in spec.items()}


#: Every section kind, in BRIEF-STANDARD order.
SECTION_KINDS: dict[str, SectionKind] = {k.key: k for k in (
    SectionKind("front_sheet", columns=_cols(
        visit=("Visit",), principal=("Principal",), destination=("Destination",),
        dates=("Dates",), brief_date=("Brief date",), version=("Version",),
        owning_team=("Owning team",), marking=("Protective marking",),
        ceiling=("Releasable up to",), data_as_of=("Data as of",)),
        wording={"withheld_title": "Items withheld"}),
    SectionKind("summary", wording={
        "achieve": "Three things to achieve", "top_lines": "Top lines",
        "difficult_ask": "Likely difficult ask", "response": "Our response",
        "watch_outs": "Watch-outs",
        "relationship": "The relationship", "top_facts": "Top facts"}),
    SectionKind("contents"),
    SectionKind("since_last_met", columns=_record_cols(
        model.Action, action=(2.6,), owner=(1.2,), due=(1.1,), status=(0.8,),
        raised_at=(1.6,)),
        wording={"last": "Last met", "outcomes": "Outcomes",
                 "actions": "Open actions", "no_actions": "No open actions.",
                 "overdue": "overdue"}),
    SectionKind("steering_summary", wording={
        "objectives_heading": "UK objectives", "scorecard_heading": "Scorecard at a glance",
        "serves": "Serves", "serves_heading": "How this visit serves the strategy",
        "offers_heading": "What the relationship offers the strategy",
        "this_visit_one": "This visit: objective", "this_visit": "This visit: objectives",
        "evidence": "Through", "could_raise": "You could also raise"}),
    SectionKind("points_to_make", visit_only=True),
    SectionKind("asks", visit_only=True, columns=_cols(
        ask=("Their likely ask", 1.0), response=("Our response", 1.4)),
        wording={"if_raised_heading": "If raised"}),
    SectionKind("press_lines", visit_only=True, columns=_cols(
        question=("If asked", 1.0), answer=("Answer", 1.4)),
        wording={"reactive_heading": "Reactive questions and answers"}),
    SectionKind("handling", visit_only=True),
    SectionKind("programme", visit_only=True, columns=_record_cols(
        model.ProgrammeItem, day=(0.9,), time=(0.7,), place=(1.2,), event=(2.2,),
        uk_lead=(1.2,), press=(0.8,)),
        wording={"press_open": "Open", "press_closed": "Closed"}),
    SectionKind("background", wording={"as_of": "As of", "source": "Source"}),
    SectionKind("calls", visit_only=True, columns=_cols(
        role=("Role", 1.4), name=("Name", 1.2), pronunciation=("Pronunciation", 1.1),
        biography=("Biography", 2.4), last_met=("Last met", 1.0),
        languages=("Languages", 1.0)),
        wording={"purpose": "Purpose", "whos_who": "Who's who", "points": "Points to make",
                 "asks": "Their likely asks", "response": "Our response",
                 "if_raised": "If raised", "place": "Place", "uk_lead": "UK lead",
                 "press": "Press", "dress": "Dress", "press_open": "Open",
                 "press_closed": "Closed"}),
    SectionKind("whos_who", columns=_record_cols(
        model.Interlocutor, name=(1.3,), role=(1.5,), biography=(2.6,),
        pronunciation=(1.1,), last_met=(1.0,), languages=(1.0,),
        alumnus=("UK course alumnus", 1.4)),
        wording={"not_alumnus": "No", "pronunciation": "Pronounced",
                 "last_met": "Last met", "alumnus": "UK course alumnus",
                 "points": "Points for them", "portraits": "Pen portraits"}),
    SectionKind("team", visit_only=True, columns=_record_cols(
        model.TeamMember, role=(2.0,), name=(1.6,), where=("With the visit", 1.4)),
        wording={"whole_visit": "Whole visit"}),
    SectionKind("logistics", visit_only=True, columns=_record_cols(
        model.LogisticsItem, day=(1.3,), time=(0.7,), detail=(3.0,), dress=(1.4,))),
    SectionKind("contacts", visit_only=True, columns=_record_cols(
        model.Contact, role=(1.6,), name=(1.2,), organisation=(1.6,), phone=(1.2,),
        email=(1.6,))),
    SectionKind("relationship_summary", wording={
        "formats": "Memberships and formats", "co_leads": "Co-leads with the UK",
        "last_met": "Last met", "engagements_heading": "Engagements",
        "no_formats": "none recorded"}),
    SectionKind("scorecard", wording={
        "unserved": "Not served by any visit objective", "no_evidence": "none recorded",
        "strongest": "Strongest evidence", "gap": "Biggest gap", "no_gap": "none",
        "served_by": "Served by visit objectives", "served_by_one": "Served by visit objective"}),
    SectionKind("agreements", columns=_record_cols(
        model.Agreement, name=(1.5,), kind=(1.1,), date=("Date", 1.5), status=(0.8,),
        commits=(2.6,), value=("Value", 1.0, "right"), jobs=(0.8, "right"))),
    SectionKind("alumni", columns=_record_cols(
        model.Alumnus, name=(1.5,), course=(1.6,), institution=(1.6,),
        year=(0.6, "right"), appointment=(2.0,))),
    SectionKind("exports", columns=_record_cols(
        model.ExportOpportunity, programme=(2.6,), company=(1.2,),
        value=("Value", 1.0, "right"), quantity=(0.8, "right"), jobs=(0.8, "right"),
        stage=(0.9,), next_milestone=(1.4,), lead=(1.0,))),
    SectionKind("score_annex", columns=_cols(
        criterion=("Criterion", 1.4), measure=("What was found", 2.2),
        score=("Score", 0.9, "right"), weight=("Weight", 0.9, "right"),
        evidence=("Evidence", 3.0)),
        wording={"no_evidence": "none"}),
    SectionKind("sources", columns=_cols(
        table=("Data", 1.6), records=("Records", 0.8, "right"),
        refreshed=("Last refreshed", 1.2), by=("By", 1.2), status=("Currency", 1.4)),
        wording={"sources_heading": "Sources", "current": "Current",
                 "stale": "Stale: {days} days old", "no_records": "No records",
                 "unknown": "Not recorded",
                 "left_out_empty": "Left out because there are no records to show: "
                                   "{sections}."}),
)}

#: Names every piece of template prose may use.
PROSE_NAMES = frozenset({
    "country", "visit", "scorecard", "today", "marking", "ceiling", "withheld",
    "data_as_of", "destination", "principal", "title",
})


# -- the spec ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    title: str


@dataclass(frozen=True)
class Section:
    kind: str
    heading: str
    intro: str = ""
    empty: str = ""
    columns: tuple[Column, ...] = ()
    wording: dict[str, str] = field(default_factory=dict)
    limit: int | None = None
    page_break_after: bool = False
    #: "sections[3]" — where this section sits in the spec, for error messages
    where: str = ""

    def word(self, key: str) -> str:
        return self.wording.get(key, SECTION_KINDS[self.kind].wording[key])


@dataclass(frozen=True)
class Spec:
    title: str
    sections: tuple[Section, ...]
    subject: str = ""
    description: str = ""
    base_font_size: float = 12.0
    #: watermark on a visit brief that is not yet final ("" for none)
    draft_watermark: str = "DRAFT"


class Template:
    """A loaded template: its folder, validated spec and a sandbox for its prose."""

    def __init__(self, name: str, dir: Path, spec: Spec, lines: dict[str, int | None]):
        self.name = name
        self.dir = dir
        self.spec = spec
        self.file = str(dir / SPEC_FILE)
        self._lines = lines
        self._compiled: dict[str, jinja2.Template] = {}

    def __repr__(self) -> str:
        return f"Template({self.name!r}, {str(self.dir)!r})"

    def render(self, source: str, where: str, context: dict[str, Any]) -> str:
        """Render one piece of prose; an undefined name or unsafe access names file and key."""
        if "{" not in source:
            return source
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = _ENV.from_string(source)
        try:
            return compiled.render(context)
        except jinja2.UndefinedError as exc:
            raise self._error(where, f"undefined name in template prose: {exc.message}") from None
        except jinja2.exceptions.SecurityError as exc:
            raise self._error(where, f"not allowed in template prose: {exc}") from None
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise self._error(where, f"template prose failed: {exc}") from None

    def _error(self, where: str, message: str) -> DataError:
        return DataError(Problem(self.file, self._lines.get(where), where, message))


# -- the sandbox ---------------------------------------------------------------------------

def _make_env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                               keep_trailing_newline=False)
    env.filters.update(long_date=long_date, money=money, number=number, subject=as_subject)
    env.globals.clear()  # no range(), dict(), lipsum() …: prose needs none of them
    return env


_ENV = _make_env()


# -- loading -----------------------------------------------------------------------------

def template_roots() -> list[tuple[str, Path]]:
    """Where templates are looked up, the first holding a name winning: the user's own
    templates folder, then briefpack's."""
    return [("yours", paths.user_templates_dir()), ("built-in", paths.templates_dir())]


def available_templates(root: Path | None = None) -> list[str]:
    """Names of the template folders that hold a spec (under ``root``, else every root)."""
    roots = [Path(root)] if root else [folder for _, folder in template_roots()]
    return sorted({p.name for folder in roots if folder.is_dir()
                   for p in folder.iterdir() if (p / SPEC_FILE).is_file()})


def listed_templates() -> list[tuple[str, str, Path]]:
    """(name, where from, folder) of every template found, the one a name chooses first;
    a template of the user's that hides a built-in one of the same name comes first."""
    found = []
    for origin, root in template_roots():
        if root.is_dir():
            found += [(p.name, origin, p) for p in sorted(root.iterdir())
                      if (p / SPEC_FILE).is_file()]
    return found


def is_template_path(name: str) -> bool:
    """Whether ``name`` is written as a path (``./mytpl``, ``C:\\briefs\\tpl``), not a name."""
    return bool(name) and (any(sep in name for sep in ("/", "\\")) or name.startswith("."))


def template_folder(name: str, *, root: Path | None = None) -> Path:
    """The folder of the template ``name``: a path to a folder holding a spec, else the
    first root holding a template of that name."""
    if not root and is_template_path(name):
        folder = Path(name).expanduser()
        if (folder / SPEC_FILE).is_file():
            return folder.resolve()
        raise UsageError(f"{name}: not a template folder (no {SPEC_FILE} in it)")
    roots = [Path(root)] if root else [folder for _, folder in template_roots()]
    if _NAME.fullmatch(name or ""):
        for folder in roots:
            if (folder / name / SPEC_FILE).is_file():
                return folder / name
    names = available_templates(root)
    raise UsageError(f"unknown template {name!r}; available templates: "
                     + (", ".join(names) or f"none (no {SPEC_FILE} under {roots[-1]})"))


def load_template(name: str, *, root: Path | None = None) -> Template:
    """Load and validate the template called ``name`` (or in the folder ``name``)."""
    directory = template_folder(name, root=root)
    path = directory / SPEC_FILE
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(key)
    if cached is None:
        spec, lines = parse_spec(load(path), str(path))
        cached = _LOADED[key] = Template(directory.name, directory, spec, lines)
    return cached


#: (spec path, mtime, size) -> Template: a spec edited on disk is read again
_LOADED: dict[tuple[str, int, int], Template] = {}


_TOP_KEYS = {"title", "subject", "description", "base_font_size", "draft_watermark", "sections"}
_SECTION_KEYS = {"kind", "heading", "intro", "empty", "columns", "wording", "limit",
                 "page_break_after"}


def parse_spec(data: Any, file: str) -> tuple[Spec, dict[str, int | None]]:
    """Validate a template spec; raise DataError listing every problem."""
    ctx = Context(file)
    lines: dict[str, int | None] = {}
    if not isinstance(data, YMap):
        ctx.add(getattr(data, "line", None), "", "expected a mapping with 'title' and 'sections'")
        ctx.raise_if_any()
    _unknown_keys(data, _TOP_KEYS, "", ctx)
    title = _prose(data, "title", "title", ctx, lines, required=True,
                   names=PROSE_NAMES - {"title"})
    subject = _prose(data, "subject", "subject", ctx, lines)
    description = _text(data, "description", "description", ctx)
    size = data.get("base_font_size", 12.0)
    if isinstance(size, bool) or not isinstance(size, (int, float)) or not 8 <= size <= 32:
        ctx.add(data.line_of("base_font_size"), "base_font_size",
                "expected a size in points from 8 to 32")
        size = 12.0
    watermark = _text(data, "draft_watermark", "draft_watermark", ctx, default="DRAFT")
    sections = _sections(data, ctx, lines)
    ctx.raise_if_any()
    spec = Spec(title=title, subject=subject, description=description,
                base_font_size=float(size), draft_watermark=watermark,
                sections=tuple(sections))
    return spec, lines


def _sections(data: YMap, ctx: Context, lines: dict) -> list[Section]:
    items = data.get("sections")
    if not isinstance(items, YList) or not items:
        ctx.add(data.line_of("sections"), "sections", "expected a list of sections")
        return []
    out: list[Section] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(items):
        where = f"sections[{i + 1}]"
        if not isinstance(item, YMap):
            ctx.add(items.line_of(i), where, "expected a mapping with 'kind' and 'heading'")
            continue
        _unknown_keys(item, _SECTION_KEYS, where, ctx)
        kind_name = item.get("kind")
        kind = SECTION_KINDS.get(kind_name) if isinstance(kind_name, str) else None
        if kind is None:
            ctx.add(item.line_of("kind"), f"{where}.kind",
                    f"{kind_name!r} is not a section kind; expected one of: "
                    + ", ".join(SECTION_KINDS))
            continue
        if kind.key in seen:
            ctx.add(item.line_of("kind"), f"{where}.kind",
                    f"{kind.key} is already shown by {seen[kind.key]}")
        seen[kind.key] = where
        section = Section(
            kind=kind.key, where=where,
            heading=_prose(item, "heading", f"{where}.heading", ctx, lines, required=True),
            intro=_prose(item, "intro", f"{where}.intro", ctx, lines),
            empty=_prose(item, "empty", f"{where}.empty", ctx, lines),
            columns=_columns(item, kind, where, ctx),
            wording=_wording(item, kind, where, ctx),
            limit=_limit(item, where, ctx),
            page_break_after=_flag(item, "page_break_after", where, ctx),
        )
        out.append(section)
    return out


def _unknown_keys(item: YMap, known: set[str], where: str, ctx: Context) -> None:
    for key in item:
        if key not in known:
            ctx.add(item.line_of(key), f"{where}.{key}".lstrip("."),
                    "unknown key; expected one of: " + ", ".join(sorted(known)))


def _text(item: YMap, key: str, where: str, ctx: Context, default: str = "") -> str:
    value = item.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        ctx.add(item.line_of(key), where, "expected text")
        return default
    return value


def _prose(item: YMap, key: str, where: str, ctx: Context, lines: dict, *,
           required: bool = False, names: frozenset[str] = PROSE_NAMES) -> str:
    """Text that may hold Jinja placeholders; checked for syntax and unknown names now."""
    lines[where] = item.line_of(key)
    if required and not item.get(key):
        ctx.add(item.line_of(key), where, "required key is missing")
        return ""
    source = _text(item, key, where, ctx)
    if "{" not in source:
        return source
    try:
        unknown = meta.find_undeclared_variables(_ENV.parse(source)) - names
    except jinja2.TemplateSyntaxError as exc:
        ctx.add(item.line_of(key), where, f"template syntax error: {exc.message} "
                f"(line {exc.lineno} of the text)")
        return ""
    for name in sorted(unknown):
        ctx.add(item.line_of(key), where, f"undefined name {name!r}; names available: "
                + ", ".join(sorted(names)))
    return source


def _columns(item: YMap, kind: SectionKind, where: str, ctx: Context) -> tuple[Column, ...]:
    """``columns``: keys, or one-key mappings ``- key: Title`` to retitle a column."""
    value = item.get("columns")
    if value is None:
        return tuple(Column(k, c.title) for k, c in kind.columns.items())
    field_name = f"{where}.columns"
    if not kind.columns:
        ctx.add(item.line_of("columns"), field_name, f"a {kind.key} section has no columns")
        return ()
    if not isinstance(value, YList) or not value:
        ctx.add(item.line_of("columns"), field_name, "expected a list of column keys")
        return ()
    out = []
    for i, entry in enumerate(value):
        key, title = entry, None
        if isinstance(entry, dict) and len(entry) == 1:
            key, title = next(iter(entry.items()))
        if not isinstance(key, str) or key not in kind.columns:
            ctx.add(value.line_of(i), f"{field_name}[{i + 1}]",
                    f"{key!r} is not a column of {kind.key}; expected one of: "
                    + ", ".join(kind.columns))
            continue
        if title is not None and not isinstance(title, str):
            ctx.add(value.line_of(i), f"{field_name}[{i + 1}]", "expected the column title as text")
            continue
        out.append(Column(key, title or kind.columns[key].title))
    return tuple(out)


def _wording(item: YMap, kind: SectionKind, where: str, ctx: Context) -> dict[str, str]:
    value = item.get("wording")
    if value is None:
        return {}
    if not isinstance(value, YMap):
        ctx.add(item.line_of("wording"), f"{where}.wording", "expected a mapping of wording")
        return {}
    out = {}
    for key, text in value.items():
        if key not in kind.wording:
            ctx.add(value.line_of(key), f"{where}.wording.{key}",
                    f"not wording of {kind.key}; expected one of: "
                    + (", ".join(kind.wording) or "nothing"))
        elif not isinstance(text, str) or not text.strip():
            ctx.add(value.line_of(key), f"{where}.wording.{key}", "expected text")
        else:
            out[key] = text
    return out


def _limit(item: YMap, where: str, ctx: Context) -> int | None:
    if item.get("limit") is None:
        return None
    value = convert_noted(whole, item["limit"], ctx, item.line_of("limit"), f"{where}.limit", 1)
    return None if value is MISSING else value


def _flag(item: YMap, key: str, where: str, ctx: Context) -> bool:
    value = convert_noted(yes_no, item.get(key, False), ctx, item.line_of(key), f"{where}.{key}")
    return False if value is MISSING else value

"""Country data packets: one file per country (YAML, or JSON for large machine-made packets)
that defence sections refresh and return.

A packet carries a schema version, the country's record and every record of each section
it holds (with its marking), when and by whom it was exported, the store revision it was
taken from, and a SHA-256 checksum of its content. Typical use (CLI and GUI alike)::

    packet = read_packet(path)                      # DataError lists every problem
    plan = plan_import(store, packet)               # added / changed / removed / conflicts
    summary = apply_import(store, plan, {"alumni:7": "mine"}, prefer="theirs")
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

from .. import jsonio, marking, model, paths, yamlio
from ..errors import StoreFileError
from ..yamlio import Context, YMap, build
from . import OWN_PACKET, diff
from .diff import ImportPlan, ImportSummary, Located
from .store import Store, current_user, now

SCHEMA = 1
KIND = "briefpack country packet"
#: packet section name -> store table
SECTIONS = {"country": "countries", **{t: t for t in model.TABLES}}
HEADER = ("packet", "schema", "country", "name", "exported_at", "exported_by", "base",
          "checksum", "complete", "sections")
#: header fields a packet may leave out
_OPTIONAL = ("name", "complete")
_ALWAYS = ("id", "marking")
_OMITTED = ("country", "origin", "code")


@dataclass(frozen=True)
class Packet:
    """A validated packet: records by table, and where each came from."""

    source: str
    country: str
    exported_at: str
    exported_by: str
    base_store: str
    base_revision: int
    checksum_ok: bool
    #: table ("countries" for the country's own record) -> records in file order
    records: dict[str, list[Located]]
    #: sections the data's owner declares complete, and as of when (None: no longer)
    complete: dict[str, dt.date | None] = dataclasses.field(default_factory=dict)

    @property
    def edited(self) -> bool:
        """Changed by hand after export (its checksum no longer matches): normal work for a
        defence section; the review of what importing it would change is the check."""
        return not self.checksum_ok

    def provenance(self) -> str:
        """'edited after export; exported by j.smith on 2026-03-01 at 10:15 UTC' (or
        without 'edited …' for a packet as exported)."""
        when = self.exported_at.replace("T", " at ")
        when = re.sub(r"(\d\d:\d\d)(:\d\d(\.\d+)?)?(\+00:00|Z)$", r"\1 UTC", when)
        exported = f"exported by {self.exported_by or 'someone unnamed'} on {when}"
        return f"edited after export; {exported}" if self.edited else exported

    def incoming(self, store: Store) -> diff.Incoming:
        """The packet as incoming data for ``store``; its base counts only if it came from it."""
        same_store = self.base_store == store.store_id()
        ours = same_store and self.base_revision <= store.revision()
        warnings = [f"{Path(self.source).name} was {self.provenance()}: the changes listed "
                    "are what importing it does"] if self.edited else []
        # the audit names a packet that went out of this store and came back (a training
        # store stays one while only its own packets come back)
        return diff.Incoming(self.source, OWN_PACKET if same_store else "packet",
                             {self.country: self.records}, self.base_revision if ours else 0,
                             warnings, as_of=_as_of(self.exported_at),
                             complete={self.country: dict(self.complete)})


# -- export ---------------------------------------------------------------------------------

#: the packet's two written forms: YAML to read and hand-edit, JSON for size and speed
FORMS = ("yaml", "json")


def packet_form(path: Path | str, text: str = "") -> str:
    """"json" or "yaml": by the file's suffix, else by its first character ('{' is JSON)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".json", ".yaml", ".yml"):
        return "json" if suffix == ".json" else "yaml"
    first = _FIRST_CHARACTER.match(text)
    return "json" if first and first.group(1) == "{" else "yaml"


_FIRST_CHARACTER = re.compile(r"\s*(\S)")


def export_packet(store: Store, code: str, *, user: str | None = None,
                  form: str = "yaml") -> str:
    """The packet of one country as YAML (or JSON) text; the export is noted in the audit log."""
    return format_packet(packet_content(store, code, user=user), form)


def packet_content(store: Store, code: str, *, user: str | None = None,
                   audited: bool = True) -> dict[str, Any]:
    """One country's packet as plain data, checksum included (the export is audited
    unless ``audited`` is false: a check of a store's content, not an export)."""
    user = user or current_user()
    cf = store.country_file(store.country(code).code)
    with store.transaction() if audited else contextlib.nullcontext():
        header: dict[str, Any] = {"packet": KIND, "schema": SCHEMA, "country": cf.country.code,
                  "name": cf.country.name, "exported_at": now(), "exported_by": user,
                  "base": {"store": store.store_id(), "revision": store.revision()}}
        if cf.complete:  # the sections declared complete travel with the data
            header["complete"] = {s: d.isoformat() for s, d in cf.complete.items()}
        sections: dict[str, Any] = {"country": _plain(cf.country)}
        sections |= {table: [_plain(r) for r in spec.records(cf)]
                     for table, spec in model.TABLES.items()}
        if audited:
            store.audit("export", "countries", cf.country.code, user=user,
                        note=f"packet at revision {header['base']['revision']}")
    digest = checksum({**header, "sections": sections}, trusted=True)
    return {**header, "checksum": digest, "sections": sections}


def format_packet(content: dict[str, Any], form: str = "yaml") -> str:
    """Packet content as text in ``form``: "yaml", or "json" laid out one record per line
    (errors then name the line; files diff record by record). Both carry the same content,
    so the same checksum."""
    if form not in FORMS:
        raise ValueError(f"packet form {form!r}: expected one of {FORMS}")
    header = {k: v for k, v in content.items() if k != "sections"}
    sections = content["sections"]
    return _dump_json(header, sections) if form == "json" else _dump_yaml(header, sections)


def write_packet(store: Store, code: str, path: Path | str, *, user: str | None = None,
                 form: str | None = None) -> Path:
    """Export a country's packet to ``path`` (written whole, then moved into place) in
    ``form``; by default JSON if its name ends in .json, else YAML."""
    path = Path(path)
    paths.check_output(path)  # never the store, its -wal or -shm, a backup, /dev/full
    # the export is audited only if the file is written: both in one transaction
    with store.transaction():
        text = export_packet(store, code, user=user, form=form or packet_form(path))
        part = path.with_name(f".{path.name}~briefpack-{os.getpid()}-"
                              f"{secrets.token_hex(4)}.part")
        try:
            with open(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                              | getattr(os, "O_BINARY", 0), 0o666), "wb") as handle:
                handle.write(text.encode("utf-8"))
            paths.check_output(path)  # (again: it may have been swapped meanwhile)
            os.replace(part, path)
        except OSError as exc:  # a full disk, a folder that cannot be written
            part.unlink(missing_ok=True)
            raise StoreFileError(f"{path}: cannot write the packet, so nothing was exported: "
                             f"{exc.strerror or exc}") from None
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    return path


def _dump_yaml(header: dict[str, Any], sections: dict[str, Any]) -> str:
    records = {t: sections[t] for t in model.TABLES}
    text = _dump({**header, "sections": {"country": sections["country"]}})
    return text + "".join(_dump_section(t, r) for t, r in records.items())


#: line breaks to some readers (not to JSON's): escaped so that one record stays one line
_SEPARATORS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _dump_json(header: dict[str, Any], sections: dict[str, Any]) -> str:
    """The packet as JSON: a header field per line, then a record per line."""
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_value).encode
    lines = ["{", *(f"  {encode(key)}: {encode(value)}," for key, value in header.items()),
             '  "sections": {']
    parts = []
    for name, value in sections.items():
        if isinstance(value, list) and value:
            parts.append(f"    {encode(name)}: [\n"
                         + ",\n".join("      " + encode(record) for record in value)
                         + "\n    ]")
        else:
            parts.append(f"    {encode(name)}: {encode(value)}")
    text = "\n".join([*lines, ",\n".join(parts), "  }", "}", ""])
    return text.translate(_SEPARATORS) if _has_separator(text) else text


def _has_separator(text: str) -> bool:
    return "\u2028" in text or "\u2029" in text or "\x85" in text


def _plain(record: Any) -> dict[str, Any]:
    """A record as packet fields: defaults left out so a human can read it."""
    out = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if f.name in _OMITTED or f.name == "id" and value is None:
            continue
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else object())
        if f.name in _ALWAYS or not (value == default or value is None and default == ""):
            out[f.name] = list(value) if isinstance(value, tuple) else value
    return dict(sorted(out.items(), key=lambda kv: kv[0] not in ("id", "name", "title")))


def _dump(data: dict | list) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: 10x faster
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def _dump_section(table: str, records: list[dict]) -> str:
    """One section of records as YAML under ``sections:``; the common flat record written
    directly (PyYAML's representer is the slow part of a big export), any other by PyYAML."""
    if not records:
        return f"  {table}: []\n"
    parts = [f"  {table}:\n"]
    for record in records:
        fast = _fast_record(record)
        if fast is None:
            fast = "".join(f"  {line}\n" if line else "\n"
                           for line in _dump([record]).splitlines())
        parts.append(fast)
    return "".join(parts)


def _fast_record(record: dict) -> str | None:
    lines = []
    for key, value in record.items():
        text = _fast_scalar(value)
        if text is None:
            return None
        lines.append(f"    {key}: {text}\n")
    lines[0] = "  - " + lines[0][4:]
    return "".join(lines)


_PLAIN = re.compile(r"[A-Za-z(£][A-Za-z0-9 ()£.,/&'+-]*[A-Za-z0-9().]|[A-Za-z]")
_PLAIN_RESOLVER = yaml.resolver.Resolver()
#: text a single-quoted YAML scalar holds as it is: one line of printable characters
_QUOTABLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")


def _fast_scalar(value: Any) -> str | None:
    """The value as a plain YAML scalar that reads back identically; None if unsure."""
    if isinstance(value, str):
        if _plain_text(value):
            return value
        return "'" + value.replace("'", "''") + "'" if _QUOTABLE.fullmatch(value) else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if "." in text and "e" not in text and "n" not in text else None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return None


@lru_cache(maxsize=4096)
def _plain_text(text: str) -> bool:
    return (_PLAIN.fullmatch(text) is not None and "  " not in text
            and _PLAIN_RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
            == "tag:yaml.org,2002:str")


def checksum(body: Mapping, *, trusted: bool = False) -> str:
    """SHA-256 of the packet's content (everything but the checksum), formatting aside.

    Unless ``trusted`` (built here, not read), keys are made text first. (A packet read
    from a file has no YAML aliases: ``yamlio.loads`` refuses them, so nothing here can
    be a "bomb" of repeated content.)
    """
    content = {k: v for k, v in body.items() if k != "checksum"}
    if not trusted:
        content = _canonical(content)
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_json_value)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return repr(value)


# -- reading and validating --------------------------------------------------------------

def read_packet(path: Path | str) -> Packet:
    """Read and validate a packet file, YAML or JSON (by suffix, else by content); DataError
    lists every problem with line and field.

    A packet edited by hand after export (its checksum no longer matches) is read like any
    other: ``Packet.edited`` says so, and the import notes it in its warnings and the audit
    log, with who exported it.
    """
    if str(path) == "-":  # standard input (``briefpack export NOR | briefpack import -``)
        text = yamlio.read_stdin()
        return parse_packet(text, yamlio.STDIN_NAME, form=packet_form("", text))
    text = yamlio.read_text(path)
    return parse_packet(text, str(path), form=packet_form(path, text))


def parse_packet(text: str, name: str = "<packet>", *, form: str = "yaml") -> Packet:
    """Validate packet text in ``form`` "yaml" or "json" (see ``read_packet``)."""
    ctx = Context(name)
    data = jsonio.loads(text, name) if form == "json" else yamlio.loads(text, name)
    # JSON keys are always text and it has no dates: nothing to make canonical
    digest = checksum(data, trusted=form == "json") if isinstance(data, YMap) else ""
    if not isinstance(data, YMap):
        ctx.add(getattr(data, "line", None), "",
                f"expected a {KIND}: a mapping starting 'packet: {KIND}'")
        ctx.raise_if_any()
    _check_header(data, ctx)
    ctx.raise_if_any()  # without a readable header the sections cannot be understood
    code = data["country"].upper()
    records = _read_sections(data["sections"], code, ctx)
    complete = _read_complete(data, ctx)
    expected = data.get("checksum")
    matches = isinstance(expected, str) and expected.strip() == digest
    ctx.raise_if_any()
    base = data["base"]
    return Packet(source=name, country=code, exported_at=str(data["exported_at"]),
                  exported_by=str(data["exported_by"]), base_store=str(base["store"]),
                  base_revision=base["revision"], checksum_ok=matches, records=records,
                  complete=complete)


def _check_header(data: YMap, ctx: Context) -> None:
    for key in data:
        if key not in HEADER:
            ctx.add(data.line_of(key), str(key),
                    "unknown field; expected one of: " + ", ".join(HEADER))
    for key in HEADER:
        if key not in data and key not in _OPTIONAL:
            ctx.add(data.line, key, "required field is missing")
    if data.get("packet", KIND) != KIND:
        ctx.add(data.line_of("packet"), "packet", f"expected {KIND!r}: is this a packet?")
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        ctx.add(data.line_of("schema"), "schema",
                f"schema version {schema!r} is not supported: this briefpack reads version "
                f"{SCHEMA}; export the packet again from a matching version")
    code = data.get("country")
    if "country" in data and not (isinstance(code, str)
                                  and pycountry.countries.get(alpha_3=code.upper())):
        ctx.add(data.line_of("country"), "country",
                f"{code!r}: not an ISO 3166 alpha-3 country code")
    for key in ("exported_at", "exported_by"):
        if key in data and not isinstance(data[key], (str, dt.date)):
            ctx.add(data.line_of(key), key, "expected text")
    _check_base(data, ctx)
    if "sections" in data and not isinstance(data["sections"], YMap):
        ctx.add(data.line_of("sections"), "sections", "expected a mapping of sections")


def _read_complete(data: YMap, ctx: Context) -> dict[str, dt.date | None]:
    """``complete:``: section -> the date its owner declares it complete as of (YYYY-MM-DD),
    or null to withdraw that."""
    given = data.get("complete")
    if given is None:
        return {}
    if not isinstance(given, YMap):
        ctx.add(data.line_of("complete"), "complete",
                "expected a mapping of section: YYYY-MM-DD, e.g. {agreements: 2026-03-01}")
        return {}
    out: dict[str, dt.date | None] = {}
    for section, value in given.items():
        where = f"complete.{section}"
        if section not in model.COMPLETE_SECTIONS:
            ctx.add(given.line_of(section), where, f"unknown section {section!r}; expected "
                    "one of: " + ", ".join(model.COMPLETE_SECTIONS))
            continue
        if value is None:
            out[section] = None
            continue
        try:
            out[section] = value if isinstance(value, dt.date) and not isinstance(
                value, dt.datetime) else dt.date.fromisoformat(str(value))
        except ValueError:
            ctx.add(given.line_of(section), where,
                    f"expected the date it is complete as of, as YYYY-MM-DD; got {value!r}")
    return out


def _check_base(data: YMap, ctx: Context) -> None:
    base = data.get("base")
    if "base" not in data:
        return
    if not isinstance(base, YMap):
        ctx.add(data.line_of("base"), "base", "expected 'store' and 'revision'")
        return
    if not isinstance(base.get("store"), str):
        ctx.add(base.line_of("store"), "base.store", "expected the id of the exporting store")
    revision = base.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        ctx.add(base.line_of("revision"), "base.revision", "expected a whole number, 0 or more")
    for key in base:
        if key not in ("store", "revision"):
            ctx.add(base.line_of(key), f"base.{key}", "unknown field; expected store, revision")


def _read_sections(sections: YMap, code: str, ctx: Context) -> dict[str, list[Located]]:
    out: dict[str, list[Located]] = {}
    for name, items in sections.items():
        if name not in SECTIONS:
            ctx.add(sections.line_of(name), f"sections.{name}",
                    "unknown section; expected one of: " + ", ".join(SECTIONS))
            continue
        if name == "country":
            country = _read_country(items, code, sections.line_of(name), ctx)
            out["countries"] = [country] if country else []
            continue
        if items is None:
            items = yamlio.YList()
        if not isinstance(items, list):
            ctx.add(sections.line_of(name), name, "expected a list of records")
            continue
        out[name] = _read_records(name, items, code, ctx)
    return out


def _read_country(item: Any, code: str, line: int | None, ctx: Context) -> Located | None:
    if isinstance(item, YMap) and item.get("code", code) != code:
        ctx.add(item.line_of("code"), "country.code",
                f"{item['code']!r} does not match the packet's country {code}")
        return None
    country = build(model.Country, item, ctx, "country",
                    defaults={"code": code, "name": code}, ignore=("code",))
    if country is None:  # build checked the choices model.Country declares (region …)
        return None
    country = _checked_marking(country, "countries", item, ctx, "country")
    return Located(country, item.line, "country")


def _read_records(table: str, items: list, code: str, ctx: Context) -> list[Located]:
    cls = model.TABLES[table].record
    out: list[Located] = []
    ids: dict[int, int | None] = {}
    for i, item in enumerate(items):
        where = f"{table}[{i + 1}]"
        if isinstance(item, YMap) and item.get("country", code) != code:
            ctx.add(item.line_of("country"), f"{where}.country",
                    f"{item['country']!r} does not match the packet's country {code}")
            continue
        record = build(cls, item, ctx, where, defaults={"country": code})
        if record is None:
            continue
        if record.id is not None:
            if record.id in ids:
                ctx.add(item.line_of("id"), f"{where}.id",
                        f"id {record.id} is used twice in {table} (also at line {ids[record.id]})")
            ids[record.id] = item.line_of("id")
        record = _checked_marking(record, table, item, ctx, where)
        out.append(Located(record, item.line, where))
    return out


def _checked_marking(record: Any, table: str, item: YMap, ctx: Context, where: str) -> Any:
    """The record with its marking in canonical form (PERSONAL DATA on records of people)."""
    try:
        text = canonical_marking(record.marking, model.is_personal_table(table))
    except marking.MarkingError as exc:
        ctx.add(item.line_of("marking"), f"{where}.marking", str(exc))
        return record
    return record if text == record.marking else dataclasses.replace(record, marking=text)


@lru_cache(maxsize=512)
def canonical_marking(text: str, personal: bool) -> str:
    """A marking in canonical form, with PERSONAL DATA if the record is about a person;
    MarkingError (or NotAccreditedError for SECRET and above) if it is not valid."""
    parsed = marking.parse(text)
    if personal:
        parsed = marking.with_descriptor(parsed, "PERSONAL DATA")
    return str(parsed)


# -- import ---------------------------------------------------------------------------------

def plan_import(store: Store, packet: Packet) -> ImportPlan:
    """What importing ``packet`` would change; DataError lists problems found against the
    store (unknown country, lowered marking, a record id of another country, a dangling
    alumnus reference)."""
    return diff.plan(store, packet.incoming(store))


def apply_import(store: Store, plan: ImportPlan, choices: Mapping[str, str] | None = None, *,
                 prefer: str | None = None, user: str | None = None) -> ImportSummary:
    """Back up the store, then apply the plan in one transaction.

    ``choices`` maps a conflict's ``conflict_key`` to "theirs" or "mine"; ``prefer`` settles
    the rest. Raises ``UnsettledConflicts`` (nothing applied) if any conflict is left open.
    """
    return diff.apply(store, plan, choices, prefer=prefer, user=user)


def _as_of(exported_at: str) -> str | None:
    """A packet's export time as the store records refreshes (ISO, UTC), if it is one."""
    try:
        when = dt.datetime.fromisoformat(str(exported_at))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat()

"""The one place YAML becomes Python objects.

YAML is read with a safe loader that remembers the line of every mapping key and list
item, so validators can name file, line and field. ``build`` turns a mapping into a
dataclass, coercing each field by its annotation and collecting every problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import os
import re
import stat
import types
import typing
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Problem
from .textsafe import clean


class YMap(dict):
    """A YAML mapping that knows the line of itself and of each key (1-based)."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


class YList(list):
    """A YAML sequence that knows the line of itself and of each item (1-based)."""

    line: int | None = None
    item_lines: list

    def line_of(self, index: int) -> int | None:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# libyaml's parser when present (about 5x faster on large packets); same safe constructor
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[valid-type,misc]  # chosen at import time
    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:  # e.g. 2026-13-01: looks like a date, is not one
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark
            ) from None

    def construct_mapping(self, node, deep=False):
        # deep=True so nested values are built before we wrap them
        plain = super().construct_mapping(node, deep=True)
        result = YMap(plain)
        result.line = node.start_mark.line + 1
        result.key_lines = {
            self.construct_object(k, deep=True): k.start_mark.line + 1 for k, _ in node.value
        }
        if len(result.key_lines) < len(node.value):
            self._refuse_duplicate_key(node)
        return result

    def _refuse_duplicate_key(self, node):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice (also at line "
                    f"{seen[key]}): say each thing once", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1

    def construct_sequence(self, node, deep=False):
        result = YList(super().construct_sequence(node, deep=True))
        result.line = node.start_mark.line + 1
        result.item_lines = [item.start_mark.line + 1 for item in node.value]
        return result


_LineLoader.add_constructor(
    "tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node)
)
_LineLoader.add_constructor(
    "tag:yaml.org,2002:seq", lambda loader, node: loader.construct_sequence(node)
)
_LineLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_yaml_timestamp(node)
)


#: The largest input file read (YAML or CSV), in megabytes; ``BRIEFPACK_MAX_INPUT_MB``
#: sets another. A 10,000-record packet is about 3 MB.
DEFAULT_MAX_INPUT_MB = 32

# Where an anchor (&name) or alias (*name) could start; only then are events checked.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]", re.MULTILINE)


def loads(text: str, name: str = "<text>") -> Any:
    """Parse YAML text safely; syntax errors become a DataError naming the line.

    Anchors and aliases are refused before anything is built from them (an alias
    repeats its anchor's content, which is how a small file becomes a "billion laughs"
    bomb), as are duplicate keys and nesting deeper than any briefpack file needs.
    """
    try:
        _refuse_anchors(text, name)
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataError(Problem(name, line, "", f"not valid YAML: {exc.problem}")) from None
    except yaml.YAMLError as exc:
        raise DataError(Problem(name, None, "", f"not valid YAML: {exc}")) from None
    except RecursionError:
        raise DataError(Problem(name, None, "", "nested too deeply to be a briefpack file")) \
            from None


def _refuse_anchors(text: str, name: str) -> None:
    """DataError at the first anchor or alias; reads parser events only, which never
    expand an alias (deep nesting meets libyaml's own limit, a named error too)."""
    if ("&" not in text and "*" not in text) or not _MAYBE_ANCHOR.search(text):
        return
    for event in yaml.parse(text, Loader=_SafeBase):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise DataError(Problem(
                name, line, "", "YAML anchors (&name) and aliases "
                "(*name) are not allowed: write each value out in full"))


def max_input_bytes() -> int:
    """The largest input file accepted (``BRIEFPACK_MAX_INPUT_MB``, default 32 MB)."""
    text = os.environ.get("BRIEFPACK_MAX_INPUT_MB", "")
    try:
        megabytes = float(text) if text.strip() else DEFAULT_MAX_INPUT_MB
    except ValueError:
        megabytes = DEFAULT_MAX_INPUT_MB
    if not math.isfinite(megabytes) or megabytes <= 0:
        megabytes = DEFAULT_MAX_INPUT_MB
    return int(megabytes * 1024 * 1024)


def read_text(path: Path | str, *, limit: int | None = None, save_as: str = "") -> str:
    """A UTF-8 input file's text (byte-order mark dropped); DataError naming the file if
    it cannot be read, is not a regular file, is larger than ``limit`` bytes (default
    ``max_input_bytes()``) or is not UTF-8 (``save_as`` says how to fix that)."""
    path = Path(path)
    limit = max_input_bytes() if limit is None else limit
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise DataError(Problem(str(path), None, "", "not a regular file"))
            data = handle.read(limit + 1)
    except OSError as exc:
        raise DataError(Problem(str(path), None, "", f"cannot read: {exc.strerror}")) from None
    if len(data) > limit:
        raise DataError(Problem(
            str(path), None, "", f"larger than {limit / 1024 / 1024:g} MB, the most briefpack "
            "reads (set BRIEFPACK_MAX_INPUT_MB to allow more)"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(Problem(
            str(path), None, "", f"not UTF-8 text (byte {exc.start}){save_as}")) from None


def load(path: Path | str) -> Any:
    """Read and parse one YAML file."""
    return loads(read_text(path), str(path))


def dump(data: Any) -> str:
    """Write plain data as block-style YAML, keys in the order given."""
    return yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=100)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Context:
    """Collects problems while one file is validated."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, field, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)


_MISSING = object()


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@functools.cache
def _init_fields(cls: type) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(cls) if f.init}


def build(cls: type, data: Any, ctx: Context, where: str, *, defaults: dict | None = None,
          ignore: tuple[str, ...] = ()) -> Any | None:
    """Build dataclass ``cls`` from mapping ``data``; None (with problems noted) if it can't."""
    line = getattr(data, "line", None)
    if not isinstance(data, dict):
        ctx.add(line, where, f"expected a mapping of fields, got {_kind(data)}")
        return None
    hints = _type_hints(cls)
    fields = _init_fields(cls)
    values: dict[str, Any] = dict(defaults or {})
    before = len(ctx.problems)
    for key in data:
        if key not in fields and key not in ignore:
            known = ", ".join(sorted(fields))
            ctx.add(_line(data, key), f"{where}.{key}", f"unknown field; expected one of: {known}")
    for name, f in fields.items():
        if name not in data:
            has_default = (f.default is not dataclasses.MISSING
                           or f.default_factory is not dataclasses.MISSING)
            if name not in values and not has_default:
                ctx.add(line, f"{where}.{name}", "required field is missing")
            continue
        value = coerce(data[name], hints[name], ctx, _line(data, name), f"{where}.{name}")
        if value is not _MISSING:
            values[name] = value
    if len(ctx.problems) > before:
        return None
    return cls(**values)


def _line(data: Any, key: Any) -> int | None:
    return data.line_of(key) if isinstance(data, (YMap, YList)) else None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value).__mro__[-2] if type(value) in (YMap, YList)
                                   else type(value), type(value).__name__)


def coerce(value: Any, hint: Any, ctx: Context, line: int | None, field: str) -> Any:
    """Coerce one YAML value to the annotated type; note a problem and return _MISSING if not."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if value is None or value == "":
            if type(None) in args:
                return None
        if len(inner) == 1:
            return coerce(value, inner[0], ctx, line, field)
    if origin is tuple:
        item_hint = args[0]
        if value is None:
            return ()
        if not isinstance(value, list):
            value = [value] if isinstance(value, (str, int)) else value
        if not isinstance(value, list):
            ctx.add(line, field, f"expected a list, got {_kind(value)}")
            return _MISSING
        out = []
        for i, item in enumerate(value):
            item_line = _line(value, i) or line
            if isinstance(item_hint, type) and dataclasses.is_dataclass(item_hint):
                built = build(item_hint, item, ctx, f"{field}[{i + 1}]")
                out.append(built)
            else:
                out.append(coerce(item, item_hint, ctx, item_line, f"{field}[{i + 1}]"))
        if any(o is _MISSING or o is None and dataclasses.is_dataclass(item_hint) for o in out):
            return _MISSING
        return tuple(out)
    if hint is dt.date:
        day = _date(value)
        if day is None:
            ctx.add(line, field, f"expected a date as YYYY-MM-DD, got {value!r}")
            return _MISSING
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            ctx.add(line, field, f"{day.isoformat()} is not a date between {FIRST_YEAR} and "
                    f"{LAST_YEAR}")
            return _MISSING
        return day
    if hint is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("yes", "true", "no", "false"):
            return value.strip().lower() in ("yes", "true")
        ctx.add(line, field, f"expected true or false, got {value!r}")
        return _MISSING
    if hint is int:
        number = whole_number(value)
        if number is None:
            ctx.add(line, field, f"expected a whole number, got {_shown(value)}")
            return _MISSING
        if abs(number) > MAX_WHOLE:
            ctx.add(line, field, f"{_shown(value)} is too large to be a whole number here")
            return _MISSING
        return number
    if hint is float:
        amount = _number(value)
        if amount is None:
            ctx.add(line, field, f"expected a number, got {_shown(value)}")
            return _MISSING
        if not math.isfinite(amount):
            ctx.add(line, field, f"expected a finite number, got {_shown(value)}")
            return _MISSING
        return amount
    if hint is str:
        if value is None:
            return ""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return clean(value) if isinstance(value, str) else str(value)
        if isinstance(value, (dt.date,)):
            return value.isoformat()
        ctx.add(line, field, f"expected text, got {_kind(value)}")
        return _MISSING
    return value


#: whole numbers must fit SQLite's INTEGER (below 2**63)
MAX_WHOLE = 2**63 - 1
#: dates outside these years are typing mistakes (0026 for 2026, 20266 …)
FIRST_YEAR, LAST_YEAR = 1900, 2100
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def whole_number(value: Any) -> int | None:
    """A whole number from YAML or a cell: 12, 12.0, "1,200"; None for anything else
    (true/false, 1.5, "²", digits of other scripts, NaN and infinity)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = value.replace(",", "").strip()
        return int(text) if _WHOLE.fullmatch(text) else None
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            return math.inf
    if isinstance(value, str):
        text = value.replace(",", "").replace("£", "").strip()
        return float(text) if _DECIMAL.fullmatch(text) else None
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _shown(value: Any) -> str:
    """A value as an error message shows it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"

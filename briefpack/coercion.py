"""The one coercion engine: input values become model values.

Every input (a YAML file, a CSV cell, a packet, what a user typed in the app, a
command-line argument, the store's own columns) goes through here, so each rule is
written once:

- a converter per kind of value (``whole``, ``number``, ``date``, ``yes_no``, ``text``,
  ``time_of_day``, ``choice``, ``marking_text``) returns the value or raises ``Refused``
  whose message names the value but not where it came from; the caller adds that (file,
  line and dotted field for files, the field's title in the app);
- ``shape`` works out once per annotation what it asks for (Optional unwrapped, tuples
  and their items, nested dataclasses), for ``build`` and for the store's codec;
- ``build`` turns a mapping into a dataclass, coercing each field by its annotation and
  noting every problem in a ``Context``. A field may declare more in its metadata:
  ``bounded`` (a range), ``one_of`` (choices) or ``converted`` (its own converter), so a
  rule about one field is written beside it (``model.py``, ``priorities.py``) and holds
  for every input; ``field_value`` reads one field's value by the same rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import DataError, Problem
from .textsafe import clean

#: whole numbers must fit SQLite's INTEGER (below 2**63)
MAX_WHOLE = 2**63 - 1
#: dates outside these years are typing mistakes (0026 for 2026, 20266 …)
FIRST_YEAR, LAST_YEAR = 1900, 2100

#: the range of numeric fields, by field name, wherever the value comes from
BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "id": (1, None),
    "year": (FIRST_YEAR, LAST_YEAR),
    "priority_tier": (1, 4),
    "jobs": (0, None),
    "quantity": (0, None),
    "value_gbp": (0, None),
}

YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")


class Refused(ValueError):
    """A value that cannot become the model's value; the message says why."""


# -- converters, one per kind of value ---------------------------------------------------

_WHOLE = re.compile(r"[+-]?[0-9]+")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")
# an amount: sign, pound sign, digits with thousands commas, decimals, exponent, multiplier
_AMOUNT = re.compile(
    r"([+-]?)\s*£?\s*([+-]?)((?:[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"\s*(thousand|million|billion|k|m|bn)?", re.IGNORECASE)
_MULTIPLIERS = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}


def whole(value: Any, low: float | None = None, high: float | None = None) -> int:
    """A whole number: 12, 12.0, "1,200" (not true/false, 1.5, "²", other scripts' digits,
    NaN or infinity), within 2**63 and ``low``..``high``."""
    number = whole_number(value)
    if number is None:
        raise Refused(f"{shown(value)} is not a whole number")
    if abs(number) > MAX_WHOLE:
        raise Refused(f"{shown(value)} is too large to be a whole number here")
    _check_range(number, low, high)
    return number


def whole_number(value: Any) -> int | None:
    """``whole`` without the bounds and the message: the number, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = value.replace(",", "").strip()
        if not _WHOLE.fullmatch(text):
            return None
        negative, digits = text.startswith("-"), text.lstrip("+-").lstrip("0") or "0"
        if len(digits) > _MOST_DIGITS:  # int() refuses 4,300 digits and more (a traceback)
            return -(MAX_WHOLE + 1) if negative else MAX_WHOLE + 1
        return -int(digits) if negative else int(digits)
    return None


#: more digits than any whole number that fits SQLite: read as "too large", never parsed
_MOST_DIGITS = len(str(MAX_WHOLE)) + 1


def number(value: Any, low: float | None = None, high: float | None = None) -> float:
    """A finite number: 12, 0.5, "1,200", "-3", "1e6", "£800 million", "£2bn"; within
    ``low``..``high``."""
    amount = parse_amount(value)
    if amount is None:
        raise Refused(f"{shown(value)} is not a number")
    if not math.isfinite(amount):
        raise Refused(f"{shown(value)} is not a finite number")
    _check_range(amount, low, high)
    return amount


def parse_amount(value: Any) -> float | None:
    """The number ``number`` reads, unchecked (may be NaN or infinite); None if none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # a whole number too large for a float
            return math.inf
    if not isinstance(value, str):
        return None
    match = _AMOUNT.fullmatch(value.strip())
    if not match or (match.group(1) and match.group(2)):
        return None
    amount = float(match.group(3).replace(",", ""))
    amount *= _MULTIPLIERS.get((match.group(4) or "").lower(), 1.0)
    return -amount if "-" in (match.group(1) + match.group(2)) else amount


def _check_range(value: float, low: float | None, high: float | None) -> None:
    if (low is not None and value < low) or (high is not None and value > high):
        raise Refused(f"{shown(value)} is out of range: expected {range_words(low, high)}")


def range_words(low: float | None, high: float | None) -> str:
    """"0 to 100", "0 or more", "100 or less" or "any number"."""
    if low is not None and high is not None:
        return f"{shown(low)} to {shown(high)}"
    if low is not None:
        return f"{shown(low)} or more"
    return f"{shown(high)} or less" if high is not None else "any number"


def date(value: Any) -> dt.date:
    """A date written YYYY-MM-DD (or a YAML date), between 1900 and 2100."""
    day = _date(value)
    if day is None:
        raise Refused(f"{shown(value)} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Refused(f"{day.isoformat()} is not a date between {FIRST_YEAR} and {LAST_YEAR}")
    return day


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


def yes_no(value: Any) -> bool:
    """true/false, or yes/no, y/n, true/false, 1/0 in any case."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int)):
        word = str(value).strip().casefold()
        if word in YES or word in NO:
            return word in YES
    raise Refused(f"{shown(value)} is not yes or no")


def text(value: Any) -> str:
    """Text without control characters (``textsafe.clean``); numbers and dates as written."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise Refused(f"expected text, got {kind(value)}")


def words(value: Any) -> str:
    """Text that says something (a label, a name): cleaned and stripped, not empty."""
    if not isinstance(value, str) or not value.strip():
        raise Refused(f"expected text, got {kind(value)}")
    return clean(value).strip()


_KEY = re.compile(r"[a-z][a-z0-9_]*")


def key_name(value: Any) -> str:
    """A key other files refer to: lower case letters, digits and _, starting with a letter."""
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        raise Refused(f"{shown(value)} is not a key: write lower case letters, digits and _, "
                      "starting with a letter")
    return value


def time_of_day(value: Any) -> str:
    """A 24-hour time as HH:MM ("9:30", "9.30" and "0930" are read too); "" for none."""
    raw = text(value).strip()
    if not raw:
        return ""
    written = raw.replace(".", ":")
    if ":" not in written and len(written) in (3, 4):
        written = f"{written[:-2]}:{written[-2:]}"
    match = _TIME.fullmatch(written)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise Refused(f"{shown(raw)} is not a time of day; write it as HH:MM on the 24-hour "
                      "clock, e.g. 09:30 or 14:00")
    return f"{int(match.group(1)):02}:{match.group(2)}"


def choice(value: Any, choices: tuple[str, ...]) -> str:
    """One of ``choices``, whatever its case, as the choice is written."""
    if value in choices:
        return value
    written = text(value).strip()
    for option in choices:
        if option.casefold() == written.casefold():
            return option
    raise Refused(f"{shown(written)} is not allowed; expected one of: " + ", ".join(choices))


def marking_text(value: Any) -> str:
    """A protective marking in its canonical form (``marking.normalise``)."""
    from . import marking  # the marking grammar is read only when a marking is

    try:
        return marking.normalise(text(value))
    except marking.MarkingError as exc:
        raise Refused(str(exc)) from None


def shown(value: Any) -> str:
    """A value as a message shows it: whole floats as whole numbers, text quoted, cut short."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    written = repr(value)
    return written if len(written) <= 60 else written[:57] + "…"


def kind(value: Any) -> str:
    """What kind of value was given, for a message: "a mapping", "a list", "text" …"""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text" if value.strip() else "empty text"
    return type(value).__name__


# -- what an annotation asks for -----------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """An annotation worked out: its kind, whether None is allowed, and what it holds."""

    #: "int", "float", "bool", "date", "str", "tuple", "dataclass" or "any"
    kind: str
    optional: bool = False
    #: a tuple's items
    item: Shape | None = None
    #: the dataclass of a "dataclass" shape
    cls: type | None = None


_SCALARS: dict[Any, str] = {int: "int", float: "float", bool: "bool", dt.date: "date",
                            str: "str"}


@functools.cache
def shape(hint: Any) -> Shape:
    """What ``hint`` asks for (computed once per annotation)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return dataclasses.replace(shape(inner[0]), optional=type(None) in args)
        return Shape("any", optional=type(None) in args)
    if origin is tuple:
        args = typing.get_args(hint)
        return Shape("tuple", item=shape(args[0]) if args else Shape("any"))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return Shape("dataclass", cls=hint)
    return Shape(_SCALARS.get(hint, "any"))


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of a class (cached: read for every record built)."""
    return typing.get_type_hints(cls)


@dataclass(frozen=True)
class _FieldPlan:
    """How ``build`` reads one field of a dataclass, worked out once per class."""

    name: str
    form: Shape
    required: bool
    bounds: tuple[float | None, float | None] | None
    #: a converter the field declares (``dataclasses.field(metadata={"convert": …})``),
    #: for each item of a tuple
    convert: Callable[[Any], Any] | None


@dataclass(frozen=True)
class _ClassPlan:
    """How ``build`` reads a dataclass: its fields by name, in order, and those required."""

    fields: dict[str, _FieldPlan]
    names: tuple[str, ...]
    required: tuple[str, ...]


@functools.cache
def _plan(cls: type) -> _ClassPlan:
    hints = type_hints(cls)
    fields = {f.name: _FieldPlan(
        f.name, shape(hints[f.name]),
        f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        f.metadata.get("bounds", BOUNDS.get(f.name)), f.metadata.get("convert"))
        for f in dataclasses.fields(cls) if f.init}
    return _ClassPlan(fields, tuple(fields), tuple(n for n, f in fields.items() if f.required))


def bounded(low: float | None, high: float | None = None) -> dict[str, Any]:
    """Field metadata: the field's number lies from ``low`` to ``high`` (None: no limit)."""
    return {"bounds": (low, high)}


def converted(convert: Callable[[Any], Any]) -> dict[str, Any]:
    """Field metadata: the field's value goes through ``convert`` (a converter here)."""
    return {"convert": convert}


def one_of(choices: tuple[str, ...]) -> dict[str, Any]:
    """Field metadata: the field holds one of ``choices`` (``choice``); each item does,
    for a tuple."""
    return converted(functools.partial(choice, choices=choices))


# -- building dataclasses from mappings, noting every problem ------------------------------


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


#: what ``coerce`` returns for a value it refused (the problem is noted)
MISSING: Any = object()


def line_of(data: Any, key: Any) -> int | None:
    """The line of ``key`` in a mapping or list read from YAML; None if not known."""
    finder = getattr(data, "line_of", None)
    return finder(key) if finder is not None else None


def check_keys(data: dict, ctx: Context, where: str, allowed: Any,
               required: Any = (), noun: str = "field") -> None:
    """Note every key of ``data`` not ``allowed`` and every ``required`` one missing."""
    for key in data:
        if key not in allowed:
            _unknown_key(data, key, ctx, where, allowed, noun)
    for name in required:
        if name not in data:
            ctx.add(getattr(data, "line", None), f"{where}.{name}" if where else name,
                    f"required {noun} is missing")


def _unknown_key(data: dict, key: Any, ctx: Context, where: str, allowed: Any,
                 noun: str) -> None:
    ctx.add(line_of(data, key), f"{where}.{key}" if where else str(key),
            f"unknown {noun} {key!r}; expected one of: {', '.join(allowed)}")


def build(cls: type, data: Any, ctx: Context, where: str, *, defaults: dict | None = None,
          ignore: tuple[str, ...] = (), given: dict | None = None,
          allowed: tuple[str, ...] | None = None, noun: str = "field",
          line: int | None = None) -> Any | None:
    """Build dataclass ``cls`` from mapping ``data``; None (with problems noted) if it can't.

    ``defaults``: values for fields ``data`` leaves out; ``given``: values the caller read
    itself from ``data`` (not read again; ``MISSING`` where the caller refused it);
    ``ignore``: other keys allowed in ``data``;
    ``allowed``: the keys ``data`` may have, if not the fields; ``noun``: what a key is
    called in messages ("field", "key"); ``line``: where ``data`` is, if it cannot say
    (text or a number where a mapping belongs).
    """
    if not isinstance(data, dict):
        ctx.add(getattr(data, "line", None) or line, where,
                f"expected a mapping of {noun}s, got {kind(data)}")
        return None
    plan = _plan(cls)
    values: dict[str, Any] = dict(defaults) if defaults else {}
    if given:
        values.update((k, v) for k, v in given.items() if v is not MISSING)
    before = len(ctx.problems)
    for key, value in data.items():
        field = plan.fields.get(key)
        if field is None or allowed is not None and key not in allowed:
            if key not in ignore and (allowed is None or key not in allowed):
                _unknown_key(data, key, ctx, where,
                             plan.names + ignore if allowed is None else allowed, noun)
            continue
        if given and key in given:
            continue
        line = line_of(data, key)
        if field.convert is not None and field.form.kind == "tuple":
            value = _coerce_items(value, field.form, ctx, line, f"{where}.{key}", field.convert)
        elif field.convert is not None:
            value = convert_noted(field.convert, value, ctx, line, f"{where}.{key}")
        else:
            value = _coerce(value, field.form, ctx, line, f"{where}.{key}", field.bounds)
        if value is not MISSING:
            values[key] = value
    missing = [name for name in plan.required if name not in values]
    for name in missing:
        if name not in data:
            ctx.add(getattr(data, "line", None), f"{where}.{name}", f"required {noun} is missing")
    if len(ctx.problems) > before or missing:
        return None
    return cls(**values)


def field_value(cls: type, name: str, value: Any) -> Any:
    """``value`` for field ``name`` of dataclass ``cls`` as ``build`` reads it (the field's
    own converter, or its annotation and bounds); ``Refused`` says why not."""
    field = _plan(cls).fields[name]
    if field.convert is not None and field.form.kind != "tuple":
        return field.convert(value)
    ctx = Context("")
    if field.form.kind == "tuple":
        converted_value = _coerce_items(value, field.form, ctx, None, name, field.convert)
    else:
        converted_value = _coerce(value, field.form, ctx, None, name, field.bounds)
    if ctx.problems:
        raise Refused(ctx.problems[0].message)
    return converted_value


def convert_noted(convert: Callable[..., Any], value: Any, ctx: Context, line: int | None,
                  field: str, *args: Any) -> Any:
    """``convert(value, *args)``, or a problem noted and ``MISSING`` if it is refused."""
    try:
        return convert(value, *args)
    except Refused as exc:
        ctx.add(line, field, str(exc))
        return MISSING


def coerce(value: Any, hint: Any, ctx: Context, line: int | None, field: str, *,
           bounds: tuple[float | None, float | None] | None = None) -> Any:
    """One value as annotation (or ``Shape``) ``hint`` asks; a problem noted and
    ``MISSING`` if it can't."""
    return _coerce(value, hint if isinstance(hint, Shape) else shape(hint), ctx, line, field,
                   bounds)


def _coerce(value: Any, form: Shape, ctx: Context, line: int | None, field: str,
            bounds: tuple[float | None, float | None] | None) -> Any:
    if form.optional and (value is None or value == ""):
        return None
    if form.kind == "tuple":
        return _coerce_items(value, form, ctx, line, field)
    if form.kind == "dataclass":
        built = build(form.cls, value, ctx, field, line=line)  # type: ignore[arg-type]
        return MISSING if built is None else built
    convert = CONVERTERS.get(form.kind)
    if convert is None:
        return value
    if form.kind in ("int", "float"):
        return convert_noted(convert, value, ctx, line, field, *(bounds or ()))
    return convert_noted(convert, value, ctx, line, field)


def _coerce_items(value: Any, form: Shape, ctx: Context, line: int | None, field: str,
                  convert: Callable[[Any], Any] | None = None) -> Any:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, list):
        ctx.add(line, field, f"expected a list, got {kind(value)}")
        return MISSING
    item = form.item or Shape("any")
    out = [_coerce(v, item, ctx, line_of(value, i) or line, f"{field}[{i + 1}]", None)
           if convert is None else
           convert_noted(convert, v, ctx, line_of(value, i) or line, f"{field}[{i + 1}]")
           for i, v in enumerate(value)]
    return MISSING if any(o is MISSING for o in out) else tuple(out)


#: kind -> the converter a file's value goes through (tuples and dataclasses are walked)
CONVERTERS: dict[str, Callable[..., Any]] = {
    "int": whole, "float": number, "bool": yes_no, "date": date, "str": text,
}

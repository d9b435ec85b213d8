"""The one place store rows become model objects and back.

Dates are ISO text, tuples are JSON lists, booleans are 0/1, nested visit parts are JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from functools import cache
from typing import Any

from .. import model


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _base(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return inner[0] if len(inner) == 1 else hint
    return hint


def to_value(value: Any, hint: Any) -> Any:
    hint = _base(hint)
    if value is None:
        return None
    if hint is dt.date:
        return value.isoformat()
    if hint is bool:
        return int(value)
    if typing.get_origin(hint) is tuple:
        return json.dumps([_plain(v) for v in value], ensure_ascii=False)
    return value


def from_value(value: Any, hint: Any) -> Any:
    hint = _base(hint)
    if value is None:
        return () if typing.get_origin(hint) is tuple else None
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if hint is bool:
        return bool(value)
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        items = json.loads(value) if value else []
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            return tuple(_nested(item, i) for i in items)
        return tuple(items)
    return value


def _nested(cls: type, values: dict[str, Any]) -> Any:
    """A nested visit part from its JSON, its own nested parts included."""
    hints = _hints(cls)
    out = {}
    for key, value in values.items():
        hint = _base(hints[key])
        if isinstance(value, list):
            item = typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else None
            if isinstance(item, type) and dataclasses.is_dataclass(item):
                value = tuple(_nested(item, v) for v in value)
            else:
                value = tuple(value)
        out[key] = value
    return cls(**out)


def _plain(value: Any) -> Any:
    """A nested visit part as a JSON-ready dict; any other value as it is."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def to_row(obj: Any) -> dict[str, Any]:
    cls: type = type(obj)
    hints = _hints(cls)
    return {f.name: to_value(getattr(obj, f.name), hints[f.name])
            for f in dataclasses.fields(obj)}


@cache
def _readers(cls: type) -> dict[str, Any]:
    """Per field: None where the stored value is used as is, else a converter.

    Precomputed per class because reading a full-scale store converts ~30,000 rows.
    """
    readers: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        hint = _hints(cls)[f.name]
        base = _base(hint)
        plain = base in (str, int, float) and typing.get_origin(base) is None
        readers[f.name] = None if plain else (lambda v, h=hint: from_value(v, h))
    return readers


def from_row(cls: type, row: dict[str, Any]) -> Any:
    readers = _readers(cls)
    values = {}
    for key, value in row.items():
        if key in readers:
            read = readers[key]
            values[key] = value if read is None else read(value)
    return cls(**values)




TABLE_OF: dict[type, str] = {spec.record: name for name, spec in model.TABLES.items()}
TABLE_OF[model.Country] = "countries"
TABLE_OF[model.NationalFigure] = "national_figures"
TABLE_OF[model.Visit] = "visits"

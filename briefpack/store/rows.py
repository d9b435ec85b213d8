"""The one place store rows become model objects and back.

Dates are ISO text, tuples are JSON lists, booleans are 0/1, nested visit parts are JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from .. import model
from ..coercion import Shape, shape, type_hints


def to_value(value: Any, hint: Any) -> Any:
    """A model value as its column holds it."""
    if value is None:
        return None
    kind = shape(hint).kind
    if kind == "date":
        return value.isoformat()
    if kind == "bool":
        return int(value)
    if kind == "tuple":
        return json.dumps([_plain(v) for v in value], ensure_ascii=False)
    return value


def _read(value: Any, form: Shape) -> Any:
    """A column's value as the model holds it."""
    if value is None:
        return () if form.kind == "tuple" else None
    reader = _READERS.get(form.kind)
    return value if reader is None else reader(value, form)


def _read_items(value: Any, form: Shape) -> tuple:
    return _items(json.loads(value) if value else [], form.item)


def _items(items: list, item: Shape | None) -> tuple:
    if item is not None and item.cls is not None:
        return tuple(_nested(item.cls, i) for i in items)
    return tuple(items)


#: kind (``coercion.shape``) -> how a stored value is read; other kinds are used as they are
_READERS: dict[str, Callable[[Any, Shape], Any]] = {
    "date": lambda value, _: dt.date.fromisoformat(value),
    "bool": lambda value, _: bool(value),
    "tuple": _read_items,
}


def _nested(cls: type, values: dict[str, Any]) -> Any:
    """A nested visit part from its JSON, its own nested parts included."""
    hints = type_hints(cls)
    out = {}
    for key, value in values.items():
        if isinstance(value, list):
            value = _items(value, shape(hints[key]).item)
        out[key] = value
    return cls(**out)


def _plain(value: Any) -> Any:
    """A nested visit part as a JSON-ready dict; any other value as it is."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def to_row(obj: Any) -> dict[str, Any]:
    cls: type = type(obj)
    hints = type_hints(cls)
    return {f.name: to_value(getattr(obj, f.name), hints[f.name])
            for f in dataclasses.fields(obj)}


@cache
def _readers(cls: type) -> dict[str, Callable[[Any], Any] | None]:
    """Per field: None where the stored value is used as is, else a converter.

    Precomputed per class because reading a full-scale store converts ~30,000 rows.
    """
    readers: dict[str, Callable[[Any], Any] | None] = {}
    for f in dataclasses.fields(cls):
        form = shape(type_hints(cls)[f.name])
        readers[f.name] = _reader(form) if form.kind in _READERS else None
    return readers


def _reader(form: Shape) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        return _read(value, form)
    return read


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

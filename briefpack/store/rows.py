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


def read_value(value: Any, form: Shape) -> Any:
    """A column's value (``to_value``'s) as the model holds it."""
    return _read(value, form)


def _read(value: Any, form: Shape) -> Any:
    """A column's value as the model holds it."""
    if value is None:
        return () if form.kind == "tuple" else None
    reader = _READERS.get(form.kind)
    return value if reader is None else reader(value, form)


def _read_items(value: Any, form: Shape) -> tuple:
    return _items(json.loads(value) if value else [], form.item)


def _items(items: list, item: Shape | None) -> tuple:
    return tuple(_from_json(i, item) for i in items)


def _from_json(value: Any, form: Shape | None) -> Any:
    """A value read from a JSON column as the model holds it: nested parts, tuples and
    dates (written as ISO text by ``_plain``) made again, at any depth."""
    if value is None or form is None:
        return value
    if form.kind == "tuple":
        return _items(value, form.item)
    if form.kind == "dataclass" and form.cls is not None and isinstance(value, dict):
        return _nested(form.cls, value)
    if form.kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


#: kind (``coercion.shape``) -> how a stored value is read; other kinds are used as they are
_READERS: dict[str, Callable[[Any, Shape], Any]] = {
    "date": lambda value, _: dt.date.fromisoformat(value),
    "bool": lambda value, _: bool(value),
    "tuple": _read_items,
}


def _nested(cls: type, values: dict[str, Any]) -> Any:
    """A nested visit part from its JSON, its own nested parts included."""
    hints = type_hints(cls)
    return cls(**{key: _from_json(value, shape(hints[key])) for key, value in values.items()})


def _plain(value: Any) -> Any:
    """A value made JSON-ready at any depth: a nested visit part as a dict, a tuple as a
    list, a date as ISO text; text, numbers, booleans and None as they are."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
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

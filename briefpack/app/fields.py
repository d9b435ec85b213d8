"""How one field of a record is shown, edited and checked in the app's tables.

Parsing turns what a user typed into the model's value through the coercion engine, or
raises ``ValueError`` with a message the user can act on; nothing here touches Qt or the
store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import coercion


@dataclass(frozen=True)
class Field:
    """One editable column: the dataclass attribute, its heading and its kind of value."""

    name: str
    title: str
    #: text, date, time, int, money, choice, bool, marking, tags, country, lines,
    #: attendees, readonly
    kind: str = "text"
    choices: tuple[str, ...] = ()
    width: int = 120
    required: bool = False
    #: what the column holds, for tooltips and screen readers
    help: str = ""
    #: long text: the record form edits it in a multi-line box
    multiline: bool = False

    @property
    def editable(self) -> bool:
        return self.kind != "readonly"

    @property
    def cell_editable(self) -> bool:
        """Every editable field can be edited in its cell (lists of lines in a box that
        opens over the cell, one entry per line)."""
        return self.editable


def display(field: Field, value: Any) -> str:
    """The value as the table shows it."""
    if value is None:
        return ""
    if field.kind == "bool":
        return "yes" if value else "no"
    if field.kind == "money":
        return f"£{value:,.0f}"
    if field.kind == "int":
        return f"{value:,}" if field.name != "year" else str(value)
    if field.kind == "tags":
        return ", ".join(value)
    if field.kind == "lines":
        return "; ".join(value)
    if field.kind == "readonly" and isinstance(value, str) \
            and re.match(r"\d{4}-\d{2}-\d{2}(T|$)", value):
        try:  # a stamp: the day it was made
            return show_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value[:10]
    if isinstance(value, dt.date):
        return show_date(value)
    return str(value)


#: how the app writes a date everywhere (tables, forms, pickers): "31 Dec 2025"
DATE_FORMAT_QT = "d MMM yyyy"
#: the forms a typed date may take, for messages
DATE_FORMS = "31/12/2025, 31 Dec 2025 or 2025-12-31"
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    start=1)}
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_WORDED = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")


def show_date(day: dt.date) -> str:
    """A date as the app shows it: '31 Dec 2025' (day first, month in words, never
    ambiguous)."""
    return f"{day.day} {day:%b %Y}"


def read_date(text: str) -> dt.date:
    """A date typed the UK way: 31/12/2025 (or 31.12.2025, 31-12-2025), 31 Dec 2025,
    31 December 2025, or 2025-12-31. ``coercion.Refused`` says what is wrong."""
    raw = " ".join(str(text).split())
    try:  # first as files are read (ISO), so the app takes all a file takes
        return coercion.date(raw)
    except coercion.Refused:
        if _day(raw) is not None:  # a date, out of range: that message
            raise
    numeric, worded = _NUMERIC.fullmatch(raw), _WORDED.fullmatch(raw)
    found = None
    if numeric:
        day, month, year = (int(g) for g in numeric.groups())
        found = _day(year, month, day)
    elif worded:
        word = worded.group(2).casefold()
        if any(full.startswith(word) for full in _FULL_MONTHS):
            found = _day(int(worded.group(3)), _MONTHS[word[:3]], int(worded.group(1)))
    if found is None:
        raise coercion.Refused(f"{coercion.shown(text)} is not a date; write it as "
                               f"{DATE_FORMS}")
    return coercion.date(found)


def _day(*parts) -> dt.date | None:
    """The date of ISO text or (year, month, day); None if there is no such day."""
    try:
        return dt.date.fromisoformat(parts[0]) if len(parts) == 1 else dt.date(*parts)
    except ValueError:
        return None


_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "sept")


def edit_text(field: Field, value: Any) -> object:
    """The value as an editor starts with it."""
    if field.kind == "tags":
        return tuple(value or ())
    if field.kind == "lines":
        return "\n".join(value or ())
    if field.kind in ("money", "int") and value is not None:
        return str(int(value)) if float(value).is_integer() else str(value)
    return display(field, value)


def parse(field: Field, text: Any) -> object:
    """The model value for what the user entered; ``ValueError`` says what is wrong.

    Each kind goes through the converter every input path uses (``briefpack.coercion``),
    so the app accepts and refuses what files do; the message names the field's title.
    """
    if field.kind == "tags":
        return tuple(text or ())
    if field.kind == "lines":
        lines = text if isinstance(text, (tuple, list)) else str(text or "").splitlines()
        return tuple(coercion.text(line).strip() for line in lines if str(line).strip())
    raw = "" if text is None else str(text).strip()
    if not raw:
        if field.required:
            raise ValueError(f"{field.title} is required.")
        return _empty(field)
    try:
        return _convert(field, raw)
    except coercion.Refused as exc:
        message = str(exc)
        raise ValueError(f"{field.title}: {message}"
                         + ("" if message.endswith((".", "?", "!")) else ".")) from None


def _convert(field: Field, raw: str) -> object:
    low, high = coercion.BOUNDS.get(field.name, (None, None))
    match field.kind:
        case "int":
            return coercion.whole(raw, low, high)
        case "money":
            return coercion.number(raw, low, high)
        case "choice":
            return coercion.choice(raw, field.choices)
        case "country":
            return coercion.text(raw).strip().upper()
    if field.kind == "date":
        return read_date(raw)
    convert = _CONVERTERS.get(field.kind)
    return coercion.text(raw).strip() if convert is None else convert(raw)


_CONVERTERS: dict[str, Callable[[Any], object]] = {
    "time": coercion.time_of_day, "bool": coercion.yes_no,
    "marking": coercion.marking_text,
}


def _empty(field: Field) -> object:
    if field.kind in ("text", "choice", "marking", "time", "country"):
        return ""
    if field.kind == "bool":
        return False
    return None

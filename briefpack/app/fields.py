"""How one field of a record is shown, edited and checked in the app's tables.

Parsing turns what a user typed into the model's value or raises ``ValueError`` with a
message the user can act on; nothing here touches Qt or the store.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from dataclasses import dataclass

from .. import marking


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
        """Lists of lines are edited in the record form, not in a one-line cell."""
        return self.editable and self.kind not in ("lines", "attendees")


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
    if field.kind == "readonly" and isinstance(value, str) and "T" in value:
        return value.split("T")[0]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


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
    """The model value for what the user entered; ``ValueError`` says what is wrong."""
    if field.kind == "tags":
        return tuple(text or ())
    if field.kind == "lines":
        lines = text if isinstance(text, (tuple, list)) else str(text or "").splitlines()
        return tuple(line.strip() for line in lines if str(line).strip())
    raw = "" if text is None else str(text).strip()
    if not raw:
        if field.required:
            raise ValueError(f"{field.title} is required.")
        return _empty(field)
    match field.kind:
        case "date":
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise ValueError(f"{field.title}: '{raw}' is not a date; "
                                 "write it as YYYY-MM-DD, e.g. 2026-03-14.") from None
        case "time":
            return _time(field, raw)
        case "country":
            return raw.upper()
        case "int":
            try:
                return int(raw.replace(",", ""))
            except ValueError:
                raise ValueError(f"{field.title}: '{raw}' is not a whole number.") from None
        case "money":
            try:
                value = float(raw.replace(",", "").replace("£", ""))
            except ValueError:
                raise ValueError(f"{field.title}: '{raw}' is not an amount in pounds; "
                                 "write digits only, e.g. 250000000.") from None
            if value < 0:
                raise ValueError(f"{field.title}: an amount cannot be negative.")
            return value
        case "choice":
            for choice in field.choices:
                if choice.casefold() == raw.casefold():
                    return choice
            raise ValueError(f"{field.title}: '{raw}' is not allowed; choose one of: "
                             + ", ".join(field.choices) + ".")
        case "bool":
            if raw.casefold() in ("yes", "y", "true", "1"):
                return True
            if raw.casefold() in ("no", "n", "false", "0"):
                return False
            raise ValueError(f"{field.title}: answer yes or no.")
        case "marking":
            try:
                return marking.normalise(raw)
            except marking.MarkingError as exc:
                raise ValueError(f"{field.title}: {exc}") from None
    return raw


def _time(field: Field, raw: str) -> str:
    """A 24-hour time as HH:MM ('9.30' and '0930' are read too)."""
    text = raw.replace(".", ":")
    if ":" not in text and text.isdigit() and len(text) in (3, 4):
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        moment = dt.time.fromisoformat(text if len(text.split(":")[0]) == 2 else "0" + text)
    except ValueError:
        raise ValueError(f"{field.title}: '{raw}' is not a time of day; write it as HH:MM "
                         "on the 24-hour clock, e.g. 09:30 or 14:00.") from None
    return f"{moment:%H:%M}"


def _empty(field: Field) -> object:
    if field.kind in ("text", "choice", "marking", "time", "country"):
        return ""
    if field.kind == "bool":
        return False
    return None

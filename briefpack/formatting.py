"""How numbers, money and dates read in every output: one place, so they always agree.

Briefs are written in British English whatever the desktop's language: month names come
from the table below, never from ``strftime`` (``%B`` follows the process's LC_TIME, which
QApplication sets from the desktop).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def money(value: float | None) -> str:
    """£10 billion, £800 million, £40,000; blank for nothing."""
    if value is None:
        return ""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"£{value / size:,.2f}".rstrip("0").rstrip(".") + f" {word}"
    return f"£{value:,.0f}"


def number(value: float | None) -> str:
    """4,000; 2.5; blank for nothing."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def month_name(value: dt.date) -> str:
    """December, in English whatever the locale."""
    return MONTHS[value.month - 1]


def month_year(value: dt.date) -> str:
    """December 2025."""
    return f"{month_name(value)} {value.year}"


def long_date(value: dt.date | None) -> str:
    """4 December 2025; blank for nothing."""
    return f"{value.day} {month_year(value)}" if value else ""


def date_range(start: dt.date, end: dt.date) -> str:
    """3–5 March 2026, 28 February – 2 March 2026, or two full dates across years."""
    if start == end:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {month_year(end)}"
    if start.year == end.year:
        return f"{start.day} {month_name(start)} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


#: first words of an office (not a person's name): such a principal takes "The" to open
#: a sentence ("The Minister for the Armed Forces visits …")
_OFFICES = ("minister", "secretary", "chief", "permanent", "parliamentary", "deputy",
            "vice", "commander", "director", "head", "under-secretary", "chancellor",
            "prime", "defence", "first", "second")


def as_subject(principal: str) -> str:
    """A principal as the subject of a sentence: an office takes "The", a name does not."""
    words = principal.split()
    if words and words[0].casefold() in _OFFICES:
        return "The " + principal.strip()
    return principal.strip()


def joined(items: Iterable[str]) -> str:
    """"Norway, Denmark and Latvia"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

"""argparse types shared by the command groups."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

# yamlio (and PyYAML with it) is imported when an argument is read, not for `--help`


def whole_number(minimum: int, maximum: int = 2**63 - 1) -> Callable[[str], int]:
    """A type accepting whole numbers from ``minimum`` to ``maximum``, with a clear message."""

    def parse(text: str) -> int:
        from .. import yamlio

        value = yamlio.whole_number(text.strip())
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected a whole number of {minimum} or more, not {text!r}")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"{text!r} is too large (at most {maximum:,})")
        return value

    return parse


def iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, a real one, between 1900 and 2100."""
    from .. import yamlio

    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a real date as YYYY-MM-DD, got {text!r}") from None
    if not yamlio.FIRST_YEAR <= day.year <= yamlio.LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date between {yamlio.FIRST_YEAR} and {yamlio.LAST_YEAR}")
    return day


def add_format_option(parser: argparse.ArgumentParser, *choices: str) -> None:
    """``--format``, the first choice being the default."""
    parser.add_argument("--format", choices=choices, default=choices[0],
                        help=f"output format (default: {choices[0]})")

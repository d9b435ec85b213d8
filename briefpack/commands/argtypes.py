"""argparse types shared by the command groups."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

# the coercion engine is imported when an argument is read, not for `--help`


def whole_number(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """A type accepting whole numbers from ``minimum`` to ``maximum`` (2**63 - 1)."""

    def parse(text: str) -> int:
        from ..coercion import Refused, whole

        try:
            return whole(text, minimum, maximum)
        except Refused as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, a real one, between 1900 and 2100."""
    from ..coercion import Refused, date

    try:
        return date(text)
    except Refused as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_format_option(parser: argparse.ArgumentParser, *choices: str) -> None:
    """``--format``, the first choice being the default."""
    parser.add_argument("--format", choices=choices, default=choices[0],
                        help=f"output format (default: {choices[0]})")

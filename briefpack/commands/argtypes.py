"""argparse types shared by the command groups."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(minimum: int) -> Callable[[str], int]:
    """A type accepting whole numbers of ``minimum`` or more, with a clear message."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected a whole number of {minimum} or more, not {text!r}")
        return value

    return parse


def add_format_option(parser: argparse.ArgumentParser, *choices: str) -> None:
    """``--format``, the first choice being the default."""
    parser.add_argument("--format", choices=choices, default=choices[0],
                        help=f"output format (default: {choices[0]})")

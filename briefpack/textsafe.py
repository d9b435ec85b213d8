"""Text that is safe to store, print to a terminal and write to a spreadsheet.

- ``clean``: text on its way in (YAML, CSV, the app). Control characters (NUL, ESC and the
  rest, which can rewrite a terminal or hide text), bidirectional controls such as
  U+202E (which make "txt.exe" read "exe.txt") and zero-width characters (U+200B …, which
  make one name two) are dropped; line breaks and tabs stay.
- ``skeleton``: text as a reader sees it, to tell whether two texts name the same thing.
- ``printable``: text on its way to a terminal: any control character that is still there
  (a store written by an older version) is shown as a visible escape, never sent raw.
- ``csv_cell`` / ``csv_rows``: cells for a CSV file. A cell starting with = + - @ (or a
  tab or carriage return) is a formula to a spreadsheet; OWASP's rule is to put a single
  quote in front so it reads as text.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

# C0 controls but tab and line feed, DEL, and C1 controls.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Bidirectional embedding, override and isolate controls, and the implicit marks.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Line and paragraph separators behave like line breaks to some readers, not to others.
_SEPARATORS = "\u2028\u2029"
# Zero-width characters (space, non-joiner, joiner, word joiner, invisible operators, the
# byte-order mark inside text, the Mongolian vowel separator): they make two texts that
# read the same compare different ("Pact of\u200bBergen"), and print as nothing.
_ZERO_WIDTH = "\u180e\u200b-\u200d\u2060-\u2064\ufeff"
_UNSAFE = re.compile(f"[{_CONTROLS}{_BIDI}{_SEPARATORS}{_ZERO_WIDTH}]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    """``text`` without control or bidirectional-control characters (CR LF becomes LF)."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_fields(record: Any) -> Any:
    """A dataclass record with ``clean`` applied to its text fields (and lists of text)."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, str) and _UNSAFE.search(value):
            changes[f.name] = clean(value)
        elif isinstance(value, tuple) and any(isinstance(v, str) and _UNSAFE.search(v)
                                               for v in value):
            changes[f.name] = tuple(clean(v) if isinstance(v, str) else v for v in value)
    return dataclasses.replace(record, **changes) if changes else record


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a space where one is near the end,
    with an ellipsis; as it is when it already fits."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape such as \\x1b or \\u202e."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet will not run: text that starts like a formula
    gets a leading single quote; numbers and everything else are left as they are."""
    if isinstance(value, str):
        value = printable(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def csv_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every cell passed through ``csv_cell`` (the headers are briefpack's own)."""
    return [{k: csv_cell(v) for k, v in row.items()} for row in rows]


class PrintableStream:
    """A text stream that passes everything written through ``printable``: put in front
    of standard output so no command sends a raw control character to a terminal."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


# -- comparing text as a reader sees it ------------------------------------------------------

#: Latin look-alikes in Cyrillic and Greek (after Unicode's confusables.txt, TR39), which
#: NFKC leaves as they are: "Pact of Bеrgen" with a Cyrillic "е" reads as the Latin one
_LOOK_ALIKES = str.maketrans({
    # Cyrillic capitals and small letters
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K",
    "М": "M", "О": "O", "Р": "P", "Ѕ": "S", "Т": "T", "Х": "X", "У": "Y", "Ү": "Y",
    "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I", "Ь": "b", "З": "3",
    "а": "a", "в": "B", "с": "c", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k",
    "м": "M", "о": "o", "р": "p", "ѕ": "s", "т": "T", "х": "x", "у": "y", "ү": "y",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "г": "r", "п": "n", "ь": "b", "ɡ": "g",
    # Greek capitals and small letters
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "υ": "u", "χ": "x",
    "ϲ": "c", "ϳ": "j", "γ": "y", "ɑ": "a", "ı": "i", "ȷ": "j",
})
_NOT_WORDS = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=65536)  # an import compares the same few values many times
def skeleton(text: str) -> str:
    """``text`` as a reader sees it, for telling whether two texts name the same thing:
    Unicode compatibility forms folded (NFKC), accents, zero-width and other format
    characters dropped, Latin look-alikes from Cyrillic and Greek read as Latin, case
    folded, punctuation and runs of space made one space. "Pact of Bergen.",
    "pact of\\u200bbergen" and "Pact of Bеrgen" (Cyrillic е) all give "pact of bergen"."""
    if text.isascii():  # the usual case: no forms, accents, look-alikes or zero-widths
        return " ".join(_NOT_WORDS.sub(" ", clean(text).lower()).split())
    # look-alikes read before NFKC too, which makes some of them other letters (ϲ → σ)
    text = unicodedata.normalize("NFKD", unicodedata.normalize(
        "NFKC", clean(text).translate(_LOOK_ALIKES)))
    text = "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE_CATEGORIES)
    text = unicodedata.normalize("NFKC", text.translate(_LOOK_ALIKES)).casefold()
    return " ".join(_NOT_WORDS.sub(" ", text).split())


#: combining marks (accents) and format characters (zero-width space and joiners, ...)
_INVISIBLE_CATEGORIES = frozenset({"Mn", "Me", "Cf"})

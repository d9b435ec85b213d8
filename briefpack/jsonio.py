"""The one place JSON becomes Python objects: the same line-aware ``YMap``/``YList`` the
YAML loader gives, so one validator (``coercion.build``) names file, line and field for both.

The standard library's C scanner does the parsing. A container written on one line (a
packet's record, the usual case) is parsed whole by it and every key in it is on that
line; a container spread over several lines (hand-edited, pretty-printed) is walked here,
member by member, so each key and item keeps its own line. Duplicate keys, NaN and
Infinity, lone surrogates, numbers too long to read and deep nesting are refused with the
line, as the YAML loader refuses their YAML counterparts.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import DataError, Problem
from .yamlio import YList, YMap, refuse_too_many_items

#: no briefpack file nests deeper (a packet: document, sections, list, record, field list)
MAX_DEPTH = 32
_SPACE = re.compile(r"[ \t\r\n]*")
_BLANK = re.compile(r"[ \t\r]*")
#: an escaped UTF-16 surrogate (only a high one followed by a low one is a character)
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_PAIR = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")


class _Refused(Exception):
    """A problem found inside the C scanner's hooks; the reader adds the line."""


def loads(text: str, name: str = "<text>") -> Any:
    """Parse JSON text; any problem is a DataError naming the line."""
    return _Reader(text, name).document()


class _Reader:
    def __init__(self, text: str, name: str):
        self.text, self.name = text, name
        self.line = 1  # the line of the value being scanned (read by the hooks)
        self._counted = (0, 1)  # (position, its line): lines are counted on from there
        self._line_end = (0, -1)  # (position, the first newline at or after it)
        decoder = json.JSONDecoder(object_pairs_hook=self._mapping,
                                   parse_constant=self._constant, parse_float=self._float)
        self.scan = decoder.raw_decode  # the C scanner from a position: (value, end)

    def document(self) -> Any:
        refuse_too_many_items(self.text, self.name)
        self._refuse_lone_surrogates()
        try:
            value, end = self._value(_skip_space(self.text, 0), 0)
        except RecursionError:
            raise self._error(self.line, "nested too deeply to be a briefpack file") from None
        end = _skip_space(self.text, end)
        if end < len(self.text):
            raise self._error(self.line_at(end), "unexpected text after the end of the data")
        return value

    # -- values ------------------------------------------------------------------------

    def _value(self, pos: int, depth: int) -> tuple[Any, int]:
        """The value starting at ``pos`` (no space before it) and the position after it."""
        text = self.text
        first = text[pos:pos + 1]
        self.line = self.line_at(pos)
        if first in ("{", "["):
            if depth >= MAX_DEPTH:
                raise self._error(self.line, "nested too deeply to be a briefpack file")
            whole = self._on_one_line(pos, depth)
            if whole is not None:
                return whole
            return self._object(pos, depth) if first == "{" else self._array(pos, depth)
        try:
            return self.scan(text, pos)
        except json.JSONDecodeError as exc:
            if exc.pos == pos and pos >= len(text):
                raise self._error(self.line, "the text ends where a value should be "
                                  "(cut short?)") from None
            if exc.pos == pos and exc.msg == "Expecting value":
                raise self._error(self.line, f"expected a value, found {first!r} (JSON values "
                                  "are text in double quotes, numbers, true, false, null, "
                                  "[lists] and {mappings})") from None
            raise self._error(self.line_at(exc.pos), _reason(exc)) from None
        except _Refused as exc:
            raise self._error(self.line, str(exc)) from None
        except ValueError:  # an integer of thousands of digits
            raise self._error(self.line, "a number too long to read") from None

    def _on_one_line(self, pos: int, depth: int) -> tuple[Any, int] | None:
        """The container at ``pos`` parsed whole by the C scanner if it ends on the line it
        starts on and has too few brackets to nest too deeply; else None (walk it)."""
        text = self.text
        end_of_line = self._end_of_line(pos)
        blank = _BLANK.match(text, pos + 1)
        if blank is None or blank.end() >= end_of_line:
            return None  # '{' or '[' ends its line: one member per line follows
        try:
            value, end = self.scan(text, pos)
        except (ValueError, _Refused, RecursionError):
            return None  # wrong somewhere: the walk finds the exact line
        if end > end_of_line or text.count("[", pos, end) + text.count("{", pos, end) \
                + depth > MAX_DEPTH:
            return None
        return (self._list(value) if type(value) is list else value), end

    def _object(self, pos: int, depth: int) -> tuple[YMap, int]:
        text = self.text
        result = YMap()
        result.line = self.line_at(pos)
        lines: dict[str, int] = {}
        result.key_lines = lines
        pos = _skip_space(text, pos + 1)
        if text.startswith("}", pos):
            return result, pos + 1
        while True:
            if not text.startswith('"', pos):
                raise self._error(self.line_at(pos), "expected a field name in double quotes")
            line = self.line_at(pos)
            key, pos = self._string(pos)
            if key in lines:
                raise self._error(line, _twice(key, lines[key]))
            pos = _skip_space(text, pos)
            if not text.startswith(":", pos):
                raise self._error(self.line_at(pos), f"expected ':' after {key!r}")
            value, pos = self._value(_skip_space(text, pos + 1), depth + 1)
            result[key], lines[key] = value, line
            pos = _skip_space(text, pos)
            if text.startswith("}", pos):
                return result, pos + 1
            pos = self._comma(pos, "}")

    def _array(self, pos: int, depth: int) -> tuple[YList, int]:
        text = self.text
        result = YList()
        result.line = self.line_at(pos)
        lines: list[int] = []
        result.item_lines = lines
        pos = _skip_space(text, pos + 1)
        if text.startswith("]", pos):
            return result, pos + 1
        while True:
            lines.append(self.line_at(pos))
            value, pos = self._value(pos, depth + 1)
            result.append(value)
            pos = _skip_space(text, pos)
            if text.startswith("]", pos):
                return result, pos + 1
            pos = self._comma(pos, "]")

    def _comma(self, pos: int, closing: str) -> int:
        if not self.text.startswith(",", pos):
            found = self.text[pos:pos + 1]
            raise self._error(self.line_at(pos), f"expected ',' or '{closing}'" + (
                f", found {found!r}" if found else ", but the text ends here (cut short?)"))
        pos = _skip_space(self.text, pos + 1)
        if self.text.startswith(closing, pos):
            raise self._error(self.line_at(pos), f"a ',' before '{closing}' (JSON allows "
                              "no comma after the last item)")
        return pos

    def _string(self, pos: int) -> tuple[str, int]:
        try:
            return self.scan(self.text, pos)
        except json.JSONDecodeError as exc:
            raise self._error(self.line_at(exc.pos), _reason(exc)) from None

    # -- hooks called by the C scanner (a container on one line: every key on self.line) ---

    def _mapping(self, pairs: list[tuple[str, Any]]) -> YMap:
        result = YMap(pairs)
        if len(result) < len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise _Refused(_twice(key, self.line))
                seen.add(key)
        result.line, result.key_lines = self.line, {}
        for key, value in pairs:
            if type(value) is list:
                result[key] = self._list(value)
        return result

    def _list(self, items: list) -> YList:
        result = YList(self._list(v) if type(v) is list else v for v in items)
        result.line, result.item_lines = self.line, []
        return result

    @staticmethod
    def _constant(name: str) -> Any:
        raise _Refused(f"{name} is not a number (JSON has no NaN or Infinity): write the "
                       "number, or leave the field out")

    @staticmethod
    def _float(text: str) -> float:
        number = float(text)
        if not math.isfinite(number):
            raise _Refused(f"{text} is too large to be a number")
        return number

    # -- lines and errors ------------------------------------------------------------------

    def line_at(self, pos: int) -> int:
        """The 1-based line of position ``pos`` (counted on from the last one asked)."""
        done, line = self._counted
        if pos < done:
            done, line = 0, 1
        line += self.text.count("\n", done, pos)
        self._counted = (pos, line)
        return line

    def _end_of_line(self, pos: int) -> int:
        """Where the line holding ``pos`` ends (its newline, or the end of the text)."""
        start, end = self._line_end
        if not start <= pos <= end:
            end = self.text.find("\n", pos)
            end = len(self.text) if end < 0 else end
            self._line_end = (pos, end)
        return end

    def _refuse_lone_surrogates(self) -> None:
        text = self.text
        if "\\u" not in text or not _SURROGATE.search(text):
            return
        paired_low = -1
        for match in _SURROGATE.finditer(text):
            at = match.start()
            backslashes = 0
            while at - backslashes > 0 and text[at - backslashes - 1] == "\\":
                backslashes += 1
            if backslashes % 2 or at == paired_low:
                continue  # a literal backslash before 'u', or the low half of a pair
            if _PAIR.match(text, at):
                paired_low = at + 6
                continue
            raise self._error(self.line_at(at), f"{match.group()} is half of a character "
                              "(a lone UTF-16 surrogate): write the character itself")

    def _error(self, line: int | None, message: str) -> DataError:
        return DataError(Problem(self.name, line, "", f"not valid JSON: {message}"))


def _skip_space(text: str, pos: int) -> int:
    """The position of the first character at or after ``pos`` that is not white space."""
    space = _SPACE.match(text, pos)
    return space.end() if space else pos


def _twice(key: str, line: int | None) -> str:
    return f"the key {key!r} is given twice (also at line {line}): say each thing once"


#: the C scanner's messages, as a person fixing the file needs them
_REASONS = {
    "Invalid control character at": "a control character (a line break, a tab) inside "
    "text in double quotes: write it as \\n or \\t",
    "Unterminated string starting at": "text in double quotes is not closed (cut short?)",
    "Invalid \\escape": "an unknown escape after a backslash (write \\\\ for a backslash)",
    "Invalid \\uXXXX escape": "\\u must be followed by four hexadecimal digits",
}


def _reason(exc: json.JSONDecodeError) -> str:
    return _REASONS.get(exc.msg) or exc.msg.removesuffix(" at").lower()

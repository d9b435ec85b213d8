"""The one place YAML becomes Python objects.

YAML is read with a safe loader that remembers the line of every mapping key and list
item, so validators can name file, line and field. Turning what was read into model
values is ``briefpack.coercion``'s (``build``, ``coerce`` and the rest are re-exported
here for the modules that read files).
"""

from __future__ import annotations

import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .coercion import (  # noqa: F401 - re-exported for the modules that read files
    Context, build, coerce, whole_number)
from . import paths
from .errors import DataError, Problem


class YMap(dict):
    """A YAML mapping that knows the line of itself and of each key (1-based)."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


class YList(list):
    """A YAML sequence that knows the line of itself and of each item (1-based)."""

    line: int | None = None
    item_lines: list

    def line_of(self, index: int) -> int | None:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# libyaml's parser when present (about 5x faster on large packets); same safe constructor
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[valid-type,misc]  # chosen at import time
    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # 4,300 digits and more: Python will not read them
            raise yaml.constructor.ConstructorError(
                None, None, f"a whole number of {len(node.value):,} characters is too long "
                "to read", node.start_mark) from None

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # e.g. 2026-13-01: looks like a date, is not one. Kept as text,
            # so the field it is given for refuses it by name, with the file's other problems
            return node.value

    def construct_mapping(self, node, deep=False):
        # deep=True so nested values are built before we wrap them
        plain = super().construct_mapping(node, deep=True)
        result = YMap(plain)
        result.line = node.start_mark.line + 1
        result.key_lines = {
            self.construct_object(k, deep=True): k.start_mark.line + 1 for k, _ in node.value
        }
        if len(result.key_lines) < len(node.value):
            self._refuse_duplicate_key(node)
        return result

    def _refuse_duplicate_key(self, node):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice (also at line "
                    f"{seen[key]}): say each thing once", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1

    def construct_sequence(self, node, deep=False):
        result = YList(super().construct_sequence(node, deep=True))
        result.line = node.start_mark.line + 1
        result.item_lines = [item.start_mark.line + 1 for item in node.value]
        return result


_LineLoader.add_constructor(
    "tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node)
)
_LineLoader.add_constructor(
    "tag:yaml.org,2002:seq", lambda loader, node: loader.construct_sequence(node)
)
_LineLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_yaml_timestamp(node)
)
_LineLoader.add_constructor(
    "tag:yaml.org,2002:int", lambda loader, node: loader.construct_yaml_int(node)
)


#: The largest input file read (YAML or CSV), in megabytes; ``BRIEFPACK_MAX_INPUT_MB``
#: sets another. A 10,000-record packet is about 3 MB.
DEFAULT_MAX_INPUT_MB = 32

# Where an anchor (&name) or alias (*name) could start; only then are events checked.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]", re.MULTILINE)


def loads(text: str, name: str = "<text>", *, max_items: int | None = None) -> Any:
    """Parse YAML text safely; syntax errors become a DataError naming the line.

    Anchors and aliases are refused before anything is built from them (an alias
    repeats its anchor's content, which is how a small file becomes a "billion laughs"
    bomb), as are duplicate keys and nesting deeper than any briefpack file needs.
    """
    try:
        refuse_too_many_items(text, name, limit=max_items)
        _refuse_anchors(text, name)
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataError(Problem(name, line, "", f"not valid YAML: {exc.problem}")) from None
    except yaml.YAMLError as exc:
        raise DataError(Problem(name, None, "", f"not valid YAML: {exc}")) from None
    except RecursionError:
        raise DataError(Problem(name, None, "", "nested too deeply to be a briefpack file")) \
            from None


def _refuse_anchors(text: str, name: str) -> None:
    """DataError at the first anchor or alias; reads parser events only, which never
    expand an alias (deep nesting meets libyaml's own limit, a named error too)."""
    if ("&" not in text and "*" not in text) or not _MAYBE_ANCHOR.search(text):
        return
    for event in yaml.parse(text, Loader=_SafeBase):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise DataError(Problem(
                name, line, "", "YAML anchors (&name) and aliases "
                "(*name) are not allowed: write each value out in full"))


#: The most items (values, keys, rows, cells) an input may hold, estimated before it is
#: parsed. Memory and time grow with the items, not the bytes: 2 MB of "- a" lines is a
#: million YAML nodes (over 400 MB as Python objects), while a 10,000-record packet holds
#: about 200,000. So every file a little under the size limit fails or is read in bounded
#: memory and time (benchmarks/bench_hostile_inputs.py measures it).
MAX_ITEMS = 250_000
#: The most items of a file people write by hand (a visit, the priorities, a template):
#: the largest shipped one holds about 2,000; validating half a million items of a visit
#: took over 30 s
MAX_FILE_ITEMS = 20_000
_ITEM_SEPARATORS = ("\n", ",", ":", "[", "{", ";", "\t")


def count_items(text: str) -> int:
    """An upper estimate of the items in ``text`` (YAML, JSON or CSV), at C speed: each
    item but the first starts after a line break, a comma, a colon, a bracket or brace,
    a semicolon or a tab (an estimate that is too high only for prose full of commas)."""
    return 1 + sum(text.count(sep) for sep in _ITEM_SEPARATORS)


def refuse_too_many_items(text: str, name: str, *, limit: int | None = None) -> None:
    """DataError if ``text`` may hold more than ``limit`` (default ``MAX_ITEMS``) items."""
    limit = MAX_ITEMS if limit is None else limit
    if len(text) > limit and count_items(text) > limit:  # (one separator per item)
        raise DataError(Problem(
            name, None, "", f"too many items: about {count_items(text):,} values, keys, rows "
            f"or cells, more than the {limit:,} briefpack reads from one such file"
            + (" (a 10,000-record packet holds about 200,000); split it"
               if limit >= MAX_ITEMS else "")))


def max_input_bytes() -> int:
    """The largest input file accepted (``BRIEFPACK_MAX_INPUT_MB``, default 32 MB)."""
    text = os.environ.get("BRIEFPACK_MAX_INPUT_MB", "")
    try:
        megabytes = float(text) if text.strip() else DEFAULT_MAX_INPUT_MB
    except ValueError:
        megabytes = DEFAULT_MAX_INPUT_MB
    if not math.isfinite(megabytes) or megabytes <= 0:
        megabytes = DEFAULT_MAX_INPUT_MB
    return int(megabytes * 1024 * 1024)


def read_text(path: Path | str, *, limit: int | None = None, save_as: str = "") -> str:
    """A UTF-8 input file's text (byte-order mark dropped); DataError naming the file if
    it cannot be read, is not a regular file, is larger than ``limit`` bytes (default
    ``max_input_bytes()``) or is not UTF-8 (``save_as`` says how to fix that)."""
    path = Path(path)
    limit = max_input_bytes() if limit is None else limit
    try:
        paths.check_input(path)  # the store itself, a FIFO, a device: before any open()
    except paths.PathRefused as exc:
        raise DataError(Problem(str(path), None, "", exc.reason)) from None
    try:
        # O_NONBLOCK: a FIFO swapped in after the check cannot hang the open (POSIX only)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0)
                     | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise DataError(Problem(str(path), None, "", "not a regular file"))
            data = handle.read(limit + 1)
    except OSError as exc:
        raise DataError(Problem(str(path), None, "", f"cannot read: {exc.strerror}")) from None
    return _decoded(data, str(path), limit, save_as)


#: the name standard input goes by in messages (``briefpack import -``)
STDIN_NAME = "<standard input>"


def read_stdin(*, limit: int | None = None) -> str:
    """Standard input's text, read as bytes and checked like a file's (UTF-8 whatever the
    console's code page; the same size cap)."""
    import sys

    limit = max_input_bytes() if limit is None else limit
    try:
        data = sys.stdin.buffer.read(limit + 1)
    except (OSError, AttributeError, ValueError) as exc:
        raise DataError(Problem(STDIN_NAME, None, "", f"cannot read: {exc}")) from None
    return _decoded(data, STDIN_NAME, limit, "")


def _decoded(data: bytes, name: str, limit: int, save_as: str) -> str:
    if len(data) > limit:
        raise DataError(Problem(
            name, None, "", f"larger than {limit / 1024 / 1024:g} MB, the most briefpack "
            "reads (set BRIEFPACK_MAX_INPUT_MB to allow more)"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(Problem(
            name, None, "", f"not UTF-8 text (byte {exc.start}){save_as}")) from None


def load(path: Path | str, *, max_items: int | None = None) -> Any:
    """Read and parse one YAML file written by hand (a visit, the priorities, a template:
    at most ``max_items`` items; packets are read with ``loads``)."""
    return loads(read_text(path), str(path),
                 max_items=MAX_FILE_ITEMS if max_items is None else max_items)


def dump(data: Any) -> str:
    """Write plain data as block-style YAML, keys in the order given."""
    return yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=100)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value

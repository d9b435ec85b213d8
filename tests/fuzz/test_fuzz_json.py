"""Generated JSON packets through ``briefpack import``, and generated JSON through the reader:
every outcome is an import or a named error, and every line the reader gives is right."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from briefpack import jsonio
from briefpack.errors import DataError
from briefpack.store.packets import (
    _dump, checksum, format_packet, packet_content, parse_packet)

from .conftest import HOSTILE_TEXT, fuzz_settings, run_cli
from .test_fuzz_imports import _edit, import_checked, import_damaged

LAYOUTS = st.sampled_from(["briefpack", "one line", "indent 1", "indent 4"])


def _write(data, layout: str) -> str:
    """The packet as JSON: briefpack's layout (a record per line) or another program's."""
    if layout == "briefpack" and isinstance(data.get("sections"), dict):
        try:
            return format_packet(data, "json")
        except (ValueError, TypeError):  # a generated value JSON cannot hold (NaN is written)
            pass
    indent = None if layout in ("one line", "briefpack") else int(layout.split()[1])
    return json.dumps(data, indent=indent, default=str, ensure_ascii=False)


@fuzz_settings(20)
@given(data=st.data())
def test_generated_json_packets(fresh_db, data):
    db = fresh_db()
    path = db.parent / "nor.json"
    assert run_cli("--db", db, "export", "NOR", "--out", path).code == 0
    packet = json.loads(path.read_text())
    for _ in range(data.draw(st.integers(1, 3))):
        _edit(packet, data.draw)
    if data.draw(st.booleans()):
        packet["checksum"] = checksum(json.loads(json.dumps(packet, default=str)))
    path.write_text(_write(packet, data.draw(LAYOUTS)), encoding="utf-8")
    import_checked(db, path, packet)


@fuzz_settings(15)
@given(cut=st.integers(0, 10**6), junk=st.text(max_size=30))
def test_damaged_json_packet_text(fresh_db, cut, junk):
    import_damaged(fresh_db(), "nor.json", cut, junk)


KEYS = st.text(max_size=6)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                    st.floats(allow_nan=False, allow_infinity=False))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(KEYS, inner, max_size=4), max_leaves=30)


def _check_lines(value, text_lines: list[str], ascii_only: bool) -> None:
    """Each key's line holds that key; each item's line is at or after its list's line."""
    if isinstance(value, dict):
        for key, item in value.items():
            line = value.line_of(key)
            written = json.dumps(key, ensure_ascii=ascii_only)
            assert written in text_lines[line - 1], (key, line)
            _check_lines(item, text_lines, ascii_only)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            assert value.line <= value.line_of(i) <= len(text_lines)
            _check_lines(item, text_lines, ascii_only)


@fuzz_settings(200)
@given(value=VALUES, indent=st.sampled_from([None, 0, 1, 2, "\t"]),
       ascii_only=st.booleans())
def test_the_reader_reads_what_json_writes_and_keeps_lines(value, indent, ascii_only):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    read = jsonio.loads(text, "v.json")
    assert read == json.loads(text)
    _check_lines(read, text.split("\n"), ascii_only)


@fuzz_settings(200)
@given(text=st.text(alphabet='{}[]":,\n 0123456789.eE+-truefalsn\\u', max_size=60))
def test_any_text_is_read_or_refused_with_a_line(text):
    try:
        jsonio.loads(text, "t.json")
    except DataError as exc:
        problem, = exc.problems
        assert problem.file == "t.json" and 1 <= problem.line <= text.count("\n") + 1
        assert problem.message.startswith("not valid JSON: ")


PLAIN_VALUES = st.one_of(
    HOSTILE_TEXT, st.none(), st.booleans(), st.text(max_size=20), st.integers(-2**70, 2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(st.text(max_size=6), max_size=3))


@fuzz_settings(100)
@given(data=st.data())
def test_json_and_yaml_of_the_same_content_are_judged_alike(sample_store, data):
    """The same generated content written as YAML and as JSON: the same records, or the
    same problems (field and message): one validator behind both forms. (Values only
    one form can hold, YAML's dates, JSON's refusal of NaN, are left out.)"""
    content = packet_content(sample_store, "NOR")
    for _ in range(data.draw(st.integers(1, 3))):
        _edit(content, data.draw, values=PLAIN_VALUES)
    content["checksum"] = checksum(content, trusted=True)
    outcomes = []
    for form in ("json", "yaml"):
        text = (json.dumps(content, default=str, ensure_ascii=False) if form == "json"
                else _dump(content))
        try:
            packet = parse_packet(text, "p", form=form)
        except DataError as exc:
            outcomes.append(sorted((p.field, p.message) for p in exc.problems))
        else:
            outcomes.append({t: [loc.record for loc in locs]
                             for t, locs in packet.records.items()})
    assert outcomes[0] == outcomes[1]

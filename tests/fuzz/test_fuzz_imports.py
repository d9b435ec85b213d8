"""Generated packets and sheets through ``briefpack import`` and ``import-csv``."""

from __future__ import annotations

import csv
import io

import yaml
from hypothesis import given
from hypothesis import strategies as st

from briefpack import model
from briefpack.store.packets import _dump, checksum

from .conftest import (
    HOSTILE_TEXT, HOSTILE_VALUES, MARKING_TEXT, check_outcome, fuzz_settings, integrity,
    run_cli, tables)


def _others(rows: dict[str, list], code: str) -> dict[str, list]:
    """Rows that belong to any country but ``code`` (a record's 'country', a country's
    'code')."""
    return {t: [r for r in rs if code not in r] for t, rs in rows.items()}


def _check_store(db, path, run, before) -> None:
    check_outcome(run, path)
    assert integrity(db) == "ok"
    after = tables(db)
    if run.code != 0:
        assert after == before, "a refused import changed the store"
        return
    assert _others(after, "NOR") == _others(before, "NOR"), "an import touched another country"


def _all_have_ids(packet: dict) -> bool:
    sections = packet.get("sections") or {}
    return all(isinstance(r, dict) and r.get("id") not in (None, "")
               for t in model.TABLES for r in (sections.get(t) or []))


def _edit(data: dict, draw, values=HOSTILE_VALUES) -> None:
    """Set one generated value (of ``values``) somewhere in the packet: a header field, the
    country's record, or a field (existing or new) of one record."""
    sections = data.get("sections")
    where = draw(st.sampled_from(["header", "country", *model.TABLES]))
    value = draw(values)
    if where == "header" or not isinstance(sections, dict):
        data[draw(st.sampled_from([*data, "extra"]))] = value
        return
    if where == "country":
        record = sections.get("country")
    else:
        records = sections.get(where)
        records = records if isinstance(records, list) else []
        if not records or draw(st.booleans()):
            records.append({"name": draw(HOSTILE_TEXT), "marking": draw(MARKING_TEXT)})
            sections[where] = records
        record = records[draw(st.integers(0, len(records) - 1))]
    if not isinstance(record, dict):
        sections[where] = value
        return
    key = draw(st.sampled_from([*record, "id", "marking", "year", "jobs", "signed", "bogus"]))
    record[key] = draw(MARKING_TEXT) if key == "marking" else value


@fuzz_settings(20)
@given(data=st.data())
def test_generated_packets(fresh_db, data):
    db = fresh_db()
    path = db.parent / "nor.yaml"
    assert run_cli("--db", db, "export", "NOR", "--out", path).code == 0
    packet = yaml.safe_load(path.read_text())
    for _ in range(data.draw(st.integers(1, 3))):
        _edit(packet, data.draw)
    if data.draw(st.booleans()):
        packet["checksum"] = checksum(packet)
    path.write_text(_dump(packet))
    import_checked(db, path, packet)


def import_checked(db, path, packet: dict) -> None:
    """Import the generated ``packet`` written at ``path``: imported or refused (store
    unchanged); once imported, the same packet again changes nothing."""
    before = tables(db)
    run = run_cli("--db", db, "import", path, "--prefer", "theirs")
    _check_store(db, path, run, before)
    if run.code == 0 and _all_have_ids(packet):  # a record without an id is new each time
        again = run_cli("--db", db, "import", path, "--dry-run", "--force")
        assert "no changes: the store already holds this data" in again.out, again.out


@fuzz_settings(15)
@given(cut=st.integers(0, 10**6), junk=st.text(max_size=30))
def test_damaged_packet_text(fresh_db, cut, junk):
    import_damaged(fresh_db(), "nor.yaml", cut, junk)


def import_damaged(db, name: str, cut: int, junk: str) -> None:
    """Export Norway to ``name``, overwrite some of it with ``junk``, import it."""
    path = db.parent / name
    assert run_cli("--db", db, "export", "NOR", "--out", path).code == 0
    text = path.read_text()
    at = cut % len(text)
    path.write_text(text[:at] + junk + text[at + len(junk):], encoding="utf-8")
    before = tables(db)
    _check_store(db, path, run_cli("--db", db, "import", path, "--prefer", "theirs"), before)


COLUMNS = ["id", "name", "course", "institution", "year", "appointment", "senior",
           "review_date", "marking", "country", "source", "bogus", "=cmd", ""]
CELLS = st.one_of(HOSTILE_TEXT, MARKING_TEXT, st.text(max_size=20),
                  st.integers(-5, 3000).map(str), st.sampled_from(["NOR", "Norway", "FRA", "1"]))


@fuzz_settings(20)
@given(data=st.data())
def test_generated_sheets(fresh_db, data):
    db = fresh_db()
    path = db.parent / "alumni.csv"
    header = data.draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6, unique=True))
    if data.draw(st.booleans()) and "name" not in header:
        header.append("name")
    rows = data.draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header) + 1),
                              max_size=5))
    delimiter = data.draw(st.sampled_from([",", ";", "\t"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if data.draw(st.booleans()):  # a stray or unterminated quote somewhere
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + '"' + text[at:]
    path.write_text(text, encoding="utf-8")
    before = tables(db)
    run = run_cli("--db", db, "import-csv", "alumni", path, "--country", "NOR",
                  "--prefer", "theirs")
    _check_store(db, path, run, before)
    if run.code == 0:
        again = run_cli("--db", db, "import-csv", "alumni", path, "--country", "NOR",
                        "--dry-run")
        assert "no changes: the store already holds this data" in again.out, again.out

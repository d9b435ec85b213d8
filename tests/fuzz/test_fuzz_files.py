"""Generated visit files, priorities files and markings through the CLI; and no sentinel
record above the ceiling in any brief."""

from __future__ import annotations

import re
import zipfile

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from briefpack import marking, model, paths
from briefpack.store import Store
from briefpack.store.packets import _dump

from .conftest import (
    HOSTILE_VALUES, MARKING_TEXT, check_outcome, fuzz_settings, integrity, run_cli, tables)

VISIT = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"
PRIORITIES = paths.data_dir() / "priorities.yaml"


def _paths(node, prefix=()):
    """Every (path, value) in nested YAML data, containers included."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _mutated(data, draw, edits: int):
    for _ in range(edits):
        places = [p for p, _ in _paths(data) if p]
        place = draw(st.sampled_from(places))
        parent = data
        for step in place[:-1]:
            parent = parent[step]
        value = draw(st.one_of(HOSTILE_VALUES, MARKING_TEXT))
        if isinstance(parent, dict) and draw(st.booleans()):
            parent[draw(st.sampled_from(["marking", "ceiling", "weight", "start", "bogus"]))] \
                = value
        else:
            parent[place[-1]] = value
    return data


def _mutated_copy(source, folder, draw):
    """``source`` (YAML) with one to three generated edits, written into ``folder``."""
    path = folder / source.name
    data = yaml.safe_load(source.read_text())
    path.write_text(_dump(_mutated(data, draw, draw(st.integers(1, 3)))))
    return path


@fuzz_settings(12)
@given(data=st.data())
def test_generated_priorities_files(fresh_db, data):
    db = fresh_db()
    path = _mutated_copy(PRIORITIES, db.parent, data.draw)
    run = run_cli("--db", db, "--priorities", path, "rank", "--top", "3")
    check_outcome(run, path)


@fuzz_settings(30)
@given(text=MARKING_TEXT)
def test_generated_markings(fresh_db, text):
    db = fresh_db()
    before = tables(db)
    run = run_cli("--db", db, "mark", "agreements", "1", text)
    check_outcome(run)
    assert integrity(db) == "ok"
    if run.code != 0:
        assert tables(db) == before
        return
    store = Store.open(db)
    stored = store.get("agreements", 1).marking
    store.close()
    assert marking.normalise(stored) == stored
    squashed = re.sub(r"[^A-Z]", "", stored.translate(str.maketrans("0134578$", "OIEASTBS")))
    assert "SECRET" not in squashed and "COSMIC" not in squashed, stored


SENTINEL = "ZQXSENTINEL"
SENSITIVE = st.sampled_from([
    "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE - COMMERCIAL", "OFFICIAL-SENSITIVE - LOCSEN",
    "OFFICIAL-SENSITIVE - RECIPIENTS ONLY - MOD USE ONLY", "official sensitive"])


def _plant_sentinels(db, draw) -> None:
    """Records above OFFICIAL, each carrying the sentinel, in every table of Norway."""
    store = Store.open(db)
    level = draw(SENSITIVE)
    store.save(model.Agreement(country="NOR", name=f"{SENTINEL} treaty", marking=level,
                               commits=f"{SENTINEL} commitment", strategic=True))
    store.save(model.Alumnus(country="NOR", name=f"{SENTINEL} Person", senior=True,
                             course="ACSC", year=2020, marking=draw(SENSITIVE)))
    store.save(model.ExportOpportunity(country="NOR", programme=f"{SENTINEL} programme",
                                       value_gbp=1e9, marking=draw(SENSITIVE)))
    store.save(model.Interlocutor(country="NOR", name=f"{SENTINEL} Minister", role="Minister",
                                  marking=draw(SENSITIVE)))
    if draw(st.booleans()):  # the country's own record too
        country = store.country("NOR")
        store.save(model.Country(**{**country.__dict__, "marking": draw(SENSITIVE),
                                    "summary": f"{SENTINEL} summary line"}))
    store.close()


@pytest.mark.slow
@fuzz_settings(3)
@given(data=st.data())
def test_no_sentinel_above_the_ceiling_reaches_a_brief(fresh_db, data):
    pypdf = pytest.importorskip("pypdf")
    db = fresh_db()
    _plant_sentinels(db, data.draw)
    path = db.parent / "visit.yaml"
    visit = yaml.safe_load(VISIT.read_text())
    if data.draw(st.booleans()):
        visit = _mutated(visit, data.draw, 1)
    path.write_text(_dump(visit))
    out = db.parent / "out"
    args = ["--db", db, "build", path, "--out", out, "--ceiling", "OFFICIAL"]
    if data.draw(st.booleans()):
        args.append("--sensitive-annex")
    run = run_cli(*args)
    check_outcome(run, path)
    assert integrity(db) == "ok"
    if run.code != 0:
        return
    for pdf in out.glob("*.pdf"):
        reader = pypdf.PdfReader(pdf)
        text = "".join(page.extract_text() for page in reader.pages)
        text += repr(reader.metadata) + repr(reader.outline)
        assert SENTINEL not in text.replace("\n", ""), pdf
    for docx in out.glob("*.docx"):
        with zipfile.ZipFile(docx) as package:
            for name in package.namelist():
                assert SENTINEL.encode() not in package.read(name), (docx, name)


@fuzz_settings(6)
@given(data=st.data())
def test_generated_visit_files(fresh_db, data):
    db = fresh_db()
    path = _mutated_copy(VISIT, db.parent, data.draw)
    before = tables(db)
    run = run_cli("--db", db, "build", path, "--format", "docx", "--out", db.parent / "out")
    check_outcome(run, path)
    assert integrity(db) == "ok" and tables(db) == before


def test_the_sentinel_check_finds_what_the_ceiling_allows(fresh_db):
    """The check above is not vacuous: at OFFICIAL-SENSITIVE the sentinel is printed."""
    db = fresh_db()
    _plant_sentinels(db, lambda strategy: "OFFICIAL-SENSITIVE"
                     if strategy is SENSITIVE else False)
    out = db.parent / "out"
    run = run_cli("--db", db, "build", VISIT, "--out", out, "--format", "docx")
    assert run.code == 0, run.err
    docx, = out.glob("*.docx")
    with zipfile.ZipFile(docx) as package:
        assert SENTINEL.encode() in package.read("word/document.xml")

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
    pytest.importorskip("pypdf")
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
    _assert_nowhere(out, SENTINEL)


def _assert_nowhere(out, sentinel: str) -> None:
    """``sentinel`` in no output of ``out``: not in a PDF's text, properties or bookmarks,
    nor in any XML part of a .docx (body, headers, footers, docProps, bookmarks …)."""
    pypdf = pytest.importorskip("pypdf")
    outputs = list(out.glob("*.pdf")) + list(out.glob("*.docx"))
    assert outputs, f"nothing built in {out}"
    for pdf in out.glob("*.pdf"):
        reader = pypdf.PdfReader(pdf)
        text = "".join(page.extract_text() for page in reader.pages)
        text += repr(reader.metadata) + repr(reader.outline)
        assert sentinel.upper() not in text.replace("\n", "").upper(), pdf
    for docx in out.glob("*.docx"):
        with zipfile.ZipFile(docx) as package:
            for name in package.namelist():
                assert sentinel.upper().encode() not in package.read(name).upper(), (docx, name)


TOUR = paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml"
#: visit-file keys whose values are not the visit's words (dates, codes, choices)
NOT_WORDS = {"day", "time", "start", "end", "country", "countries", "template", "ceiling",
             "marking", "tags", "press", "difficult", "final", "version", "interlocutor"}


def _with_sentinels(node, key=None, tag=SENTINEL):
    """Every word of a visit file carrying the sentinel (dates, codes and choices kept);
    the words of an item placed in a country (or a country's section) carry the
    country's too: ZQXSENTINELNOR."""
    if isinstance(node, dict):
        if isinstance(node.get("country"), str):
            tag = f"{SENTINEL}{node['country'][:3].upper()}"
        return {k: _with_sentinels(v, k, tag) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_sentinels(v, key, tag) for v in node]
    if isinstance(node, str) and key not in NOT_WORDS:
        return f"{tag} {node}"
    return node


COUNTRY_TAGS = [f"{SENTINEL}{code}" for code in ("NOR", "DEN", "LAT")]


def _sentinel_tour(folder, draw, level: str) -> object:
    """The tour with the sentinel in every visit field: every section kind's words, the
    title, principal and owning team, a UK team member, logistics and contacts placed in
    each country and for the whole visit; the visit at ``level``, each country's section
    above OFFICIAL."""
    visit = yaml.safe_load(TOUR.read_text())
    visit["marking"] = level
    for section in visit["per_country"]:
        section["marking"] = draw(SENSITIVE)
        section.setdefault("points_to_make", []).append("point")
    for where in ("Norway", "Denmark", "Latvia", None):
        placed = {"country": where} if where else {}
        visit.setdefault("team", []).append({"role": "role", "name": "Name", **placed})
        visit.setdefault("logistics", []).append({"detail": "move", **placed})
        visit.setdefault("contacts", []).append(
            {"role": "duty", "name": "Contact", "phone": "+44 1", "email": "x@example.org",
             "organisation": "org", **placed})
    path = folder / "tour.yaml"
    path.write_text(_dump(_with_sentinels(visit)))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("level", ["OFFICIAL", "OFFICIAL-SENSITIVE"])
@fuzz_settings(2)
@given(data=st.data())
def test_no_sentinel_above_the_ceiling_reaches_a_pack(fresh_db, level, data):
    """A pack at OFFICIAL: nothing of the records above it, of the visit's words above it
    (the whole visit's, or each country's section's, in every section kind and every
    steering table) nor of the visit's title and principal reaches any page, table,
    header, property or bookmark of either output."""
    db = fresh_db()
    _plant_sentinels(db, data.draw)
    path = _sentinel_tour(db.parent, data.draw, level)
    out = db.parent / "out"
    args = ["--db", db, "pack", path, "--out", out, "--ceiling", "OFFICIAL"]
    if data.draw(st.booleans()):
        args.append("--sensitive-annex")
    if data.draw(st.booleans()):
        args.append("--large-print")
    run = run_cli(*args)
    assert run.code == 0, run.err
    if level == "OFFICIAL-SENSITIVE":
        _assert_nowhere(out, SENTINEL)
        return
    # the tour-wide words are OFFICIAL and print; each country's are held
    for tag in COUNTRY_TAGS:
        _assert_nowhere(out, tag)
    with zipfile.ZipFile(next(out.glob("*.docx"))) as package:
        assert f"{SENTINEL} Name".encode() in package.read("word/document.xml")


def test_a_pack_at_the_visits_ceiling_prints_the_sentinels(fresh_db):
    """The pack check above is not vacuous: at the visit's ceiling the words print."""
    db = fresh_db()
    path = _sentinel_tour(db.parent, lambda strategy: "OFFICIAL-SENSITIVE",
                          "OFFICIAL-SENSITIVE")
    out = db.parent / "out"
    assert run_cli("--db", db, "pack", path, "--out", out, "--format", "docx").code == 0
    with zipfile.ZipFile(next(out.glob("*.docx"))) as package:
        document = package.read("word/document.xml")
        assert all(tag.encode() in document for tag in COUNTRY_TAGS)
        assert SENTINEL.encode() in package.read("docProps/core.xml")


def _plant_personal(db) -> None:
    """OFFICIAL personal data carrying the sentinel in every table that holds any."""
    store = Store.open(db)
    store.save(model.Alumnus(country="NOR", name=f"{SENTINEL} Alum", senior=True,
                             course="ACSC", year=2020))
    store.save(model.Interlocutor(country="NOR", name=f"{SENTINEL} Minister", role="Minister",
                                  biography=f"{SENTINEL} biography",
                                  pronunciation=f"{SENTINEL}", languages=f"{SENTINEL}"))
    store.save(model.Action(country="NOR", action="Send the paper", owner=f"{SENTINEL} Owner"))
    store.save(model.ExportOpportunity(country="NOR", programme="Radars",
                                       lead=f"{SENTINEL} Lead"))
    store.save(model.Agreement(country="NOR", name="Personal pact", strategic=True,
                               commits=f"{SENTINEL} commitment",
                               marking="OFFICIAL - PERSONAL DATA"))
    store.close()


def _personal_tour(folder) -> object:
    """The tour with personal data (names, phones, emails) in the team and contacts."""
    visit = yaml.safe_load(TOUR.read_text())
    for where in ("Norway", None):
        placed = {"country": where} if where else {}
        visit.setdefault("team", []).append({"role": "Adviser", "name": f"{SENTINEL} Name",
                                             **placed})
        visit.setdefault("contacts", []).append(
            {"role": "Duty officer", "name": f"{SENTINEL} Contact",
             "phone": f"+44 {SENTINEL}", "email": f"{SENTINEL}@example.org", **placed})
    path = folder / "tour.yaml"
    path.write_text(_dump(visit))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("command", ["pack", "build"])
def test_no_personal_sentinel_reaches_a_redacted_output(fresh_db, command):
    db = fresh_db()
    _plant_personal(db)
    path = _personal_tour(db.parent)
    out = db.parent / "out"
    run = run_cli("--db", db, command, path, "--out", out, "--redact", "personal")
    assert run.code == 0, run.err
    _assert_nowhere(out, SENTINEL)
    plain = db.parent / "plain"
    assert run_cli("--db", db, command, path, "--out", plain, "--format", "docx").code == 0
    found = b""
    for docx in plain.glob("*.docx"):
        with zipfile.ZipFile(docx) as package:
            found += package.read("word/document.xml")
    for planted in ("Name", "Contact", "Owner", "Alum"):
        assert f"{SENTINEL} {planted}".encode() in found, planted


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

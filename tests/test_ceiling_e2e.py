"""End to end: nothing above the ceiling reaches any byte of either output, and every page
carries the overall marking.

Sentinel strings are planted in OFFICIAL-SENSITIVE records; the built files are searched
everywhere a reader or a tool could find them: each PDF page's text, the outline, the
metadata and every object and decompressed stream; every part of the .docx package.
The other security tests (sensitive annex, redaction) share these helpers.
"""

from __future__ import annotations

import datetime as dt
import logging
import zipfile
from pathlib import Path

import pytest

from briefpack import cli, model
from briefpack.pipeline import BuildOptions, build, run
from briefpack.store import Store

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("briefpack.render.docx")
pytest.importorskip("briefpack.render.pdf")

ABOVE = "SENTINEL-ABOVE-CEILING-7f3a"
SENSITIVE = "OFFICIAL-SENSITIVE"
TODAY = dt.date(2026, 11, 20)


def plant_sensitive_records(store: Store) -> dict[str, str]:
    """One OFFICIAL-SENSITIVE record of each kind, every text field a sentinel.

    Returns table -> the sentinel its record carries.
    """
    sentinels = {t: f"{ABOVE}-{t}" for t in ("agreement", "commits", "export", "alumnus",
                                              "appointment", "person", "biography",
                                              "engagement", "source")}
    alumnus = store.save(model.Alumnus(
        country="NOR", name=sentinels["alumnus"], course="Advanced Command and Staff Course",
        appointment=sentinels["appointment"], senior=True,
        marking=f"{SENSITIVE} - PERSONAL DATA"))
    store.save(model.Agreement(
        country="NOR", name=sentinels["agreement"], commits=sentinels["commits"],
        status="active", strategic=True, value_gbp=5e9, jobs=900, marking=SENSITIVE,
        source=sentinels["source"]))
    store.save(model.ExportOpportunity(country="NOR", programme=sentinels["export"],
                                       company="Sentinel Systems", value_gbp=1e9,
                                       stage="bid", marking=SENSITIVE))
    store.save(model.Interlocutor(
        country="NOR", name=sentinels["person"], role="Sentinel adviser",
        biography=sentinels["biography"], alumnus_id=alumnus.id,
        last_met=dt.date(2026, 2, 1), marking=f"{SENSITIVE} - PERSONAL DATA"))
    store.save(model.Engagement(country="NOR", title=sentinels["engagement"],
                                date=dt.date(2026, 3, 1), level="ministerial",
                                marking=SENSITIVE))
    return sentinels


# -- searching the outputs -------------------------------------------------------------------

def pdf_places(path: Path, needle: str) -> list[str]:
    """Everywhere ``needle`` occurs in a PDF: page text, outline, metadata, any object."""
    reader = pypdf.PdfReader(str(path))
    # sentinels hold no spaces: squeezing whitespace out finds one wrapped across lines
    found = [f"page {n} text" for n, page in enumerate(reader.pages, 1)
             if needle in "".join((page.extract_text() or "").split())]
    found += ["outline" for title in _outline_titles(reader.outline) if needle in title]
    found += [f"metadata {key}" for key, value in (reader.metadata or {}).items()
              if needle in str(value)]
    found += [f"object {num}" for num, raw in _pdf_objects(reader) if needle.encode() in raw]
    return found


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += _outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def _pdf_objects(reader) -> list[tuple[int, bytes]]:
    """Every indirect object as bytes: streams decompressed, the rest as written."""
    objects = []
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # pypdf logs each free slot it is asked for
    try:
        for num in range(1, int(reader.trailer["/Size"])):
            obj = reader.get_object(pypdf.generic.IndirectObject(num, 0, reader))
            if obj is None:
                continue
            raw = obj.get_data() if hasattr(obj, "get_data") else repr(obj).encode()
            objects.append((num, raw))
    finally:
        logging.disable(previous)
    return objects


def docx_places(path: Path, needle: str) -> list[str]:
    """Every part of a .docx package (document, headers, footers, properties …) holding
    ``needle``."""
    with zipfile.ZipFile(path) as package:
        return [name for name in package.namelist() if needle.encode() in package.read(name)]


def places(paths, needle: str) -> list[str]:
    found = []
    for path in map(Path, paths):
        search = docx_places if path.suffix == ".docx" else pdf_places
        found += [f"{path.name}: {where}" for where in search(path, needle)]
    return found


def pdf_page_lines(path: Path) -> list[list[str]]:
    return [[line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
            for page in pypdf.PdfReader(str(path)).pages]


def assert_marked_everywhere(paths, marking: str) -> None:
    """The marking is the first and last line of every PDF page and in every header and
    footer part of the .docx."""
    for path in map(Path, paths):
        if path.suffix == ".pdf":
            for number, lines in enumerate(pdf_page_lines(path), 1):
                assert lines[0] == marking and lines[-1] == marking, f"page {number}: {lines}"
        else:
            with zipfile.ZipFile(path) as package:
                parts = [n for n in package.namelist()
                         if n.startswith(("word/header", "word/footer"))]
                assert parts
                for name in parts:
                    assert marking.encode() in package.read(name), name
            _assert_every_section_has_headers(path)


def _assert_every_section_has_headers(path: Path) -> None:
    docx = pytest.importorskip("docx")
    for section in docx.Document(str(path)).sections:
        for part in (section.header, section.footer):
            assert not part.is_linked_to_previous
            assert any(p.text.strip() for p in part.paragraphs)


# -- fixtures ----------------------------------------------------------------------------

@pytest.fixture
def planted(sample_store, tmp_path):
    """A store file holding the sample data and the sentinel records."""
    sentinels = plant_sensitive_records(sample_store)
    return sample_store.backup_to(tmp_path / "store.db"), sentinels


def build_files(db, out, *args) -> list[Path]:
    assert cli.main(["--db", str(db), "build", "NOR", "--out", str(out), *args]) == 0
    return sorted(p for p in Path(out).iterdir() if not p.name.startswith("."))


# -- tests -------------------------------------------------------------------------------

def test_nothing_above_the_ceiling_reaches_either_file(planted, tmp_path, capsys):
    db, sentinels = planted
    files = build_files(db, tmp_path / "out", "--ceiling", "OFFICIAL")
    assert [p.suffix for p in files] == [".docx", ".pdf"]
    assert places(files, ABOVE) == []
    assert_marked_everywhere(files, "OFFICIAL")


def test_the_search_finds_what_is_there(planted, tmp_path, capsys):
    """The same build without a ceiling: the search must find every sentinel, in both
    files, or its silence above means nothing."""
    db, sentinels = planted
    files = build_files(db, tmp_path / "out")
    in_objects = 0
    for sentinel in sentinels.values():
        found = places(files, sentinel)
        assert any(f.endswith("word/document.xml") for f in found), sentinel
        assert any(" text" in f for f in found), sentinel
        # a sentinel wrapped over two lines is two strings in the content stream
        in_objects += any("object" in f for f in found)
    assert in_objects >= len(sentinels) // 2
    marking = "OFFICIAL-SENSITIVE - PERSONAL DATA"
    assert_marked_everywhere(files, marking)


def test_withheld_items_are_counted_by_section_never_named(planted):
    db, _ = planted
    store = Store.open(db)
    try:
        result = run(build(store, BuildOptions(formats=["pdf"], out_dir=db.parent / "o",
                                               ceiling="OFFICIAL", today=TODAY), country="NOR"))
    finally:
        store.close()
    brief = result.briefs[0]
    # the interlocutor is withheld from two sections and counted once in the total
    assert brief.facts.withheld == {
        "Who's who": 1, "Relationship summary": 2, "Active agreements": 1,
        "Alumni of UK military education": 1,
        "Export and capability-collaboration opportunities": 1}
    text = " ".join(brief.text().split())
    assert "5 items were left out of this brief because they are marked above OFFICIAL" \
        in text
    assert ABOVE not in text and brief.marking == "OFFICIAL"


def test_sources_annex_counts_only_released_records(planted, sample_store):
    db, _ = planted
    store = Store.open(db)
    try:
        brief = run(build(store, BuildOptions(formats=["docx"], out_dir=db.parent / "o",
                                              ceiling="OFFICIAL", today=TODAY),
                          country="NOR")).briefs[0]
        released = len([a for a in store.country_file("NOR").agreements
                        if a.marking == "OFFICIAL" and a.status == "active"])
    finally:
        store.close()
    from briefpack.brief.document import Table

    sources = [b for b in brief.blocks if isinstance(b, Table) and b.columns[0].title == "Data"]
    counts = {row[0]: row[1] for row in sources[-1].rows}
    assert counts["Agreements"] == str(released)
    assert counts["Alumni of UK military education"] == "0"


def test_the_visit_ceiling_applies_without_the_option(planted, tmp_path, capsys):
    from briefpack import paths
    from briefpack.visits import load_visit

    db, _ = planted
    store = Store.open(db)
    try:
        visit = load_visit(paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml",
                           store)
        visit = model.Visit(**{**visit.__dict__, "ceiling": "OFFICIAL"})
        result = run(build(store, BuildOptions(out_dir=tmp_path / "v", today=TODAY), visit=visit))
    finally:
        store.close()
    assert places(result.outputs, ABOVE) == []
    assert_marked_everywhere(result.outputs, result.briefs[0].marking)

"""Printed packs (issue 5): composition, and the .pdf and .docx a principal is handed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from briefpack import cli, marking, paths, pipeline
from briefpack.brief.document import (Contents, Divider, Heading, KeyValue, PageBreak,
                                      PartStart, Table)
from briefpack.brief.pack import LARGE_PRINT_PT, Destination, PackJob, compose_pack, pack_marking
from briefpack.pipeline import BuildError, BuildOptions, build_pack, run
from briefpack.scoring import whole
from briefpack.store import Store
from briefpack.visits import load_visit

docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")
from docx.enum.section import WD_SECTION  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

TOUR = paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml"
TODAY = dt.date(2026, 11, 20)
CODES = ("NOR", "DNK", "LVA")
NAMES = ("Norway", "Denmark", "Latvia")
BLANK = "This page is intentionally left blank"
CONTENTS_ENTRY = re.compile(r"^\s*(\S.*?)\s+(?:\.\s*)+(\d+)\s*$")
LO_CONTENTS_ENTRY = re.compile(r"^\s*(\S.*?)\s*\.{2,}[\s.]*(\d+)\s*$")
HEADERS_FOOTERS = ("header", "first_page_header", "even_page_header",
                   "footer", "first_page_footer", "even_page_footer")
V_NS = "urn:schemas-microsoft-com:vml"
FURNITURE = re.compile(r"Page \d+ of|\d+|DRAFT|[A-Z]{3}-\d+")


# -- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    store = Store.memory(seed=True)
    path = store.backup_to(tmp_path_factory.mktemp("store") / "store.db")
    store.close()
    return path


@pytest.fixture(scope="module")
def tour(db):
    store = Store.open(db, create=False)
    try:
        return load_visit(TOUR, store)
    finally:
        store.close()


def make_pack(db, visit, out: Path, workers: int | None = None,
              **options) -> pipeline.BuildResult:
    options = BuildOptions(out_dir=out, today=TODAY, author="test.user", **options)
    return run(build_pack(db, options, visit=visit, workers=workers))


@pytest.fixture(scope="module")
def built(db, tour, tmp_path_factory):
    return make_pack(db, tour, tmp_path_factory.mktemp("pack"), copy=4)


@pytest.fixture(scope="module")
def pdf(built):
    return PdfPages(next(p for p in built.outputs if p.suffix == ".pdf"))


@pytest.fixture(scope="module")
def word(built):
    return docx.Document(next(p for p in built.outputs if p.suffix == ".docx"))


@pytest.fixture(scope="module")
def pack(built):
    return built.briefs[0]


class PdfPages:
    """A PDF read back page by page, as a reader (or a checker) would."""

    def __init__(self, path: Path):
        self.reader = pypdf.PdfReader(path)
        self.texts = [page.extract_text() for page in self.reader.pages]
        self.labels = self.reader.page_labels

    def __len__(self) -> int:
        return len(self.texts)

    def lines(self, index: int) -> list[str]:
        return [line.strip() for line in self.texts[index].splitlines() if line.strip()]

    def body_lines(self, index: int) -> list[str]:
        """The page's lines without its furniture (markings, watermark, page line, label)."""
        return [line for line in self.lines(index)[1:-1] if not FURNITURE.fullmatch(line)]

    def first_page_of(self, label: str) -> int:
        return self.labels.index(label)

    def outline(self) -> list[tuple[int, str, int]]:
        """(depth, title, 0-based page) of every bookmark, in order."""
        found = []

        def walk(items, depth):
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    found.append((depth, item.title,
                                  self.reader.get_destination_page_number(item)))

        walk(self.reader.outline, 0)
        return found


def destinations(db, tour) -> list[Destination]:
    store = Store.open(db, create=False)
    try:
        template = pipeline.load_template(tour.template)
        priorities = pipeline.load_priorities()
        options = BuildOptions(today=TODAY)
        return [pipeline._destination(store, code, tour, template, priorities, options)
                for code in tour.countries]
    finally:
        store.close()


# -- composition (pure) ----------------------------------------------------------------------

def test_pack_runs_cover_steering_contents_then_brief_per_country(db, tour):
    pack = compose_pack(PackJob(tour, destinations(db, tour), today=TODAY))
    blocks = pack.blocks
    assert isinstance(blocks[0], Divider) and blocks[0].subtitle == "Briefing pack"
    assert blocks[2] == Heading("Steering brief for the whole visit", 1, "pack-steering")
    contents = [i for i, b in enumerate(blocks) if isinstance(b, Contents)]
    starts = [i for i, b in enumerate(blocks) if isinstance(b, PartStart)]
    assert len(contents) == 1, "a country's own contents list is left out of the pack"
    assert [(blocks[i].label, blocks[i].title) for i in starts] == list(zip(CODES, NAMES))
    for i, name in zip(starts, NAMES):
        assert blocks[i - 1] == PageBreak(parity="odd")
        # no divider or front sheet repeating the cover: the country's summary comes first
        assert blocks[i + 1] == Heading(f"{name}: Summary", 1, f"{blocks[i].label}-summary")
        assert not any(isinstance(b, Divider) for b in blocks[1:])
    assert contents[0] < starts[0]


def test_cover_names_visit_principal_dates_marking_and_copy(db, tour):
    pack = compose_pack(PackJob(tour, destinations(db, tour), copy=7, today=TODAY))
    cover = pack.blocks[0]
    assert cover.title == tour.title
    pairs = dict(cover.pairs)
    assert pairs["Principal"] == "Minister for the Armed Forces"
    assert pairs["Dates"] == "7–9 December 2026"
    assert pairs["Destinations"] == "Norway, Denmark and Latvia"
    assert pairs["Protective marking"] == pack.marking
    assert pairs["Copy number"] == "7"


def test_steering_brief_compares_the_destinations_scorecards(db, tour):
    found = destinations(db, tour)
    plain = compose_pack(PackJob(tour, found, today=TODAY))
    assert "Scorecard comparison" not in plain.text()  # only in the analyst's annex
    pack = compose_pack(PackJob(tour, found, today=TODAY, score_annex=True))
    tables = [b for b in pack.blocks[:pack.blocks.index(Contents(title="Contents"))]
              if isinstance(b, Table)]
    comparison = tables[-1]
    assert [c.title for c in comparison.columns] == (
        ["Destination"] + [o.short for o in found[0].scorecard.objectives] + ["Overall"])
    for row, destination in zip(comparison.rows, found, strict=True):
        card = destination.scorecard
        assert row[0] == card.country_name
        def shown(value, band, coverage):  # coverage beside every score
            measured = f"{whole(100 * coverage)}%"
            return f"{band}, {measured}" if band == "Insufficient data" \
                else f"{whole(value)} {band}, {measured}"

        assert row[-1] == shown(card.overall, card.band, card.coverage)
        assert row[1:-1] == tuple(shown(o.score, o.band, o.coverage) for o in card.objectives)
    itinerary = [t for t in tables if t.caption]
    assert [t.caption for t in itinerary] == ["Monday 7 December: Norway",
                                              "Tuesday 8 December: Denmark",
                                              "Wednesday 9 December: Latvia"]
    assert sum(len(t.rows) for t in itinerary) == len(tour.programme)


def test_pack_marking_combines_the_briefs_markings(db, tour):
    found = destinations(db, tour)
    markings = ("OFFICIAL - PERSONAL DATA", "OFFICIAL-SENSITIVE - COMMERCIAL", "OFFICIAL")
    found = [dataclasses.replace(d, brief=dataclasses.replace(d.brief, marking=m))
             for d, m in zip(found, markings)]
    expected = "OFFICIAL-SENSITIVE - PERSONAL DATA - COMMERCIAL"
    assert pack_marking([d.brief for d in found]) == expected
    assert str(marking.combine(*markings)) == expected
    pack = compose_pack(PackJob(tour, found, today=TODAY))
    assert pack.marking == expected
    details = [dict(b.pairs) for b in pack.blocks if isinstance(b, KeyValue)
               and "Protective marking" in dict(b.pairs)]
    assert [d["Protective marking"] for d in details] == list(markings)


def test_draft_until_final_and_large_print(db, tour):
    found = destinations(db, tour)
    assert compose_pack(PackJob(tour, found, today=TODAY)).watermark == "DRAFT"
    final = dataclasses.replace(tour, final=True)
    assert compose_pack(PackJob(final, found, today=TODAY)).watermark == ""
    assert compose_pack(PackJob(tour, found, today=TODAY)).base_font_size == 12
    assert compose_pack(PackJob(tour, found, large_print=True, today=TODAY)).base_font_size >= 14


def test_a_pack_needs_a_destination_and_a_real_copy_number(db, tour):
    with pytest.raises(ValueError, match="at least one destination"):
        compose_pack(PackJob(tour, [], today=TODAY))
    with pytest.raises(ValueError, match="numbered from 1"):
        compose_pack(PackJob(tour, destinations(db, tour), copy=0, today=TODAY))


# -- the PDF ---------------------------------------------------------------------------------

def test_every_country_starts_on_a_right_hand_page(pdf):
    for code in CODES:
        first = pdf.first_page_of(f"{code}-1")
        assert (first + 1) % 2 == 1, f"{code} starts on page {first + 1}"
        name = NAMES[CODES.index(code)]
        assert pdf.body_lines(first)[0] == f"{name}: Summary", "the country's summary opens it"


def test_padding_pages_are_even_say_so_and_carry_the_marking(pdf, pack):
    blanks = [i for i in range(len(pdf)) if BLANK in pdf.texts[i]]
    assert blanks, "the tour needs padding pages"
    for i in blanks:
        assert (i + 1) % 2 == 0
        lines = pdf.lines(i)
        assert lines[0] == lines[-1] == pack.marking
        assert pdf.body_lines(i) == [BLANK]


def test_no_duplex_has_no_padding(db, tour, tmp_path, pdf):
    result = make_pack(db, tour, tmp_path, formats=["pdf"], duplex=False)
    simplex = PdfPages(result.outputs[0])
    assert len(simplex) < len(pdf)
    assert not any(BLANK in text for text in simplex.texts)


def test_marking_tops_and_tails_every_page_dividers_included(pdf, pack):
    assert pack.marking == "OFFICIAL"
    for i in range(len(pdf)):
        lines = pdf.lines(i)
        assert lines[0] == lines[-1] == pack.marking, f"page {i + 1}"
        assert re.search(rf"Page {i + 1} of\s*{len(pdf)}", pdf.texts[i]), f"page {i + 1}"


def test_page_labels_restart_per_country_and_show_in_the_footer(pdf):
    first = pdf.first_page_of("NOR-1")
    assert pdf.labels[:first] == [str(n) for n in range(1, first + 1)]
    for code in CODES:
        start = pdf.first_page_of(f"{code}-1")
        assert pdf.labels[start + 1] == f"{code}-2"
        assert pdf.lines(start + 1)[-2] == f"{code}-2"


def _contents(pdf) -> list[tuple[str, int]]:
    """Contents entries from the pages between the contents title and the first country."""
    start = next(i for i in range(len(pdf)) if pdf.body_lines(i)[:1] == ["Contents"])
    entries = []
    for i in range(start, pdf.first_page_of("NOR-1")):
        text = pdf.reader.pages[i].extract_text(extraction_mode="layout")
        # the diagonal watermark can run into a line of the layout text
        lines = (line.replace("DRAFT", "") for line in text.splitlines())
        entries += [(m.group(1), int(m.group(2))) for m in map(CONTENTS_ENTRY.match, lines) if m]
    return entries


def test_contents_page_numbers_are_where_the_headings_land(pdf, pack):
    entries = _contents(pdf)
    parts = [b.title for b in pack.blocks if isinstance(b, PartStart)]
    headings = [b.text for b in pack.blocks if isinstance(b, Heading) and b.level == 1]
    assert Counter(t for t, _ in entries) == Counter(parts + headings)
    assert [t for t, _ in entries][:2] == ["Steering brief for the whole visit", "Norway"]
    for title, page in entries:
        assert title in " ".join(pdf.texts[page - 1].split()), f"{title!r} not on page {page}"
    for code, name in zip(CODES, NAMES):
        assert dict(entries)[name] == pdf.first_page_of(f"{code}-1") + 1


def test_bookmarks_nest_pack_country_section_and_land_on_their_pages(pdf, pack):
    marks = pdf.outline()
    root = [(title, page) for depth, title, page in marks if depth == 0]
    assert root == [(marks[0][1], 0)] and marks[0][1].startswith("Nordic")  # the pack
    countries = [title for depth, title, _ in marks if depth == 1]
    assert countries == ["Steering brief for the whole visit", *NAMES]
    for code, name in zip(CODES, NAMES):
        at = next(i for i, (d, t, _) in enumerate(marks) if d == 1 and t == name)
        assert pdf.labels[marks[at][2]] == f"{code}-1"
        children = []
        for depth, title, page in marks[at + 1:]:
            if depth <= 1:
                break
            if depth == 2:
                children.append(title)
            assert pdf.labels[page].startswith(f"{code}-"), f"{title} outside {name}"
        assert children[:3] == [f"{name}: Summary", "Contents", "Steering summary"][:1] + \
            children[1:3]
        assert "Points to make" in children and "Calls" in children
    for _depth, title, page in marks[1:]:
        assert title in " ".join(pdf.texts[page].split()), f"{title!r} not on its page"


def test_draft_watermark_on_every_page_until_final(db, tour, pdf, tmp_path):
    assert all("DRAFT" in text for text in pdf.texts)
    final = make_pack(db, dataclasses.replace(tour, final=True), tmp_path, formats=["pdf"])
    printed = PdfPages(final.outputs[0])
    assert not any("DRAFT" in text for text in printed.texts)
    assert "Version: 1 (final)" in printed.texts[0]


def _sizes(page) -> list[float]:
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(round(size * tm[3] * cm[3], 1))

    page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_sets_the_body_at_14_pt_or_more(db, tour, tmp_path, pdf):
    result = make_pack(db, tour, tmp_path, large_print=True)
    assert all("large-print" in p.name for p in result.outputs)
    large = PdfPages(next(p for p in result.outputs if p.suffix == ".pdf"))
    start = large.first_page_of("NOR-1")
    sizes = Counter(s for page in large.reader.pages[start:start + 6] for s in _sizes(page))
    assert sizes.most_common(1)[0][0] >= LARGE_PRINT_PT
    assert len(large) > len(pdf)
    document = docx.Document(next(p for p in result.outputs if p.suffix == ".docx"))
    size = document.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:sz')}")
    assert int(size.get(qn("w:val"))) / 2 >= LARGE_PRINT_PT
    # tables and the cover title large too: no text smaller than the large size, save the
    # furniture (marking, footer) and the page-number line
    from briefpack.render.docx.writer import style_size_pt
    from briefpack.render.pdf.style import default_style_path, load_pdf_style

    footer = round(LARGE_PRINT_PT * load_pdf_style(default_style_path()).text.footer_scale, 1)
    body = [s for i in range(len(large)) for s in _sizes(large.reader.pages[i])]
    assert min(s for s in body if s != footer) >= LARGE_PRINT_PT
    for style_id in ("TableText", "TableHeading", "Caption", "KeyValue", "Title"):
        assert style_size_pt(document, style_id) >= LARGE_PRINT_PT, style_id
    runs = [int(sz.get(qn("w:val"))) / 2 for table in document.tables
            for sz in table._element.iter(qn("w:sz"))]
    assert all(size >= LARGE_PRINT_PT for size in runs)


# -- the Word file ----------------------------------------------------------------------------

def test_docx_is_one_file_with_a_section_per_country_after_the_front_matter(word, pack):
    front_matter = 3  # cover, steering brief, contents: each begins a right-hand page
    assert len(word.sections) == front_matter + len(CODES)
    # each begins on a right-hand page by an odd-page section break, whatever the layout
    # of the word processor it is opened in
    assert all(s.start_type == WD_SECTION.ODD_PAGE for s in word.sections[1:])
    for section, code in zip(word.sections[front_matter:], CODES):
        assert any(p.text.startswith(code) for p in section.footer.paragraphs)
    assert BLANK not in " ".join(p.text for p in word.paragraphs)


def test_docx_contents_is_a_toc_field_saved_with_the_pdf_page_numbers(word, pdf):
    body = word.element.body
    instructions = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert sum(i.startswith("TOC ") for i in instructions) == 1
    toc = next(i for i in instructions if i.startswith("TOC "))
    assert '\\o "1-' in toc and "\\h" in toc
    assert word.settings.element.find(qn("w:updateFields")) is None  # no prompt
    lines = [p.text for p in word.paragraphs if p.style.name.startswith("toc ")]
    saved = dict(line.split("\t") for line in lines)
    for name in NAMES:
        assert f"{name}: Summary" in " ".join(pdf.texts[int(saved[name]) - 1].split())


def test_docx_marking_and_draft_in_every_header_and_footer(word, pack):
    for number, section in enumerate(word.sections):
        for kind in HEADERS_FOOTERS:
            part = getattr(section, kind)
            assert pack.marking in [p.text for p in part.paragraphs], f"{number} {kind}"
            if "header" in kind:
                marks = [t.get("string") for t in part._element.iter(f"{{{V_NS}}}textpath")
                         if t.get("string")]
                assert marks == ["DRAFT"], f"{number} {kind}"


def test_docx_and_pdf_carry_the_same_words(word, pdf):
    texts = [p.text for p in word.paragraphs]
    texts += [c.text for t in word.tables for row in t.rows for c in row.cells]
    docx_words = " ".join(" ".join(texts).split())
    pdf_words = " ".join(" ".join(pdf.texts).split())
    for phrase in ("Steering brief for the whole visit", "How this visit serves the strategy",
                   "Destination 2 of 3", "Copy number: 4", "Call on the Minister of Defence"):
        assert phrase in docx_words and phrase in pdf_words


# -- the pipeline and the command line ----------------------------------------------------------

@pytest.mark.parametrize("formats", [["docx", "pdf"], ["pdf", "docx"]])
def test_a_pack_is_laid_out_once_and_both_renderers_are_given_that_layout(
        db, tour, tmp_path, monkeypatch, formats, built):
    import briefpack.render.pdf as render_pdf

    real, made = render_pdf.lay_out, []

    def counted(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    given: dict[str, object] = {}
    for fmt, module, name in (("pdf", render_pdf, "render_pdf"),
                              ("docx", pytest.importorskip("briefpack.render.docx"),
                               "render_docx")):
        def spying(*args, _real=getattr(module, name), _fmt=fmt, **kwargs):
            given[_fmt] = kwargs.get("laid_out")
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spying)
    monkeypatch.setattr(render_pdf, "lay_out", counted)
    result = make_pack(db, tour, tmp_path, copy=4, formats=formats)
    assert len(made) == 1 and given == {"docx": made[0], "pdf": made[0]}
    # the same files as the build that rendered docx first
    for path in result.outputs:
        twin = next(p for p in built.outputs if p.suffix == path.suffix)
        assert path.read_bytes() == twin.read_bytes(), path.name


def test_a_brief_laid_out_for_word_is_laid_out_again_for_a_pdf_rendered_alone(pack, tmp_path,
                                                                            monkeypatch):
    """No layout passes between renderers by the back door: a PDF rendered on its own is
    laid out afresh, and only a layout given as an argument is written as it is."""
    from briefpack.render.docx import render_docx
    from briefpack.render.pdf import layout, render_pdf

    render_docx(pack, tmp_path / "pack.docx")
    passes = []
    real = layout._lay_out
    monkeypatch.setattr(layout, "_lay_out", lambda *a, **k: passes.append(1) or real(*a, **k))
    render_pdf(pack, tmp_path / "pack.pdf")
    assert passes == [1]


def test_cancelled_pack_leaves_nothing_behind(db, tour, tmp_path):
    out = tmp_path / "new"
    steps = build_pack(db, BuildOptions(out_dir=out, today=TODAY), visit=tour)
    for progress in steps:
        if progress.message.startswith("Writing"):
            break
    steps.close()
    assert not out.exists()


def test_progress_counts_up_to_a_result(db, tour, tmp_path):
    seen = list(build_pack(db, BuildOptions(out_dir=tmp_path, today=TODAY), visit=tour))
    steps = [p for p in seen if p.detail is None]  # (the rest: news of a step's render)
    assert [p.step for p in steps] == list(range(1, steps[0].total + 1))
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert steps[-1].result is not None and all(p.result is None for p in steps[:-1])
    assert [p.message for p in steps[1:4]] == [f"Assembling the {c} brief" for c in CODES]


def test_bad_options_are_refused_before_any_work(db, tour, tmp_path):
    with pytest.raises(BuildError, match="unknown format"):
        run(build_pack(db, BuildOptions(out_dir=tmp_path, formats=["odt"]), visit=tour))
    with pytest.raises(BuildError, match="numbered from 1"):
        run(build_pack(db, BuildOptions(out_dir=tmp_path, copy=0), visit=tour))
    with pytest.raises(BuildError, match="ceiling"):
        run(build_pack(db, BuildOptions(out_dir=tmp_path, ceiling="SECRET"), visit=tour))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_worker_processes_make_the_same_pdf(db, tour, tmp_path, monkeypatch, built):
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    result = make_pack(db, tour, tmp_path, copy=4, workers=2)
    for fmt in ("pdf", "docx"):
        ours, theirs = (next(p for p in r.outputs if p.suffix == f".{fmt}")
                        for r in (result, built))
        assert ours.read_bytes() == theirs.read_bytes(), fmt


def test_cli_pack_end_to_end(db, tmp_path, capsys):
    out = tmp_path / "out"
    code = cli.main(["--db", str(db), "pack", str(TOUR), "--out", str(out), "--copy", "2",
                     "--no-duplex", "--ceiling", "OFFICIAL"])
    assert code == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / "2026-12-07-NOR-DNK-LVA-pack-standard.docx"),
                       str(out / "2026-12-07-NOR-DNK-LVA-pack-standard.pdf")]
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(p).name for p in printed)
    printed_pdf = PdfPages(Path(printed[1]))
    assert "Copy number: 2" in printed_pdf.texts[0]
    assert not any(BLANK in text for text in printed_pdf.texts)
    words = " ".join(" ".join(printed_pdf.texts).split())
    assert len(re.findall(r"Releasable up to: OFFICIAL(?!-)", words)) == len(CODES)


def test_cli_pack_refuses_a_copy_number_of_nought(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--db", str(db), "pack", str(TOUR), "--copy", "0"])
    assert exit_.value.code == 2
    assert "--copy: 0 is out of range: expected 1 or more" in capsys.readouterr().err


# -- the Word file as LibreOffice prints it (issue 13) ----------------------------------------

def libreoffice_pdf(source: Path, out: Path) -> PdfPages:
    """``source`` as LibreOffice prints it, the empty pages it inserts for odd-page section
    breaks kept (its PDF export drops them unless told not to)."""
    keep_empty = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/lo",
                    "--convert-to", keep_empty, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=300)
    return PdfPages(out / source.with_suffix(".pdf").name)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_libreoffice_opens_each_country_on_the_right_and_marks_every_page(
        db, tour, built, pack, tmp_path, large_print):
    result = built if not large_print else make_pack(db, tour, tmp_path / "large",
                                                     copy=4, large_print=True,
                                                     formats=["docx"])
    source = next(p for p in result.outputs if p.suffix == ".docx")
    printed = libreoffice_pdf(source, tmp_path)
    total = len(printed)
    empty = [i for i in range(total) if not printed.texts[i].strip()]
    assert empty, "LibreOffice inserts empty pages for the odd-page breaks"
    for i in set(range(total)) - set(empty):
        lines = printed.lines(i)
        assert lines[0] == lines[-1] == pack.marking, f"page {i + 1}"
        # page X of Y: Y is the number of pages printed, its inserted empty pages included
        assert re.search(rf"Page {i + 1} of {total}\b", printed.texts[i]), f"page {i + 1}"
    openings = {name: next(i for i in range(total)
                           if printed.body_lines(i)[:1] == [f"{name}: Summary"])
                for name in NAMES}
    assert all(i % 2 == 0 for i in openings.values()), f"0-based: {openings}"
    # the contents: LibreOffice shows the TOC field's saved entries
    start = next(i for i in range(total) if printed.body_lines(i)[:1] == ["Contents"])
    entries = []
    for i in range(start, min(openings.values())):
        text = printed.reader.pages[i].extract_text(extraction_mode="layout")
        lines = (line.replace("DRAFT", "") for line in text.splitlines())
        entries += [(m.group(1), int(m.group(2))) for m in map(LO_CONTENTS_ENTRY.match, lines)
                    if m]
    assert {t for t, _ in entries} >= {"Steering brief for the whole visit", *NAMES}
    if not large_print:
        assert dict(entries)["Norway"] == openings["Norway"] + 1

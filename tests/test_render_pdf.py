"""The PDF renderer, read back with pypdf as a reader (or a checker) would."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefpack import paths
from briefpack.brief.document import (
    Brief, Bullets, Callout, Column, Heading, PageBreak, Paragraph, PartStart, Table,
)
from briefpack.errors import DataError
from briefpack.render.pdf import load_pdf_style, render_pdf
from briefpack.render.pdf.pages import BLANK_PAGE_NOTICE

from fixtures_briefs import BRIEF_DATE, LATIN_EXTENDED_NAMES, MARKING, sample_brief, sample_pack

PAGE_LINE = re.compile(r"Page (\d+) of\s+(\d+)")
CONTENTS_ENTRY = re.compile(r"^\s*(\S.*?)\s+(?:\.\s+)+(\d+)\s*$")


@dataclasses.dataclass
class Rendered:
    path: Path
    pages: int
    reader: PdfReader
    _texts: dict[int, str] = dataclasses.field(default_factory=dict)

    def text(self, index: int) -> str:
        if index not in self._texts:
            self._texts[index] = self.reader.pages[index].extract_text()
        return self._texts[index]

    def lines(self, index: int) -> list[str]:
        return [line.strip() for line in self.text(index).splitlines() if line.strip()]

    def body_lines(self, index: int) -> list[str]:
        """The page's lines without its furniture (markings, watermark, page line, label)."""
        furniture = re.compile(r"^(Page \d+ of|\d+|DRAFT|[A-Z]{3}-\d+)$")
        return [line for line in self.lines(index)[1:-1] if not furniture.match(line)]


def render(brief: Brief, tmp_path: Path, name: str = "out.pdf", **kwargs) -> Rendered:
    path = tmp_path / name
    pages = render_pdf(brief, path, **kwargs)
    return Rendered(path, pages, PdfReader(path))


@pytest.fixture(scope="module")
def brief_pdf(tmp_path_factory) -> Rendered:
    return render(sample_brief(), tmp_path_factory.mktemp("brief"))


@pytest.fixture(scope="module")
def pack_pdf(tmp_path_factory) -> Rendered:
    return render(sample_pack(watermark="DRAFT"), tmp_path_factory.mktemp("pack"))


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text))


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) for every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def contents_entries(rendered: Rendered, page_index: int) -> list[tuple[str, int]]:
    text = rendered.reader.pages[page_index].extract_text(extraction_mode="layout")
    return [(m.group(1), int(m.group(2)))
            for m in map(CONTENTS_ENTRY.match, text.splitlines()) if m]


# --- page furniture ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["brief_pdf", "pack_pdf"])
def test_marking_is_the_first_and_last_line_of_every_page(name, request):
    rendered = request.getfixturevalue(name)
    for index in range(rendered.pages):
        lines = rendered.lines(index)
        assert lines[0] == MARKING, f"page {index + 1} top"
        assert lines[-1] == MARKING, f"page {index + 1} bottom"


@pytest.mark.parametrize("name", ["brief_pdf", "pack_pdf"])
def test_every_page_says_page_x_of_y(name, request):
    rendered = request.getfixturevalue(name)
    assert rendered.pages == len(rendered.reader.pages) > 10
    for index in range(rendered.pages):
        found = PAGE_LINE.findall(rendered.text(index))
        assert found == [(str(index + 1), str(rendered.pages))]


def test_watermark_on_every_page_only_when_asked(pack_pdf, brief_pdf):
    assert all("DRAFT" in pack_pdf.text(i) for i in range(pack_pdf.pages))
    assert not any("DRAFT" in brief_pdf.text(i) for i in range(brief_pdf.pages))


def test_marking_is_printed_in_capitals(tmp_path):
    brief = dataclasses.replace(sample_brief(rows=0.1), marking="official-sensitive")
    rendered = render(brief, tmp_path)
    assert rendered.lines(0)[0] == "OFFICIAL-SENSITIVE"
    assert rendered.lines(rendered.pages - 1)[-1] == "OFFICIAL-SENSITIVE"


# --- words ------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [sample_brief, sample_pack])
def test_every_word_of_the_brief_is_in_the_pdf(make, tmp_path):
    brief = make()
    rendered = render(brief, tmp_path)
    printed = words("\n".join(rendered.text(i) for i in range(rendered.pages)))
    missing = words(brief.text()) - printed
    assert not missing


def test_latin_extended_names_print_intact_in_an_embedded_font(brief_pdf):
    text = "\n".join(brief_pdf.text(i) for i in range(brief_pdf.pages))
    normalised = re.sub(r"\s+", " ", text)
    for name in LATIN_EXTENDED_NAMES:
        assert name in normalised
    for page in brief_pdf.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, font.get_object()["/BaseFont"]


# --- contents, bookmarks, labels ----------------------------------------------------------

def test_contents_page_numbers_are_where_the_headings_land(brief_pdf):
    brief = sample_brief()
    entries = contents_entries(brief_pdf, 1)
    assert [title for title, _ in entries] == [h.text for h in brief.headings(2)]
    for title, page in entries:
        assert title in brief_pdf.text(page - 1), f"{title!r} is not on page {page}"


def test_pack_contents_lists_parts_and_level_one_headings(pack_pdf):
    entries = contents_entries(pack_pdf, 2)
    titles = [title for title, _ in entries]
    assert titles[:3] == ["Steering brief for the whole visit", "Norway", "Steering summary"]
    assert "Türkiye" in titles and "UK objectives" not in titles
    for title, page in entries:
        assert title in pack_pdf.text(page - 1), f"{title!r} is not on page {page}"


def test_bookmarks_land_on_their_headings(brief_pdf):
    marks = outline(brief_pdf.reader)
    assert [title for _, title, _ in marks] == [h.text for h in sample_brief().headings(2)]
    for _, title, page in marks:
        assert title in brief_pdf.text(page)
    assert ("UK objectives" in [t for d, t, _ in marks if d == 1])


def test_pack_bookmarks_nest_headings_under_their_part(pack_pdf):
    marks = outline(pack_pdf.reader)
    assert [(d, p) for d, _, p in marks if d == 0] == [(0, 0)]  # the pack, on its cover
    parts = [title for depth, title, _ in marks if depth == 1]
    assert parts == ["Steering brief for the whole visit", "Norway", "Türkiye"]
    turkiye = [i for i, (d, t, _) in enumerate(marks) if t == "Türkiye"][0]
    depth, title, page = marks[turkiye + 1]
    assert (depth, title) == (2, "Steering summary")
    assert marks[turkiye + 2][:2] == (3, "UK objectives")
    assert pack_pdf.reader.page_labels[marks[turkiye][2]] == "TUR-1"
    for depth, title, page in marks:
        if depth > 1:
            assert title in pack_pdf.text(page)


def test_pack_page_labels_and_footers_carry_the_part_label(pack_pdf):
    labels = pack_pdf.reader.page_labels
    first_part = labels.index("NOR-1")
    assert labels[:first_part] == [str(n) for n in range(1, first_part + 1)]
    assert labels[first_part:first_part + 3] == ["NOR-1", "NOR-2", "NOR-3"]
    assert "TUR-1" in labels and labels[-1].startswith("TUR-")
    for index in range(pack_pdf.pages):
        text = pack_pdf.text(index)
        if "-" in labels[index]:
            assert pack_pdf.lines(index)[-2] == labels[index]
        else:
            assert not re.search(r"\b(NOR|TUR)-\d+", text)


# --- page parity --------------------------------------------------------------------------

def test_parts_start_on_odd_pages_when_duplex(pack_pdf):
    labels = pack_pdf.reader.page_labels
    for label in ("NOR-1", "TUR-1"):
        assert (labels.index(label) + 1) % 2 == 1


def test_padding_pages_say_they_are_blank_and_carry_the_marking(pack_pdf):
    blanks = [i for i in range(pack_pdf.pages) if BLANK_PAGE_NOTICE in pack_pdf.text(i)]
    assert blanks, "the sample pack needs padding pages"
    for index in blanks:
        assert (index + 1) % 2 == 0
        lines = pack_pdf.lines(index)
        assert lines[0] == lines[-1] == MARKING
        assert pack_pdf.body_lines(index) == [BLANK_PAGE_NOTICE]


def test_simplex_has_plain_page_breaks(tmp_path, pack_pdf):
    rendered = render(sample_pack(watermark="DRAFT"), tmp_path, duplex=False)
    assert rendered.pages < pack_pdf.pages
    assert not any(BLANK_PAGE_NOTICE in rendered.text(i) for i in range(rendered.pages))


def test_odd_break_pads_only_when_the_next_page_is_even(tmp_path):
    blocks = (Paragraph("One"), PageBreak(), Paragraph("Two"), PageBreak(parity="odd"),
              Paragraph("Three"), PageBreak(parity="odd"), Paragraph("Four"))
    rendered = render(Brief("Parity", "OFFICIAL", blocks, date=BRIEF_DATE), tmp_path)
    assert rendered.pages == 5
    assert ["Two" in rendered.text(1), "Three" in rendered.text(2)] == [True, True]
    assert BLANK_PAGE_NOTICE in rendered.text(3) and "Four" in rendered.text(4)
    assert sum(BLANK_PAGE_NOTICE in rendered.text(i) for i in range(5)) == 1


def test_an_empty_brief_is_one_marked_page(tmp_path):
    rendered = render(Brief("Empty", "OFFICIAL", (), date=BRIEF_DATE), tmp_path)
    assert rendered.pages == 1
    assert rendered.lines(0)[0] == rendered.lines(0)[-1] == "OFFICIAL"


def test_redundant_page_breaks_add_no_empty_pages(tmp_path):
    blocks = (PageBreak(), Paragraph("One"), PageBreak(), PageBreak(), Paragraph("Two"),
              PageBreak())
    rendered = render(Brief("Breaks", "OFFICIAL", blocks, date=BRIEF_DATE), tmp_path,
                      duplex=False)
    assert rendered.pages == 2


# --- tables and layout ------------------------------------------------------------------

def test_table_header_repeats_on_every_page_it_spans(brief_pdf):
    pages_with_rows = [i for i in range(brief_pdf.pages)
                       if re.search(r"UK-NOR\s", brief_pdf.text(i))]
    assert len(pages_with_rows) > 3
    for index in pages_with_rows:
        assert "What it commits" in brief_pdf.text(index)


def test_a_cell_longer_than_a_page_splits_and_stays_on_the_page(tmp_path):
    long_text = " ".join(f"clause{i} of an unusually long agreement summary" for i in range(300))
    table = Table(columns=(Column("Item", 1), Column("Detail", 4)),
                  rows=(("a", "short"), ("b", "brief"), ("c", "end")))
    short = render(Brief("T", "OFFICIAL", (Heading("Long"), table), date=BRIEF_DATE),
                   tmp_path, "short.pdf")
    table = dataclasses.replace(table, rows=(("a", "short"), ("b", long_text), ("c", "end")))
    rendered = render(Brief("T", "OFFICIAL", (Heading("Long"), table), date=BRIEF_DATE),
                      tmp_path, "long.pdf")
    assert short.pages == 1 and rendered.pages > 3
    printed = words(" ".join(rendered.text(i) for i in range(rendered.pages)))
    assert not words(long_text + " a short b c end Item Detail") - printed
    for page in rendered.reader.pages:
        _, bottom, _, top = (float(v) for v in page.mediabox)
        for y in text_baselines(page):
            assert bottom <= y <= top


def test_a_long_callout_splits_across_pages(tmp_path):
    long_text = " ".join(f"point{i} the principal should know" for i in range(400))
    rendered = render(Brief("C", "OFFICIAL", (Callout(long_text, "Note"),), date=BRIEF_DATE),
                      tmp_path)
    assert rendered.pages > 1
    printed = words(" ".join(rendered.text(i) for i in range(rendered.pages)))
    assert not words(long_text) - printed


def test_no_heading_is_left_at_the_foot_of_a_page(tmp_path):
    table = Table(columns=(Column("Name"), Column("Detail", 3)),
                  rows=tuple((f"Row {n}", "A detail long enough to wrap onto a second line "
                              "in the cell of this table, like real ones do.")
                             for n in range(6)), caption="A captioned table")
    # slide the headings down the page a line at a time, across the page foot
    for lines in range(28, 46):
        blocks = (Bullets(tuple(f"Item {n}" for n in range(lines))), Heading("Section"),
                  Heading("Sub-section", 2), table, Heading("Next"), Paragraph("Text."))
        rendered = render(Brief("H", "OFFICIAL", blocks, date=BRIEF_DATE), tmp_path)
        for index in range(rendered.pages):
            body = rendered.body_lines(index)
            assert body[-1] not in ("Section", "Sub-section", "A captioned table", "Next",
                                    "Name", "Detail"), f"{lines} items: page {index + 1}"


def text_baselines(page) -> list[float]:
    ys: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            ys.append(tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return ys


def text_sizes(page) -> list[float]:
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(round(size * tm[3] * cm[3], 1))

    page.extract_text(visitor_text=visit)
    return sizes


def test_body_text_is_12_pt_and_nothing_is_tiny(brief_pdf):
    sizes = Counter(s for page in brief_pdf.reader.pages[2:4] for s in text_sizes(page))
    assert sizes.most_common(1)[0][0] == 12.0
    assert min(s for page in brief_pdf.reader.pages for s in text_sizes(page)) >= 10.0


def test_large_print_sets_body_text_at_the_briefs_size(tmp_path):
    rendered = render(sample_brief(base_font_size=16, rows=0.2), tmp_path)
    sizes = Counter(s for page in rendered.reader.pages[2:4] for s in text_sizes(page))
    assert sizes.most_common(1)[0][0] == 16.0
    assert min(s for page in rendered.reader.pages for s in text_sizes(page)) >= 13.5


# --- file properties ----------------------------------------------------------------------

def test_metadata_language_and_dates(brief_pdf):
    brief = sample_brief()
    meta = brief_pdf.reader.metadata
    assert meta.title == brief.title
    assert meta.author == brief.author
    assert meta.subject == brief.subject
    assert meta["/Keywords"] == ", ".join(brief.keywords)
    assert meta["/CreationDate"].startswith("D:20260512")
    assert brief_pdf.reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert brief_pdf.reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)


def test_same_input_gives_identical_bytes(tmp_path):
    first = render(sample_pack(), tmp_path, "one.pdf").path.read_bytes()
    second = render(sample_pack(), tmp_path, "two.pdf").path.read_bytes()
    assert first == second


def test_pocket_template_is_a5_like_its_docx(tmp_path):
    rendered = render(sample_brief(rows=0.2), tmp_path,
                      template_dir=paths.templates_dir() / "pocket")
    assert rendered.reader.pages[0].mediabox.width == pytest.approx(419.53, abs=0.1)
    assert rendered.reader.pages[0].mediabox.height == pytest.approx(595.28, abs=0.1)
    assert rendered.lines(0)[0] == MARKING


def test_a_part_without_a_page_break_still_starts_a_new_odd_page(tmp_path):
    blocks = (Paragraph("Cover text"), PartStart("FRA", "France"), Heading("Summary"),
              Paragraph("Text"))
    rendered = render(Brief("P", "OFFICIAL", blocks, date=BRIEF_DATE), tmp_path)
    assert rendered.reader.page_labels == ["1", "2", "FRA-1"]
    assert "Summary" in rendered.text(2)


# --- the style file -----------------------------------------------------------------------

def test_shipped_styles_load():
    for name in ("standard", "pocket"):
        style = load_pdf_style(paths.templates_dir() / name / "pdf-style.yaml")
        assert style.text.minimum_size >= 10


def _edited_style(tmp_path: Path, old: str, new: str) -> Path:
    source = paths.templates_dir() / "standard" / "pdf-style.yaml"
    text = source.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "pdf-style.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path / "pdf-style.yaml"


@pytest.mark.parametrize(("old", "new", "key"), [
    ("  heading1_scale: 1.5\n", "", "text.heading1_scale"),
    ('  note_fill: "#F3F3F3"', '  note_fill: "grey"', "colours.note_fill"),
    ("  size: A4 ", "  size: Letter ", "page.size"),
    ("  leading_ratio: 1.3", "  leading_ratoi: 1.3", "text.leading_ratoi"),
    ("  regular: LiberationSans-Regular.ttf", "  regular: Missing.ttf", "fonts.regular"),
])
def test_a_bad_style_names_file_and_key(tmp_path, old, new, key):
    path = _edited_style(tmp_path, old, new)
    with pytest.raises(DataError) as caught:
        load_pdf_style(path)
    message = str(caught.value)
    assert str(path) in message and f"[{key}]" in message


def test_render_reports_a_bad_template(tmp_path):
    _edited_style(tmp_path, "  margin_left_mm: 20", "  margin_left_mm: wide")
    with pytest.raises(DataError, match="page.margin_left_mm"):
        render_pdf(sample_brief(rows=0.1), tmp_path / "x.pdf", template_dir=tmp_path)


def test_a_long_table_has_its_header_at_each_page_top_and_every_row_once(tmp_path):
    columns = (Column("Serial", 1.0), Column("Holder", 2.0), Column("Remark", 3.0))
    rows = tuple((f"R{n:05d}", f"Holder {n % 37}", "wraps " * (n % 9))
                 for n in range(1500))
    blocks = (Heading("Register"), Paragraph("Before the table."),
              Table(columns=columns, rows=rows, caption="Every record"),
              Paragraph("After the table."))
    rendered = render(Brief("L", "OFFICIAL", blocks, date=BRIEF_DATE), tmp_path)
    seen: list[str] = []
    for index in range(rendered.pages):
        body = rendered.body_lines(index)
        serials = [line for line in body if re.fullmatch(r"R\d{5}", line)]
        if not serials:
            continue
        header = body.index("Serial")
        assert body.count("Serial") == 1, f"page {index + 1}"
        assert body[header:header + 3] == ["Serial", "Holder", "Remark"]
        # on a continued page the header is the first thing; on the first, after the caption
        assert header == 0 or body[header - 1] == "Every record", f"page {index + 1}"
        assert body.index(serials[0]) > header
        seen += serials
    assert rendered.pages > 20
    assert seen == [row[0] for row in rows]

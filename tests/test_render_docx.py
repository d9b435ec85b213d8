"""The Word renderer, read back with python-docx (and once through LibreOffice)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import RGBColor

from briefpack.brief.document import (Brief, Bullets, Column, Divider, Heading, Paragraph,
                                      Table)
from briefpack.paths import templates_dir
from briefpack.errors import BriefpackError
from briefpack.render.docx import render_docx
from briefpack.render.docx.writer import plan_landmarks
from briefpack.render.pdf import render_pdf
from briefpack.render.docx.tables import column_widths, fitting_size
from fixtures_briefs import BRIEF_DATE, LATIN_EXTENDED_NAMES, MARKING, sample_brief, sample_pack

HEADER_KINDS = ("header", "first_page_header", "even_page_header")
FOOTER_KINDS = ("footer", "first_page_footer", "even_page_footer")
V_NS = "urn:schemas-microsoft-com:vml"


@pytest.fixture(scope="module")
def brief_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "brief.docx"
    render_docx(sample_brief(), out)
    return out


@pytest.fixture(scope="module")
def pack_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "pack.docx"
    render_docx(sample_pack(watermark="DRAFT"), out)
    return out


@pytest.fixture(scope="module")
def brief_doc(brief_path):
    return docx.Document(brief_path)


@pytest.fixture(scope="module")
def pack_doc(pack_path):
    return docx.Document(pack_path)


def body_paragraph_texts(doc) -> list[str]:
    """Every paragraph of the body, tables included, in document order."""
    texts = []
    for p in doc.element.body.iter(qn("w:p")):
        texts.append("".join(" " if node.tag == qn("w:tab") else (node.text or "")
                             for node in p.iter(qn("w:t"), qn("w:tab"))))
    return texts


def instructions(element) -> str:
    return " | ".join(node.text for node in element.iter(qn("w:instrText")))


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text))


# -- structure ------------------------------------------------------------------------------

def test_headings_in_order_with_real_heading_styles(brief_doc):
    brief = sample_brief()
    expected = [("Title", brief.blocks[0].title)] + [
        (f"Heading {b.level}", b.text) for b in brief.blocks if isinstance(b, Heading)]
    found = [(p.style.name, p.text) for p in brief_doc.paragraphs
             if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert found == expected


def test_one_title_and_no_skipped_heading_levels(pack_doc):
    styles = [p.style.name for p in pack_doc.paragraphs]
    assert styles.count("Title") == 1
    levels = [int(s.rsplit(" ", 1)[1]) for s in styles if s.startswith("Heading")]
    previous = 1
    for level in levels:
        assert level <= previous + 1
        previous = level


def test_skipped_heading_levels_are_closed_up():
    blocks = (Heading("A", 1), Heading("B", 3), Heading("C", 4), Heading("D", 1))
    assert [lm.style_id for lm in plan_landmarks(blocks).values()] == [
        "Heading1", "Heading2", "Heading3", "Heading1"]


def test_later_dividers_are_level_one_divider_titles():
    blocks = (Divider("Cover"), Heading("Steering", 1), Divider("Norway"), Heading("X", 2))
    plan = plan_landmarks(blocks)
    assert [(lm.style_id, lm.level) for lm in plan.values()] == [
        ("Title", 0), ("Heading1", 1), ("DividerTitle", 1), ("Heading2", 2)]


def test_every_word_of_the_brief_is_in_the_document(brief_doc, pack_doc):
    for brief, doc in ((sample_brief(), brief_doc), (sample_pack(), pack_doc)):
        document_words = words("\n".join(body_paragraph_texts(doc)))
        missing = words(brief.text()) - document_words
        assert not missing, f"words missing from the .docx: {dict(missing)}"


def test_latin_extended_names_survive(brief_doc):
    text = "\n".join(body_paragraph_texts(brief_doc))
    for name in LATIN_EXTENDED_NAMES:
        assert name in text


# -- marking, headers and footers ---------------------------------------------------------

@pytest.mark.parametrize("doc_fixture", ["brief_doc", "pack_doc"])
def test_every_section_header_and_footer_carries_the_marking(doc_fixture, request):
    doc = request.getfixturevalue(doc_fixture)
    assert len(doc.sections) >= 1
    for number, section in enumerate(doc.sections):
        for kind in HEADER_KINDS + FOOTER_KINDS:
            part = getattr(section, kind)
            assert not part.is_linked_to_previous, f"section {number} {kind} is linked"
            texts = [p.text for p in part.paragraphs]
            assert MARKING.upper() in texts, f"section {number} {kind}: {texts}"


def test_marking_is_bold_capitals_black_and_centred(brief_doc):
    marking = next(p for p in brief_doc.sections[0].header.paragraphs if p.text == MARKING)
    style = marking.style
    assert style.name == "Protective Marking"
    assert style.font.bold and style.font.all_caps
    assert style.font.color.rgb == RGBColor(0, 0, 0)
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_footer_shows_page_x_of_y_fields(brief_doc):
    footer = brief_doc.sections[0].footer
    assert "PAGE" in instructions(footer._element).split(" | ")[0]
    assert "NUMPAGES" in instructions(footer._element)
    assert any(p.text.startswith("Page ") and " of " in p.text for p in footer.paragraphs)


def test_a_pack_printed_on_one_side_starts_its_parts_on_new_pages(tmp_path):
    out = tmp_path / "simplex.docx"
    render_docx(sample_pack(watermark="DRAFT"), out, duplex=False)
    sections = docx.Document(out).sections[1:]
    assert sections and all(s.start_type == WD_SECTION.NEW_PAGE for s in sections)


def test_pack_parts_start_right_hand_pages_numbered_through_the_pack(pack_doc):
    # odd-page section breaks keep parts on right-hand pages in any word processor's own
    # layout; and no numbering restart, for which LibreOffice adds hidden pages that
    # "of N" counts
    assert all(s._sectPr.find(qn("w:pgNumType")) is None for s in pack_doc.sections)
    for section in pack_doc.sections[1:]:
        assert section.start_type == WD_SECTION.ODD_PAGE
    part_sections = [s for s in pack_doc.sections
                     if any("\u2013 Page" in p.text for p in s.footer.paragraphs)]
    for section, label in zip(part_sections, ("NOR", "TUR"), strict=True):
        for kind in FOOTER_KINDS:
            footer = getattr(section, kind)
            assert any(p.text.startswith(f"{label} \u2013 Page") for p in footer.paragraphs)
            assert instructions(footer._element).split(" | ") == [" PAGE ", " NUMPAGES "] \
                or "NUMPAGES" in instructions(footer._element)
    assert len(part_sections) == 2


def test_every_header_and_footer_is_its_own_part_numbered_from_one(pack_path, pack_doc):
    names = zipfile.ZipFile(pack_path).namelist()
    parts_each = 3 * len(pack_doc.sections)
    for kind in ("header", "footer"):
        numbers = sorted(int(m.group(1)) for name in names
                         if (m := re.fullmatch(rf"word/{kind}(\d+)\.xml", name)))
        assert numbers == list(range(1, parts_each + 1))


def test_plain_page_break_is_not_a_section(brief_doc):
    assert len(brief_doc.sections) == 1
    assert brief_doc.element.body.find(f".//{qn('w:pageBreakBefore')}") is not None


def test_watermark_shape_in_every_header_only_when_asked(pack_doc, brief_doc):
    for section in pack_doc.sections:
        for kind in HEADER_KINDS:
            paths = getattr(section, kind)._element.iter(f"{{{V_NS}}}textpath")
            assert [t.get("string") for t in paths if t.get("string")] == ["DRAFT"]
    assert not list(brief_doc.sections[0].header._element.iter(f"{{{V_NS}}}textpath"))


# -- tables, lists, callouts ----------------------------------------------------------------

def test_table_header_rows_repeat_and_nothing_is_merged(brief_doc):
    tables = brief_doc.tables
    assert len(tables) == 3  # the empty table is a sentence, callouts are not tables
    for table in tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(r.trPr is None or r.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
        assert table.style.name == "Brief Table"
    body = brief_doc.element.body
    for merge in ("w:gridSpan", "w:vMerge", "w:hMerge"):
        assert body.find(f".//{qn(merge)}") is None


def test_table_columns_fill_the_text_width_and_numbers_align_right(brief_doc):
    section = brief_doc.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635
    agreements = brief_doc.tables[0]
    grid = [int(c.get(qn("w:w"))) for c in agreements._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert sum(grid) == text_width
    assert grid[4] > grid[6]  # "What it commits" (4.0) is wider than "Jobs" (1.0)
    value_cells = [row.cells[5].paragraphs[0] for row in agreements.rows]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in value_cells)
    assert agreements.rows[1].cells[0].paragraphs[0].alignment is None
    assert agreements.rows[1].cells[0].paragraphs[0].runs[0].font.size is None  # style size


def test_column_widths_honour_minimums_then_proportions():
    assert column_widths([1, 1], [0, 0], 1000) == [500, 500]
    widths = column_widths([4, 1], [100, 400], 1000)
    assert widths == [600, 400] and sum(widths) == 1000
    squeezed = column_widths([1, 1], [900, 300], 1000)
    assert sum(squeezed) == 1000 and squeezed[0] > squeezed[1]


def test_tables_too_narrow_for_their_words_are_set_smaller_within_a_floor():
    assert fitting_size([1000, 1000], size_pt=11, floor_pt=9, cell_margins=0, total=4000) == 11
    shrunk = fitting_size([2000, 2000], size_pt=11, floor_pt=9, cell_margins=0, total=4000)
    assert 9 <= shrunk < 11 and shrunk * 2 == int(shrunk * 2)
    assert fitting_size([3000, 3000], size_pt=11, floor_pt=9, cell_margins=0, total=4000) == 9
    # a word too long for the whole table even at the floor breaks anyway: it shrinks nothing
    assert fitting_size([9000, 900], size_pt=11, floor_pt=9, cell_margins=0, total=4000) == 11


def test_wide_tables_shrink_rather_than_overflow(tmp_path):
    words = ("Interoperability", "Reinforcement", "Accreditation", "Sustainability",
             "Collaboration", "Infrastructure", "Procurement", "Commonwealth", "Modernisation")
    wide = Table(columns=tuple(Column(w) for w in words), rows=(words,) * 3)
    out = tmp_path / "wide.docx"
    render_docx(Brief(title="Wide", marking=MARKING, blocks=(Heading("Wide"), wide),
                      date=BRIEF_DATE), out)
    doc = docx.Document(out)
    first_cell_run = doc.tables[0].rows[1].cells[0].paragraphs[0].runs[0]
    assert 9 <= first_cell_run.font.size.pt < 11
    section = doc.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635
    grid = [int(c.get(qn("w:w"))) for c in doc.tables[0]._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert sum(grid) == text_width


def test_each_numbered_list_counts_from_one(pack_doc):
    numbered = [p for p in pack_doc.paragraphs if p.style.name == "List Number"]
    num_ids = {p._p.pPr.numPr.numId.val for p in numbered if p._p.pPr.numPr is not None}
    numbering = pack_doc.part.numbering_part.element
    assert num_ids, "later numbered lists need their own restarting w:num"
    for num_id in num_ids:
        num = numbering.num_having_numId(num_id)
        assert num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}").get(qn("w:val")) == "1"


def test_key_values_are_labelled_paragraphs_and_callouts_are_boxed(brief_doc):
    arrival = next(p for p in brief_doc.paragraphs if p.text.startswith("Arrival:"))
    assert arrival.style.name == "Key Value"
    assert arrival.runs[0].style.name == "Strong"
    withheld = [p for p in brief_doc.paragraphs if p.style.name == "Callout Warning"]
    assert [p.text for p in withheld][0] == "Items withheld"
    assert withheld[0].style.element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None


# -- contents, properties, language ---------------------------------------------------------

def test_contents_lines_link_to_headings_with_page_references_saved_from_the_pdf(
        brief_doc, tmp_path):
    # a TOC field whose saved result is the lines with the PDF's page numbers: nothing
    # asks Word to update fields on opening; "Update table" rebuilds it
    assert instructions(brief_doc.element.body).count("TOC \\o") == 1
    assert brief_doc.settings.element.find(qn("w:updateFields")) is None
    lines = [p for p in brief_doc.paragraphs if p.style.name.startswith("toc")]
    entries = [p.text for p in lines]
    assert [e.split("\t")[0] for e in entries[:2]] == ["Steering summary", "UK objectives"]
    assert all(re.search(r"PAGEREF \w+ \\h", instructions(p._element)) for p in lines)
    pdf = tmp_path / "brief.pdf"
    render_pdf(sample_brief(), pdf)
    from pypdf import PdfReader
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
    for entry in entries:
        text, number = entry.split("\t")
        assert text in pages[int(number) - 1], (text, number)


def test_core_properties_and_language(brief_doc):
    props = brief_doc.core_properties
    brief = sample_brief()
    assert props.title == brief.title
    assert props.author == brief.author
    assert props.subject == brief.subject
    assert props.keywords == "; ".join(brief.keywords)
    assert props.language == "en-GB"
    assert props.created.date() == BRIEF_DATE == props.modified.date()
    defaults = brief_doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"


def test_body_is_sans_serif_12pt_left_aligned_on_a4(brief_doc):
    normal = brief_doc.styles["Normal"]
    defaults = brief_doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:rFonts')}").get(qn("w:ascii")) == "Arial"
    assert defaults.find(f".//{qn('w:sz')}").get(qn("w:val")) == "24"
    assert normal.paragraph_format.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT)
    section = brief_doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.left_margin.mm >= 20


def test_large_print_scales_every_style(tmp_path):
    out = tmp_path / "large.docx"
    render_docx(sample_brief(base_font_size=16), out)
    doc = docx.Document(out)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:sz')}").get(qn("w:val")) == "32"
    assert doc.styles["Heading 1"].font.size.pt == 24


def test_body_never_drops_below_12pt(tmp_path):
    out = tmp_path / "small.docx"
    render_docx(sample_brief(base_font_size=9), out)
    defaults = docx.Document(out).styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:sz')}").get(qn("w:val")) == "24"


def test_pocket_template_is_a5_like_its_pdf(tmp_path):
    out = tmp_path / "pocket.docx"
    render_docx(sample_brief(), out, template_dir=templates_dir() / "pocket")
    section = docx.Document(out).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (148, 210)


# -- template robustness ----------------------------------------------------------------------

def _edited_template(tmp_path: Path, edit) -> Path:
    template = tmp_path / "edited"
    template.mkdir()
    doc = docx.Document(templates_dir() / "standard" / "reference.docx")
    edit(doc)
    doc.save(template / "reference.docx")
    return template


def test_placeholder_split_across_runs_by_word_is_still_replaced(tmp_path):
    def split_marking_runs(doc):
        p = doc.sections[0].header.paragraphs[0]
        p.runs[0].text = "{MARK"
        p.add_run("ING}").bold = True
    out = tmp_path / "out.docx"
    render_docx(sample_brief(), out, template_dir=_edited_template(tmp_path, split_marking_runs))
    header = docx.Document(out).sections[0].header
    assert [p.text for p in header.paragraphs] == [MARKING]


def test_template_without_marking_placeholder_still_marks_every_page(tmp_path):
    def drop_placeholders(doc):
        for part in (doc.sections[0].header, doc.sections[0].footer):
            for p in part.paragraphs:
                for run in p.runs:
                    run.text = "Defence Engagement"
    out = tmp_path / "out.docx"
    render_docx(sample_brief(), out, template_dir=_edited_template(tmp_path, drop_placeholders))
    section = docx.Document(out).sections[0]
    assert section.header.paragraphs[0].text == MARKING
    assert section.footer.paragraphs[-1].text == MARKING


def test_template_missing_a_style_is_refused(tmp_path):
    def drop_heading_2(doc):
        style = doc.styles["Heading 2"].element
        style.getparent().remove(style)
    with pytest.raises(BriefpackError, match="lacks the styles 'heading 2'"):
        render_docx(sample_brief(), tmp_path / "out.docx",
                    template_dir=_edited_template(tmp_path, drop_heading_2))


# -- determinism and speed ----------------------------------------------------------------------

def test_output_is_byte_for_byte_repeatable(tmp_path, brief_path):
    again = tmp_path / "again.docx"
    render_docx(sample_brief(), again)
    assert again.read_bytes() == brief_path.read_bytes()
    assert {i.date_time for i in zipfile.ZipFile(again).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_renders_a_minimal_brief(tmp_path):
    brief = Brief(title="Note", marking="OFFICIAL",
                  blocks=(Paragraph("One line."), Bullets(("a", "b"))))
    out = tmp_path / "minimal.docx"
    render_docx(brief, out)
    doc = docx.Document(out)
    assert [p.style.name for p in doc.paragraphs] == ["Normal", "List Bullet", "List Bullet"]
    assert doc.sections[0].header.paragraphs[0].text == "OFFICIAL"


# -- as LibreOffice prints it -----------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_every_printed_page_carries_the_marking(tmp_path, pack_path):
    pypdf = pytest.importorskip("pypdf")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(pack_path)],
                   check=True, capture_output=True, timeout=180)
    reader = pypdf.PdfReader(tmp_path / "pack.pdf")
    assert len(reader.pages) > 20
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert text.count(MARKING) >= 2, f"page {number} lacks the marking top and bottom"


def test_long_subject_and_keywords_fit_the_core_properties(tmp_path):
    countries = tuple(f"Country number {n}" for n in range(40))
    brief = Brief(title="Tour", marking=MARKING, blocks=(Heading("Tour"),), date=BRIEF_DATE,
                  subject="Pack for " + ", ".join(countries), keywords=countries)
    out = tmp_path / "long.docx"
    render_docx(brief, out)
    props = docx.Document(out).core_properties
    assert len(props.subject) <= 255 and props.subject.endswith("…")
    assert len(props.keywords) <= 255 and props.keywords.startswith("Country number 0")


def test_long_tables_written_as_text_match_the_element_path(tmp_path, monkeypatch):
    """Long tables keep their rows as XML text to save memory: the file must not change."""
    from briefpack.render.docx import tables as docx_tables

    tricky = ("A & B <c>", "line one\nline two", "tab\there", "", "carriage\rreturn",
              "Côte d'Ivoire — “quotes”", "x" * 700)
    rows = tuple((f"Row {n}", tricky[n % len(tricky)], str(n)) for n in range(120))
    table = Table(columns=(Column("Name"), Column("Text", 3), Column("N", 0.5, "right")),
                  rows=rows)
    brief = Brief(title="Long", marking=MARKING, blocks=(Heading("Long"), table),
                  date=BRIEF_DATE)
    render_docx(brief, tmp_path / "text.docx")
    monkeypatch.setattr(docx_tables, "SERIALISED_FROM_ROWS", 10**9)
    render_docx(brief, tmp_path / "elements.docx")
    assert (tmp_path / "text.docx").read_bytes() == (tmp_path / "elements.docx").read_bytes()
    cells = [row.cells[1].text for row in docx.Document(tmp_path / "text.docx").tables[0].rows]
    assert cells[1:4] == ["A & B <c>", "line one\nline two", "tab\there"]
    assert cells[6] == "Côte d'Ivoire — “quotes”" and cells[7] == "x" * 700


def test_headers_and_footers_are_related_through_an_index_giving_python_docx_own_ids(
        tmp_path, monkeypatch):
    """Relating a pack's hundreds of header and footer parts walked every relationship for
    each (time growing with the square of the sections): the index must give the same
    rIds, so the same file, and never fall back to the walk."""
    from docx.opc.rel import Relationships

    from briefpack.render.docx import sections

    real = Relationships._get_matching

    def walked(self, *args, **kwargs):
        walks.append(1)
        return real(self, *args, **kwargs)

    walks: list[int] = []
    monkeypatch.setattr(Relationships, "_get_matching", walked)
    brief = sample_pack(watermark="DRAFT")
    render_docx(brief, tmp_path / "indexed.docx")
    assert walks == []
    monkeypatch.setattr(sections._RelationshipIds, "__enter__", lambda self: self)
    monkeypatch.setattr(sections._RelationshipIds, "__exit__", lambda self, *exc: None)
    render_docx(brief, tmp_path / "walked.docx")
    assert walks  # python-docx's own way, for comparison
    assert (tmp_path / "indexed.docx").read_bytes() == (tmp_path / "walked.docx").read_bytes()

"""Any text of any length lays out: one unbroken word (an alumnus's course, an agreement's
name run together) is broken where it must be, in every block of both renderers, rather
than sink the build, the Word file and every pack holding that country."""

from __future__ import annotations

import datetime as dt
import re
import string

import docx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefpack import model
from briefpack.brief.document import (
    Brief, Bullets, Callout, Column, Contents, Divider, Heading, KeyValue, Paragraph, PartStart,
    Table,
)
from briefpack.pipeline import BuildOptions, build, run
from briefpack.render.docx import render_docx
from briefpack.render.pdf import render_pdf
from briefpack.render.pdf.tables import MAX_WORD_SHARE, column_widths, fitting_font_size
from briefpack.store import Store

#: letters, digits and a few characters of the bundled font beyond ASCII
_LETTERS = string.ascii_letters + string.digits + "ÆØÅæøåŁłŠšŽžĀāČč"


def _brief(word: str) -> Brief:
    """Every kind of block, the word in each place it can go."""
    return Brief(title="Long words", marking="OFFICIAL", date=dt.date(2026, 11, 20), blocks=(
        Divider(word, subtitle=word, pairs=(("Course", word),)),
        Contents("Contents", depth=2),
        PartStart("NOR", word),
        Heading(word, 1),
        Paragraph(f"Before {word} after."),
        Bullets((word, "short")),
        KeyValue(((word, word), ("Agreement", word))),
        Callout(word, title=word, kind="warning"),
        Table((Column("Name", 2), Column("Course", 3), Column("Year", 1, "right")),
              (("A. Person", word, "2001"), (word, "Staff course", "2019")), caption=word),
        # (column titles are the template's words, never a record's)
        Table((Column(word[:60], 1), Column("Second", 1), Column("Third", 1),
               Column("Fourth", 1), Column("Fifth", 1)), ((word, word, word, word, "5"),)),
    ))


def _letters_in(text: str) -> str:
    return re.sub(r"\s+", "", text)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.integers(1, 4000).flatmap(
    lambda length: st.text(alphabet=_LETTERS, min_size=length, max_size=length)))
@example(word="Advanced" * 57)  # an alumnus's course of 456 characters: the repro
def test_a_word_of_any_length_lays_out_in_both_renderers(word, tmp_path):
    brief = _brief(word)
    pdf, word_file = tmp_path / "brief.pdf", tmp_path / "brief.docx"
    render_pdf(brief, pdf, duplex=False)
    render_docx(brief, word_file, duplex=False)
    text = _letters_in("".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert text.count(word) >= 1  # broken over lines, never lost
    body = docx.Document(str(word_file)).element.body
    assert word in "".join(t.text or "" for t in body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))


@pytest.mark.parametrize("length", [449, 450, 451, 2000])
def test_one_long_word_neither_squeezes_other_columns_nor_shrinks_the_table(length):
    word = "x" * length
    size, minimums = fitting_font_size([("Name", ["A. Person"]), ("Course", [word]),
                                        ("Year", ["2001"])],
                                       fonts=("Helvetica-Bold", "Helvetica"), largest=10,
                                       smallest=8, total=450, padding=4)
    assert size == 10 and minimums[1] <= 450 * MAX_WORD_SHARE
    widths = column_widths([2, 3, 1], minimums, 450)
    assert abs(sum(widths) - 450) < 1e-6
    assert all(w >= m for w, m in zip(widths, minimums, strict=True))


def test_columns_that_cannot_all_fit_never_go_below_their_padding():
    """Five columns of long words and a narrow one: none is squeezed to nothing."""
    minimums = [0.4 * 450] * 5 + [30.0]
    widths = column_widths([1] * 6, minimums, 450)
    assert abs(sum(widths) - 450) < 1e-6 and min(widths) >= 30.0


def test_a_450_character_course_builds_the_brief_in_both_formats(sample_store, tmp_path):
    """The repro: an alumnus's course of 450 characters with no space crashed the PDF (and
    the Word file, which lays the PDF out for its page numbers)."""
    course = "Advanced" * 57  # 456 characters, no space
    db = sample_store.backup_to(tmp_path / "store.db")
    store = Store.open(db, create=False)
    try:
        store.save(model.Alumnus(country="NOR", name="Kari Nordmann", course=course,
                                 year=2012), action="add")
        result = run(build(store, BuildOptions(out_dir=tmp_path / "out"), country="NOR"))
    finally:
        store.close()
    pdf = next(p for p in result.outputs if p.suffix == ".pdf")
    text = _letters_in("".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert course in text
    word_file = next(p for p in result.outputs if p.suffix == ".docx")
    assert course in [cell.text for table in docx.Document(str(word_file)).tables
                      for row in table.rows for cell in row.cells]

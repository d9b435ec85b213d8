"""Brief -> .docx, built on the template's reference.docx with python-docx.

Styles, page set-up, header and footer come from ``<template>/reference.docx`` (regenerate
with ``templates/make_reference_docx.py`` or restyle it in Word). This module decides how
each block looks in Word; it never changes what a brief says.

Accessibility choices (BRIEF-STANDARD.md): real heading styles with no skipped levels and
one Title; data tables with repeating header rows and no merged cells; no layout tables —
key/value pairs are "Label: value" paragraphs with a hanging indent, and callouts are
bordered, shaded paragraphs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.section import Section

from briefpack.brief.document import (
    Brief, Bullets, Callout, Contents, Divider, Heading, KeyValue, PageBreak,
    Paragraph, PartStart, Table,
)
from briefpack.brief.pack import LARGE_PRINT_PT
from briefpack.errors import BriefpackError
from briefpack.paths import templates_dir
from briefpack.progress import Detail, OnProgress, phase
from briefpack.render.docx.package import (
    open_template, show_fields_as_saved, save_deterministically, set_core_properties,
    set_language,
)
from briefpack.render.docx.sections import (
    HeaderFooterTemplate, SectionLook, break_section, dress_sections, restart_page_numbers,
)
from briefpack.render.docx.styles import adopt_style_ids
from briefpack.render.docx.tables import (
    Fragments, column_widths, data_table, fitting_size, longest_words, minimum_widths,
)
from briefpack.render.docx.elements import (
    bookmark, child, element, field_runs, internal_hyperlink,
    paragraph, restart_numbering, set_page_break_before, text_run,
)

if TYPE_CHECKING:  # (the PDF renderer is imported only when a brief is laid out here)
    from briefpack.render.pdf import LaidOutPdf, PdfLayout

#: body text is never set smaller than this (BRIEF-STANDARD: sans-serif body 12 pt or more)
MIN_BODY_PT = 12.0
MAX_HEADING_LEVEL = 3
#: in large print these are set at the body size at least (BRIEF-STANDARD: 14 pt or more)
LARGE_PRINT_STYLES = ("TableText", "TableHeading", "Caption", "KeyValue", "Small",
                      "DividerDetail", "CalloutNote", "CalloutWarning", "CalloutRag")
#: a table too wide for its longest words is set smaller, to this share of its style's size
#: and never below MIN_TABLE_PT, rather than break words in the middle
MIN_TABLE_SHRINK = 0.8
MIN_TABLE_PT = 9.0

PARAGRAPH_STYLES = {"body": "Normal", "lead": "Lead", "small": "Small", "quote": "Quote"}
CALLOUT_STYLES = {"note": "CalloutNote", "warning": "CalloutWarning", "rag": "CalloutRag"}


#: the band colours of the shipped PDF style (templates/*/pdf-style.yaml: rag_*)
RAG_COLOURS = {"red": "C62828", "amber": "E69F00", "green": "2E7D32"}


def _with_bar(p, colour: str):
    """A thick left border in ``colour`` on a callout paragraph (none without a colour)."""
    if colour:
        ppr = p.find(qn("w:pPr"))
        borders = element("w:pBdr")
        child(borders, "w:left", val="single", sz=36, space=8, color=colour)
        ppr.find(qn("w:pStyle")).addnext(borders)
    return p


#: the share of a Word render spent laying the PDF out, when it does so itself; then the
#: share of the rest spent appending the blocks (the rest of it is saving; measured on a
#: 60-country pack)
LAYOUT_SHARE, WRITING_SHARE = 0.85, 0.8


def render_docx(brief: Brief, out: Path | str, *, template_dir: Path | None = None,
                duplex: bool = True, on_progress: OnProgress | None = None,
                laid_out: LaidOutPdf | None = None) -> None:
    """Write ``brief`` as a Word document to ``out`` using ``template_dir/reference.docx``.

    The contents list carries the page numbers, and a pack the blank pages, of the PDF's
    layout, so Word and LibreOffice show them as saved, without asking to update fields.
    ``laid_out``: the PDF of this brief as ``render.pdf.lay_out`` laid it out (with the
    same template and ``duplex``); without it, a brief that needs it is laid out here.
    ``on_progress`` is told of the pages laid out ("laying out page 37 of about 120"),
    then of each brief of a pack (each section of a brief) appended.
    """
    template_dir = Path(template_dir) if template_dir else templates_dir() / "standard"
    if laid_out is None and needs_pdf_layout(brief):
        from briefpack.render.pdf import lay_out

        laid_out = lay_out(brief, template_dir=template_dir, duplex=duplex,
                           on_progress=phase(on_progress, 0.0, LAYOUT_SHARE,
                                             activity="laying out"))
        on_progress = phase(on_progress, LAYOUT_SHARE, 1.0)
    doc = open_template(template_dir / "reference.docx")
    adopt_style_ids(doc, template_dir / "reference.docx")
    header_footer = HeaderFooterTemplate.from_document(doc)
    _clear_body(doc)
    body_pt = max(brief.base_font_size, MIN_BODY_PT)
    scale_font_sizes(doc, body_pt)
    if body_pt >= LARGE_PRINT_PT:
        raise_to_body_size(doc, LARGE_PRINT_STYLES, body_pt)
    fragments = Fragments()
    writer = _BriefWriter(doc, brief, fragments, laid_out.layout if laid_out else None,
                          phase(on_progress, 0.0, WRITING_SHARE), duplex=duplex)
    writer.write()
    dress_sections(doc, header_footer, writer.section_looks)
    language = brief.language or "en-GB"
    set_language(doc, language)
    show_fields_as_saved(doc)
    set_core_properties(doc, title=brief.title, author=brief.author, subject=brief.subject,
                        keywords=brief.keywords, language=language, date=brief.date)
    save_deterministically(doc, Path(out), fragments.resolve)


def needs_pdf_layout(brief: Brief) -> bool:
    """Whether the Word output of ``brief`` copies anything from the PDF's layout: the page
    numbers its contents is saved with."""
    return any(isinstance(b, Contents) for b in brief.blocks)


_DEFAULT_SIZE_PATH = "/".join(qn(t) for t in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:sz"))


def scale_font_sizes(doc: DocxDocument, body_pt: float) -> None:
    """Scale every style's size so the body is ``body_pt`` (large print keeps proportions)."""
    styles = doc.styles.element
    default_size = styles.find(_DEFAULT_SIZE_PATH)
    template_half_points = int(default_size.get(qn("w:val"))) if default_size is not None else 24
    ratio = body_pt * 2 / template_half_points
    if abs(ratio - 1) < 1e-6:
        return
    for tag in ("w:sz", "w:szCs"):
        for size in styles.iter(qn(tag)):
            size.set(qn("w:val"), str(round(int(size.get(qn("w:val"))) * ratio)))


def raise_to_body_size(doc: DocxDocument, style_ids: tuple[str, ...], body_pt: float) -> None:
    """Set these styles at the body size at least (large print: tables as large as text)."""
    half_points = str(round(body_pt * 2))
    for style in doc.styles.element.iter(qn("w:style")):
        if style.get(qn("w:styleId")) not in style_ids:
            continue
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            continue
        for tag in ("w:sz", "w:szCs"):
            size = rpr.find(qn(tag))
            if size is not None and int(size.get(qn("w:val"))) < int(half_points):
                size.set(qn("w:val"), half_points)


def _clear_body(doc: DocxDocument) -> None:
    body = doc.element.body
    for block in list(body):
        if block.tag != qn("w:sectPr"):
            body.remove(block)


@dataclass(frozen=True)
class Landmark:
    """How one heading-like block is styled, and where the contents list links to it."""

    style_id: str
    #: outline level (1–3); 0 for the document Title, which the contents leaves out
    level: int
    bookmark: str
    text: str


def plan_landmarks(blocks) -> dict[int, Landmark]:
    """Styles for headings and divider titles, by block index.

    The first divider, if nothing precedes it, is the one Title; later dividers are
    level-1 "Divider Title"s. Heading levels are capped one below the previous heading so
    the outline never skips a level.
    """
    plan: dict[int, Landmark] = {}
    previous_level = 0
    used_names: set[str] = set()
    for index, block in enumerate(blocks):
        match block:
            case Divider(title=title) if not plan and not _content_before(blocks, index):
                plan[index] = Landmark("Title", 0, _bookmark_name("", index, used_names), title)
            case Divider(title=title):
                plan[index] = Landmark("DividerTitle", 1, _bookmark_name("", index, used_names),
                                       title)
                previous_level = 1
            case Heading(text=text, level=level, anchor=anchor):
                level = max(1, min(level, previous_level + 1, MAX_HEADING_LEVEL))
                previous_level = level
                plan[index] = Landmark(f"Heading{level}", level,
                                       _bookmark_name(anchor, index, used_names), text)
    return plan


def _content_before(blocks, index: int) -> bool:
    return any(not isinstance(b, PartStart | PageBreak) for b in blocks[:index])


def _bookmark_name(anchor: str, index: int, used: set[str]) -> str:
    """Word bookmark names: a letter first, then letters, digits, underscores; 40 at most."""
    name = re.sub(r"\W", "_", anchor, flags=re.ASCII)[:40] if anchor else ""
    if not name or not name[0].isalpha() or name in used:
        name = f"_Toc{index:08d}"
    used.add(name)
    return name


class _BriefWriter:
    """Walks a Brief's blocks and appends Word elements before the final w:sectPr.

    The last block written stays an element (the next may put a page break on it, or a
    section end in it); the blocks before it go into the body as XML text (Fragments).
    """

    def __init__(self, doc: DocxDocument, brief: Brief, fragments: Fragments,
                 layout: PdfLayout | None = None,
                 on_progress: OnProgress | None = None, *, duplex: bool = True) -> None:
        self.doc = doc
        self._on_progress = on_progress
        #: printed on both sides: a pack part or right-hand-page break starts its section
        #: on an odd page
        self._duplex = duplex
        #: the PDF's contents pages
        self._contents_pages = iter(layout.contents if layout else ())
        self.brief = brief
        self.fragments = fragments
        self.landmarks = plan_landmarks(brief.blocks)
        self.section_looks = [SectionLook(brief.marking, "", brief.watermark)]
        self._sentinel = doc.element.body.sectPr
        #: every section copies the final one's page set-up, so its text width holds for all
        self._text_width = text_width_twips(doc)
        #: the Brief Table style's cell margins and text size, read once (styles are set)
        self._cell_margins = table_cell_margins(doc)
        self._table_text_pt = style_size_pt(doc, "TableText")
        self._last_block = None
        self._at_page_start = True
        self._page_break_pending = False
        self._numbered_lists = 0
        self._next_num_id = 1000

    def write(self) -> None:
        blocks = self.brief.blocks
        units = _Units(blocks)
        report = self._on_progress if units.total else None
        for index, block in enumerate(blocks):
            if units.begins(block) and report:  # "brief 12 of 60": the 12th is being written
                report(Detail(units.done, units.total, units.name,
                              share=(units.done - 1) / units.total))
            self._write_block(index, block)
        if report:
            report(Detail(units.total, units.total, units.name))
        if self._last_block is None:
            self._emit(paragraph("Normal"))
        self._place_last_block()

    def _write_block(self, index: int, block) -> None:
        match block:
            case Heading() | Divider():
                self._write_landmark(index, block)
            case Paragraph(text=text, style=style):
                self._emit(paragraph(PARAGRAPH_STYLES.get(style, "Normal"), [text_run(text)]))
            case Bullets(items=items, numbered=numbered):
                self._write_list(items, numbered)
            case Table():
                self._write_table(block)
            case KeyValue(pairs=pairs):
                for label, value in pairs:
                    self._emit(_label_value("KeyValue", label, value, separator="\t"))
            case Callout(text=text, title=title, kind=kind):
                style = CALLOUT_STYLES.get(kind, "CalloutNote")
                # a RAG line's colour repeats the band its words already say, never replaces it
                bar = RAG_COLOURS.get(block.rag_band(), "")
                if title:
                    self._emit(_with_bar(paragraph(style, [text_run(title, char_style="Strong")]),
                                         bar))
                self._emit(_with_bar(paragraph(style, [text_run(text)]), bar))
            case PageBreak(parity="odd"):
                self._new_section(self.section_looks[-1].part_label)
            case PageBreak():
                self._page_break_pending = not self._at_page_start
            case Contents(title=title, depth=depth):
                self._write_contents(title, depth)
            case PartStart(label=label):
                self._new_section(label)
            case _:
                raise TypeError(f"not a Brief block: {block!r}")

    # -- placement -------------------------------------------------------------------------

    def _emit(self, block) -> None:
        if self._page_break_pending:
            self._page_break_pending = False
            if block.tag == qn("w:p"):
                set_page_break_before(block)
            else:
                # a table cannot carry the break itself: give it an empty paragraph to do so
                self._emit(paragraph("Normal"))
                set_page_break_before(self._last_block)
        self._settle()
        self._last_block = block
        self._at_page_start = False

    def _settle(self) -> None:
        """Put the last block in the body as XML text: nothing changes it once another
        follows, and a pack's elements would take several times the memory of their text."""
        if self._last_block is not None:
            self._sentinel.addprevious(self.fragments.keep(self._last_block))
            self._last_block = None

    def _place_last_block(self) -> None:
        """Put the last block in the body as an element, for a section break to end at it."""
        if self._last_block is not None:
            self._sentinel.addprevious(self._last_block)

    def _new_section(self, part_label: str) -> None:
        """A section break to the next right-hand page (printed on both sides; else to a
        new page), unless nothing has been written yet. The word processor inserts the
        empty page its own layout needs, so each part opens on the right whatever the
        fonts and page flow of the machine it is opened on."""
        look = SectionLook(self.brief.marking, part_label, self.brief.watermark)
        if self._last_block is None:
            self.section_looks[-1] = look
        else:
            self._place_last_block()
            break_section(self.doc, self._last_block, odd=self._duplex,
                          sentinel=self._sentinel)
            self.section_looks.append(look)
            self._last_block = None
        # numbering runs on through a pack (see sections.page_number_runs)
        restart_page_numbers(self._sentinel, restart=False)
        self._at_page_start = True
        self._page_break_pending = False

    # -- blocks ----------------------------------------------------------------------------

    def _write_landmark(self, index: int, block: Heading | Divider) -> None:
        landmark = self.landmarks[index]
        if isinstance(block, Divider) and not self._at_page_start:
            self._page_break_pending = True
        heading = paragraph(landmark.style_id, [text_run(landmark.text)])
        bookmark(heading, landmark.bookmark, index)
        self._emit(heading)
        if isinstance(block, Divider):
            if block.subtitle:
                self._emit(paragraph("Subtitle", [text_run(block.subtitle)]))
            for label, value in block.pairs:
                self._emit(_label_value("DividerDetail", label, value, separator=" "))
            self._page_break_pending = True

    def _write_list(self, items: tuple[str, ...], numbered: bool) -> None:
        num_id = 0
        if numbered:
            self._numbered_lists += 1
            if self._numbered_lists > 1:
                num_id = self._restarted_number_list()
        style = "ListNumber" if numbered else "ListBullet"
        for item in items:
            self._emit(paragraph(style, [text_run(item)], num_id=num_id))

    def _restarted_number_list(self) -> int:
        """A fresh w:num for the List Number definition, so each numbered list counts from 1."""
        style = self.doc.styles["List Number"].element
        style_num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if style_num is None:
            raise ValueError("the List Number style in reference.docx has no numbering")
        self._next_num_id += 1
        restart_numbering(self.doc.part.numbering_part.element,
                          int(style_num.get(qn("w:val"))), self._next_num_id)
        return self._next_num_id

    def _write_table(self, table: Table) -> None:
        if table.caption:
            self._emit(paragraph("Caption", [text_run(table.caption)]))
        if not table.rows:
            self._emit(paragraph("Normal", [text_run(table.empty_text)]))
            return
        columns = len(table.columns)
        for row in table.rows:
            if len(row) > columns:
                raise ValueError(f"table {table.caption!r}: a row has {len(row)} cells for "
                                 f"{columns} columns: {row!r}")
        rows = [tuple(row) + ("",) * (columns - len(row)) for row in table.rows]
        header = [c.title for c in table.columns]
        total = self._text_width
        margins = self._cell_margins
        style_size = self._table_text_pt
        words = longest_words(header, rows, size_pt=style_size)
        floor = max(MIN_TABLE_PT, style_size * MIN_TABLE_SHRINK)
        if self.brief.base_font_size >= LARGE_PRINT_PT:  # large print: tables large too
            floor = style_size
        size = fitting_size(words, size_pt=style_size, cell_margins=margins, total=total,
                            floor_pt=floor)
        minimums = minimum_widths([w * size / style_size for w in words], cell_margins=margins,
                                  total=total)
        widths = column_widths([c.width for c in table.columns], minimums, total)
        self._emit(data_table("BriefTable", widths, header, rows,
                              [c.align for c in table.columns], caption=table.caption,
                              size_pt=size if size < style_size else 0,
                              fragments=self.fragments))

    def _contents_entries(self, depth: int) -> list[tuple[int, str, str]]:
        """(level, text, bookmark) of each line, as the PDF's contents lists them: each
        pack part at level 0 with the headings inside it one below."""
        entries = []
        in_part = False
        blocks = self.brief.blocks
        for index, block in enumerate(blocks):
            if isinstance(block, PartStart):
                in_part = True
                after = next((i for i in range(index + 1, len(blocks)) if i in self.landmarks),
                             None)
                if after is not None:
                    entries.append((0, block.title, self.landmarks[after].bookmark))
            elif isinstance(block, Heading) and min(max(block.level, 1), 3) <= depth:
                level = min(max(block.level, 1), 3)
                entries.append((level if in_part else level - 1, block.text,
                                self.landmarks[index].bookmark))
        return entries

    def _write_contents(self, title: str, depth: int) -> None:
        self._emit(paragraph("TOCHeading", [text_run(title)]))
        depth = max(1, min(depth, MAX_HEADING_LEVEL))
        entries = self._contents_entries(depth)
        pages = next(self._contents_pages, ())
        if [(level, text) for level, text, _ in entries] != [
                (level, html.unescape(text)) for level, text, _ in pages]:
            pages = ()  # the layouts disagree: no saved number rather than a wrong one
        numbers = [str(page) for _, _, page in pages] or [""] * len(entries)
        lines = [_contents_line(level, text, mark, number, self._text_width)
                 for (level, text, mark), number in zip(entries, numbers)]
        if not lines:
            return
        # one TOC field round the lines: its saved result is the entries with the PDF's
        # page numbers (shown as saved, no prompt); "Update table" rebuilds it from the
        # document's own headings, a section added in Word included
        begin, instruction, separate, _, end = field_runs(
            f'TOC \\o "1-{depth}" \\h \\z \\u')
        first = lines[0]
        after_ppr = first.find(qn("w:pPr"))
        for run in (separate, instruction, begin):
            after_ppr.addnext(run)
        lines[-1].append(end)
        for line in lines:
            self._emit(line)


class _Units:
    """What a Word render counts as it appends: the briefs of a pack (PartStart blocks),
    else the sections of a brief (level-1 headings)."""

    def __init__(self, blocks) -> None:
        parts = sum(isinstance(b, PartStart) for b in blocks)
        self.name = "brief" if parts else "section"
        self.total = parts or sum(self._is_section(b) for b in blocks)
        self.done = 0

    @staticmethod
    def _is_section(block) -> bool:
        return isinstance(block, Heading) and block.level <= 1

    def begins(self, block) -> bool:
        """Whether ``block`` begins the next unit (counted as begun)."""
        if isinstance(block, PartStart) if self.name == "brief" else self._is_section(block):
            self.done += 1
            return True
        return False


def _label_value(style_id: str, label: str, value: str, *, separator: str):
    return paragraph(style_id, [text_run(f"{label}:", char_style="Strong"),
                                text_run(f"{separator}{value}")])


def _contents_line(level: int, text: str, bookmark: str, number: str, width: int):
    """One contents entry, as Word writes one in a TOC field's result: a link to the
    heading, dots, and a page reference to it saved with the page the PDF put it on."""
    p = paragraph(f"TOC{min(level + 1, MAX_HEADING_LEVEL)}",
                  [internal_hyperlink(bookmark, [text_run(text)])])
    tabs = element("w:tabs")
    child(tabs, "w:tab", val="right", leader="dot", pos=width)
    p.find(qn("w:pPr")).find(qn("w:pStyle")).addnext(tabs)
    p.append(internal_hyperlink(bookmark, [text_run("\t"),
                                           *field_runs(f"PAGEREF {bookmark} \\h", number)]))
    return p


def text_width_twips(doc: DocxDocument) -> int:
    """The width between the margins of the final section, in twips (python-docx lengths
    are EMU). Read from the body's own w:sectPr: ``doc.sections`` searches the whole body."""
    section = Section(doc.element.body.sectPr, doc.part)
    page, left, right = section.page_width, section.left_margin, section.right_margin
    if page is None or left is None or right is None:
        raise BriefpackError("the template's reference.docx gives its last section no page "
                             "width or margins")
    return (page - left - right) // 635


def style_size_pt(doc: DocxDocument, style_id: str) -> float:
    """The font size a paragraph style sets, following basedOn, else the document default."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    style = by_id.get(style_id)
    while style is not None:
        size = style.find(f"{qn('w:rPr')}/{qn('w:sz')}")
        if size is not None:
            return int(size.get(qn("w:val"))) / 2
        based_on = style.find(qn("w:basedOn"))
        style = by_id.get(based_on.get(qn("w:val"))) if based_on is not None else None
    default = styles.find(_DEFAULT_SIZE_PATH)
    return int(default.get(qn("w:val"))) / 2 if default is not None else 10.0


def table_cell_margins(doc: DocxDocument) -> int:
    """Left plus right cell margin of the Brief Table style, in twips."""
    style = doc.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='BriefTable']")
    margins = style.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}") if style is not None else None
    if margins is None:
        return 2 * 108  # Word's default cell margins
    return sum(int(margins.find(qn(f"w:{side}")).get(qn("w:w")))
               for side in ("left", "right") if margins.find(qn(f"w:{side}")) is not None)

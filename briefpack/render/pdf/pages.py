"""The page machinery of a PDF brief: furniture on every page, parts, outline, page parity.

``BriefDocTemplate`` lays the story out, once; ``BriefCanvas`` finishes the file: it
writes the numbers nobody knows until the end (the total page count, a form XObject
every footer refers to; the page number of every contents line, into the stream of the
contents page) and the PDF page labels of each part.
"""

from __future__ import annotations

import html
import math
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from reportlab.lib.colors import black
from reportlab.pdfbase.pdfdoc import PDFPageLabel
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.doctemplate import (
    ActionFlowable, BaseDocTemplate, LayoutError, PageBegin, PageTemplate,
)
from reportlab.platypus.flowables import Flowable, Spacer
from reportlab.platypus.frames import Frame
from reportlab.platypus.paraparser import ParaParser
from reportlab.platypus.tableofcontents import TableOfContents
from reportlab.platypus.tables import Table

from ...brief.document import BLANK_PAGE_NOTICE
from ...brief.pack import LARGE_PRINT_PT
from ...textsafe import shorten
from .style import CJK, FontNames, PdfStyle, with_fallback_fonts

_TOTAL_FORM = "bpTotalPages"
_CONTENTS_DOTS = " . "
#: layout passes before giving up on contents lists that keep changing shape
_MAX_PASSES = 3


@dataclass(frozen=True)
class Furniture:
    """What every page carries besides the body: marking, page line, watermark."""

    style: PdfStyle
    fonts: FontNames
    marking: str
    watermark: str
    base_size: float

    def size(self, scale: float) -> float:
        """A size scaled from the body's; never below the style's minimum, nor in large
        print below the body size (a large-print page line is as large as its text)."""
        floor = (self.base_size if self.base_size >= LARGE_PRINT_PT
                 else self.style.text.minimum_size)
        return max(floor, self.base_size * scale)

    @property
    def marking_size(self) -> float:
        return self.size(self.style.text.marking_scale)

    @property
    def footer_size(self) -> float:
        return self.size(self.style.text.footer_scale)


class Para(Paragraph):
    """A Paragraph that remembers its last wrap: tables and contents passes re-wrap the
    same cell at the same width many times, and line breaking is the costly part."""

    _wrapped_at: float | None = None
    _wrap_result: tuple[float, float] = (0.0, 0.0)

    def wrap(self, availWidth, availHeight):
        # split() may drop blPara; then the lines must be broken again
        if availWidth != self._wrapped_at or not hasattr(self, "blPara"):
            self._wrap_result = super().wrap(availWidth, availHeight)
            self._wrapped_at = availWidth
        return self._wrap_result

    @classmethod
    def plain(cls, text: str, style) -> Para:
        """A paragraph of plain text (no markup), made without the markup parser: the
        same fragment the parser would make, for a fraction of the cost."""
        text = _WHITESPACE.sub(" ", text).strip()
        if not text:
            return cls("", style)
        if CJK.search(text):  # runs in another font: through the markup parser
            return cls(escape_markup(text), style)
        template = _PLAIN_FRAGS.get(style)
        if template is None:
            _, (template,), _ = ParaParser().parse("x", style)
            _PLAIN_FRAGS[style] = template
        return cls(text, style, frags=[template.clone(text=text)])


_WHITESPACE = re.compile(r"[ \t\r\n]+")
#: per paragraph style, the parser's fragment for plain text
_PLAIN_FRAGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class HeadingParagraph(Para):
    """A heading that knows its bookmark key and where it goes in outline and contents.

    The constructor stays reportlab's, because Paragraph.split() calls it for the pieces.
    """

    bp_title = ""
    bp_key = ""
    #: the Brief heading level (1, 2, 3); 0 for the later pieces of a split heading
    bp_level = 0

    @classmethod
    def make(cls, markup: str, style, *, title: str, key: str,
             level: int) -> HeadingParagraph:
        heading = cls(markup, style)
        heading.bp_title, heading.bp_key, heading.bp_level = title, key, level
        return heading

    def split(self, availWidth, availHeight):
        pieces = super().split(availWidth, availHeight)
        if len(pieces) > 1:
            first = pieces[0]
            first.bp_title, first.bp_key, first.bp_level = \
                self.bp_title, self.bp_key, self.bp_level
        return pieces

    def draw(self):
        if self.bp_key:
            # bookmark the top of the heading itself, not just its page
            self.canv.bookmarkHorizontal(self.bp_key, 0, self.height)
        super().draw()


#: a contents line longer than this is cut with an ellipsis: a line must fit on a page
_CONTENTS_CHARS = 150


def _contents_line(markup: str) -> str:
    """A heading's text for the contents: cut to ``_CONTENTS_CHARS`` visible characters
    (the text is Paragraph markup, so it is cut as plain text and escaped again)."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", markup))
    if len(plain) <= _CONTENTS_CHARS:
        return markup
    return html.escape(shorten(plain, _CONTENTS_CHARS), quote=False)


class BriefContents(TableOfContents):
    """A contents list laid out in the same pass as the headings it lists.

    Its lines come from ``expect`` (the headings the story will have), so its length is
    right before any page is laid out; the dots and page number of each line are left
    as a marker that ``BriefCanvas`` replaces with the text at the end, when the pages
    are known. Only if the headings found differ from those expected does the document
    need another pass.
    Takes entries down to its own ``depth``; notifications carry (toc_level, text, page,
    key, heading_level), parts having level 0.
    """

    def __init__(self, depth: int, name: str, **kwargs):
        super().__init__(**kwargs)
        self.depth = depth
        #: unique in the document: names the draw callback and the page-number markers
        self.name = name

    def expect(self, entries: list[tuple[int, str, int, str]]) -> None:
        """Lay out these (level, text, page, key) lines; collect the real ones afresh."""
        self._lastEntries = list(entries)
        self._entries: list[tuple[int, str, int, str]] = []

    def found(self) -> list[tuple[int, str, int, str]]:
        return list(self._entries)

    def notify(self, kind, stuff):
        if kind == self._notifyKind:
            level, text, page, key, heading_level = stuff
            if heading_level <= self.depth:
                self.addEntry(level, text, page, key)

    def isSatisfied(self):
        # page numbers are filled in at the end; only the lines themselves must match
        return [(lvl, text, key) for lvl, text, _, key in self._entries] == \
            [(lvl, text, key) for lvl, text, _, key in self._lastEntries]

    def wrap(self, availWidth, availHeight):
        self.canv.setNamedCB(self.name, partial(self._draw_number, availWidth))
        rows: list[list[Flowable]] = []
        for index, (level, text, _, key) in enumerate(self._lastEntries):
            style = self.getLevelStyle(level)
            text = _contents_line(text)
            if key:
                text = f'<a href="#{key}">{text}</a>'
            if style.spaceBefore:
                rows.append([Spacer(1, style.spaceBefore)])
            rows.append([Paragraph(f'{text}<onDraw name="{self.name}" label="{index}"/>',
                                   style)])
        self._table = Table(rows or [[""]], colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def _draw_number(self, avail_width: float, canv: Canvas, _kind, label: str) -> None:
        """At the end of a line: mark where its dots and page number go."""
        index = int(label)
        level, _, _, key = self._lastEntries[index]
        style = self.getLevelStyle(level)
        x, y = canv._curr_tx_info["cur_x"], canv._curr_tx_info["cur_y"]
        if key:
            canv.linkRect("", key, (x, y, avail_width, y + style.leading), relative=1)
        dots = _CONTENTS_DOTS if 0 <= self.dotsMinLevel <= level else ""
        marker = f"%{self.name}n{index}"
        canv.addLiteral(marker)
        canv.bp_late_text.append(_LateText(
            canv.getPageNumber(), marker,
            partial(self._number_text, index, x, y, avail_width, style, dots)))

    def _number_text(self, index: int, x: float, y: float, avail_width: float, style,
                     dots: str, canv: Canvas):
        """The dots and page number of a line, as reportlab's own contents draws them."""
        page = str(self._entries[index][2])
        size = style.fontSize
        page_width = stringWidth(page, style.fontName, size)
        while page_width > avail_width - x and size >= 1.0:
            size *= 0.9
            page_width = stringWidth(page, style.fontName, size)
        dot_width = stringWidth(dots, style.fontName, size) if dots else 0.0
        count = int((avail_width - x - page_width) / dot_width) if dots else 0
        text = canv.beginText(avail_width - count * dot_width - page_width, y)
        text.setFont(style.fontName, size)
        text.setFillColor(style.textColor)
        text.textLine(dots * count + page)
        return text


@dataclass(frozen=True)
class _LateText:
    """Text whose words are known only when the last page is laid out: a marker in the
    stream of ``page`` and the maker of the text object that replaces it."""

    page: int
    marker: str
    make: Callable[[Canvas], Any]


def new_page(odd: bool) -> ActionFlowable:
    """Start a new page unless the current one is untouched; ``odd``: a right-hand page."""
    return ActionFlowable(("bp_new_page", odd))


def part_start(label: str, title: str, key: str, odd: bool) -> ActionFlowable:
    """Begin one country's brief: new (odd) page, page labels LABEL-1 …, outline root."""
    return ActionFlowable(("bp_part_start", label, title, key, odd))


@dataclass
class _Part:
    label: str
    first_page: int


@dataclass
class _LayoutState:
    """Per-pass state; reset at the start of every multiBuild pass."""

    part: _Part | None = None
    part_starts: list[_Part] = field(default_factory=list)
    #: the outline level of the last entry (reportlab refuses jumps of more than one)
    outline_level: int = -1
    #: per right-hand-page break, in order: whether a blank page was put in before it
    padded: list[bool] = field(default_factory=list)


_ROOT_KEY = "bp-pack"


class BriefDocTemplate(BaseDocTemplate):
    """One frame per page; markings, watermark and page line drawn around it."""

    def __init__(self, filename, furniture: Furniture, *, duplex: bool,
                 outline_root: str = "", **kwargs):
        self.furniture = furniture
        #: a pack's title: every bookmark nests under it (pack → country → section)
        self.outline_root = outline_root
        #: printed on both sides: odd-parity breaks pad with a blank page (reportlab's own
        #: ``duplex`` is the viewer preference below, which tells the printing the same)
        self.two_sided = duplex
        style = furniture.style
        top, bottom, left, right = style.page.margins()
        super().__init__(filename, pagesize=style.page.pagesize, topMargin=top,
                         bottomMargin=bottom, leftMargin=left, rightMargin=right,
                         invariant=1, displayDocTitle=1, initialFontName=furniture.fonts.regular,
                         duplex="DuplexFlipLongEdge" if duplex else "Simplex",
                         initialFontSize=furniture.base_size, **kwargs)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate("brief", [frame], onPage=self._draw_page_top,
                                            onPageEnd=self._draw_page_bottom)])
        self.state = _LayoutState()

    # --- pass and page hooks -------------------------------------------------------------

    def build_once(self, make_story, canvasmaker) -> None:
        """Lay out and write the document, normally in one pass.

        ``make_story(learned)`` returns (story, contents lists); ``learned`` is None, or
        the contents lines a pass found when they differed from those expected. Each
        flowable is dropped once drawn, as the story is consumed.
        """
        learned = None
        self._doSave = 0  # saved here, once the contents are known to be right
        for _ in range(_MAX_PASSES):
            story, self._indexingFlowables = make_story(learned)
            self.build(story, canvasmaker=canvasmaker)
            if self._allSatisfied():
                self.canv.save()
                return
            learned = [contents.found() for contents in self._indexingFlowables]
        raise LayoutError(f"the contents did not settle in {_MAX_PASSES} passes")

    def beforeDocument(self):
        self.state = _LayoutState()
        self.canv.bp_part_starts = self.state.part_starts
        if self.outline_root:
            self.canv.bookmarkPage(_ROOT_KEY, fit="XYZ", top=self.pagesize[1])
            self.canv.addOutlineEntry(self.outline_root, _ROOT_KEY, level=0, closed=False)
            self.state.outline_level = 0

    def _draw_page_top(self, canv: Canvas, doc) -> None:
        draw_marking(canv, self.furniture, top=True)
        if self.furniture.watermark:
            draw_watermark(canv, self.furniture)

    def _draw_page_bottom(self, canv: Canvas, doc) -> None:
        draw_page_line(canv, self.furniture, self.page, self.page_label())
        draw_marking(canv, self.furniture, top=False)

    def page_label(self) -> str:
        """The footer label: e.g. "NOR-4" inside a part, empty before the first PartStart."""
        part = self.state.part
        return f"{part.label}-{self.page - part.first_page + 1}" if part else ""

    # --- actions -------------------------------------------------------------------------

    def handle_bp_new_page(self, odd: bool) -> None:
        # the next page is begun lazily, so a break at the very end adds no empty page
        if self._page_has_content():
            self.handle_pageBreak()
        pad = odd and self.two_sided and self._upcoming_page() % 2 == 0
        if odd:
            self.state.padded.append(pad)
        if pad:
            self.clean_hanging()
            self._fill_blank_page()
            self.handle_pageBreak()

    def handle_bp_part_start(self, label: str, title: str, key: str, odd: bool) -> None:
        self.handle_bp_new_page(odd)
        self.clean_hanging()
        part = _Part(label, self.page)
        self.state.part = part
        self.state.part_starts.append(part)
        self.canv.bookmarkPage(key, fit="XYZ", top=self.pagesize[1])
        self._add_outline_entry(title, key, 0)
        self.notify("TOCEntry", (0, escape_markup(title), self.page, key, 0))

    def afterFlowable(self, flowable):
        if isinstance(flowable, HeadingParagraph) and 1 <= flowable.bp_level <= 2:
            level = flowable.bp_level - (0 if self.state.part else 1)
            self._add_outline_entry(flowable.bp_title, flowable.bp_key, level)
            self.notify("TOCEntry", (level, escape_markup(flowable.bp_title), self.page,
                                     flowable.bp_key, flowable.bp_level))

    # --- helpers -------------------------------------------------------------------------

    def _upcoming_page(self) -> int:
        """The number of the page the next flowable will land on."""
        return self.page + 1 if self._hanging and self._hanging[-1] is PageBegin else self.page

    def _page_has_content(self) -> bool:
        if self._hanging and self._hanging[-1] is PageBegin:
            return False
        frame = self.frame
        return frame._y < frame._y2 - frame._topPadding - 0.01

    def _fill_blank_page(self) -> None:
        furniture = self.furniture
        self.canv.setFont(furniture.fonts.italic, furniture.size(1.0))
        self.canv.setFillColor(black)
        self.canv.drawCentredString(self.leftMargin + self.width / 2,
                                    self.bottomMargin + self.height / 2, BLANK_PAGE_NOTICE)
        self._curPageFlowableCount += 1

    def _add_outline_entry(self, title: str, key: str, level: int) -> None:
        level += 1 if self.outline_root else 0
        level = max(0, min(level, self.state.outline_level + 1))
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
        self.state.outline_level = level


def escape_markup(text: str) -> str:
    """Plain text to Platypus paragraph markup (CJK runs in the fallback font)."""
    return with_fallback_fonts(
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def draw_marking(canv: Canvas, furniture: Furniture, *, top: bool) -> None:
    """The overall protective marking, centred, bold, black, capitals, as text."""
    width, height = canv._pagesize
    size = _fitting_size(furniture.marking.upper(), furniture.fonts.bold,
                         furniture.marking_size, width * 0.9)
    inset = furniture.style.page.furniture_inset_mm * 72 / 25.4
    y = height - inset - size if top else inset
    canv.setFont(furniture.fonts.bold, size)
    canv.setFillColor(black)
    canv.drawCentredString(width / 2, y, furniture.marking.upper())


def draw_page_line(canv: Canvas, furniture: Furniture, page: int, label: str) -> None:
    """ "Page X of Y" at the left, the part's page label at the right, above the marking."""
    width, _ = canv._pagesize
    _, _, left, right = furniture.style.page.margins()
    inset = furniture.style.page.furniture_inset_mm * 72 / 25.4
    size = furniture.footer_size
    y = inset + furniture.marking_size * 1.8
    text = f"Page {page} of "
    canv.setFont(furniture.fonts.regular, size)
    canv.setFillColor(black)
    canv.drawString(left, y, text)
    canv.saveState()
    canv.translate(left + stringWidth(text, furniture.fonts.regular, size), y)
    canv.doForm(_TOTAL_FORM)
    canv.restoreState()
    if label:
        canv.setFont(furniture.fonts.bold, size)
        canv.drawRightString(width - right, y, label)


def draw_watermark(canv: Canvas, furniture: Furniture) -> None:
    """A large light-grey word across the page diagonal, under the body text."""
    width, height = canv._pagesize
    word = furniture.watermark.upper()
    size = _fitting_size(word, furniture.fonts.bold, furniture.style.text.watermark_size,
                         math.hypot(width, height) * 0.7)
    canv.saveState()
    canv.setFillColor(furniture.style.colours.get("watermark"))
    canv.setFont(furniture.fonts.bold, size)
    canv.translate(width / 2, height / 2)
    canv.rotate(math.degrees(math.atan2(height, width)))
    canv.drawCentredString(0, -size / 3, word)
    canv.restoreState()


def _fitting_size(text: str, font: str, size: float, max_width: float) -> float:
    width = stringWidth(text, font, size)
    return size if width <= max_width else size * max_width / width


class BriefCanvas(Canvas):
    """A canvas that, on save, writes the page total and the page labels of each part."""

    def __init__(self, *args, furniture: Furniture, date_text: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.furniture = furniture
        self.bp_part_starts: list[_Part] = []
        #: contents page numbers, written into their pages once every page is known
        self.bp_late_text: list[_LateText] = []
        if date_text:
            self.setDateFormatter(lambda *_: date_text)

    def save(self):
        self._write_total_pages()
        self._write_late_text()
        self._write_page_labels()
        super().save()

    def _write_late_text(self) -> None:
        # a page's content waits, uncompressed, in the document until the file is saved
        pages = self._doc.Pages.pages
        for late in self.bp_late_text:
            page = pages[late.page - 1]
            code = f"q\n{late.make(self).getCode()}\nQ"
            if late.marker + "\n" not in page.stream:
                raise RuntimeError(f"contents marker {late.marker} not on page {late.page}")
            page.stream = page.stream.replace(late.marker + "\n", code + "\n", 1)

    def _write_total_pages(self) -> None:
        size = self.furniture.footer_size
        self.beginForm(_TOTAL_FORM, lowery=-size, upperx=size * 6, uppery=size * 1.5)
        self.setFont(self.furniture.fonts.regular, size)
        self.setFillColor(black)
        self.drawString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()

    def _write_page_labels(self) -> None:
        if not self.bp_part_starts or self.bp_part_starts[0].first_page != 1:
            self.addPageLabel(0, PDFPageLabel.ARABIC)
        for part in self.bp_part_starts:
            self.addPageLabel(part.first_page - 1, PDFPageLabel.ARABIC, start=1,
                              prefix=f"{part.label}-")


def canvas_maker(furniture: Furniture, date_text: str | None):
    return partial(BriefCanvas, furniture=furniture, date_text=date_text)

"""Data tables for the Word output: column widths that never split a word when the page
allows it, a repeating header row, fixed layout, no merged cells."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from lxml import etree

from briefpack.render.docx.elements import (
    W_NAMESPACE, child, clean_text, element, paragraph, text_run,
)

TWIPS_PER_POINT = 20
#: no single long word (a URL, say) may claim more than this share of the table
MAX_WORD_SHARE = 0.4
#: a little air beyond the measured word, since Word and LibreOffice round differently
_SLACK_TWIPS = 40
#: rows shorter than this are kept whole on one page; a longer row may run over a page
_UNSPLIT_ROW_CHARACTERS = 600
#: tables longer than this keep their body rows as serialised XML until the file is saved:
#: a python-docx element costs far more memory than its text (a 3,600-page pack's rows
#: would take some 600 MB as elements, under 100 MB as text)
SERIALISED_FROM_ROWS = 1


@lru_cache(maxsize=4096)
def word_width_twips(word: str, bold: bool, size_pt: float) -> int:
    """Width of ``word`` in Arial; Helvetica's metrics (bundled with reportlab) are Arial's."""
    font = "Helvetica-Bold" if bold else "Helvetica"
    return round(stringWidth(word, font, size_pt) * TWIPS_PER_POINT)


def longest_word(texts: Sequence[str], *, bold: bool, size_pt: float) -> int:
    return max((word_width_twips(word, bold, size_pt)
                for text in texts for word in text.split()), default=0)


def longest_words(header: Sequence[str], rows: Sequence[Sequence[str]], *,
                  size_pt: float) -> list[int]:
    """Per column, the width of its longest word in twips (the header's set in bold)."""
    return [max(longest_word([title], bold=True, size_pt=size_pt),
                longest_word([row[index] for row in rows], bold=False, size_pt=size_pt))
            for index, title in enumerate(header)]


def fitting_size(words: Sequence[float], *, size_pt: float, floor_pt: float,
                 cell_margins: int, total: int) -> float:
    """The largest size, in half points from ``size_pt`` down to ``floor_pt``, at which every
    column's longest word fits across the table (word widths grow in step with the size).
    A word too long for the whole table even at ``floor_pt`` is broken whatever the size,
    so it counts as MAX_WORD_SHARE of the table (``minimum_widths`` holds it there)."""
    most = total * MAX_WORD_SHARE - cell_margins - _SLACK_TWIPS
    whole = total - cell_margins - _SLACK_TWIPS
    words = [most if width * floor_pt / size_pt > whole else width for width in words]
    room = total - len(words) * (cell_margins + _SLACK_TWIPS)
    if sum(words) <= room:
        return size_pt
    fitting = int(2 * size_pt * room / sum(words)) / 2 if room > 0 else floor_pt
    return max(floor_pt, fitting)


def minimum_widths(words: Sequence[float], *, cell_margins: int, total: int) -> list[int]:
    """Per column, the width that fits its longest word; no word may claim over 40 %."""
    cap = int(total * MAX_WORD_SHARE)
    return [min(int(width) + cell_margins + _SLACK_TWIPS, cap) for width in words]


def column_widths(relative: Sequence[float], minimums: Sequence[int], total: int) -> list[int]:
    """Share ``total`` twips in proportion to ``relative`` but give each column at least its
    minimum, taking the difference from columns with room to spare."""
    weights = [max(w, 0.0) for w in relative]
    if sum(weights) <= 0:
        weights = [1.0] * len(relative)
    if sum(minimums) >= total:
        # The words cannot all fit: shrink every column alike and let the longest words wrap.
        widths = [m * total / sum(minimums) for m in minimums]
    else:
        widths = [max(total * w / sum(weights), m) for w, m in zip(weights, minimums, strict=True)]
        excess = sum(widths) - total
        slack = sum(w - m for w, m in zip(widths, minimums, strict=True))
        if excess > 0:
            widths = [w - excess * (w - m) / slack
                      for w, m in zip(widths, minimums, strict=True)]
    whole = [int(w) for w in widths]
    whole[whole.index(max(whole))] += total - sum(whole)
    return whole


def data_table(style_id: str, widths: Sequence[int], header: Sequence[str],
               rows: Sequence[Sequence[str]], aligns: Sequence[str], caption: str = "",
               size_pt: float = 0, fragments: Fragments | None = None):
    """A fixed-layout table; the first row is a repeating header row (w:tblHeader).

    ``size_pt``, if given, overrides the cell styles' size (a table too wide for its words).
    With ``fragments``, the body rows of a long table are kept there as XML text and a
    placeholder stands in the table until ``Fragments.resolve`` runs at save time.
    """
    tbl = element("w:tbl")
    tbl_pr = child(tbl, "w:tblPr")
    child(tbl_pr, "w:tblStyle", val=style_id)
    child(tbl_pr, "w:tblW", w=sum(widths), type="dxa")
    child(tbl_pr, "w:tblLayout", type="fixed")
    child(tbl_pr, "w:tblLook", val="0420", firstRow=1, lastRow=0, firstColumn=0,
          lastColumn=0, noHBand=1, noVBand=1)
    if caption:
        child(tbl_pr, "w:tblCaption", val=clean_text(caption)[:255])
    grid = child(tbl, "w:tblGrid")
    for width in widths:
        child(grid, "w:gridCol", w=width)
    if fragments is not None and len(rows) >= SERIALISED_FROM_ROWS:
        # every row as XML text, built once for the table
        tbl.append(fragments.placeholder("".join([
            _row_xml(header, widths, aligns, "TableHeading", size_pt, is_header=True),
            *(_row_xml(cells, widths, aligns, "TableText", size_pt) for cells in rows)])))
        return tbl
    tbl.append(_row(header, widths, aligns, "TableHeading", size_pt, is_header=True))
    for cells in rows:
        tbl.append(_row(cells, widths, aligns, "TableText", size_pt, is_header=False))
    return tbl


#: how lxml escapes text (xml.sax.saxutils.escape would do, but importing it imports
#: urllib, http and ssl: a tenth of a build's start-up)
_LXML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


class Fragments:
    """Body XML kept as text during a render, put in place when document.xml is written."""

    _PREFIX = "briefpack-fragment-"
    _MARKER = re.compile(rb"<!--briefpack-fragment-(\d+)-->")
    #: a detached block serialises with its own namespace declaration; the body has it
    _W_DECLARATION = b' xmlns:w="' + W_NAMESPACE.encode() + b'"'

    def __init__(self) -> None:
        self._texts: list[bytes] = []

    def placeholder(self, xml: str | bytes):
        """A comment that stands for ``xml`` until ``resolve``."""
        self._texts.append(xml.encode("utf-8") if isinstance(xml, str) else xml)
        return etree.Comment(f"{self._PREFIX}{len(self._texts) - 1}")

    def keep(self, block):
        """A placeholder for ``block``, a finished element not yet in the document, as
        the document will serialise it (placeholders inside it resolved)."""
        xml = etree.tostring(block, encoding="utf-8")
        root_tag_end = xml.index(b">")
        root_tag = xml[:root_tag_end].replace(self._W_DECLARATION, b"", 1)
        xml = self._MARKER.sub(self._take, root_tag + xml[root_tag_end:])
        return self.placeholder(xml)

    def _take(self, match: re.Match) -> bytes:
        number = int(match.group(1))
        text, self._texts[number] = self._texts[number], b""
        return text

    def resolve(self, document_xml: bytes) -> Iterator[bytes]:
        """document.xml in pieces, every placeholder comment replaced by its XML (pieces,
        so a large document is never held twice over)."""
        start = 0
        for match in self._MARKER.finditer(document_xml):
            yield document_xml[start:match.start()]
            yield self._take(match)  # written: let it go
            start = match.end()
        yield document_xml[start:]


def _row_xml(cells: Sequence[str], widths: Sequence[int], aligns: Sequence[str],
             style_id: str, size_pt: float, *, is_header: bool = False) -> str:
    """The same w:tr that ``_row`` builds, as XML text."""
    keep = "<w:cantSplit/>" if is_header or sum(len(t) for t in cells) <= \
        _UNSPLIT_ROW_CHARACTERS else ""
    if is_header:
        keep += "<w:tblHeader/>"
    run_pr = (f'<w:rPr><w:sz w:val="{round(size_pt * 2)}"/><w:szCs w:val="{round(size_pt * 2)}"/>'
              "</w:rPr>" if size_pt else "")
    out = ["<w:tr>", _element_xml("w:trPr", keep)]
    for text, width, align in zip(cells, widths, aligns, strict=True):
        jc = '<w:jc w:val="right"/>' if align == "right" else ""
        out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
                   f'<w:pStyle w:val="{style_id}"/>{jc}</w:pPr>'
                   f"{_element_xml('w:r', run_pr + _run_text_xml(text))}</w:p></w:tc>")
    out.append("</w:tr>")
    return "".join(out)


def _element_xml(tag: str, inner: str) -> str:
    """``<tag>inner</tag>``, or ``<tag/>`` when empty, as lxml writes it."""
    return f"<{tag}>{inner}</{tag}>" if inner else f"<{tag}/>"


def _run_text_xml(text: str) -> str:
    """A run's content as ``text_run`` writes it: w:br for newlines, w:tab for tabs."""
    pieces = []
    for index, line in enumerate(clean_text(text).split("\n")):
        if index:
            pieces.append("<w:br/>")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                pieces.append("<w:tab/>")
            if part:
                pieces.append(f'<w:t xml:space="preserve">{part.translate(_LXML_ESCAPES)}</w:t>')
    return "".join(pieces)


def _row(cells: Sequence[str], widths: Sequence[int], aligns: Sequence[str], style_id: str,
         size_pt: float, *, is_header: bool):
    tr = element("w:tr")
    tr_pr = child(tr, "w:trPr")
    if is_header or sum(len(text) for text in cells) <= _UNSPLIT_ROW_CHARACTERS:
        child(tr_pr, "w:cantSplit")
    if is_header:
        child(tr_pr, "w:tblHeader")
    for text, width, align in zip(cells, widths, aligns, strict=True):
        tc = child(tr, "w:tc")
        tc_pr = child(tc, "w:tcPr")
        child(tc_pr, "w:tcW", w=width, type="dxa")
        tc.append(paragraph(style_id, [text_run(text, size_pt=size_pt)],
                            align="right" if align == "right" else ""))
    return tr

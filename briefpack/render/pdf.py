"""Brief -> .pdf with reportlab Platypus.

A4 (or the template's page size), an embedded open-licence sans-serif font, the overall
marking at the top and bottom of every page, "Page X of Y" (and "NOR-4" inside a pack),
a contents page with real page numbers, nested bookmarks, PDF page labels, and
byte-identical output for identical input.

Page machinery lives in ``pdf_doc``, block layout in ``pdf_blocks``, the style in
``pdf_style``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..brief.document import Brief, PartStart
from .pdf_blocks import StoryBuilder
from .pdf_doc import BriefDocTemplate, Furniture, canvas_maker
from .pdf_style import PdfStyle, default_style_path, load_pdf_style, register_fonts

__all__ = ["render_pdf", "pdf_layout", "PdfLayout", "load_pdf_style", "PdfStyle"]


@dataclass(frozen=True)
class PdfLayout:
    """Where the PDF put things: what the Word output copies so both agree."""

    pages: int
    #: per Contents block, in order: each line's (level, text, page)
    contents: tuple[tuple[tuple[int, str, int], ...], ...]
    #: per right-hand-page break (PageBreak(parity="odd") and PartStart), in order:
    #: whether a blank page was put in before it
    padded: tuple[bool, ...]


def render_pdf(brief: Brief, out: Path | str, *, template_dir: Path | None = None,
               duplex: bool = True) -> int:
    """Write ``brief`` as a PDF to ``out``; return the number of pages.

    ``template_dir`` holds pdf-style.yaml (default: templates/standard). With ``duplex``
    a PageBreak(parity="odd") and every PartStart begin on a right-hand page, padding
    with a page that says it is intentionally left blank.
    """
    return _lay_out(brief, out, template_dir, duplex).pages


def pdf_layout(brief: Brief, *, template_dir: Path | None = None,
               duplex: bool = True) -> PdfLayout:
    """Lay ``brief`` out as the PDF would be, in memory: its pages, contents page numbers
    and blank pages."""
    return _lay_out(brief, io.BytesIO(), template_dir, duplex)


def _lay_out(brief: Brief, out, template_dir: Path | None, duplex: bool) -> PdfLayout:
    style = load_pdf_style(default_style_path(template_dir))
    furniture = Furniture(style=style, fonts=register_fonts(style.fonts),
                          marking=brief.marking, watermark=brief.watermark,
                          base_size=brief.base_font_size)
    is_pack = any(isinstance(block, PartStart) for block in brief.blocks)
    document = BriefDocTemplate(
        out if isinstance(out, io.BytesIO) else str(out), furniture, duplex=duplex,
        outline_root=brief.title if is_pack else "",
        title=brief.title, author=brief.author,
        subject=brief.subject, keywords=list(brief.keywords), lang=brief.language or "en-GB",
        creator=f"briefpack {__version__}", producer=f"briefpack {__version__} (ReportLab)")

    def make_story(learned):
        builder = StoryBuilder(furniture, document.width, document.height)
        return builder.build(brief.blocks, learned), builder.contents

    document.build_once(make_story, canvas_maker(furniture, _pdf_date(brief)))
    contents = tuple(tuple((level, text, page) for level, text, page, _ in c.found())
                     for c in document._indexingFlowables)
    return PdfLayout(document.page, contents, tuple(document.state.padded))


def _pdf_date(brief: Brief) -> str | None:
    """The brief's own date as the file's creation date, so reruns are byte-identical."""
    return f"D:{brief.date:%Y%m%d}000000+00'00'" if brief.date else None

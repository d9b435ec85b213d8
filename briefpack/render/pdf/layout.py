"""Brief -> .pdf with reportlab Platypus.

A4 (or the template's page size), an embedded open-licence sans-serif font, the overall
marking at the top and bottom of every page, "Page X of Y" (and "NOR-4" inside a pack),
a contents page with real page numbers, nested bookmarks, PDF page labels, and
byte-identical output for identical input.

Page machinery lives in ``pages``, block layout in ``blocks`` (tables in ``tables``),
the style in ``style``.
"""

from __future__ import annotations

import bisect
import io
from dataclasses import dataclass
from pathlib import Path

from ... import __version__
from ...brief.document import Brief, PartStart
from ...progress import Detail, OnProgress
from .blocks import StoryBuilder
from .pages import BriefDocTemplate, Furniture, canvas_maker
from .style import default_style_path, load_pdf_style, register_fonts

__all__ = ["render_pdf", "lay_out", "LaidOutPdf", "PdfLayout"]


@dataclass(frozen=True)
class PdfLayout:
    """Where the PDF put things: what the Word output copies so both agree."""

    pages: int
    #: per Contents block, in order: each line's (level, text, page)
    contents: tuple[tuple[tuple[int, str, int], ...], ...]
    #: per right-hand-page break (PageBreak(parity="odd") and PartStart), in order:
    #: whether a blank page was put in before it
    padded: tuple[bool, ...]


@dataclass(frozen=True)
class LaidOutPdf:
    """A brief's PDF laid out once: where things went, for the Word output to copy, and
    the file itself, for the .pdf."""

    layout: PdfLayout
    pdf: bytes


def render_pdf(brief: Brief, out: Path | str, *, template_dir: Path | None = None,
               duplex: bool = True, on_progress: OnProgress | None = None,
               laid_out: LaidOutPdf | None = None) -> int:
    """Write ``brief`` as a PDF to ``out``; return the number of pages.

    ``template_dir`` holds pdf-style.yaml (default: templates/standard). With ``duplex``
    a PageBreak(parity="odd") and every PartStart begin on a right-hand page, padding
    with a page that says it is intentionally left blank. ``on_progress`` is told of each
    page as it is laid out ("page 37 of about 120"), and last of the real page count.
    ``laid_out``: this brief already laid out (``lay_out``, with the same template and
    duplex), written as it is.
    """
    if laid_out is not None:
        Path(out).write_bytes(laid_out.pdf)
        pages = laid_out.layout.pages
    else:
        pages = _lay_out(brief, out, template_dir, duplex, on_progress).pages
    if on_progress:
        on_progress(Detail(pages, pages, "page"))
    return pages


def lay_out(brief: Brief, *, template_dir: Path | None = None, duplex: bool = True,
            on_progress: OnProgress | None = None) -> LaidOutPdf:
    """Lay ``brief`` out as ``render_pdf`` would, in memory: its pages, contents page
    numbers and blank pages, and the PDF. A build lays each brief out once and gives the
    result to every renderer that uses it. ``on_progress`` as for ``render_pdf``."""
    buffer = io.BytesIO()
    layout = _lay_out(brief, buffer, template_dir, duplex, on_progress)
    if on_progress:
        on_progress(Detail(layout.pages, layout.pages, "page"))
    return LaidOutPdf(layout, buffer.getvalue())


def _style_path(template_dir: Path | None) -> Path:
    """The template's pdf-style.yaml; a template may restyle Word alone, and the standard
    PDF style then stands in for it."""
    path = default_style_path(template_dir)
    return path if path.is_file() else default_style_path()


def _lay_out(brief: Brief, out, template_dir: Path | None, duplex: bool,
             on_progress: OnProgress | None = None) -> PdfLayout:
    style = load_pdf_style(_style_path(template_dir))
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

    if on_progress:
        document.setProgressCallBack(_PageCounter(on_progress))

    def make_story(learned):
        builder = StoryBuilder(furniture, document.width, document.height)
        return builder.build(brief.blocks, learned), builder.contents

    document.build_once(make_story, canvas_maker(furniture, _pdf_date(brief)))
    contents = tuple(tuple((level, text, page) for level, text, page, _ in c.found())
                     for c in document._indexingFlowables)
    return PdfLayout(document.page, contents, tuple(document.state.padded))


class _PageCounter:
    """Turns reportlab's progress events into a Detail per page laid out.

    The pages to come are estimated from the flowables left and the pages per flowable
    over the later half of the story laid out so far: front matter (a pack's cover and
    contents: few flowables, many pages) weighs less as the layout goes on. Before
    ``GUESS_FROM`` of the story is laid out no estimate is made.
    """

    GUESS_FROM = 0.05

    def __init__(self, report: OnProgress):
        self._report = report
        self._flowables = 1
        self._handled = 0
        #: per page laid out in this pass: the flowables handled by its end
        self._history: list[int] = []

    def __call__(self, kind: str, value: int) -> None:
        if kind == "SIZE_EST":  # a layout pass begins with this many flowables
            self._flowables, self._handled, self._history = max(value, 1), 0, []
        elif kind == "PROGRESS":  # flowables handled (split pieces go back in: not less)
            self._handled = max(self._handled, value)
        elif kind == "PAGE":  # this page is laid out
            self._history.append(self._handled)
            share = min(self._handled / self._flowables, 1.0)
            expected = self._expected(value) if share >= self.GUESS_FROM else None
            self._report(Detail(value, expected, "page", estimated=True, share=share))

    def _expected(self, page: int) -> int:
        half = bisect.bisect_left(self._history, self._handled // 2)
        flowables = self._handled - (self._history[half - 1] if half else 0)
        per_flowable = (page - half) / flowables if flowables else 1.0
        return _about(page + (self._flowables - self._handled) * per_flowable)


def _about(pages: float) -> int:
    """An estimate of pages, rounded as a person would say it."""
    return int(round(pages, -1)) if pages >= 100 else round(pages)


def _pdf_date(brief: Brief) -> str | None:
    """The brief's own date as the file's creation date, so reruns are byte-identical."""
    return f"D:{brief.date:%Y%m%d}000000+00'00'" if brief.date else None


def unprintable_warnings(brief: Brief, *, template_dir: Path | None = None,
                         name: str = "The brief") -> list[str]:
    """A warning naming the characters the PDF cannot print (no font on this computer has
    them, or a right-to-left script) and the sections they are in; none if all print."""
    from ...brief.document import Heading, block_text
    from .style import unprintable

    fonts = register_fonts(load_pdf_style(default_style_path(template_dir)).fonts)
    found: dict[str, list[str]] = {}
    section = brief.title
    for block in brief.blocks:
        if isinstance(block, Heading) and block.level <= 1:
            section = block.text
        for char in unprintable(block_text(block), fonts):
            chars = found.setdefault(section, [])
            if char not in chars:
                chars.append(char)
    if not found:
        return []
    every = list(dict.fromkeys(c for chars in found.values() for c in chars))
    where = "; ".join(f"{section}: {' '.join(chars)}" for section, chars in found.items())
    return [f"{name}'s PDF cannot print {len(every)} character"
            f"{'s' if len(every) != 1 else ''} (no font for them on this computer, or a "
            f"right-to-left script), which show as blanks or boxes: {where}. The Word file "
            "shows them; or give the names in Latin script as well."]

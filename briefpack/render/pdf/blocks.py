"""Brief blocks to Platypus flowables: how each block looks, never what it says."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak, Flowable, ListFlowable, ListItem, Paragraph, Spacer, Table, TableStyle,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.doctemplate import ActionFlowable

from ...brief import document as doc
from ...brief.pack import LARGE_PRINT_PT
from .pages import (
    BriefContents, Furniture, HeadingParagraph, Para, escape_markup, new_page, part_start,
)
from .tables import (
    shared_cell_style,
    DataTable, RowStream, column_widths, fitting_font_size,
)

#: body lines that must fit below a heading (or a table caption) on the same page
_LINES_KEPT_WITH_HEADING = 4
#: a level-1 section no taller than this share of the page is never split across pages
SHORT_SECTION_SHARE = 3 / 4


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for one render, sized from the Brief's base font size."""

    body: ParagraphStyle
    lead: ParagraphStyle
    small: ParagraphStyle
    quote: ParagraphStyle
    headings: dict[int, ParagraphStyle]
    caption: ParagraphStyle
    cell: ParagraphStyle
    header: ParagraphStyle
    contents_title: ParagraphStyle
    contents_levels: list[ParagraphStyle]
    divider_title: ParagraphStyle
    divider_subtitle: ParagraphStyle
    divider_pair: ParagraphStyle
    blank_gap: float


def make_styles(furniture: Furniture) -> Styles:
    text, spacing = furniture.style.text, furniture.style.spacing
    fonts, colours = furniture.fonts, furniture.style.colours
    size = furniture.size

    def para(name: str, scale: float, font: str = fonts.regular, **kw) -> ParagraphStyle:
        points = size(scale)
        kw.setdefault("spaceAfter", furniture.base_size * spacing.paragraph_after_lines)
        kw.setdefault("textColor", colours.get("text"))
        kw.setdefault("alignment", TA_LEFT)
        return ParagraphStyle(name, fontName=font, fontSize=points,
                              leading=points * text.leading_ratio, **kw)

    def heading(level: int, scale: float) -> ParagraphStyle:
        return para(f"heading{level}", scale, fonts.bold, textColor=colours.get("heading"),
                    spaceBefore=furniture.base_size * spacing.heading_before_lines,
                    spaceAfter=furniture.base_size * spacing.heading_after_lines)

    cell_scale = text.table_scale
    cell = para("cell", cell_scale, spaceAfter=0)
    header = para("header", cell_scale, fonts.bold, spaceAfter=0)
    contents = [para(f"contents{n}", text.contents_scale, fonts.bold if n == 0 else fonts.regular,
                     leftIndent=n * furniture.base_size * spacing.list_indent_lines,
                     spaceAfter=furniture.base_size * 0.3, spaceBefore=0)
                for n in range(3)]
    return Styles(
        body=para("body", 1.0),
        lead=para("lead", text.lead_scale),
        small=para("small", text.small_scale),
        quote=para("quote", 1.0, fonts.italic,
                   leftIndent=furniture.base_size * spacing.list_indent_lines),
        headings={1: heading(1, text.heading1_scale), 2: heading(2, text.heading2_scale),
                  3: heading(3, text.heading3_scale)},
        caption=para("caption", cell_scale, fonts.bold,
                     spaceAfter=furniture.base_size * spacing.heading_after_lines),
        cell=cell,
        header=header,
        contents_title=heading(1, text.heading1_scale),
        contents_levels=contents,
        divider_title=para("divider_title", text.divider_title_scale, fonts.bold,
                           alignment=TA_CENTER, textColor=colours.get("heading"),
                           spaceAfter=furniture.base_size),
        divider_subtitle=para("divider_subtitle", text.divider_subtitle_scale,
                              alignment=TA_CENTER, spaceAfter=furniture.base_size * 2),
        divider_pair=para("divider_pair", 1.0, alignment=TA_CENTER,
                          spaceAfter=furniture.base_size * 0.4),
        blank_gap=furniture.base_size * spacing.paragraph_after_lines,
    )


class StoryBuilder:
    """Walks the blocks once and returns the story plus the contents lists in it."""

    def __init__(self, furniture: Furniture, width: float, height: float):
        self.furniture = furniture
        self.styles = make_styles(furniture)
        #: the body frame's size
        self.width, self.height = width, height
        self.contents: list[BriefContents] = []
        #: (toc_level, text, page, key, heading_level) in order, to pre-fill contents lists
        self.expected_entries: list[tuple] = []
        self._in_part = False
        self._keys: set[str] = set()
        self._canvas: Canvas | None = None

    def build(self, blocks: tuple[doc.Block, ...],
              learned: list[list[tuple]] | None = None) -> list[Flowable]:
        """The story; ``learned``: the lines of each contents list, if a pass found them
        different from the headings expected."""
        pieces = [self.flowables(block) for block in blocks]
        # an empty brief still prints one page with its marking
        story: list[Flowable] = [Spacer(0, 0)]
        for index, flowables in enumerate(pieces):
            if _starts_keep_run(blocks, index):
                needed = self._keep_height(blocks, pieces, index)
                whole = self._short_section_height(blocks, pieces, index)
                story.append(CondPageBreak(max(needed, whole or 0.0)))
            story.extend(flowables)
        for index, contents in enumerate(self.contents):
            # with the right lines from the start, one layout pass is enough
            contents.expect(learned[index] if learned else
                            [(lvl, text, 0, key) for lvl, text, _, key, hl
                             in self.expected_entries if hl <= contents.depth])
        return story

    def flowables(self, block: doc.Block) -> list[Flowable]:
        match block:
            case doc.Heading():
                return [self.heading(block)]
            case doc.Paragraph(text=text, style=style):
                return [Para.plain(text, self._paragraph_style(style))]
            case doc.Bullets():
                return [self.bullets(block)]
            case doc.Table():
                return self.table(block)
            case doc.KeyValue(pairs=pairs):
                return [self.key_value(pairs)]
            case doc.Callout():
                return [self.callout(block)]
            case doc.PageBreak(parity=parity):
                return [new_page(odd=parity == "odd")]
            case doc.Contents():
                return self.contents_list(block)
            case doc.Divider():
                return [new_page(odd=False), DividerPage(self.divider_lines(block))]
            case doc.PartStart(label=label, title=title):
                return [self.part(label, title)]
        raise TypeError(f"not a Brief block: {block!r}")

    # --- blocks ----------------------------------------------------------------------

    def heading(self, block: doc.Heading) -> HeadingParagraph:
        key = self._unique_key(block.anchor or f"heading-{len(self._keys) + 1}")
        level = min(max(block.level, 1), 3)
        if level <= 2:
            toc_level = level if self._in_part else level - 1
            self.expected_entries.append((toc_level, escape_markup(block.text), 0, key, level))
        return HeadingParagraph.make(escape_markup(block.text), self.styles.headings[level],
                                     title=block.text, key=key, level=level)

    def part(self, label: str, title: str) -> Flowable:
        self._in_part = True
        key = self._unique_key(f"part-{label or title}")
        self.expected_entries.append((0, escape_markup(title), 0, key, 0))
        return part_start(label, title, key, odd=True)

    def bullets(self, block: doc.Bullets) -> ListFlowable:
        body = self.styles.body
        items = [ListItem(Para.plain(item, body)) for item in block.items]
        indent = self.furniture.base_size * self.furniture.style.spacing.list_indent_lines
        options = dict(bulletType="1", bulletFormat="%s.") if block.numbered \
            else dict(bulletType="bullet", start="\u2022")
        return ListFlowable(items, leftIndent=indent, bulletFontName=body.fontName,
                            bulletFontSize=body.fontSize, spaceAfter=self.styles.blank_gap,
                            **options)

    def table(self, block: doc.Table) -> list[Flowable]:
        out: list[Flowable] = []
        if block.caption:
            out.append(Para.plain(block.caption, self.styles.caption))
        if not block.rows:
            return out + [Para.plain(block.empty_text, self.styles.body)]
        out.append(self._data_table(block))
        return out

    def _data_table(self, block: doc.Table) -> RowStream:
        """The table's rows, laid out a page at a time, each row measured once."""
        size, minimum_widths = self._table_fit(block)
        cell, header = self._table_styles(size)
        right = [c.align == "right" for c in block.columns]
        header_row = [Para.plain(c.title, header[r])
                      for c, r in zip(block.columns, right, strict=True)]
        widths = column_widths([max(c.width, 0.01) for c in block.columns], minimum_widths,
                               self.width)
        colours, pad = self.furniture.style.colours, self.furniture.style.spacing.cell_padding_pt
        style = self._table_style([
            ("BACKGROUND", (0, 0), (-1, 0), colours.get("table_header_fill")),
            ("GRID", (0, 0), (-1, -1), 0.5, colours.get("table_grid")),
            ("LINEBELOW", (0, 0), (-1, 0), 1.2, colours.get("table_grid")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *[(side, (0, 0), (-1, -1), pad)
              for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")],
        ])
        space_after = self.styles.blank_gap

        def make_row(texts) -> list[Para]:
            return [Para.plain(text, cell[r])
                    for text, r in zip(texts, right, strict=False)]

        cell_style, style = shared_cell_style(style)

        def make_table(rows: list[list], heights: list[float] | None, last: bool) -> DataTable:
            return DataTable(rows, colWidths=widths, rowHeights=heights, repeatRows=1,
                             style=style, spaceAfter=space_after if last else 0,
                             hAlign="LEFT", cellStyles=[[cell_style] * len(widths)
                                                        for _ in rows])

        return RowStream(header_row, block.rows, make_row, make_table, space_after=space_after)

    def _table_fit(self, block: doc.Table) -> tuple[float, list[float]]:
        """Cell font size (shrunk, within limits, so no word breaks) and column minimums."""
        columns = [(c.title, [row[i] for row in block.rows if i < len(row)])
                   for i, c in enumerate(block.columns)]
        return fitting_font_size(
            columns, fonts=(self.furniture.fonts.bold, self.furniture.fonts.regular),
            largest=self.styles.cell.fontSize,
            smallest=self._smallest_cell_size(),
            total=self.width, padding=self.furniture.style.spacing.cell_padding_pt)

    def _smallest_cell_size(self) -> float:
        """How far a wide table may shrink: in large print, never below the large size."""
        smallest = self.furniture.size(self.furniture.style.text.table_min_scale)
        if self.furniture.base_size >= LARGE_PRINT_PT:
            smallest = max(smallest, min(LARGE_PRINT_PT, self.styles.cell.fontSize))
        return smallest

    def _table_styles(self, size: float) -> tuple[dict, dict]:
        """Cell and header styles at ``size``, keyed by "is right aligned"."""
        ratio = self.furniture.style.text.leading_ratio
        cell = _resized(self.styles.cell, size, ratio)
        header = _resized(self.styles.header, size, ratio)
        return ({False: cell, True: _aligned_right(cell)},
                {False: header, True: _aligned_right(header)})

    def key_value(self, pairs: tuple[tuple[str, str], ...]) -> Table:
        s = self.styles
        rows = [[Para.plain(f"{key}:", s.header),
                 Para.plain(value, s.cell)] for key, value in pairs]
        colours, pad = self.furniture.style.colours, self.furniture.style.spacing.cell_padding_pt
        style = self._table_style([
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colours.get("table_grid")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ])
        return DataTable(rows, colWidths=[self.width * 0.32, self.width * 0.68],
                     style=style, spaceAfter=self.styles.blank_gap, hAlign="LEFT")

    def callout(self, block: doc.Callout) -> Table:
        s = self.styles
        content: list[Flowable] = []
        if block.title:
            content.append(Para.plain(block.title, s.header))
            content.append(Spacer(1, s.blank_gap / 2))
        content.append(Para.plain(block.text, s.cell))
        return DataTable([[content]], colWidths=[self.width],
                     style=self._callout_style(block), spaceBefore=s.blank_gap / 2,
                     spaceAfter=s.blank_gap, hAlign="LEFT")

    def _callout_style(self, block: doc.Callout) -> TableStyle:
        colours, spacing = self.furniture.style.colours, self.furniture.style.spacing
        warning = block.kind == "warning"
        border = colours.get("warning_border" if warning else "note_border")
        commands = [
            ("BOX", (0, 0), (-1, -1),
             spacing.warning_border_pt if warning else spacing.callout_border_pt, border),
            ("BACKGROUND", (0, 0), (-1, -1),
             colours.get("warning_fill" if warning else "note_fill")),
            *[(side, (0, 0), (-1, -1), spacing.callout_padding_pt)
              for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")],
        ]
        rag = block.rag_band()
        if rag:
            # colour repeats the word the text already says; it never replaces it
            commands.append(("LINEBEFORE", (0, 0), (0, -1), spacing.rag_bar_pt,
                             colours.get(f"rag_{rag}")))
            commands.append(("LEFTPADDING", (0, 0), (-1, -1),
                             spacing.callout_padding_pt + spacing.rag_bar_pt / 2))
        return self._table_style(commands)

    def contents_list(self, block: doc.Contents) -> list[Flowable]:
        contents = BriefContents(depth=block.depth, name=f"bpContents{len(self.contents)}",
                                 levelStyles=self.styles.contents_levels,
                                 tableStyle=self._table_style([
                                     ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                     ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
                                 dotsMinLevel=0, rightColumnWidth=self.furniture.base_size * 4)
        self.contents.append(contents)
        return [Para.plain(block.title, self.styles.contents_title), contents]

    def divider_lines(self, block: doc.Divider) -> list[Paragraph]:
        s = self.styles
        lines = [Para.plain(block.title, s.divider_title)]
        if block.subtitle:
            lines.append(Para.plain(block.subtitle, s.divider_subtitle))
        lines += [Para(f"<b>{escape_markup(key)}:</b> {escape_markup(value)}",
                            s.divider_pair) for key, value in block.pairs]
        return lines

    # --- helpers -----------------------------------------------------------------------

    def _table_style(self, commands: list[tuple]) -> TableStyle:
        # without a font command reportlab names Helvetica in every page, unembedded
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.furniture.fonts.regular),
                           *commands])

    def _paragraph_style(self, name: str) -> ParagraphStyle:
        return getattr(self.styles, name) if name in ("body", "lead", "small", "quote") \
            else self.styles.body

    def _keep_height(self, blocks: tuple[doc.Block, ...], pieces: list[list[Flowable]],
                     index: int) -> float:
        """Room needed for a run of headings (or a table caption) and the start of what
        follows, so no heading is left alone at the foot of a page."""
        height = 0.0
        for block, flowables in zip(blocks[index:], pieces[index:], strict=False):
            if not isinstance(block, doc.Heading):
                height += sum(self._opening_height(f) for f in flowables[:2])
                break
            height += self._opening_height(flowables[0])
        return min(height, self.height - 1)

    def _short_section_height(self, blocks: tuple[doc.Block, ...],
                              pieces: list[list[Flowable]], index: int) -> float | None:
        """The height of the level-1 section starting at ``index`` if it is short (three
        quarters of a page at most, no table of records): such a section is never split
        across pages."""
        first = blocks[index]
        if not (isinstance(first, doc.Heading) and first.level <= 1):
            return None
        height = 0.0
        for block, flowables in zip(blocks[index:], pieces[index:], strict=False):
            if block is not first and (
                    isinstance(block, doc.PageBreak | doc.PartStart | doc.Divider
                               | doc.Contents)
                    or isinstance(block, doc.Heading) and block.level <= 1):
                break
            for flowable in flowables:
                if isinstance(flowable, RowStream | ActionFlowable):  # a data table
                    return None
                if isinstance(flowable, ListFlowable):  # its wrap measures on a canvas
                    flowable.canv = self._measuring_canvas()
                _, h = flowable.wrap(self.width, self.height)
                height += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
                if height > self.height * SHORT_SECTION_SHARE:
                    return None
        return height

    def _measuring_canvas(self) -> Canvas:
        if self._canvas is None:
            self._canvas = Canvas(io.BytesIO())
        return self._canvas

    def _opening_height(self, flowable: Flowable) -> float:
        """Height of the part of ``flowable`` that must stay with what comes before it."""
        lines = _LINES_KEPT_WITH_HEADING * self.styles.body.leading
        if isinstance(flowable, ActionFlowable):
            return 0.0
        if isinstance(flowable, RowStream):
            return flowable.first_rows_height(self.width)
        if isinstance(flowable, DataTable):
            flowable.wrap(self.width, self.height)
            return flowable.first_rows_height()
        if isinstance(flowable, Para):
            _, height = flowable.wrap(self.width, self.height)
            if isinstance(flowable, HeadingParagraph):
                return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
            return min(height, lines)
        return lines  # lists and dividers: measuring them needs a canvas

    def _unique_key(self, wanted: str) -> str:
        key = re.sub(r"[^A-Za-z0-9_.-]", "-", wanted) or "heading"
        candidate, n = key, 1
        while candidate in self._keys:
            n += 1
            candidate = f"{key}-{n}"
        self._keys.add(candidate)
        return candidate


def _resized(style: ParagraphStyle, size: float, leading_ratio: float) -> ParagraphStyle:
    if size == style.fontSize:
        return style
    return ParagraphStyle(f"{style.name}-{size:g}", parent=style, fontSize=size,
                          leading=size * leading_ratio)


def _aligned_right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-right", parent=style, alignment=TA_RIGHT)


def _starts_keep_run(blocks: tuple[doc.Block, ...], index: int) -> bool:
    """True at the first of consecutive headings, or at a captioned table not after one."""
    block = blocks[index]
    keeps = isinstance(block, doc.Heading) or isinstance(block, doc.Table) and block.caption
    previous = blocks[index - 1] if index else None
    return bool(keeps) and not isinstance(previous, doc.Heading)


class DividerPage(Flowable):
    """A page of its own: the lines centred across and a little above the middle."""

    def __init__(self, lines: list[Paragraph]):
        super().__init__()
        self.lines = lines
        self._scale = 1.0

    def wrap(self, available_width, available_height):
        self.width, self.height = available_width, available_height
        self._scale = 1.0
        total = self._wrap_lines(available_width)
        if total > available_height:
            # too much for one page: shrink it all rather than run off the page
            self._scale = available_height / total
            self._wrap_lines(available_width / self._scale)
        return available_width, available_height - 1e-6

    def _wrap_lines(self, width: float) -> float:
        self._heights = [line.wrap(width, 1e6)[1] for line in self.lines]
        return sum(self._heights) + sum(line.style.spaceAfter for line in self.lines[:-1])

    def draw(self):
        scale = self._scale
        total = (sum(self._heights)
                 + sum(line.style.spaceAfter for line in self.lines[:-1])) * scale
        y = min(self.height, self.height * 0.58 + total / 2) / scale
        self.canv.saveState()
        self.canv.scale(scale, scale)
        for line, height in zip(self.lines, self._heights, strict=True):
            y -= height
            line.drawOn(self.canv, 0, y)
            y -= line.style.spaceAfter
        self.canv.restoreState()

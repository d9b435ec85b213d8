"""Data tables for the PDF: column widths that never break a word when the page allows it
(one longer than a share of the table is broken, as it would be on any page), rows that
split only when they must, a header row that repeats on every page, long tables a page at
a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.tables import CellStyle

Measure = Callable[[str], float]
#: no single long word (a URL, an agreement's name run together) may claim more than this
#: share of the table: it is broken instead (as the Word output does, docx/tables.py)
MAX_WORD_SHARE = 0.4
#: body rows a RowStream lays out at a time: more than any page holds, so each page's
#: split measures about one page of rows
STREAM_CHUNK_ROWS = 60


#: body rows kept with a table's heading and header: no row left alone under its heading
KEPT_ROWS = 2


class DataTable(Table):
    """A Table that moves a whole row to the next page rather than cut it in two,
    and cuts a row only when it is taller than a whole page (so nothing runs off)."""

    def split(self, availWidth, availHeight):
        self._calc(availWidth, availHeight)
        if not self._row_at_break_outgrows_page(availHeight):
            self.splitInRow = 0
            return super().split(availWidth, availHeight)
        # cut the oversized row here, rather than first moving it below a repeated header
        self.splitInRow = 1
        return self._splitRows(availHeight, doInRowSplit=1) or \
            super().split(availWidth, availHeight)

    def first_rows_height(self) -> float:
        """Header rows plus the first KEPT_ROWS body rows: what must fit below a heading."""
        return sum(self._rowHeights[:self._header_count() + KEPT_ROWS])

    def _row_at_break_outgrows_page(self, available_height: float) -> bool:
        frame = self._doctemplateAttr("frame")
        if frame is None:
            return True
        row = self._getFirstPossibleSplitRowPosition(available_height)
        row = max(row, self._header_count())
        if row >= len(self._rowHeights):
            return False
        headers = sum(self._rowHeights[:self._header_count()])
        return headers + self._rowHeights[row] > frame._height

    def _header_count(self) -> int:
        return self.repeatRows if isinstance(self.repeatRows, int) else 0


#: TableStyle commands that set each cell's CellStyle, rather than draw lines or fills
_CELL_COMMANDS = frozenset({"FONT", "FONTNAME", "FACE", "FONTSIZE", "SIZE", "LEADING",
                            "TEXTCOLOR", "ALIGN", "ALIGNMENT", "VALIGN", "LEFTPADDING",
                            "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"})


def shared_cell_style(style: TableStyle) -> tuple[CellStyle, TableStyle]:
    """One CellStyle for every cell, and ``style`` without the commands it holds.

    A Table applies each cell command to each of its cells, one by one, every time one
    is made; a long table is made many times over (measured, then a page at a time, then
    split). When every cell command covers the whole table, one CellStyle made once says
    the same for every cell. Pass it as ``cellStyles``, with the rest of the style.
    """
    commands = style.getCommands()
    cell = [c for c in commands if c[0] in _CELL_COMMANDS]
    if any(tuple(c[1:3]) != ((0, 0), (-1, -1)) for c in cell):
        raise ValueError("shared_cell_style needs cell commands that cover the whole table")
    probe = Table([[""]], style=TableStyle(cell))
    return probe._cellStyles[0][0], TableStyle([c for c in commands if c not in cell])


Cells = list  # one table row: a cell value (flowable or list of flowables) per column
#: make_table(rows with the header first, their heights or None, ends the table?)
MakeTable = Callable[[list[Cells], list[float] | None, bool], DataTable]


class RowStream(Flowable):
    """A long data table laid out one page at a time, so its cost grows with its rows.

    reportlab's Table measures all its rows on every wrap and split (and sums their
    heights row by row), so one long table costs O(rows²). A RowStream keeps the rows
    as text; asked to split, it makes and measures only the next chunk of rows (each row
    once), builds a DataTable of them with their heights given, lets that split, and
    returns the part that fits plus a RowStream of the rest, which begins the next page
    with the header. Column widths and font size are decided once, over all rows, by the
    caller.
    """

    def __init__(self, header: Cells, rows: Sequence[Sequence[str]],
                 make_row: Callable[[Sequence[str]], Cells], make_table: MakeTable, *,
                 space_after: float = 0.0, chunk: int = STREAM_CHUNK_ROWS):
        super().__init__()
        self.hAlign = "LEFT"
        self.spaceAfter = space_after
        self._header, self._rows, self._start = header, rows, 0
        self._make_row, self._make_table = make_row, make_table
        self._chunk = chunk
        self._header_height: float | None = None
        #: rows made and measured but not yet laid out: (cells, height)
        self._ready: list[tuple[Cells, float]] = []
        self._table: DataTable | None = None

    def _rest(self, ready: list[tuple[Cells, float]], chunk: int) -> RowStream:
        rest = RowStream(self._header, self._rows, self._make_row, self._make_table,
                         space_after=self.spaceAfter, chunk=chunk)
        rest._start, rest._header_height, rest._ready = \
            self._start, self._header_height, ready
        return rest

    def _pending(self) -> int:
        return len(self._ready) + len(self._rows) - self._start

    def _fill(self, count: int, width: float) -> None:
        """Make and measure rows until ``count`` are ready (or none are left)."""
        texts = self._rows[self._start:self._start + count - len(self._ready)]
        if not texts and self._header_height is not None:
            return
        self._start += len(texts)
        made = [self._make_row(row) for row in texts]
        probe = self._make_table([self._header, *made], None, False)
        probe.wrapOn(getattr(self, "canv", None), width, 1e9)
        self._header_height, *heights = probe._rowHeights
        # measuring turns each cell into the tuple of flowables that drawing and splitting
        # a row expect; the pieces, given the heights, never measure, so keep these
        self._header = probe._cellvalues[0]
        self._ready += zip(probe._cellvalues[1:], heights, strict=True)

    def _piece(self, count: int, width: float) -> tuple[DataTable, bool]:
        """A DataTable of the header and the next ``count`` rows; and is it the last?"""
        self._fill(count, width)
        rows = self._ready[:count]
        last = count >= self._pending()
        return self._make_table([self._header, *(cells for cells, _ in rows)],
                                [self._header_height or 0.0, *(h for _, h in rows)], last), last

    def first_rows_height(self, width: float) -> float:
        """Header plus the first KEPT_ROWS rows: what must fit below a heading."""
        self._fill(KEPT_ROWS, width)
        return (self._header_height or 0.0) + sum(h for _, h in self._ready[:KEPT_ROWS])

    def wrap(self, availWidth, availHeight):
        if self._pending() <= self._chunk:
            self._table = self._table or self._piece(self._chunk, availWidth)[0]
            self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        else:
            # more rows than a page holds: claim more than the room, so the frame splits
            self.width, self.height = availWidth, availHeight + 1
        return self.width, self.height

    def split(self, availWidth, availHeight):
        count = self._chunk
        while True:
            piece, last = self._piece(count, availWidth)
            _, height = piece.wrapOn(self.canv, availWidth, availHeight)
            if last or height > availHeight:
                break
            count *= 2  # a page that holds more than a chunk: take more rows
        if height <= availHeight:
            return [piece]
        parts = piece.splitOn(self.canv, availWidth, availHeight)
        if len(parts) != 2:
            return parts
        first, rest = parts
        headers = first._header_count()
        # the rows of this chunk that did not fit (without the repeated header), measured
        left = list(zip(rest._cellvalues[headers:], rest._argH[headers:], strict=True))
        fitted = len(first._cellvalues) - headers
        # the next page likely holds about as many rows as this one
        return [first, self._rest(left + self._ready[count:],
                                  max(fitted + fitted // 2 + 2, 8))]

    def drawOn(self, canvas, x, y, _sW=0):
        # drawn whole only when the rest fits: the table wrap() measured does the work
        assert self._table is not None, "platypus wraps a flowable before drawing it"
        self._table.drawOn(canvas, x, y, _sW)


def longest_word_width(texts: Sequence[str], measure: Measure) -> float:
    """Width of the widest single word in ``texts``."""
    words = {word for text in texts for word in text.split()}
    return max((measure(word) for word in words), default=0.0)


def column_widths(wanted: Sequence[float], minimum: Sequence[float],
                  total: float) -> list[float]:
    """Share ``total`` out in proportion to ``wanted``, but give every column at least
    its ``minimum``, taking the difference from the columns that have room to spare.
    When the minimums cannot all be met, every column shrinks alike; unless that leaves
    one under half of what it needs (or of an equal share, if less): then no minimum
    counts for more than an equal share, and the wide columns' words break rather than
    squeeze a narrow column to nothing."""
    if sum(minimum) >= total:
        if not sum(minimum):
            return [total / len(wanted)] * len(wanted)
        alike = [total * m / sum(minimum) for m in minimum]
        fair = total / len(minimum)
        if all(w >= min(m, fair) / 2 for w, m in zip(alike, minimum, strict=True)):
            return alike
        return column_widths(wanted, [min(m, fair) * (1 - 1e-9) for m in minimum], total)
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(wanted)) if i not in fixed]
        space = total - sum(fixed.values())
        weight = sum(wanted[i] for i in free)
        shares = {i: space * wanted[i] / weight for i in free}
        short = {i: minimum[i] for i in free if shares[i] < minimum[i]}
        if not short:
            return [fixed.get(i, shares.get(i, 0.0)) for i in range(len(wanted))]
        fixed.update(short)


def fitting_font_size(columns: Sequence[tuple[str, Sequence[str]]], *, fonts: tuple[str, str],
                      largest: float, smallest: float, total: float,
                      padding: float) -> tuple[float, list[float]]:
    """The largest size in [smallest, largest] (half-point steps) at which no word of any
    column needs breaking, and each column's minimum width at that size. A word too long
    for the whole table even at the smallest size is broken whatever the size: it neither
    shrinks the table nor claims more than MAX_WORD_SHARE of it.

    ``columns``: (header, cells) per column; ``fonts``: (header font, cell font).
    """
    # text width grows linearly with size: measure once at 1 pt
    most = max(total * MAX_WORD_SHARE - 2 * padding, 0.0)
    unit = [_column_minimum(header, cells, fonts) for header, cells in columns]
    unit = [most / largest if u * smallest > total - 2 * padding else u for u in unit]
    size = largest
    while sum(unit) * size + 2 * padding * len(unit) > total and size - 0.5 >= smallest:
        size -= 0.5
    return size, [u * size + 2 * padding for u in unit]


def _column_minimum(header: str, cells: Sequence[str], fonts: tuple[str, str]) -> float:
    header_font, cell_font = fonts
    return max(longest_word_width([header], lambda w: stringWidth(w, header_font, 1.0)),
               longest_word_width(cells, lambda w: stringWidth(w, cell_font, 1.0)))

"""Data tables for the PDF: column widths that never break a word, rows that split only
when they must, a header row that repeats on every page."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table

Measure = Callable[[str], float]


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
        """Header rows plus the first body row: what must fit below a heading."""
        return sum(self._rowHeights[:self._header_count() + 1])

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


def longest_word_width(texts: Sequence[str], measure: Measure) -> float:
    """Width of the widest single word in ``texts``."""
    words = {word for text in texts for word in text.split()}
    return max((measure(word) for word in words), default=0.0)


def column_widths(wanted: Sequence[float], minimum: Sequence[float],
                  total: float) -> list[float]:
    """Share ``total`` out in proportion to ``wanted``, but give every column at least
    its ``minimum``, taking the difference from the columns that have room to spare."""
    if sum(minimum) >= total:
        return [total * m / sum(minimum) for m in minimum] if sum(minimum) else \
            [total / len(wanted)] * len(wanted)
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
    column needs breaking, and each column's minimum width at that size.

    ``columns``: (header, cells) per column; ``fonts``: (header font, cell font).
    """
    # text width grows linearly with size: measure once at 1 pt
    unit = [_column_minimum(header, cells, fonts) for header, cells in columns]
    size = largest
    while sum(unit) * size + 2 * padding * len(unit) > total and size - 0.5 >= smallest:
        size -= 0.5
    return size, [u * size + 2 * padding for u in unit]


def _column_minimum(header: str, cells: Sequence[str], fonts: tuple[str, str]) -> float:
    header_font, cell_font = fonts
    return max(longest_word_width([header], lambda w: stringWidth(w, header_font, 1.0)),
               longest_word_width(cells, lambda w: stringWidth(w, cell_font, 1.0)))

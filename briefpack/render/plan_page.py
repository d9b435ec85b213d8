"""The planner's printable page (``briefpack plan --pdf``): the table of where to go next
and its chart, drawn with reportlab graphics. What the page says is decided in
``briefpack.planning``; this only lays it out."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .. import marking
from ..formatting import long_date
from ..planning import CHART_ROWS, Chart, Plan, chart
from .pdf.style import default_style_path, load_pdf_style, register_fonts

OVERDUE = colors.HexColor("#c62828")
ON_TIME = colors.HexColor("#1f4e79")
GRID = colors.HexColor("#bdbdbd")


def plan_marking(plan: Plan) -> str:
    """The page's marking: the highest of the records behind it."""
    return str(marking.combine(*(m for r in plan.rows for m in r.markings)))


def chart_drawing(data: Chart, width: float, height: float, fonts) -> Drawing:
    """The chart as a reportlab Drawing: rows of tiers, days across, overdue in red and
    labelled so, the tier's visit interval as a tick on its row."""
    d = Drawing(width, height)
    left, bottom, right, top = 70.0, 30.0, 15.0, 20.0
    w, h = width - left - right, height - bottom - top
    row_h = h / len(CHART_ROWS)
    d.add(String(left, height - 12, data.title, fontName=fonts.bold, fontSize=10))
    d.add(Rect(left, bottom, w, h, strokeColor=GRID, fillColor=None, strokeWidth=0.5))

    def x_of(days: float) -> float:
        return left + w * min(days, data.x_max) / data.x_max

    def y_of(row: int) -> float:
        return bottom + h - (row + 0.5) * row_h

    for row, name in enumerate(CHART_ROWS):
        d.add(String(left - 6, y_of(row) - 3, name, fontName=fonts.regular, fontSize=8,
                     textAnchor="end"))
        d.add(Line(left, y_of(row), left + w, y_of(row), strokeColor=GRID, strokeWidth=0.3))
    step = 90 if data.x_max <= 800 else 180
    for days in range(0, int(data.x_max) + 1, step):
        d.add(Line(x_of(days), bottom, x_of(days), bottom - 3, strokeColor=colors.black))
        d.add(String(x_of(days), bottom - 12, str(days), fontName=fonts.regular, fontSize=7,
                     textAnchor="middle"))
    d.add(String(left + w / 2, 2, "days (right edge: none recorded)", fontName=fonts.regular,
                 fontSize=8, textAnchor="middle"))
    for row, days in data.due:
        x = x_of(days)
        d.add(Line(x, y_of(row) - row_h * 0.4, x, y_of(row) + row_h * 0.4,
                   strokeColor=OVERDUE, strokeWidth=1.2, strokeDashArray=[2, 2]))
    for p in data.points:
        x, y = x_of(p.days), y_of(p.row) - 0.22 * row_h * p.stacked
        colour = OVERDUE if p.overdue else ON_TIME
        d.add(Circle(x, y, 3 + min(p.open_actions, 4), fillColor=colour, strokeColor=colour))
        near_edge = x > left + 0.85 * w
        d.add(String(x - 6 if near_edge else x + 6, y + 4,
                     p.code + (" overdue" if p.overdue else ""),
                     fontName=fonts.bold if p.overdue else fonts.regular, fontSize=7,
                     fillColor=colour, textAnchor="end" if near_edge else "start"))
    return d


def render_plan_page(plan: Plan, out: Path | str) -> Path:
    """Write the printable plan page (A4 landscape; more pages if the table is long)."""
    out = Path(out)
    fonts = register_fonts(load_pdf_style(default_style_path()).fonts)
    page_w, page_h = landscape(A4)
    level = plan_marking(plan)
    fd, tmp = tempfile.mkstemp(dir=out.parent or ".", prefix=out.name, suffix=".part")
    os.close(fd)
    try:
        canv = Canvas(tmp, pagesize=(page_w, page_h), invariant=1)
        canv.setTitle("Where to go next")

        def furniture() -> None:
            canv.setFont(fonts.bold, 11)
            canv.drawCentredString(page_w / 2, page_h - 12 * mm, level.upper())
            canv.drawCentredString(page_w / 2, 8 * mm, level.upper())

        furniture()
        canv.setFont(fonts.bold, 16)
        canv.drawString(15 * mm, page_h - 24 * mm, "Where to go next")
        canv.setFont(fonts.regular, 10)
        canv.drawString(15 * mm, page_h - 30 * mm,
                        f"As of {long_date(plan.today)}. Tiers are the user's to set; a "
                        "country without one is never called overdue.")
        drawing = chart_drawing(chart(plan), page_w - 30 * mm, 80 * mm, fonts)
        drawing.drawOn(canv, 15 * mm, page_h - 115 * mm)
        y = page_h - 125 * mm
        heads = ("Country", "Tier", "Last senior engagement", "Next planned", "Open actions",
                 "Visit every", "")
        xs = (15, 75, 95, 165, 200, 230, 260)

        def head_row(y: float) -> float:
            canv.setFont(fonts.bold, 9)
            for x, text in zip(xs, heads):
                canv.drawString(x * mm, y, text)
            return y - 5 * mm

        y = head_row(y)
        for row in plan.rows:
            if y < 16 * mm:
                canv.showPage()
                furniture()
                y = head_row(page_h - 22 * mm)
            canv.setFont(fonts.bold if row.overdue else fonts.regular, 9)
            cells = (row.name, str(row.tier) if row.tier is not None else "not set",
                     row.since_text, long_date(row.next_planned),
                     f"{row.open_actions}" + (f" ({row.overdue_actions} late)"
                                              if row.overdue_actions else ""),
                     f"{row.due_every} days" if row.due_every else "",
                     "OVERDUE" if row.overdue else
                     "not known" if row.due_every and row.last_senior is None else "")
            for x, text in zip(xs, cells):
                canv.drawString(x * mm, y, text[:60])
            y -= 5 * mm
        if not plan.rows:
            canv.setFont(fonts.regular, 9)
            canv.drawString(15 * mm, y, "No country has a tier, a senior engagement or an "
                            "open action recorded.")
        canv.save()
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return out

"""Where to go next: the planner's chart (QtCharts) and table across countries.

Shows a ``briefpack.planning.Plan`` the window hands it: each country's tier against the
days since its last ministerial or senior military engagement, who is overdue a visit,
and the open actions. What to draw is decided in ``planning.chart``; this only draws it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QScatterSeries, \
    QValueAxis
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

OVERDUE = QColor("#c62828")
ON_TIME = QColor("#1f4e79")


def plan_chart(plan: Any) -> QChart:
    """The chart: one row per tier (tier 1 at the top, then "No tier set"), days across;
    each country a point labelled with its code, "overdue" in red; each tier's visit
    interval a dashed red mark on its row."""
    from ..planning import CHART_ROWS, chart

    data = chart(plan)
    rows = len(CHART_ROWS)
    view = QChart()
    view.setTitle(data.title)
    x_axis = QValueAxis()
    x_axis.setRange(0, data.x_max * 1.12)  # room for the labels of those at the far right
    x_axis.setLabelFormat("%d")
    x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    x_axis.setTickAnchor(0)
    x_axis.setTickInterval(90 if data.x_max <= 800 else 180)
    x_axis.setTitleText("Days (the far right: no senior engagement recorded)")
    y_axis = QCategoryAxis()
    y_axis.setRange(-0.5, rows - 0.5)
    y_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for row in reversed(range(rows)):  # a category axis takes rising values: bottom first
        y_axis.append(CHART_ROWS[row], rows - 1 - row)
    view.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    view.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

    def attach(series) -> None:
        view.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)

    for row, days in data.due:
        mark = QLineSeries()
        mark.setName(f"Tier {row + 1}: a visit every {days} days")
        pen = QPen(OVERDUE)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidthF(1.5)
        mark.setPen(pen)
        y = rows - 1 - row
        mark.append(QPointF(days, y - 0.35))
        mark.append(QPointF(days, y + 0.35))
        attach(mark)
    for point in data.points:
        dot = QScatterSeries()
        dot.setName(point.code)
        colour = OVERDUE if point.overdue else ON_TIME
        dot.setColor(colour)
        dot.setBorderColor(colour)
        dot.setMarkerSize(9 + 3 * min(point.open_actions, 4))
        dot.append(QPointF(point.days, rows - 1 - point.row - 0.22 * point.stacked))
        dot.setPointLabelsVisible(True)
        dot.setPointLabelsColor(colour)
        dot.setPointLabelsFormat(point.code + (" overdue" if point.overdue else ""))
        attach(dot)
    view.legend().hide()
    return view


class PlanDialog(QDialog):
    """Where to go next: the chart above, the table below (overdue first)."""

    HEADERS = {"country": "Country", "tier": "Tier", "since": "Last senior engagement",
               "next": "Next planned", "actions": "Open actions", "every": "Visit every",
               "overdue": "Overdue"}

    def __init__(self, plan: Any, parent: QWidget | None = None):
        from ..formatting import long_date
        from .data_dialogs import table_of

        super().__init__(parent)
        self.setWindowTitle("Where to go next")
        self.plan = plan
        overdue = ", ".join(f"{r.name} (tier {r.tier})" for r in plan.overdue) or "none"
        intro = QLabel(
            f"As of {long_date(plan.today)}. Each country's priority tier (yours to set: "
            "Data → Set judgements) against the days since its last ministerial or senior "
            "military engagement. Red, labelled 'overdue': a visit is overdue for its tier; "
            "blue: not overdue; a larger dot: more open actions; the dashed red mark on a "
            f"tier's row: its visit interval. Overdue a visit: {overdue}.", self)
        intro.setWordWrap(True)
        self.chart_view = QChartView(plan_chart(plan), self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(720, 360)
        self.chart_view.setAccessibleName("Chart: days since the last senior engagement, "
                                          "by tier")
        rows = [plan_row(r) for r in plan.rows]
        self.view, self.items, _ = table_of(rows, self.HEADERS, self, "Where to go next")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.chart_view, 2)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(900, 700)


def plan_row(row: Any) -> dict:
    from ..formatting import long_date

    return {"country": row.name,
            "tier": str(row.tier) if row.tier is not None else "not set",
            "since": row.since_text, "next": long_date(row.next_planned),
            "actions": str(row.open_actions) + (f" ({row.overdue_actions} late)"
                                                if row.overdue_actions else ""),
            "every": f"{row.due_every} days" if row.due_every else "",
            "overdue": "Overdue" if row.overdue else
            ("not known" if row.due_every and row.last_senior is None else "")}

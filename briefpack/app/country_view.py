"""One country: a summary tab and an editable tab per record table."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette, QUndoStack
from PySide6.QtWidgets import QLabel, QSizePolicy, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from .. import model
from ..formatting import long_date
from .domain import CountryStatus, section_title, whole
from .focus import quiet_tab_arrows
from .palette import meaning_colour
from .record_table import RecordTable
from .table_models import RECORD_MODELS, DataclassTableModel


class CountryView(QWidget):
    """Tabs for one country's summary, agreements, alumni, exports, engagements, people."""

    #: unsaved edits changed the country's data (rescore, refresh the preview)
    edited = Signal()

    def __init__(self, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.country_file: model.CountryFile | None = None
        self.heading = QLabel("Pick a country from the list on the left.", self)
        self.heading.setAccessibleName("Country")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        # a long country name wraps rather than widening the pane (squeezing the list)
        self.heading.setWordWrap(True)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Country data")
        quiet_tab_arrows(self.tabs)
        self.summary = QTextBrowser(self)
        self.summary.setAccessibleName("Country summary")
        self.summary.setOpenLinks(False)
        self.tabs.addTab(self.summary, "Summary")
        self.models: dict[str, DataclassTableModel] = {}
        self.tables: dict[str, RecordTable] = {}
        for table, spec in model.TABLES.items():
            title = spec.label
            records = RECORD_MODELS[table](undo_stack=undo_stack, parent=self)
            records.edited.connect(self._on_edited)
            widget = RecordTable(records, title, self)
            self.models[table] = records
            self.tables[table] = widget
            self.tabs.addTab(widget, title)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        self.setEnabled(False)

    def show_country(self, country_file: model.CountryFile,
                     status: CountryStatus | None = None) -> None:
        """Load a country (its undo history starts afresh)."""
        self.undo_stack.clear()
        self.country_file = country_file
        country = country_file.country
        self.heading.setText(f"{country.name} ({country.code})")
        for table, spec in model.TABLES.items():
            records = self.models[table]
            records.country = country.code  # type: ignore[attr-defined]  # every record model has one
            records.set_rows(spec.records(country_file))
        self.summary.setHtml(summary_html(country, status or CountryStatus(),
                                          country_file.actions, country_file.backgrounds))
        self._update_tab_titles()
        self.undo_stack.setClean()
        self.setEnabled(True)

    def current_file(self) -> model.CountryFile | None:
        """The country file including edits not yet saved."""
        if self.country_file is None:
            return None
        return self.country_file.with_records(
            {table: self.models[table].records() for table in model.TABLES})

    def saved(self) -> None:
        """The pending edits are now in the store."""
        self.country_file = self.current_file()
        self._update_tab_titles()

    def has_pending(self) -> bool:
        return any(m.has_pending() for m in self.models.values())

    def problems(self) -> list[str]:
        return [f"{model.TABLES[table].label}: {p}"
                for table, records in self.models.items() for p in records.problems()]

    def set_status(self, status: CountryStatus) -> None:
        if self.country_file is not None:
            self.summary.setHtml(summary_html(self.country_file.country, status,
                                              self.country_file.actions,
                                              self.country_file.backgrounds))

    def _on_edited(self) -> None:
        self._update_tab_titles()
        self.edited.emit()

    def _update_tab_titles(self) -> None:
        for i, (table, spec) in enumerate(model.TABLES.items(), start=1):
            records = self.models[table]
            star = " *" if records.has_pending() else ""
            self.tabs.setTabText(i, f"{spec.label} ({records.rowCount()}){star}")


def summary_html(country: model.Country, status: CountryStatus,
                 actions: Sequence[model.Action] = (),
                 backgrounds: Sequence[model.Background] = (),
                 today: dt.date | None = None) -> str:
    """The summary tab: the country's facts, the latest background (edited on the
    Background tab) and relationship summary, and a warning of actions past their due
    date and still open."""
    def row(label: str, value: str) -> str:
        return (f"<tr><th align='left' valign='top' style='padding-right:12px'>{label}</th>"
                f"<td>{html.escape(value) or '<i>not recorded</i>'}</td></tr>")

    score = (f"{whole(status.score)} out of 100 ({status.band})" if status.score is not None
             else "not yet worked out")
    currency = "<br>".join(html.escape(line) for line in status.currency_note.splitlines())
    colour = meaning_colour("stale", role=QPalette.ColorRole.Base).name()
    stale = (f"<p style='color:{colour}'><b>Warning: stale data</b> in "
             f"{html.escape(', '.join(section_title(s).lower() for s in status.stale_sections))}. "
             "Ask the defence section for a data refresh.</p>") if status.stale_sections else ""
    late = [a for a in actions if a.overdue(today or dt.date.today())]
    overdue = (f"<p style='color:{colour}'><b>Overdue actions</b> (still open after "
               "their due date):</p><ul>"
               + "".join(f"<li>{html.escape(a.action)}: due {long_date(a.due)}"
                         + (f", {html.escape(a.owner)}" if a.owner else "") + "</li>"
                         for a in late) + "</ul>") if late else ""
    latest = sorted(backgrounds, key=model.TABLES["backgrounds"].relevance)[:1]
    background = "".join(
        f"<h3>Background (as of {long_date(b.date) or 'no date given'}; "
        f"{html.escape(b.marking)})</h3>"
        + "".join(f"<p>{html.escape(' '.join(part.split()))}</p>"
                  for part in b.text.split("\n\n") if part.strip())
        for b in latest)
    facts = "".join(f"<li>{html.escape(line)}</li>"
                    for line in country.summary.splitlines() if line.strip())
    return (
        f"<h2>{html.escape(country.name)}</h2>{stale}{overdue}<table>"
        + row("Code", f"{country.code} / {country.alpha2}")
        + row("Region", country.region)
        + row("Priority tier", str(country.priority_tier or ""))
        + row("Overall score", score)
        + row("Memberships and formats", ", ".join(country.memberships))
        + row("Co-leads with the UK", ", ".join(country.co_leads))
        + row("UK defence section", country.defence_section)
        + row("Marking", country.marking)
        + row("Source", country.source)
        + "</table>"
        + background
        + (f"<h3>Relationship summary</h3><ul>{facts}</ul>" if facts else "")
        + (f"<h3>Data currency</h3><p>{currency}</p>" if currency else "")
    )

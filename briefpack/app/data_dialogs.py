"""Dialogs for the Data menu: backups, audit history, review due, ranking, markings, where
to export a packet.

Each shows what the window hands it and returns the user's choice; the window calls the
domain (and a worker for anything slow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from .. import model
from .collation import ranks
from .domain import PACKET_FILTERS, packet_path

from .dialogs import ok_cancel
from .palette import style_for
from .record_form import MARKINGS


SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class PacketSaveDialog(QFileDialog):
    """Where to export a country's packet, as YAML or JSON: choosing the file type changes
    the name's suffix (so the overwrite question is asked about the file written)."""

    def __init__(self, parent: QWidget | None, title: str, suggested: Path):
        super().__init__(parent, title, str(suggested), ";;".join(PACKET_FILTERS))
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setDefaultSuffix("yaml")
        self.filterSelected.connect(self._type_chosen)

    def _type_chosen(self, chosen: str) -> None:
        suffix = ".json" if "*.json" in chosen else ".yaml"
        self.setDefaultSuffix(suffix[1:])
        names = self.selectedFiles()
        if names and Path(names[0]).suffix.lower() in (".yaml", ".yml", ".json"):
            self.selectFile(Path(names[0]).with_suffix(suffix).name)

    def chosen(self) -> Path | None:
        """The file to write (its suffix decides the form), or None if nothing was chosen."""
        names = self.selectedFiles()
        return packet_path(Path(names[0]), self.selectedNameFilter()) if names else None


class RowsProxy(QSortFilterProxyModel):
    """Rows matching the typed filter in any column and, if set, one column's exact value
    (the history's action): the rows shown, and so the rows counted, are the proxy's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._only: tuple[int, str] | None = None

    def only(self, column: int, value: str) -> None:
        """Show only rows whose ``column`` reads ``value`` ('' shows every row)."""
        self.beginFilterChange()
        self._only = (column, value) if value else None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt API
        if self._only is not None:
            column, value = self._only
            if self.sourceModel().index(row, column, parent).data() != value:
                return False
        return super().filterAcceptsRow(row, parent)


def table_of(rows: list[dict], headers: dict[str, str], parent: QWidget, name: str, *,
             sortable: bool = True
             ) -> tuple[QTableView, QStandardItemModel, RowsProxy]:
    """A read-only, sortable, filterable table of dict rows (columns by ``headers``)."""
    items = QStandardItemModel(len(rows), len(headers), parent)
    items.setHorizontalHeaderLabels(list(headers.values()))
    # words in reading order ('Côte d'Ivoire' before 'Czech Republic'), as numbers
    order = ranks(str(row.get(key) or "") for row in rows for key in headers)
    for r, row in enumerate(rows):
        for c, key in enumerate(headers):
            value = row.get(key, "")
            item = QStandardItem("" if value is None else str(value))
            item.setEditable(False)
            item.setToolTip(item.text() if len(item.text()) > 30 else "")
            item.setData(row, Qt.ItemDataRole.UserRole)
            # numbers sort as numbers (9 before 10), words without regard to case
            item.setData(float(value) if isinstance(value, (int, float))
                         else float(order[str(value or "")]), SORT_ROLE)
            items.setItem(r, c, item)
    proxy = RowsProxy(parent)
    proxy.setSourceModel(items)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setAccessibleName(name)
    if sortable:  # rows come in a meaningful order: sorting starts only when asked
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.setTabKeyNavigation(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.resizeColumnsToContents()
    return view, items, proxy


def selected_row(view: QTableView) -> dict | None:
    index = view.currentIndex()
    return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None


class TableDialog(QDialog):
    """A titled, filterable table with a Close button (and optional action buttons)."""

    def __init__(self, title: str, intro: str, rows: list[dict], headers: dict[str, str],
                 parent=None, *, filter_hint: str = "Filter: type any part of any column",
                 sortable: bool = True):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setAccessibleName("Filter the rows")
        self.filter.setPlaceholderText(filter_hint)
        self.filter.setClearButtonEnabled(True)
        self.view, self.items, self.proxy = table_of(rows, headers, self, title,
                                                     sortable=sortable)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.textChanged.connect(self._count)
        self.count = QLabel(self)
        self.count.setAccessibleName("Rows shown")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.top = QHBoxLayout()
        self.top.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self._count()
        self.resize(860, 480)

    def _count(self, *_) -> None:
        shown, total = self.proxy.rowCount(), self.items.rowCount()
        self.count.setText(f"{shown} of {total} rows" if shown != total else f"{total} rows")

    def add_button(self, text: str, name: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setAccessibleName(name)
        return button


class HistoryDialog(TableDialog):
    """A country's audit history, filterable by text and by action."""

    HEADERS = {"at": "When", "user": "Who", "action": "Action", "table": "Table",
               "record": "Record", "field": "Field", "before": "Before", "after": "After",
               "note": "Note"}

    def __init__(self, country: str, rows: list[dict], parent=None):
        super().__init__(f"Audit history of {country}",
                         f"Every change to {country} and its records, oldest first: who "
                         "made it, when, and the value before and after.",
                         rows, self.HEADERS, parent)
        self.action = QComboBox(self)
        self.action.setAccessibleName("Show only this action")
        self.action.addItem("Every action", "")
        for action in sorted({r["action"] for r in rows}):
            self.action.addItem(action, action)
        self.action.currentIndexChanged.connect(self._by_action)
        self.top.addWidget(self.action)

    def _by_action(self, *_) -> None:
        self.proxy.only(list(self.HEADERS).index("action"), self.action.currentData())
        self._count()


class BackupsDialog(TableDialog):
    """The store's backups; Restore puts the selected one back (after asking)."""

    RESTORE, BACK_UP = 10, 11

    def __init__(self, rows: list[dict], parent=None):
        super().__init__("Backups of the store",
                         "A backup is made before every import and restore. Restoring puts "
                         "the chosen backup's content back; the store as it is now is "
                         "backed up first, and the audit history is kept.",
                         rows, {"name": "Backup", "made": "Made", "size_kb": "Size (KB)"},
                         parent)
        self.restore_button = self.add_button("&Restore…", "Restore the selected backup")
        self.restore_button.clicked.connect(lambda: self.done(self.RESTORE))
        self.restore_button.setEnabled(bool(rows))
        backup = self.add_button("&Back up now", "Make a backup of the store now")
        backup.clicked.connect(lambda: self.done(self.BACK_UP))
        if rows:
            self.view.selectRow(0)

    def chosen(self) -> str | None:
        row = selected_row(self.view)
        return row["name"] if row else None


class ReviewDueDialog(TableDialog):
    """Personal records past their review date; Show opens the record's country."""

    SHOW = 10

    def __init__(self, rows: list[dict], today: str, parent=None):
        super().__init__("Personal records due for review",
                         f"{len(rows)} personal record(s) are past their review date on "
                         f"{today} (or have none). Decide whether each is still needed.",
                         rows, {"country": "Country", "table": "Table", "name": "Name",
                                "review_date": "Review by", "id": "Id"}, parent)
        show = self.add_button("&Show", "Show the selected record's country")
        show.clicked.connect(lambda: self.done(self.SHOW) if self.chosen() else None)
        self.view.doubleClicked.connect(lambda *_: self.done(self.SHOW))
        show.setEnabled(bool(rows))

    def chosen(self) -> dict | None:
        return selected_row(self.view)


class RankDialog(TableDialog):
    """Every country ranked, with how much of its score was measured (coverage)."""

    SHOW = 10

    def __init__(self, rows: list[dict], parent=None):
        super().__init__("Countries ranked against the priorities",
                         "Best first. Countries whose data covers too little of the "
                         "priorities are listed apart as 'Insufficient data', best covered "
                         "first: unknown is not zero.",
                         rows, {"rank": "Rank", "country": "Country", "code": "Code",
                                "score": "Score", "band": "Band", "coverage": "Measured"},
                         parent, sortable=False)
        show = self.add_button("&Show", "Show the selected country")
        show.clicked.connect(lambda: self.done(self.SHOW) if self.chosen() else None)
        self.view.doubleClicked.connect(lambda *_: self.done(self.SHOW))

    def chosen(self) -> dict | None:
        return selected_row(self.view)


def rank_rows(cards: list[Any]) -> list[dict]:
    """Rows of the ranking: score and band words, coverage as a share measured; numbered
    as the CLI numbers them (``scoring.numbered``: "Insufficient data" unnumbered)."""
    from ..scoring import numbered, percent, whole

    return [{"rank": place if place is not None else "", "country": card.country_name,
             "code": card.country_code,
             "score": whole(card.overall) if card.sufficient else "—",
             "band": card.band, "coverage": percent(card.coverage)}
            for place, card in numbered(cards)]


class JudgementDialog(QDialog):
    """The user's judgements of a country that the strategy keeps classified or that only a
    private office knows: its priority tier and whether the UK has a defence section there."""

    def __init__(self, country: str, tier: int | None, section: str | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Set the country's judgements")
        intro = QLabel(f"Your judgements of {country}. The strategy's prioritisation is "
                       "classified, so briefpack never guesses a tier: it is yours to set "
                       "(or leave not set). Each change is audited.", self)
        intro.setWordWrap(True)
        self.tier = QComboBox(self)
        self.tier.setAccessibleName("Priority tier")
        self.tier.addItem("Not set", None)
        for value in model.JUDGEMENTS["priority_tier"]:
            self.tier.addItem(f"Tier {value}", value)
        self.tier.setCurrentIndex(max(self.tier.findData(tier), 0))
        self.section = QComboBox(self)
        self.section.setAccessibleName("UK defence section")
        for value in model.DEFENCE_SECTIONS:
            self.section.addItem(value, value)
        self.section.setCurrentIndex(max(self.section.findData(section or "unknown"), 0))
        form = QFormLayout()
        form.addRow("&Priority tier", self.tier)
        form.addRow("UK &defence section", self.section)
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, 180)

    def values(self) -> dict[str, object]:
        """The judgements as chosen, by the country field they set."""
        return {"priority_tier": self.tier.currentData(),
                "defence_section": self.section.currentData()}


class MarkingDialog(QDialog):
    """Choose a protective marking; the value is checked by the caller's domain call."""

    def __init__(self, what: str, current: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Set the protective marking")
        intro = QLabel(f"The protective marking of {what}. Raising it is always allowed; "
                       "imported data cannot be marked lower than it came.", self)
        intro.setWordWrap(True)
        self.marking = QComboBox(self)
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        if self.marking.findText(current) < 0:
            self.marking.addItem(current)
        self.marking.setCurrentText(current)
        self.marking.setAccessibleName("Marking")
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(style_for("error", bold=False))
        self.problem.hide()
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.marking)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(460, 160)

    def accept(self) -> None:
        from .. import marking

        try:
            marking.normalise(self.marking.currentText())
        except marking.MarkingError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()

    def value(self) -> str:
        return self.marking.currentText().strip()

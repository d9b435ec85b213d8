"""The country list: search as you type, filter by region, format and tier, sort by score."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QAbstractTableModel, QEvent, QModelIndex, QSortFilterProxyModel, Qt, Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QHeaderView, QLabel, QLineEdit, QStyle,
    QTableView, QVBoxLayout, QWidget,
)

from .. import model
from .collation import text_key
from .domain import INSUFFICIENT, CountryStatus, whole

SORT_KEY = Qt.ItemDataRole.UserRole + 1
ANY = "Any"
BAND_ORDER = {"Green": 0, "Amber": 1, "Red": 2}


class CountryListModel(QAbstractTableModel):
    """Countries with their tier, score and data currency."""

    COL_NAME, COL_REGION, COL_TIER, COL_SCORE, COL_DATA = range(5)
    HEADERS = ("Country", "Region", "Tier", "Score", "Data")

    #: scores arrived: the browser re-applies its sort
    sorted_again = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._countries: list[model.Country] = []
        self._status: dict[str, CountryStatus] = {}
        #: casefolded name and codes, so filtering is a substring test per row
        self._search_text: list[str] = []
        self._stale_icon = None

    def set_rows(self, countries: list[model.Country]) -> None:
        self.beginResetModel()
        self._countries = list(countries)
        self._search_text = [f"{c.name}\n{c.code}\n{c.alpha2}".casefold() for c in countries]
        self.endResetModel()

    def replace(self, country: model.Country) -> bool:
        """Take the store's new record of one country (its tier, marking …); False if the
        list does not hold it."""
        row = self.row_of(country.code)
        if row < 0:
            return False
        self._countries[row] = country
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
        return True

    def set_statuses(self, statuses: dict[str, CountryStatus]) -> None:
        self._status = dict(statuses)
        if self._countries:
            self.dataChanged.emit(self.index(0, self.COL_SCORE),
                                  self.index(len(self._countries) - 1, self.COL_DATA))
            self.sorted_again.emit()

    def set_status(self, code: str, status: CountryStatus) -> None:
        self._status[code] = status
        for row, country in enumerate(self._countries):
            if country.code == code:
                self.dataChanged.emit(self.index(row, self.COL_SCORE),
                                      self.index(row, self.COL_DATA))

    def country(self, row: int) -> model.Country:
        return self._countries[row]

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows themselves, so filtering never has to sort again."""
        self.layoutAboutToBeChanged.emit()
        old = list(self._countries)
        keyed = sorted(range(len(old)), reverse=order == Qt.SortOrder.DescendingOrder,
                       key=lambda row: (self._sort_key(old[row], self._status.get(
                           old[row].code, CountryStatus()), column),
                                        text_key(old[row].name)))
        self._countries = [old[row] for row in keyed]
        self._search_text = [self._search_text[row] for row in keyed]
        moved = {old_row: new_row for new_row, old_row in enumerate(keyed)}
        for index in self.persistentIndexList():
            self.changePersistentIndex(index, self.index(moved[index.row()], index.column()))
        self.layoutChanged.emit()

    def status(self, code: str) -> CountryStatus:
        return self._status.get(code, CountryStatus())

    def search_text(self, row: int) -> str:
        return self._search_text[row]

    def row_of(self, code: str) -> int:
        for row, country in enumerate(self._countries):
            if country.code == code:
                return row
        return -1

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._countries)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        country = self._countries[index.row()]
        status = self._status.get(country.code, CountryStatus())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole and column == self.COL_DATA:
            return ""  # the warning icon says it; the words are for tooltips and readers
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(country, status, column)
        if role == SORT_KEY:
            return self._sort_key(country, status, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_DATA:
                return (f"{self._text(country, status, column)}: {status.currency_note}"
                        if status.currency_note else None)
            if column == self.COL_SCORE and status.score is not None:
                if status.band == INSUFFICIENT:
                    return ("Insufficient data: the store covers too little of the "
                            "priorities to score this country")
                return f"Overall score {whole(status.score)} out of 100: {status.band}"
            if column == self.COL_NAME:
                formats = ", ".join(country.memberships) or "no formats recorded"
                return f"{country.name} ({country.region}): {formats}"
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_DATA \
                and status.stale_sections:
            if self._stale_icon is None:
                from PySide6.QtWidgets import QApplication

                self._stale_icon = QApplication.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxWarning)
            return self._stale_icon
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_TIER,
                                                                   self.COL_SCORE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, country: model.Country, status: CountryStatus, column: int) -> str:
        if column == self.COL_NAME:
            return country.name
        if column == self.COL_REGION:
            return country.region
        if column == self.COL_TIER:
            return str(country.priority_tier or "")
        if column == self.COL_SCORE:
            if status.score is None:
                return ""
            if status.band == INSUFFICIENT:
                return "—"  # unknown, not zero: the tooltip says why
            return f"{whole(status.score)} {status.band}"
        return "Stale" if status.stale_sections else ("Current" if status.currency_note else "")

    def _sort_key(self, country: model.Country, status: CountryStatus, column: int):
        if column == self.COL_SCORE:
            if status.score is None or status.band == INSUFFICIENT:
                return -1.0  # unknown is not zero, but it sorts after every known score
            return float(status.score)
        if column == self.COL_TIER:
            return country.priority_tier or 9
        if column == self.COL_DATA:
            return 0 if status.stale_sections else 1
        return text_key(self._text(country, status, column))


class CountryFilter(QSortFilterProxyModel):
    """Keeps the rows that match the search text, region, format and tier."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.region = ""
        self.format = ""
        self.tier: int | None = None
        # the source model sorts its own rows (fast); the proxy only filters
        self.setDynamicSortFilter(False)

    def set_criteria(self, *, text: str | None = None, region: str | None = None,
                     format: str | None = None, tier: int | None | str = "") -> None:
        self.beginFilterChange()
        if text is not None:
            self.text = text.strip().casefold()
        if region is not None:
            self.region = region
        if format is not None:
            self.format = format
        if not isinstance(tier, str):  # "" leaves the tier as it is
            self.tier = tier
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802 - Qt API
        source = cast(CountryListModel, self.sourceModel())
        if self.text and self.text not in source.search_text(row):
            return False
        country = source.country(row)
        if self.region and country.region != self.region:
            return False
        if self.format and self.format not in country.memberships:
            return False
        return self.tier is None or country.priority_tier == self.tier


class CountryBrowser(QWidget):
    """The list of countries with its search box and filters."""

    #: the user picked a country (alpha-3 code)
    country_selected = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.countries = CountryListModel(self)
        self.proxy = CountryFilter(self)
        self.proxy.setSourceModel(self.countries)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search countries (Ctrl+F)")
        self.search.setAccessibleName("Search countries")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self._refilter(text=text))
        self.search.returnPressed.connect(self.open_first_match)
        self.search.installEventFilter(self)
        self.search.setToolTip("Type part of a name or code. Enter opens the first match; "
                               "Down moves into the list.")

        self.region = self._combo("Region", [ANY, *model.REGIONS])
        self.region.currentTextChanged.connect(
            lambda text: self._refilter(region="" if text == ANY else text))
        self.format = self._combo("Format or membership", [ANY, *model.FORMATS])
        self.format.currentTextChanged.connect(
            lambda text: self._refilter(format="" if text == ANY else text))
        self.tier = self._combo("Priority tier",
                                [ANY, "1 (highest)", "2", "3", "4"])
        self.tier.currentIndexChanged.connect(
            lambda i: self._refilter(tier=None if i == 0 else i))
        self.sort = self._combo("Sort by", ["Name", "Score (highest first)", "Priority tier",
                                            "Stale data first"])
        self.sort.currentIndexChanged.connect(self._sort)

        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Countries")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab leaves the list for the next pane; the arrow keys move within it
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)  # one line per country; the tooltip has the full name
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().setSectionsClickable(True)
        self.view.horizontalHeader().setSortIndicator(CountryListModel.COL_NAME,
                                                      Qt.SortOrder.AscendingOrder)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self.countries.sort)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(CountryListModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((CountryListModel.COL_REGION, 110), (CountryListModel.COL_TIER, 36),
                              (CountryListModel.COL_SCORE, 66), (CountryListModel.COL_DATA, 44)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)
        # the region filter above shows the region; the name needs the room more
        self.view.setColumnHidden(CountryListModel.COL_REGION, True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.countries.sorted_again.connect(self._resort)

        self.count = QLabel(self)
        self.count.setAccessibleName("Number of countries shown")
        self.scoring_note = QLabel(self)
        self.scoring_note.setWordWrap(True)
        self.scoring_note.hide()
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._update_count)

        filters = QFormLayout()
        filters.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        filters.addRow("Region", self.region)
        filters.addRow("Format", self.format)
        filters.addRow("Tier", self.tier)
        filters.addRow("Sort by", self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.scoring_note)
        layout.addWidget(self.count)

    def _combo(self, name: str, items: list[str]) -> QComboBox:
        combo = QComboBox(self)
        combo.addItems(items)
        combo.setAccessibleName(name)
        return combo

    def set_countries(self, countries: list[model.Country]) -> None:
        self.countries.set_rows(countries)
        # no tiers recorded (none are invented): the column would only take the names' room
        self.view.setColumnHidden(CountryListModel.COL_TIER,
                                  not any(c.priority_tier for c in countries))
        self._resort()
        self._update_count()

    def update_country(self, country: model.Country) -> None:
        """One country changed in the store (Set judgements, Set marking): its row, the
        Tier column, the filters and the order follow at once."""
        if not self.countries.replace(country):
            return
        every = [self.countries.country(r) for r in range(self.countries.rowCount())]
        self.view.setColumnHidden(CountryListModel.COL_TIER,
                                  not any(c.priority_tier for c in every))
        self.proxy.set_criteria()  # the filters again, on the new tier
        self._resort()
        self._update_count()

    def set_scoring_problem(self, text: str) -> None:
        self.scoring_note.setText(text)
        self.scoring_note.setVisible(bool(text))

    def _refilter(self, **criteria) -> None:
        self.proxy.set_criteria(**criteria)
        self._update_count()

    def _sort(self, choice: int) -> None:
        column, order = [
            (CountryListModel.COL_NAME, Qt.SortOrder.AscendingOrder),
            (CountryListModel.COL_SCORE, Qt.SortOrder.DescendingOrder),
            (CountryListModel.COL_TIER, Qt.SortOrder.AscendingOrder),
            (CountryListModel.COL_DATA, Qt.SortOrder.AscendingOrder),
        ][choice]
        self.view.horizontalHeader().setSortIndicator(column, order)

    def _resort(self) -> None:
        header = self.view.horizontalHeader()
        self.countries.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if self.view.currentIndex().isValid():  # the chosen country stays in sight
            self.view.scrollTo(self.view.currentIndex())

    def _update_count(self, *_) -> None:
        shown, total = self.proxy.rowCount(), self.countries.rowCount()
        self.count.setText(f"{shown} of {total} countries" if shown != total
                           else f"{total} countries")

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.proxy.mapToSource(current).row()
            self.country_selected.emit(self.countries.country(row).code)

    def select(self, code: str) -> bool:
        """Select a country by code (clearing filters that hide it)."""
        row = self.countries.row_of(code)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.countries.index(row, 0))
        if not index.isValid():
            self.search.clear()
            self.region.setCurrentIndex(0)
            self.format.setCurrentIndex(0)
            self.tier.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.countries.index(row, 0))
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def selected_code(self) -> str | None:
        current = self.view.currentIndex()
        if not current.isValid():
            return None
        return self.countries.country(self.proxy.mapToSource(current).row()).code

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down:
            self.focus_list()
            return True
        return super().eventFilter(watched, event)

    def focus_list(self) -> None:
        """Move into the list, on the current country or else the first one shown."""
        if not self.view.currentIndex().isValid() and self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_first_match(self) -> None:
        """Enter in the search box: show the first country the search matches."""
        if not self.proxy.rowCount():
            return
        first = self.proxy.index(0, 0)
        if self.view.currentIndex().row() != 0:
            self.view.setCurrentIndex(first)
        else:  # already current: say so again, so the country is shown
            self._current_changed(first, QModelIndex())
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

"""Dates in the app: typed the UK way in cells and boxes, shown in one style, an empty box
takes typed digits and lets Tab go, and calendars open at today."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from briefpack.app.date_field import DateField  # noqa: E402
from briefpack.app.fields import read_date, show_date  # noqa: E402
from briefpack.app.main_window import TAB_VISIT  # noqa: E402
from briefpack.coercion import Refused  # noqa: E402

from test_app_daily import errors, pick, store_path, window  # noqa: E402,F401


@pytest.mark.parametrize("typed", ["31/12/2025", "31.12.2025", "31-12-2025", "31 Dec 2025",
                                   "31 December 2025", "31st Dec 2025", "2025-12-31",
                                   " 31 / 12 / 2025 "])
def test_uk_forms_of_a_date_are_read(typed):
    assert read_date(typed) == dt.date(2025, 12, 31)


@pytest.mark.parametrize("typed", ["12/31/2025", "31/02/2025", "2025-13-04", "31 Decembr 2025",
                                   "31/12/25", "tomorrow", "31/12/1899"])
def test_what_is_not_a_date_is_refused_with_the_forms_to_use(typed):
    with pytest.raises(Refused) as refused:
        read_date(typed)
    assert "1899" in typed or "31/12/2025" in str(refused.value)


def test_a_table_cell_takes_the_uk_forms_and_shows_one_style(qtbot, window):
    pick(qtbot, window, "NOR")
    table = window.country_view.models["agreements"]
    index = table.index(0, table.COL_SIGNED)
    for typed in ("31/12/2025", "31 Dec 2025", "2025-12-31"):
        assert table.setData(index, "1/1/2024")
        assert table.setData(index, typed), typed
        assert table.record(0).signed == dt.date(2025, 12, 31)
        assert index.data() == "31 Dec 2025"
    # the Updated column is in the same style
    updated = table.index(0, table.COL_UPDATED).data()
    assert updated and "-" not in updated and read_date(updated)


def test_readout_date_takes_typed_digits_and_lets_tab_go(qtbot, window):
    window.activateWindow()
    window.centre.setCurrentIndex(TAB_VISIT)
    planner = window.planner
    planner.tabs.setCurrentIndex(planner.tabs.count() - 1)  # Readout
    box = planner.readout_date
    assert box.value() is None and box.edit.placeholderText() == "not written yet"
    box.setFocus()
    qtbot.waitUntil(box.edit.hasFocus)
    qtbot.keyClicks(box.edit, "27/11/2026")
    qtbot.keyClick(box.edit, Qt.Key.Key_Tab)
    assert not box.edit.hasFocus()
    assert box.value() == dt.date(2026, 11, 27)
    assert box.text() == "27 Nov 2026"
    assert planner.draft().readout_date == dt.date(2026, 11, 27)
    # cleared, it is "not written yet" again
    box.edit.clear()
    box.edit.editingFinished.emit()
    assert planner.draft().readout_date is None


def test_a_visit_date_that_is_not_a_date_is_named(qtbot, window):
    planner = window.planner
    planner.start.edit.setText("31/02/2026")
    planner.start.edit.editingFinished.emit()
    assert planner.date_problem.isVisibleTo(planner)
    assert "31/02/2026" in planner.date_problem.text()
    with pytest.raises(ValueError, match="Start date"):
        planner.visit()


def test_calendars_open_at_today_or_at_the_date_shown(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    box = DateField("Signed", parent)
    parent.show()
    box.open_calendar()
    today = dt.date.today()
    calendar = box.calendar
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    box.menu.close()
    box.set_value(dt.date(2019, 3, 4))
    box.open_calendar()
    assert (calendar.yearShown(), calendar.monthShown()) == (2019, 3)
    calendar.clicked.emit(calendar.selectedDate().addDays(1))
    assert box.value() == dt.date(2019, 3, 5)
    assert QApplication.activePopupWidget() is None
    assert show_date(box.value()) == box.text()


# -- the visit's saved state ----------------------------------------------------------------

def test_saved_visit_rows_are_no_longer_shown_as_unsaved(qtbot, window):
    from briefpack import model

    pick(qtbot, window, "NOR")
    window.new_visit_action.trigger()
    planner = window.planner
    qtbot.keyClicks(planner.title, "Defence Secretary in Oslo")
    qtbot.keyClicks(planner.principal, "Secretary of State for Defence")
    planner.asks.add_row(model.Ask(ask="More frigates?", response="Welcome the interest."))
    assert planner.asks.index(0, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert window.save()
    assert planner.asks.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert not window.isWindowModified()


def test_a_visit_imported_from_a_file_shows_the_unsaved_marker(qtbot, window):
    """The import loads the visit and marks it unsaved (it is not in the store yet)."""
    from briefpack import model

    planner = window.planner
    assert not window.isWindowModified()
    planner.load_visit(model.Visit(title="Trip", principal="Minister",
                                   start=dt.date(2026, 5, 4), end=dt.date(2026, 5, 5),
                                   countries=("NOR",)))
    planner.dirty = True
    assert window.isWindowModified() and window.has_unsaved()
    assert planner.heading.text().endswith("*")



# -- the window's state after changes made outside the tables ------------------------------------

def test_the_title_names_the_visit_while_the_planner_is_open(qtbot, window):
    pick(qtbot, window, "NOR")
    assert window.windowTitle().startswith("Norway")
    window.centre.setCurrentIndex(TAB_VISIT)
    window.planner.title.setText("Nordic tour")
    assert window.windowTitle().startswith("Nordic tour")
    assert "Norway" not in window.windowTitle()
    window.centre.setCurrentIndex(0)
    assert window.windowTitle().startswith("Norway")


def test_judgements_show_in_the_country_list_at_once(qtbot, window, monkeypatch):
    from briefpack.app import data_menu
    from briefpack.app.country_browser import CountryListModel

    pick(qtbot, window, "NOR")
    def tier_one(dialog):
        dialog.tier.setCurrentIndex(dialog.tier.findData(1))
        return 1

    monkeypatch.setattr(data_menu.JudgementDialog, "exec", tier_one)
    window.judge_action.trigger()
    browser = window.browser
    assert not browser.view.isColumnHidden(CountryListModel.COL_TIER)
    browser.tier.setCurrentIndex(1)
    assert browser.count.text().startswith("1 of ")
    assert browser.selected_code() == "NOR"


def test_after_a_restore_the_country_is_shown_live_and_the_message_stays(qtbot, window):
    from briefpack.app import domain

    pick(qtbot, window, "NOR")
    backup = domain.back_up_now(window.store.path)
    agreements = window.country_view.models["agreements"]
    assert agreements.setData(agreements.index(0, agreements.COL_JOBS), "4321")
    assert window.save()
    window.data_menu.restore_backup(backup.name, confirm=False)
    qtbot.waitUntil(lambda: window.message.text().startswith("Restored"), timeout=20000)
    window.jobs.wait()  # the scores of the restored store
    qtbot.wait(300)
    assert window.country_view.isEnabled()
    assert window.country_view.country_file.country.code == "NOR"
    assert window.country_view.models["agreements"].record(0).jobs != 4321
    assert window.message.text().startswith("Restored")

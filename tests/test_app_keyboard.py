"""The app by keyboard alone: tables follow Qt's convention (Tab leaves, arrows move, Insert
adds, Delete removes), Tab order follows the layout, no invisible Tab stops, Enter adds a
country, lists of lines are typed in their cells, and the Shortcuts list is complete."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractScrollArea, QApplication, QPlainTextEdit, QScrollArea, QTabWidget, QToolButton,
    QWidget,
)

from briefpack.app.help import HelpDialog  # noqa: E402
from briefpack.app.main_window import TAB_VISIT  # noqa: E402

from test_app_daily import errors, pick, store_path, window  # noqa: E402,F401


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def agreements_in_focus(qtbot, window):
    window.activateWindow()
    pick(qtbot, window, "NOR")
    table = window.country_view.tables["agreements"]
    window.country_view.tabs.setCurrentWidget(table)
    table.view.setCurrentIndex(table.table.index(0, 0))
    table.view.setFocus()
    qtbot.waitUntil(table.view.hasFocus)
    return table


def test_tab_leaves_a_record_table_and_ctrl_tab_changes_tab(qtbot, window):
    table = agreements_in_focus(qtbot, window)
    press(qtbot, Qt.Key.Key_Tab)
    assert not table.view.hasFocus()
    assert table.view.currentIndex().column() == 0  # Tab did not walk the cells
    # Shift+Tab comes back, and from the table reaches Delete and Add above it
    press(qtbot, Qt.Key.Key_Backtab)
    assert table.view.hasFocus()
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is table.delete_button
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is table.add_button
    # arrows move within the table
    table.view.setFocus()
    press(qtbot, Qt.Key.Key_Right)
    assert table.view.currentIndex().column() == 1
    # Ctrl+Tab goes to the next tab of Country data, not the next cell
    tabs = window.country_view.tabs
    before = tabs.currentIndex()
    table.view.setFocus()
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == (before + 1) % tabs.count()


def test_insert_adds_a_row_and_delete_removes_it_undoably(qtbot, window):
    table = agreements_in_focus(qtbot, window)
    count = table.table.rowCount()
    press(qtbot, Qt.Key.Key_Insert)
    assert table.table.rowCount() == count + 1
    qtbot.keyClicks(focused(), "Defence Cooperation Accord")
    press(qtbot, Qt.Key.Key_Return)  # the delegate commits from the event loop
    qtbot.waitUntil(lambda: table.table.record(count).name == "Defence Cooperation Accord")
    table.view.setFocus()
    press(qtbot, Qt.Key.Key_Delete)
    assert table.table.rowCount() == count
    window.undo_action.trigger()
    assert table.table.rowCount() == count + 1


def test_refusal_under_a_table_goes_with_the_country(qtbot, window):
    pick(qtbot, window, "NOR")
    table = window.country_view.tables["agreements"]
    window.country_view.tabs.setCurrentWidget(table)
    assert not table.table.setData(table.table.index(0, table.table.COL_SIGNED), "31/13/2025")
    assert table.message.isVisibleTo(table)
    pick(qtbot, window, "DNK")
    assert not table.message.isVisibleTo(table)


def test_visit_tab_order_follows_the_layout_and_enter_adds_a_country(qtbot, window):
    window.activateWindow()
    window.centre.setCurrentIndex(TAB_VISIT)
    planner = window.planner
    planner.tabs.setCurrentIndex(0)
    order = [planner.title, planner.principal, planner.start.edit, planner.end.edit,
             planner.purpose, planner.country_list]
    order[0].setFocus()
    qtbot.waitUntil(order[0].hasFocus)
    for widget in order[1:]:
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is widget, (focused(), focused().accessibleName())

    planner.country_picker.setFocus()
    qtbot.keyClicks(planner.country_picker.lineEdit(), "Denmark")
    press(qtbot, Qt.Key.Key_Return)
    assert "DNK" in planner.countries()


def test_typing_in_the_who_attends_cell_is_kept(qtbot, window):
    window.activateWindow()
    window.centre.setCurrentIndex(TAB_VISIT)
    planner = window.planner
    programme = next(t for t in planner.findChildren(type(window.country_view.tables[
        "agreements"])) if t.table is planner.programme)
    planner.tabs.setCurrentWidget(programme)
    row = planner.programme.add_row()
    column = next(i for i, f in enumerate(planner.programme.FIELDS) if f.kind == "attendees")
    index = planner.programme.index(row, column)
    assert planner.programme.flags(index) & Qt.ItemFlag.ItemIsEditable
    programme.view.setFocus()
    programme.view.setCurrentIndex(index)
    qtbot.keyClick(programme.view, "C")  # typing opens the cell's editor, keeping the key
    editor = focused()
    assert isinstance(editor, QPlainTextEdit)
    qtbot.keyClicks(editor, "hief of Defence")
    press(qtbot, Qt.Key.Key_Return)  # a new line: a second attendee
    qtbot.keyClicks(editor, "Ambassador")
    press(qtbot, Qt.Key.Key_Tab)  # commits
    qtbot.waitUntil(lambda: bool(planner.programme.record(row).interlocutors))
    attendees = planner.programme.record(row).interlocutors
    assert [a.role for a in attendees] == ["Chief of Defence", "Ambassador"]


def test_no_invisible_or_unnamed_tab_stops(qtbot, window):
    window.resize(900, 560)  # small enough that tab bars scroll
    for tabs in window.findChildren(QTabWidget):
        for button in tabs.tabBar().findChildren(QToolButton):
            assert not button.focusPolicy() & Qt.FocusPolicy.TabFocus, tabs.accessibleName()
    for area in window.findChildren(QScrollArea):
        assert not area.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert area.accessibleName()
    for view in window.planner.findChildren(QAbstractScrollArea):
        if view.focusPolicy() & Qt.FocusPolicy.TabFocus and view.window() is window:
            assert view.accessibleName(), view


def test_shortcuts_list_names_zoom_pages_and_the_table_keys(qtbot, window):
    dialog = window.show_help(HelpDialog.SHORTCUTS)
    table = dialog.shortcuts
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    for what in ("Zoom in", "Zoom out", "Next page", "Previous page"):
        assert what in rows, rows
    keys = " | ".join(rows.values())
    for key in ("Del", "Ins", "F2", "PgDown", "Ctrl++"):
        assert key in keys, keys
    dialog.close()


def test_pane_cycling_lands_on_a_named_visible_control_never_a_container(qtbot):
    from PySide6.QtWidgets import QLineEdit, QTabWidget, QVBoxLayout

    from briefpack.app.focus import cycle

    top = QWidget()
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    first, hidden, tabs = QWidget(top), QWidget(top), QTabWidget(top)
    for pane in (first, hidden, tabs):
        layout.addWidget(pane)
        pane.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a container that would take it
    QVBoxLayout(first).addWidget(named := QLineEdit(first))
    named.setAccessibleName("Search")
    QVBoxLayout(hidden).addWidget(inside := QLineEdit(hidden))
    inside.setAccessibleName("Hidden box")
    page = QLineEdit()
    page.setAccessibleName("On the page")
    tabs.addTab(page, "Page")
    top.show()
    hidden.hide()
    top.activateWindow()
    qtbot.waitUntil(top.isActiveWindow)
    assert cycle([first, hidden, tabs], None, 1) is named
    assert cycle([first, hidden, tabs], named, 1) is page  # the hidden pane is passed over
    assert cycle([first, hidden, tabs], page, 1) is named
    assert cycle([first, hidden, tabs], named, -1) is page


def test_f6_lands_on_named_controls_and_reaches_the_record_form(qtbot, window):
    table = agreements_in_focus(qtbot, window)
    window.show_record_form()
    visited = []
    for _ in range(5):
        window.next_pane_action.trigger()
        widget = focused()
        assert widget is not None and widget.isVisible() and widget.accessibleName(), widget
        visited.append(widget)
    assert any(window.record_form.isAncestorOf(w) for w in visited)
    assert any(window.side.isAncestorOf(w) for w in visited)
    assert window.browser.view in visited and table.view in visited
    # Ctrl+E opens the form with the keyboard in it
    window.record_dock.hide()
    table.view.setFocus()
    window.form_action.trigger()
    assert window.record_dock.isVisible()
    assert window.record_form.isAncestorOf(focused())
    assert focused().accessibleName() == "Name"

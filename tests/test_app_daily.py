"""The desktop app in daily use: keyboard, unsaved state, one window per store, small
screens, dark themes, store naming, cancelling and build warnings."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import QRect, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from briefpack.app import dialogs as dialogs_module, main_window as main_window_module  # noqa: E402
from briefpack.app import palette, store_path as chosen_store  # noqa: E402
from briefpack.app.instance import StoreInUse  # noqa: E402
from briefpack.app.main_window import TAB_COUNTRY, MainWindow  # noqa: E402
from briefpack.app.settings import AppSettings  # noqa: E402
from briefpack.progress import Progress  # noqa: E402
from briefpack.store import Store  # noqa: E402

WAIT_MS = 20000


from fixtures_app import errors, store_path  # noqa: E402,F401  (fixtures)


def make_settings(tmp_path: Path) -> AppSettings:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.output_folder = tmp_path / "out"
    settings.author = "Jo Bloggs"
    return settings


@pytest.fixture
def window(qtbot, store_path, tmp_path, errors):
    win = MainWindow(Store.open(store_path), make_settings(tmp_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.priorities is not None, timeout=WAIT_MS)
    yield win
    win.jobs.wait()
    if win.lock is not None:
        win.lock.release()


def pick(qtbot, win: MainWindow, code: str) -> None:
    assert win.browser.select(code)
    qtbot.waitUntil(lambda: win.country_view.country_file is not None
                    and win.country_view.country_file.country.code == code, timeout=WAIT_MS)


def shown_code(win: MainWindow) -> str | None:
    cf = win.country_view.country_file
    return cf.country.code if cf else None


# -- keyboard -------------------------------------------------------------------------------

def test_keyboard_path_search_enter_down_tab_and_panes(qtbot, window):
    window.activateWindow()
    window.find_action.trigger()
    assert window.browser.search.hasFocus()
    qtbot.keyClicks(window.browser.search, "norw")
    qtbot.keyClick(window.browser.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown_code(window) == "NOR", timeout=WAIT_MS)
    assert window.browser.view.hasFocus()

    window.browser.search.clear()
    window.find_action.trigger()
    qtbot.keyClick(window.browser.search, Qt.Key.Key_Down)
    assert window.browser.view.hasFocus()
    # arrows move within the list...
    before = window.browser.selected_code()
    qtbot.keyClick(window.browser.view, Qt.Key.Key_Down)
    moved = window.browser.selected_code()
    assert moved != before
    # ...and Tab leaves it without picking another country
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert window.browser.selected_code() == moved
    assert not window.browser.view.hasFocus()

    # F6 goes from pane to pane: list -> work area -> preview -> list
    window.browser.view.setFocus()
    window.next_pane_action.trigger()
    assert window.centre.isAncestorOf(QApplication.focusWidget())
    window.next_pane_action.trigger()
    assert window.side.isAncestorOf(QApplication.focusWidget())
    window.next_pane_action.trigger()
    assert window.browser.view.hasFocus()
    window.previous_pane_action.trigger()
    assert window.side.isAncestorOf(QApplication.focusWidget())


def test_menu_mnemonics_are_unique_in_each_menu(window):
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        letters = [m.group(1).lower() for a in menu.actions()
                   if (m := re.search(r"&(\w)", a.text()))]
        assert len(letters) == len(set(letters)), (menu.title(), letters)
    tops = [re.search(r"&(\w)", a.text()).group(1) for a in window.menuBar().actions()]
    assert len(tops) == len(set(tops))


def test_toolbar_undo_label_stays_put_while_editing(qtbot, window):
    pick(qtbot, window, "NOR")
    agreements = window.country_view.models["agreements"]
    assert agreements.setData(agreements.index(0, agreements.COL_JOBS), "77")
    assert window.undo_action.text() == "&Undo"
    assert "UK jobs" in window.undo_action.toolTip()
    assert not window.undo_action.icon().isNull()


# -- unsaved state follows the undo stack -------------------------------------------------------

def test_undoing_every_edit_leaves_nothing_unsaved(qtbot, window, store_path):
    pick(qtbot, window, "NOR")
    agreements = window.country_view.models["agreements"]
    exports = window.country_view.models["export_opportunities"]
    assert agreements.setData(agreements.index(0, agreements.COL_JOBS), "1250")
    exports.remove_row(0)
    agreements.add_row()
    assert window.isWindowModified() and window.country_view.has_pending()
    assert agreements.index(0, 0).data(Qt.ItemDataRole.FontRole).italic()
    for _ in range(3):
        window.undo_action.trigger()
    assert window.country_undo.isClean()
    assert not window.country_view.has_pending()
    assert not window.isWindowModified()
    assert agreements.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert "*" not in window.country_view.tabs.tabText(1)

    reader = Store.open(store_path, create=False)
    audited = len(reader.audit_log())
    reader.close()
    window.save_action.trigger()  # a no-op save writes nothing to the audit log
    reader = Store.open(store_path, create=False)
    assert len(reader.audit_log()) == audited
    reader.close()
    asked = []
    dialogs_module.ask_unsaved = lambda *a: asked.append(a)  # restored by monkeypatch
    pick(qtbot, window, "DNK")  # switching asks nothing
    assert asked == []


def test_changing_a_value_and_back_is_not_unsaved(qtbot, window):
    pick(qtbot, window, "NOR")
    agreements = window.country_view.models["agreements"]
    old = agreements.index(0, agreements.COL_JOBS).data(Qt.ItemDataRole.EditRole)
    assert agreements.setData(agreements.index(0, agreements.COL_JOBS), "4321")
    assert agreements.setData(agreements.index(0, agreements.COL_JOBS), old)
    assert not window.country_view.has_pending()
    assert not window.isWindowModified()


def test_visit_typed_then_undone_is_not_unsaved(qtbot, window):
    window.new_visit_action.trigger()
    planner = window.planner
    assert not planner.dirty
    qtbot.keyClicks(planner.title, "Trip")
    assert planner.dirty and window.isWindowModified()
    planner.title.undo()
    assert planner.title.text() == ""
    assert not planner.dirty and not window.isWindowModified()
    planner.objectives.add_row()
    assert planner.dirty
    window.undo_action.trigger()
    assert not planner.dirty


# -- one window per store ------------------------------------------------------------------

def test_second_window_on_the_same_store_is_refused(qtbot, window, store_path, tmp_path):
    with pytest.raises(StoreInUse) as refused:
        MainWindow(Store.open(store_path), make_settings(tmp_path))
    assert str(store_path) in str(refused.value) and "already open" in str(refused.value)
    window.close()
    again = MainWindow(Store.open(store_path), make_settings(tmp_path))
    qtbot.addWidget(again)
    again.jobs.wait()
    again.close()


def test_switching_to_a_store_open_elsewhere_is_refused(qtbot, window, store_path,
                                                       tmp_path, errors):
    other = tmp_path / "other.db"
    shutil.copy(store_path, other)
    window.close()
    first = MainWindow(Store.open(other), make_settings(tmp_path))
    qtbot.addWidget(first)
    second = MainWindow(Store.open(store_path), make_settings(tmp_path))
    qtbot.addWidget(second)
    assert not second.switch_store(other)
    assert errors[-1][0] == "Cannot open the store" and "already open" in errors[-1][1]
    assert second.store.path == store_path
    for win in (first, second):
        win.jobs.wait()
        win.close()


# -- which store ------------------------------------------------------------------------------

def test_title_names_country_and_store_once(qtbot, window, store_path):
    pick(qtbot, window, "NOR")
    title = window.windowTitle()
    assert title.startswith(f"Norway[*] — {store_path.name} (training store)")
    assert title.count("briefpack") <= 1
    assert "TRAINING" in window.store_label.text()
    assert str(store_path) in window.store_label.toolTip()


def test_db_option_and_environment_win_over_the_last_store(tmp_path, monkeypatch):
    last = tmp_path / "last.db"
    last.write_bytes(b"")
    env = tmp_path / "env.db"
    monkeypatch.setenv("BRIEFPACK_DB", str(env))
    assert chosen_store(argparse.Namespace(db=None), last) == env
    assert chosen_store(argparse.Namespace(db=str(tmp_path / "x.db")), last) == \
        tmp_path / "x.db"
    monkeypatch.delenv("BRIEFPACK_DB")
    assert chosen_store(argparse.Namespace(db=None), last) == last


# -- small and HiDPI screens --------------------------------------------------------------

def test_window_fits_a_1024_by_600_screen(qtbot, window):
    screen = QRect(0, 0, 1024, 600)
    window.placement.fit_to(screen)
    qtbot.wait(10)
    assert window.width() <= 1024 and window.height() <= 600
    assert window.minimumSizeHint().width() <= 1024
    assert window.minimumSizeHint().height() <= 600
    bar = window.statusBar()
    assert bar.geometry().bottom() <= window.height()
    window.builds.progress.show()
    window.builds.cancel_button.show()
    window.message.setText("A long message " * 30)
    qtbot.wait(10)
    assert window.builds.cancel_button.geometry().right() <= bar.width()
    for pane in (window.browser, window.centre, window.side):
        assert pane.width() > 150


def test_saved_geometry_too_big_for_the_screen_is_not_restored(qtbot, store_path, tmp_path,
                                                              errors):
    settings = make_settings(tmp_path)
    big = MainWindow(Store.open(store_path), settings)
    qtbot.addWidget(big)
    big.setMinimumSize(0, 0)
    big.resize(2732, 1480)
    big.jobs.wait()
    big.close()
    small = MainWindow(Store.open(store_path), settings)
    qtbot.addWidget(small)
    available = small.screen().availableGeometry()
    assert small.width() <= available.width() and small.height() <= available.height()
    small.jobs.wait()
    small.close()


# -- dark mode ----------------------------------------------------------------------------------

def dark_palette() -> QPalette:
    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"),
                         (QPalette.ColorRole.Base, "#1e1e1e"),
                         (QPalette.ColorRole.WindowText, "#e8e8e8"),
                         (QPalette.ColorRole.Text, "#e8e8e8")):
        dark.setColor(role, QColor(colour))
    return dark


def light_palette() -> QPalette:
    light = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#efefef"),
                         (QPalette.ColorRole.Base, "#ffffff")):
        light.setColor(role, QColor(colour))
    return light


@pytest.mark.parametrize("make", [dark_palette, light_palette])
@pytest.mark.parametrize("kind", ["error", "warning", "stale", "ok", "training"])
def test_message_colours_reach_4_5_to_1_on_light_and_dark(make, kind):
    pal = make()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        colour = palette.meaning_colour(kind, pal, role)
        assert palette.contrast_ratio(colour, pal.color(role)) >= 4.5


def test_contrast_ratio_matches_wcag():
    assert round(palette.contrast_ratio(QColor("black"), QColor("white")), 1) == 21.0
    assert round(palette.contrast_ratio(QColor("#777777"), QColor("white")), 2) == 4.48


def test_refused_input_is_readable_in_a_dark_theme(qtbot, window):
    app = QApplication.instance()
    old = app.palette()
    app.setPalette(dark_palette())
    try:
        pick(qtbot, window, "NOR")
        table = window.country_view.tables["agreements"]
        table.refresh_colours()
        match = re.search(r"color: (#[0-9a-f]{6})", table.message.styleSheet())
        colour = QColor(match.group(1))
        assert palette.contrast_ratio(colour, dark_palette().color(
            QPalette.ColorRole.Window)) >= 4.5
    finally:
        app.setPalette(old)


# -- builds: Esc cancels, warnings are shown -----------------------------------------------------

def test_escape_cancels_a_running_build(qtbot, window, monkeypatch):
    def slow(request):
        for step in range(1, 200):
            qtbot.wait(0) if False else None
            import time

            time.sleep(0.02)
            yield Progress(step, 200, f"step {step}")

    monkeypatch.setattr(main_window_module.domain, "build", slow)
    pick(qtbot, window, "NOR")
    window.builds.build_brief()
    assert window.cancel_action.isEnabled()
    qtbot.waitUntil(lambda: window.builds.progress.value() > 0, timeout=WAIT_MS)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.builds.worker is None, timeout=WAIT_MS)
    assert window.message.text() == "Build cancelled."
    assert not window.cancel_action.isEnabled()


def test_build_warnings_are_shown_as_the_cli_shows_them(qtbot, window, monkeypatch, tmp_path):
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"%PDF-1.4")

    def warned(request):
        yield Progress(1, 2, "Assembling", warnings=("this brief holds 40 personal records",))
        yield Progress(2, 2, "Writing", result=type("R", (), {
            "outputs": (out,), "warnings": ("this brief holds 40 personal records",)})())

    shown = []
    monkeypatch.setattr(main_window_module.domain, "build", warned)
    monkeypatch.setattr(dialogs_module.BuildDoneDialog, "exec",
                        lambda self: shown.append(self.warnings.text()) or 0)
    pick(qtbot, window, "NOR")
    window.builds.build_brief()
    qtbot.waitUntil(lambda: window.builds.worker is None, timeout=WAIT_MS)
    assert shown == ["Warning: this brief holds 40 personal records"]
    assert "1 warning" in window.message.text()
    assert window.settings.recent("builds") == [str(out)]


def test_print_without_a_preview_says_why(window, errors):
    window.preview.pdf_path = None
    window.print_action.trigger()
    assert errors[-1][0] == "Nothing to print yet"


def test_place_is_remembered_and_restored(qtbot, window, store_path, tmp_path, errors):
    pick(qtbot, window, "DNK")
    window.country_view.tabs.setCurrentIndex(2)
    window.close()
    again = MainWindow(Store.open(store_path), window.settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: shown_code(again) == "DNK", timeout=WAIT_MS)
    assert again.centre.currentIndex() == TAB_COUNTRY
    assert again.country_view.tabs.currentIndex() == 2
    again.jobs.wait()
    again.close()


def test_a_long_step_shows_it_is_still_working(qtbot, window, monkeypatch):
    import threading
    import time

    release = threading.Event()

    def slow(request):
        yield Progress(1, 2, "Writing pack.pdf")
        release.wait(10)
        yield Progress(2, 2, "Wrote 0 files")

    monkeypatch.setattr(main_window_module.domain, "build", slow)
    pick(qtbot, window, "NOR")
    window.builds.build_brief()
    qtbot.waitUntil(lambda: window.builds._step is not None, timeout=WAIT_MS)
    step, total, message, _began = window.builds._step
    window.builds._step = (step, total, message, time.monotonic() - 7)  # as if 7 s had passed
    window.builds._step_tick()
    assert window.builds.progress.format() == "0% — 7 s"
    assert "7 s so far" in window.message.text()
    release.set()
    qtbot.waitUntil(lambda: window.builds.worker is None, timeout=WAIT_MS)


def test_no_two_actions_share_a_shortcut(window):
    seen: dict[str, str] = {}
    for action in window.actions():
        for key in action.shortcuts():
            text = key.toString()
            if not text:
                continue
            assert text not in seen, f"{text}: {seen.get(text)} and {action.text()}"
            seen[text] = action.text()
    assert {"Ctrl+E", "Ctrl+H", "Ctrl+M", "F6", "Esc"} <= set(seen)


def test_the_window_opens_without_the_scoring_or_import_machinery():
    import subprocess
    import sys

    code = ("import sys, briefpack.app.main_window; "
            "print(sorted(m for m in ('briefpack.scoring', 'briefpack.priorities', "
            "'briefpack.store.csv_import') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_insufficient_band_matches_scoring():
    from briefpack import scoring
    from briefpack.app import domain

    assert domain.INSUFFICIENT == scoring.INSUFFICIENT

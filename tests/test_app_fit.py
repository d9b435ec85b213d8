"""Every dialog of the app fits a 1024×600 and a 960×540 logical screen; every text the app
colours is readable (≥ 4.5:1) in light and dark themes; lists sort the way people read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import QPoint, QRect, QSize  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication, QDialog, QFileDialog, QLabel, QMessageBox, QWizard,
)

from briefpack.app import dialogs, palette, screen_fit  # noqa: E402
from briefpack.app.dialogs import show_error  # noqa: E402  (the real one: the errors
#                                                  fixture replaces dialogs.show_error)
from briefpack.app.screen_fit import FRAME, SMALL_SCREENS  # noqa: E402

from test_app_daily import errors, pick, store_path, window  # noqa: E402,F401

WAIT_MS = 20000


def walk_dialogs(qtbot, window, monkeypatch) -> list[QDialog]:
    """Open every dialog the menus reach (and the build's and the errors' own), recording
    each instead of running it."""
    opened: list[QDialog] = []

    def record(dialog, *_args, **_kwargs):
        opened.append(dialog)
        return 0

    for cls in (QDialog, QMessageBox, QFileDialog):
        monkeypatch.setattr(cls, "exec", record)
    monkeypatch.setattr(QDialog, "open", record)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    pick(qtbot, window, "NOR")
    table = window.country_view.tables["agreements"]
    window.country_view.tabs.setCurrentWidget(table)
    table.view.setCurrentIndex(table.table.index(0, 0))
    for action in (window.open_visit_action, window.settings_action,
                   window.import_data_action, window.export_packet_action,
                   window.backups_action, window.history_action, window.review_due_action,
                   window.mark_action, window.judge_action, window.guide_action,
                   window.shortcuts_action, window.about_action):
        action.trigger()
    count = len(opened)
    window.rank_action.trigger()  # the ranking is worked out first, in a worker
    qtbot.waitUntil(lambda: len(opened) > count, timeout=WAIT_MS)
    long_warning = ("This brief gathers 48 personal records, more than the 20 a brief "
                    "should hold; consider leaving personal data out. ") * 4
    opened.append(dialogs.BuildDoneDialog(
        [Path("2026-11-30-NOR-brief-standard.pdf"), Path("2026-11-30-NOR-brief-standard.docx")],
        window, warnings=[long_warning, "A second warning."]))
    show_error(window, "Cannot build", "Something long went wrong. " * 30)
    return opened


@pytest.mark.parametrize("screen", SMALL_SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_every_dialog_fits_a_small_screen(qtbot, window, monkeypatch, screen: QSize):
    area = QRect(0, 0, screen.width(), screen.height())
    monkeypatch.setattr(screen_fit, "available", lambda widget: area)
    opened = walk_dialogs(qtbot, window, monkeypatch)
    kinds = {type(d).__name__ for d in opened}
    assert {"ImportWizard", "HelpDialog", "SettingsDialog", "OpenVisitDialog", "RankDialog",
            "BackupsDialog", "HistoryDialog", "JudgementDialog", "MarkingDialog",
            "BuildDoneDialog", "QMessageBox"} <= kinds, kinds
    room = screen - FRAME
    for dialog in opened:
        pages = [dialog.page(i) for i in dialog.pageIds()] if isinstance(dialog, QWizard) \
            else [None]
        QDialog.show(dialog)
        QApplication.processEvents()
        for page in pages:
            if page is not None:
                page.show()  # each page's needs, as when it is the current one
        name = f"{type(dialog).__name__} '{dialog.windowTitle()}'"
        least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        assert least.width() <= room.width() and least.height() <= room.height(), \
            f"{name} needs {least.toTuple()}, the screen leaves {room.toTuple()}"
        size = dialog.size()
        assert size.width() <= room.width() and size.height() <= room.height(), \
            f"{name} opens at {size.toTuple()} on a {screen.toTuple()} screen"
        assert size.width() >= least.width() and size.height() >= least.height(), name
        box = dialog.frameGeometry()
        assert area.contains(QRect(box.topLeft(), size + FRAME)) or \
            dialog.parentWidget() is not None, f"{name} is placed off the screen at {box}"
        dialog.hide()


# -- contrast -----------------------------------------------------------------------------------

def themed(window_colour: str, text: str, base: str) -> QPalette:
    pal = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, window_colour),
                         (QPalette.ColorRole.Button, window_colour),
                         (QPalette.ColorRole.Base, base),
                         (QPalette.ColorRole.AlternateBase, window_colour),
                         (QPalette.ColorRole.WindowText, text),
                         (QPalette.ColorRole.ButtonText, text),
                         (QPalette.ColorRole.Text, text)):
        pal.setColor(role, QColor(colour))
    return pal


def painted_background(widget) -> QColor:
    """The colour most of the widget's pixels have, as the window paints it (its parents'
    backgrounds included)."""
    top = widget.window()
    image = top.grab(QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())).toImage()
    counts: dict[int, int] = {}
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            rgb = image.pixel(x, y)
            counts[rgb] = counts.get(rgb, 0) + 1
    return QColor(max(counts, key=counts.get))


@pytest.mark.parametrize("theme", [("#353535", "#f0f0f0", "#2a2a2a"),
                                   ("#2b2b2b", "#e8e8e8", "#1e1e1e"),
                                   ("#efefef", "#000000", "#ffffff")],
                         ids=["dark-353535", "dark-2b2b2b", "light"])
def test_every_coloured_text_is_readable_where_it_is_painted(qtbot, window, theme):
    app = QApplication.instance()
    old = app.palette()
    app.setPalette(themed(*theme))
    try:
        pick(qtbot, window, "NOR")
        table = window.country_view.tables["agreements"]
        window.country_view.tabs.setCurrentWidget(table)
        assert not table.table.setData(table.table.index(0, table.table.COL_SIGNED), "never")
        window.planner.start.edit.setText("31/02/2026")
        window.planner.start.edit.editingFinished.emit()
        QApplication.processEvents()
        labels = [label for label in window.findChildren(QLabel)
                  if "color:" in label.styleSheet() and label.text()
                  and label.isVisibleTo(label.window())]
        assert table.message in labels and window.store_label in labels
        for label in labels:
            colour = QColor(re.search(r"color: (#[0-9a-fA-F]{6})", label.styleSheet()).group(1))
            if not label.isVisible():
                continue  # on a tab not shown: its page is painted like this one's
            ground = painted_background(label)
            ratio = palette.contrast_ratio(colour, ground)
            assert ratio >= palette.MIN_CONTRAST, \
                f"{label.accessibleName() or label.text()[:40]}: {colour.name()} on " \
                f"{ground.name()} is {ratio:.2f}:1"
        # computed from the palette alone: the page a tab widget paints
        for kind in palette.HUES:
            colour = palette.meaning_colour(kind)
            for ground in palette.backgrounds(app.palette(), QPalette.ColorRole.Window):
                assert palette.contrast_ratio(colour, ground) >= palette.MIN_CONTRAST
    finally:
        app.setPalette(old)


# -- sorting ------------------------------------------------------------------------------------

def test_countries_sort_the_way_people_read(window):
    names = [window.browser.countries.country(row).name
             for row in range(window.browser.countries.rowCount())]
    assert names.index("Costa Rica") < names.index("Côte d'Ivoire") < names.index("Croatia") \
        < names.index("Czech Republic")


def test_dialog_tables_sort_words_the_way_people_read(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    from briefpack.app.data_dialogs import table_of

    parent = QWidget()
    qtbot.addWidget(parent)
    rows = [{"country": name, "score": score} for name, score in (
        ("Czech Republic", 9), ("Côte d'Ivoire", 10), ("cuba", 100), ("Åland", 2))]
    view, _items, proxy = table_of(rows, {"country": "Country", "score": "Score"}, parent, "t")
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data() for r in range(4)] == [
        "Åland", "Côte d'Ivoire", "cuba", "Czech Republic"]
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 1).data() for r in range(4)] == ["2", "9", "10", "100"]


def test_a_judgement_set_shows_in_the_country_list_at_once(qtbot, sample_store):
    import dataclasses

    from briefpack.app.country_browser import CountryBrowser, CountryListModel

    browser = CountryBrowser()
    qtbot.addWidget(browser)
    countries = sample_store.countries()
    browser.set_countries(countries)
    assert browser.view.isColumnHidden(CountryListModel.COL_TIER)  # the sample sets none
    norway = next(c for c in countries if c.code == "NOR")
    browser.tier.setCurrentIndex(1)  # tier 1
    assert browser.count.text().startswith("0 of ")
    browser.update_country(dataclasses.replace(norway, priority_tier=1))
    assert not browser.view.isColumnHidden(CountryListModel.COL_TIER)
    assert browser.count.text().startswith("1 of ")
    assert browser.proxy.index(0, CountryListModel.COL_TIER).data() == "1"


def test_the_visit_form_fits_the_work_area_of_a_1024_wide_screen(window):
    """At 1024x600 (or 2x on 2048x1200) the work area is about 400 px wide: the Visit tab's
    fields wrap under their labels rather than hiding behind a horizontal scroll bar."""
    details = window.planner.tabs.widget(0).widget()
    assert details.minimumSizeHint().width() <= 360


def test_opening_the_window_does_not_load_the_packet_reader(seeded_db, tmp_path):
    """Reading whether the store is a training one must not import packets (with yaml and
    pycountry it cost about 0.25 s of the 1 s start-up target)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from briefpack.store import Store\n"
        "from briefpack.app.main_window import MainWindow\n"
        "from briefpack.app.settings import AppSettings\n"
        "app = QApplication([])\n"
        "window = MainWindow(Store.open(sys.argv[1], create=False), AppSettings(QSettings("
        "sys.argv[2], QSettings.Format.IniFormat)))\n"
        "print('briefpack.store.packets' in sys.modules)\n"
        "window.jobs.wait()\n")
    done = subprocess.run([sys.executable, "-c", script, str(seeded_db),
                           str(tmp_path / "s.ini")], capture_output=True, text=True,
                          timeout=120, env={**__import__("os").environ,
                                            "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr[-2000:]

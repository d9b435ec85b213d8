"""The Help menu's windows: About (version, store, licences), the user guide, the shortcuts."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem,
    QTabWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from .. import __version__, paths
from .focus import quiet_tab_arrows
from .screen_fit import fit_size

GUIDE = """
<h2>briefpack in ten steps</h2>
<ol>
<li><b>Find the country.</b> Ctrl+F, type part of its name or code, Enter. The list shows
each country's priority tier, score and whether its data is stale (⚠).</li>
<li><b>Read and correct its data.</b> The tabs under <i>Country data</i> hold agreements,
alumni, export opportunities, engagements and interlocutors. Double-click a cell to edit it,
or open the record form (Ctrl+E) to see and edit every field of the selected row, with a
date picker and room for long text. Delete removes the selected row; Ctrl+Z undoes.</li>
<li><b>Save.</b> Ctrl+S saves your edits to the store under your name (Settings, Ctrl+,);
every change is in the audit history (Data → Audit history).</li>
<li><b>Plan the visit.</b> Ctrl+N starts a visit to the selected country: title,
principal, dates, countries in order, objectives, messages, asks, programme and who's who.
The preview and the scorecard follow as you type.</li>
<li><b>Check the scorecard.</b> The <i>Scorecard</i> tab shows each strategy objective's
score with its evidence; "Insufficient data" means the store does not hold enough to
judge.</li>
<li><b>Check the markings.</b> Every record carries a protective marking (Data → Set
marking…). Nothing above the visit's marking ceiling goes into the brief.</li>
<li><b>Build.</b> Ctrl+B writes the brief for the country in view; Ctrl+Shift+B writes one
printed pack for every country of the visit. The status bar shows the file being written
and the page it has reached; Esc cancels a build, even mid-way through a file. Warnings
(for example a brief holding much personal data) are shown when it finishes.</li>
<li><b>Print.</b> Ctrl+P prints the previewed brief; Build → Print pack prints the last
pack built.</li>
<li><b>Refresh data.</b> Data → Import packet takes a defence section's returned packet,
YAML or JSON (or a spreadsheet saved as CSV) through a check and a review of every change;
the store is backed up first and Data → Backups puts any backup back. Drop a packet, CSV
or visit file on the window to open it.</li>
<li><b>Look after personal data.</b> Data → Review due lists alumni and interlocutors
past their review date.</li>
</ol>
<p>The title bar names the store in use: a <i>training</i> store holds only the shipped
sample data; a <i>live</i> store holds real country data. Only one window can have a store
open at a time.</p>
"""


def about_html(store_path: Path | None) -> str:
    """Version, the store in use and the licences of what ships with the app."""
    from PySide6 import __version__ as pyside

    fonts = paths.assets_dir() / "fonts"
    licence = fonts / "OFL.txt"
    first = licence.read_text(encoding="utf-8").splitlines()[:3] if licence.exists() else []
    return (
        f"<h2>briefpack {html.escape(__version__)}</h2>"
        "<p>Assembles briefing packs for ministerial and senior military visits abroad.</p>"
        f"<p><b>Store:</b> {html.escape(str(store_path or 'in memory'))}</p>"
        f"<p><b>Log folder</b> (errors, with their details): "
        f"{html.escape(str(paths.log_dir()))}</p>"
        "<h3>Licences</h3>"
        "<p>Code: MIT. Sample data: Open Government Licence v3.0 (OGL-UK-3.0).</p>"
        "<p><b>Fonts bundled for the briefs:</b> Liberation Sans, under the SIL Open Font "
        f"License 1.1 ({html.escape(str(licence))}).<br>"
        + "<br>".join(html.escape(line) for line in first) + "</p>"
        f"<p>Qt for Python (PySide6 {html.escape(pyside)}), LGPLv3.</p>"
    )


def shortcut_rows(actions: list[QAction], shortcuts: Sequence[QShortcut] = ()
                  ) -> list[tuple[str, str]]:
    """(what, keys) for every action with a shortcut, in menu order; then the named
    shortcuts of the panes (the preview's page and zoom keys) and the keys every record
    table answers to."""
    from .record_table import TABLE_KEYS

    rows = []
    for action in actions:
        keys = ", ".join(s.toString(s.SequenceFormat.NativeText) for s in action.shortcuts())
        if keys:
            rows.append((action.text().replace("&", "").replace("…", ""), keys))
    named: dict[str, list[str]] = {}
    for shortcut in shortcuts:
        if shortcut.whatsThis():
            keys = shortcut.key().toString(shortcut.key().SequenceFormat.NativeText)
            named.setdefault(shortcut.whatsThis(), [])
            if keys not in named[shortcut.whatsThis()]:
                named[shortcut.whatsThis()].append(keys)
    rows += [(what, ", ".join(keys)) for what, keys in named.items()]
    return rows + list(TABLE_KEYS)


class HelpDialog(QDialog):
    """About, the guide and the shortcuts, one tab each."""

    ABOUT, GUIDE, SHORTCUTS = range(3)

    def __init__(self, store_path: Path | None, actions: list[QAction], parent=None):
        super().__init__(parent)
        self.setWindowTitle("briefpack help")
        self.tabs = QTabWidget(self)
        quiet_tab_arrows(self.tabs)
        self.about = self._browser(about_html(store_path), "About briefpack")
        self.guide = self._browser(GUIDE, "User guide")
        self.shortcuts = QTableWidget(self)
        self.shortcuts.setAccessibleName("Keyboard shortcuts")
        rows = shortcut_rows(actions, parent.findChildren(QShortcut) if parent else [])
        self.shortcuts.setColumnCount(2)
        self.shortcuts.setRowCount(len(rows))
        self.shortcuts.setHorizontalHeaderLabels(["Action", "Keys"])
        for row, (what, keys) in enumerate(rows):
            self.shortcuts.setItem(row, 0, QTableWidgetItem(what))
            self.shortcuts.setItem(row, 1, QTableWidgetItem(keys))
        self.shortcuts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.shortcuts.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        # the keys on one line each ("Ctrl+Y, Ctrl+Shift+Z"), the description takes the rest
        self.shortcuts.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.shortcuts.verticalHeader().hide()
        self.tabs.addTab(self.about, "&About")
        self.tabs.addTab(self.guide, "&Guide")
        self.tabs.addTab(self.shortcuts, "&Shortcuts")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        fit_size(self, 640, 520)

    def _browser(self, text: str, name: str) -> QWidget:
        browser = QTextBrowser(self)
        browser.setAccessibleName(name)
        browser.setOpenExternalLinks(False)
        browser.setHtml(text)
        return browser

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)


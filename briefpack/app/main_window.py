"""The main window: country browser | country data or visit planner | preview and scorecard."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction, QCloseEvent, QDesktopServices, QKeySequence, QUndoGroup, QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDialog, QDockWidget, QFileDialog, QHBoxLayout, QLabel,
    QMainWindow, QMenu, QMessageBox, QProgressBar, QPushButton, QScrollArea, QSizePolicy,
    QSplitter, QStyle, QTabWidget, QToolBar, QVBoxLayout, QWidget,
)

from .. import model, paths
from ..errors import BriefpackError
from ..store import Store
from . import domain
from .build_progress import BAR_STEPS, bar_format, share_done, status_text
from .build_worker import Jobs, Worker
from .country_browser import CountryBrowser
from .country_view import CountryView
from .data_dialogs import (
    BackupsDialog, HistoryDialog, JudgementDialog, MarkingDialog, PacketSaveDialog, RankDialog,
    ReviewDueDialog, rank_rows,
)
from .dialogs import (
    BuildDoneDialog, OpenVisitDialog, SettingsDialog, SettingsValues, ask_unsaved, show_error,
)
from .domain import CountryStatus
from .help import HelpDialog
from .icons import app_icon
from .instance import StoreLock
from .palette import style_for
from .preview import PreviewPanel
from .record_form import RecordForm
from .record_table import RecordTable
from .scorecard_panel import ScorecardPanel
from .settings import AppSettings
from .visit_planner import VisitPlanner

TAB_COUNTRY, TAB_VISIT = range(2)
TAB_PREVIEW, TAB_SCORECARD = range(2)
#: quiet time after an edit before the scorecard is worked out again
RESCORE_MS = 150
#: the smallest window that still shows every control (fits a 1024x600 screen with a panel)
MINIMUM_SIZE = (800, 500)
#: the size the window opens at when nothing is saved (capped by the screen)
DEFAULT_SIZE = (1366, 740)
#: share of the width given to the browser, the work area and the preview
SPLIT = (0.27, 0.40, 0.33)


class MainWindow(QMainWindow):
    """Holds the store and wires the views to the domain; long work goes to workers."""

    def __init__(self, store: Store, settings: AppSettings, *,
                 priorities_path: Path | None = None, lock: StoreLock | None = None):
        super().__init__()
        #: one window per store: raises StoreInUse if another window has it open
        self.lock = lock if lock is not None or store.path is None \
            else StoreLock.acquire(store.path)
        self.store = store
        self.settings = settings
        self.priorities_path = priorities_path
        self.priorities: Any = None
        self.jobs = Jobs(self)
        self.build_worker: Worker | None = None
        self.import_wizard: Any = None
        self.last_build: list[Path] = []
        self.setWindowTitle("briefpack[*]")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(*MINIMUM_SIZE)
        self.setAcceptDrops(True)

        self.country_undo = QUndoStack(self)
        self.visit_undo = QUndoStack(self)
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.country_undo)
        self.undo_group.addStack(self.visit_undo)
        self.undo_group.setActiveStack(self.country_undo)

        self.browser = CountryBrowser(self)
        self.country_view = CountryView(self.country_undo, self)
        self.planner = VisitPlanner(self.visit_undo, self)
        self.centre = QTabWidget(self)
        self.centre.setAccessibleName("Work area")
        self.centre.addTab(self.country_view, "Country data")
        self.centre.addTab(self.planner, "Visit planner")
        self.preview = PreviewPanel(self.jobs, self)
        self.scorecard = ScorecardPanel(self)
        self.side = QTabWidget(self)
        self.side.setAccessibleName("Preview and scorecard")
        self.side.addTab(self.preview, "Preview")
        self.side.addTab(self.scorecard, "Scorecard")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        for widget in (self.browser, self.centre, self._side_panel()):
            splitter.addWidget(widget)
        splitter.setStretchFactor(1, 1)
        splitter.setObjectName("main-splitter")
        self.splitter = splitter
        self.setCentralWidget(splitter)

        #: the step under way: (step, total, what it says, when it began)
        self._step: tuple | None = None
        #: its latest report (how far it has got, e.g. the page being laid out)
        self._step_report: Any = None
        self._step_timer = QTimer(self, interval=1000)
        self._step_timer.timeout.connect(self._step_tick)
        self._rescore_timer = QTimer(self, singleShot=True, interval=RESCORE_MS)
        self._rescore_timer.timeout.connect(self._rescore)
        self._make_status_bar()
        self._make_record_dock()
        self._make_actions()

        self.browser.country_selected.connect(self.show_country)
        self.country_view.edited.connect(self.data_changed)
        self.planner.changed.connect(self.data_changed)
        self.planner.countries_changed.connect(self._visit_countries_changed)
        self.centre.currentChanged.connect(self._centre_changed)
        self.country_undo.cleanChanged.connect(self._update_title)
        self.visit_undo.cleanChanged.connect(self._update_title)
        self.country_undo.indexChanged.connect(self._update_title)
        self.visit_undo.indexChanged.connect(self._update_title)

        self._restore_geometry()
        self.load_store_contents()
        self.restore_place()

    # -- construction -----------------------------------------------------------------------------

    def _side_panel(self) -> QWidget:
        """The preview and scorecard, under a chooser of which visit country they show."""
        panel = QWidget(self)
        self.preview_country = QComboBox(panel)
        self.preview_country.setAccessibleName("Country the preview and scorecard show")
        self.preview_country.setToolTip("Which of the visit's countries the preview and the "
                                        "scorecard show")
        self.preview_country.currentIndexChanged.connect(self._preview_country_chosen)
        self.preview_country_row = QWidget(panel)
        row = QHBoxLayout(self.preview_country_row)
        row.setContentsMargins(6, 0, 6, 0)
        label = QLabel("&Showing", self.preview_country_row)
        label.setBuddy(self.preview_country)
        row.addWidget(label)
        row.addWidget(self.preview_country, 1)
        self.preview_country_row.hide()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview_country_row)
        layout.addWidget(self.side, 1)
        return panel

    def _preview_country_chosen(self, *_) -> None:
        if self.preview_country.signalsBlocked():
            return
        self.data_changed()

    def _fill_preview_countries(self, codes: tuple) -> None:
        current = self.preview_country.currentData()
        self.preview_country.blockSignals(True)
        self.preview_country.clear()
        names = {c.code: c.name for c in getattr(self, "countries", [])}
        for code in codes:
            self.preview_country.addItem(f"{names.get(code, code)} ({code})", code)
        index = self.preview_country.findData(current)
        self.preview_country.setCurrentIndex(max(index, 0))
        self.preview_country.blockSignals(False)
        self.preview_country_row.setVisible(len(codes) > 1
                                            and self.centre.currentIndex() == TAB_VISIT)

    def _make_record_dock(self) -> None:
        """The record form, in a dock: every field of the selected row at full size."""
        self.record_form = RecordForm(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.record_form)
        dock = QDockWidget("Record", self)
        dock.setObjectName("record-dock")
        dock.setWidget(scroll)
        dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea
                             | Qt.DockWidgetArea.LeftDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.record_dock = dock
        self.record_tables = self.findChildren(RecordTable)
        #: the table the user last worked in, where a tab holds several (team, readout …)
        self._last_table: RecordTable | None = None
        self._followed: set[int] = set()
        for table in self.record_tables:
            self._follow(table)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)
        self.country_view.tabs.currentChanged.connect(self._bind_form)
        self.planner.tabs.currentChanged.connect(self._bind_form)
        self.centre.currentChanged.connect(self._bind_form)

    def _follow(self, table: RecordTable) -> None:
        """The form follows this table's current row; its refusals open the form."""
        if id(table) in self._followed:
            return
        self._followed.add(id(table))
        table.view.selectionModel().currentRowChanged.connect(self._bind_form)
        table.table.refused.connect(self._input_refused)
        table.destroyed.connect(lambda *_: self._forget(table))

    def _forget(self, table) -> None:
        self._followed.discard(id(table))
        if self._last_table is table:
            self._last_table = None

    def _focus_moved(self, _old, new) -> None:
        widget = new
        while widget is not None and not isinstance(widget, RecordTable):
            widget = widget.parentWidget()
        if widget is not None and self.isAncestorOf(widget) and widget is not self._last_table:
            self._last_table = widget
            self._follow(widget)  # tables made later (a visit country's section)
            self._bind_form()

    def current_table(self) -> RecordTable | None:
        """The record table the work area shows; in a tab of several, the one last used."""
        tabs = self.country_view.tabs if self.centre.currentIndex() == TAB_COUNTRY \
            else self.planner.tabs
        widget = tabs.currentWidget()
        if isinstance(widget, RecordTable):
            return widget
        last = self._last_table
        if last is not None and widget is not None and widget.isAncestorOf(last):
            return last
        return None

    def _bind_form(self, *_) -> None:
        table = self.current_table()
        if table is None:
            self.record_form.bind(None, -1)
            return
        self.record_form.bind(table.table, table.view.currentIndex().row())

    def _input_refused(self, *_) -> None:
        """Keep what was typed: the form shows it with the reason."""
        self._bind_form()
        if self.record_form.row >= 0 and not self.record_dock.isVisible():
            self.show_record_form()

    def _form_toggled(self, shown: bool) -> None:
        if shown:
            self.show_record_form()

    def show_record_form(self) -> None:
        """Open the form dock at a height that leaves the tables room on small screens."""
        self.record_dock.show()
        if self.dockWidgetArea(self.record_dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
            self.resizeDocks([self.record_dock], [max(self.height() // 3, 160)],
                             Qt.Orientation.Vertical)

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.message = QLabel(self)
        self.message.setAccessibleName("Status")
        # long messages must not push progress and Cancel off a small screen
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Build progress")
        self.progress.setMaximumWidth(260)
        # wide enough that the fill shows a long render moving, and "84% — 12 s" fits
        self.progress.setMinimumWidth(self.progress.fontMetrics().horizontalAdvance(
            "100% — 999 s") + 24)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel the build")
        self.cancel_button.clicked.connect(self.cancel_build)
        self.cancel_button.hide()
        self.store_label = QLabel(self)
        self.store_label.setAccessibleName("Store in use")
        self.store_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.store_label)

    def _action(self, text: str, slot, shortcut=None, tip: str = "",
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            unique = {QKeySequence(s).toString(): QKeySequence(s) for s in shortcuts}
            action.setShortcuts([key for text, key in unique.items() if text])
        action.setStatusTip(tip or text.replace("…", "").replace("&", ""))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        icons = QStyle.StandardPixmap
        self.new_visit_action = self._action("&New visit", self.new_visit, keys.New,
                                             "Plan a new visit to the selected country",
                                             icons.SP_FileIcon)
        self.open_visit_action = self._action("&Open visit…", self.open_visit, keys.Open,
                                              "Open a visit saved in the store",
                                              icons.SP_DialogOpenButton)
        self.save_action = self._action("&Save", self.save, keys.Save,
                                        "Save data edits and the visit to the store",
                                        icons.SP_DialogSaveButton)
        self.import_action = self._action("&Import visit from YAML…", self.import_visit)
        self.export_action = self._action("&Export visit to YAML…", self.export_visit)
        self.open_store_action = self._action("Open s&tore…", self.choose_store)
        # spelt out: offscreen and some desktops bind no key to these standard ones
        self.settings_action = self._action("Settin&gs…", self.edit_settings, "Ctrl+,")
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        # fixed labels: the undo text ("Undo edit agreement 1: Jobs") goes in the tooltip,
        # so the toolbar does not grow and shift with every edit
        self.undo_action = self._action("&Undo", self.undo_group.undo, keys.Undo,
                                        "Undo the last change", icons.SP_ArrowBack)
        self.redo_action = self._action("&Redo", self.undo_group.redo,
                                        ["Ctrl+Y", keys.Redo], "Redo the change undone",
                                        icons.SP_ArrowForward)
        self.undo_group.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_group.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_group.undoTextChanged.connect(
            lambda text: self._describe(self.undo_action, "Undo", text))
        self.undo_group.redoTextChanged.connect(
            lambda text: self._describe(self.redo_action, "Redo", text))
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.find_action = self._action("&Find country", self.browser.focus_search, keys.Find)
        self.next_pane_action = self._action(
            "Next &pane", lambda: self.cycle_pane(1), ["F6", "Ctrl+Alt+Right"],
            "Move the keyboard focus to the next pane")
        self.previous_pane_action = self._action(
            "Pre&vious pane", lambda: self.cycle_pane(-1), ["Shift+F6", "Ctrl+Alt+Left"],
            "Move the keyboard focus to the previous pane")
        self.build_action = self._action("&Build brief", self.build_brief, "Ctrl+B",
                                         "Write the brief for the country in view",
                                         icons.SP_FileDialogDetailedView)
        self.pack_action = self._action("Build &pack", self.build_pack, "Ctrl+Shift+B",
                                        "Write one pack for every country of the visit",
                                        icons.SP_FileDialogListView)
        self.print_action = self._action("P&rint brief…", self.print_brief, keys.Print,
                                         "Print the brief shown in the preview",
                                         icons.SP_FileDialogContentsView)
        self.cancel_action = self._action("&Cancel build", self.cancel_build, "Esc",
                                          "Stop the build that is running")
        self.cancel_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.cancel_action.setEnabled(False)
        self.open_output_action = self._action(
            "Open &output folder", self.open_output_folder, None,
            "Open the folder briefs and packs are written to", icons.SP_DirOpenIcon)
        self.import_data_action = self._action(
            "&Import packet…", self.import_data, "Ctrl+I",
            "Refresh country data from a packet (.yaml or .json) or a spreadsheet (.csv)")

        self.export_packet_action = self._action(
            "&Export country packet…", self.export_packet, "Ctrl+Shift+E",
            "Write the country's data packet (.yaml, or .json for large packets) for its "
            "defence section to refresh")
        self.backups_action = self._action("&Backups and restore…", self.show_backups, None,
                                           "List the store's backups; restore one")
        self.history_action = self._action("Audit &history…", self.show_history, "Ctrl+H",
                                           "Every change to the country in view")
        self.review_due_action = self._action(
            "&Review due…", self.show_review_due, None,
            "Personal records past their review date")
        self.rank_action = self._action("Ran&k countries…", self.show_rank, None,
                                        "Every country ranked against the priorities")
        self.mark_action = self._action("Set &marking…", self.set_marking, "Ctrl+M",
                                        "Set the protective marking of the selected record "
                                        "(or of the country)")
        self.judge_action = self._action("Set &judgements…", self.set_judgements, None,
                                         "Set the country's priority tier and defence section")
        self.readout_action = self._action(
            "&Write the readout to the store…", self.apply_readout, None,
            "Add the visit's outcomes and actions to each country's record")
        self.print_pack_action = self._action("Print the pac&k…", self.print_pack, None,
                                              "Print the last pack built")
        self.guide_action = self._action(
            "User &guide", lambda: self.show_help(HelpDialog.GUIDE),
            QKeySequence.StandardKey.HelpContents, "How to build a brief, step by step")
        self.shortcuts_action = self._action(
            "&Keyboard shortcuts", lambda: self.show_help(HelpDialog.SHORTCUTS), "Ctrl+/",
            "Every keyboard shortcut")
        self.about_action = self._action(
            "&About briefpack", lambda: self.show_help(HelpDialog.ABOUT), None,
            "Version, store in use and licences")

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        _add_actions(file_menu, (self.new_visit_action, self.open_visit_action, self.save_action))
        self.recent_visits_menu = file_menu.addMenu("Recent &visits")
        self.recent_visits_menu.aboutToShow.connect(self._fill_recent_visits)
        _add_actions(file_menu, (None, self.import_action, self.export_action, None,
                                 self.open_store_action))
        self.recent_stores_menu = file_menu.addMenu("&Recent stores")
        self.recent_stores_menu.aboutToShow.connect(self._fill_recent_stores)
        _add_actions(file_menu, (self.settings_action, None, self.quit_action))
        _add_actions(menus.addMenu("&Edit"),
                     (self.undo_action, self.redo_action, None, self.find_action))
        self.view_menu = menus.addMenu("&View")
        self.form_action = self.record_dock.toggleViewAction()
        self.form_action.setText("Record &form")
        self.form_action.setShortcut(QKeySequence("Ctrl+E"))
        self.form_action.triggered.connect(self._form_toggled)
        self.addAction(self.form_action)  # listed with the other shortcuts
        self.form_action.setStatusTip("Show every field of the selected row, to read and edit")
        _add_actions(self.view_menu, (self.form_action, None, self.next_pane_action,
                                      self.previous_pane_action))
        self.data_menu = menus.addMenu("&Data")
        _add_actions(self.data_menu, (
            self.import_data_action, self.export_packet_action, None, self.history_action,
            self.mark_action, self.judge_action, self.review_due_action, self.rank_action, None,
            self.readout_action, None, self.backups_action))
        self.build_menu = menus.addMenu("&Build")
        _add_actions(self.build_menu, (self.build_action, self.pack_action, self.cancel_action,
                                       None, self.print_action, self.print_pack_action,
                                       self.open_output_action))
        self.recent_builds_menu = self.build_menu.addMenu("Recent b&uilds")
        self.recent_builds_menu.aboutToShow.connect(self._fill_recent_builds)
        _add_actions(menus.addMenu("&Help"), (self.guide_action, self.shortcuts_action, None,
                                              self.about_action))

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        _add_actions(toolbar, (
            self.new_visit_action, self.open_visit_action, self.save_action, None,
            self.undo_action, self.redo_action, None, self.build_action, self.pack_action,
            self.print_action))
        self.toolbar = toolbar

    @staticmethod
    def _describe(action: QAction, verb: str, text: str) -> None:
        tip = f"{verb} {text}" if text else f"Nothing to {verb.lower()}"
        action.setToolTip(tip)
        action.setStatusTip(tip)

    def _restore_geometry(self) -> None:
        """Saved geometry if it fits the screen now; else a size that does, centred."""
        available = self._available_geometry()
        geometry = self.settings.geometry
        restored = geometry is not None and self.restoreGeometry(geometry)
        if not restored or not (self.isMaximized() or available.contains(self.geometry())):
            self.fit_to(available)
        splitter = self.settings.state("window/splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            self._split_evenly()
        state = self.settings.window_state
        if state is None or not self.restoreState(state):
            # the form takes room a small screen does not have: shown on request (Ctrl+E)
            self.record_dock.setVisible(available.height() >= 800)
            if self.record_dock.isVisible():
                self.resizeDocks([self.record_dock], [max(self.height() // 3, 160)],
                                 Qt.Orientation.Vertical)
        for table in self.record_tables:
            hidden = self.settings.value(f"columns/{table.title}")
            if hidden:
                table.set_hidden_columns(hidden.split(","))

    def _available_geometry(self) -> QRect:
        screen = self.screen() or QApplication.primaryScreen()
        return screen.availableGeometry()

    def fit_to(self, available: QRect) -> None:
        """Open at the default size, shrunk to the available screen area, centred."""
        frame = self.frameGeometry().size() - self.geometry().size()
        width = min(DEFAULT_SIZE[0], available.width() - frame.width())
        height = min(DEFAULT_SIZE[1], available.height() - frame.height())
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
        box = self.frameGeometry()
        box.moveCenter(available.center())
        self.move(max(box.left(), available.left()), max(box.top(), available.top()))
        self._split_evenly()

    def _split_evenly(self) -> None:
        width = max(self.width(), self.minimumWidth())
        self.splitter.setSizes([int(width * share) for share in SPLIT])

    def cycle_pane(self, step: int) -> None:
        """F6: move the focus between the country list, the work area and the preview."""
        panes: list[QWidget] = [self.browser.view, self.centre.currentWidget(),
                                self.side.currentWidget()]
        focus = QApplication.focusWidget()
        current = next((i for i, pane in enumerate(panes)
                        if focus is not None and (focus is pane or pane.isAncestorOf(focus))),
                       -1 if step > 0 else 0)
        target = panes[(current + step) % len(panes)]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        following = target.nextInFocusChain()
        if not target.hasFocus() and following is not None:
            following.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- the store --------------------------------------------------------------------------------

    @property
    def author(self) -> str:
        return self.settings.author

    def load_store_contents(self) -> None:
        """Fill the browser at once; scores and data currency follow from a worker."""
        countries = self.store.countries()
        self.store_kind = domain.store_kind(self.store)
        self._show_store()
        self.browser.set_countries(countries)
        self.countries = countries
        self.planner.set_choices(countries, ["standard"], {})
        self.show_message(f"Store: {self.store.path or 'in memory'} — "
                          f"{len(countries)} countries. Working out scores…")
        self._start_snapshot()

    def _reload_store(self) -> None:
        """Start afresh on a store (another one, or a backup put back): nothing open."""
        self.country_view.country_file = None
        self.country_view.setEnabled(False)
        self.planner.new_visit()
        self.load_store_contents()

    def restore_place(self) -> None:
        """Reopen the country, visit and tabs the user left this store on."""
        if self.store.path is None:
            return
        prefix = self._store_key()
        visit = self.settings.value(f"{prefix}/visit")
        if visit.isdigit() and any(v.id == int(visit) for v in self.store.visits()):
            self._show_visit(self.store.visit(int(visit)))
        code = self.settings.value(f"{prefix}/country")
        if code:
            self.browser.select(code)
        for widget, key in ((self.centre, "window/centre_tab"), (self.side, "window/side_tab"),
                            (self.country_view.tabs, "window/country_tab")):
            index = self.settings.value(key)
            if index.isdigit() and int(index) < widget.count():
                widget.setCurrentIndex(int(index))

    def _show_store(self) -> None:
        path = self.store.path
        name = path.name if path else "in-memory store"
        training = self.store_kind == domain.TRAINING
        self.store_label.setText(f"{'TRAINING store' if training else 'Live store'}: {name}")
        self.store_label.setToolTip(
            f"{path or 'in memory'}\n" + ("A training store: it holds the shipped sample "
                                          "data, not live country data." if training else
                                          "A live store: country data as entered and imported."))
        self.store_label.setStyleSheet(style_for("training") if training else "")
        self._update_title()

    def _start_snapshot(self) -> None:
        if self.store.path is not None:
            path, priorities = self.store.path, self.priorities_path
            job = lambda: domain.snapshot(path, priorities)  # noqa: E731
        else:
            files, stale = domain.read_all(self.store)
            priorities = self.priorities_path
            job = lambda: domain.snapshot_of(files, stale, priorities)  # noqa: E731
        self.jobs.start(job, name="snapshot", on_finished=self._snapshot_ready,
                        on_failed=lambda message: self.show_message(
                            f"Scores could not be worked out: {message}"))

    def _snapshot_ready(self, snapshot: domain.Snapshot) -> None:
        self.priorities = snapshot.priorities
        self.browser.countries.set_statuses(snapshot.statuses)
        self.browser.set_scoring_problem(snapshot.scoring_problem)
        labels = ({o.key: o.label for o in self.priorities.objectives}
                  if self.priorities is not None else {})
        self.planner.set_choices(self.countries, snapshot.templates or ["standard"], labels)
        stale = sum(1 for s in snapshot.statuses.values() if s.stale_sections)
        self.show_message(f"Store: {self.store.path or 'in memory'} — "
                          f"{len(snapshot.statuses)} countries, {stale} with stale data.")
        code = self.country_view.country_file and self.country_view.country_file.country.code
        if code:
            self.country_view.set_status(snapshot.statuses.get(code, CountryStatus()))
        self.data_changed()

    def choose_store(self) -> None:
        if not self._settle_unsaved():
            return
        start = str(self.store.path.parent if self.store.path else Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Open a briefpack store", start,
                                              "briefpack stores (*.db);;All files (*)")
        if name:
            self.switch_store(Path(name))

    def switch_store(self, path: Path) -> bool:
        """Open another store in this window (locked for this window alone)."""
        if self.store.path is not None and path.resolve() == self.store.path.resolve():
            return True
        try:
            lock = StoreLock.acquire(path)
        except BriefpackError as exc:
            show_error(self, "Cannot open the store", str(exc))
            return False
        try:
            store = Store.open(path, create=False)
        except BriefpackError as exc:
            lock.release()
            self.settings.forget_recent("stores", str(path))
            show_error(self, "Cannot open the store", str(exc))
            return False
        self.jobs.wait()
        self.store.close()
        if self.lock is not None:
            self.lock.release()
        self.store, self.lock = store, lock
        self.settings.last_store = path
        self.settings.add_recent("stores", str(path))
        self._reload_store()
        self.restore_place()
        return True

    # -- importing country data -------------------------------------------------------------------

    def import_data(self) -> Any:
        """Open the import wizard; the views are refreshed once it has changed the store."""
        if self.store.path is None:
            show_error(self, "Cannot import", "Importing needs a store saved on disk "
                       "(it is backed up first): open one with File → Open store.")
            return None
        if not self._settle_country_edits():
            return None
        from .import_wizard import ImportWizard  # loads the import machinery when first used

        wizard = ImportWizard(self.store.path, self.countries, self.jobs, user=self.author,
                              parent=self)
        wizard.imported.connect(self._data_imported)
        wizard.finished.connect(wizard.deleteLater)
        self.import_wizard = wizard
        wizard.open()
        return wizard

    def _data_imported(self, summary: Any) -> None:
        current = self.country_view.country_file
        if current is not None:
            self._reload_country(current.country.code)
        self.load_store_contents()  # scores, currency, scorecard and preview follow
        self.show_message(f"Imported: {summary.added} added, {summary.changed} changed, "
                          f"{summary.removed} removed.")

    # -- countries --------------------------------------------------------------------------------

    def _reload_country(self, code: str) -> None:
        """Show the country again as the store has it now (changed outside its tables)."""
        self.country_view.show_country(self.store.country_file(code),
                                       self.browser.countries.status(code))

    def show_country(self, code: str) -> None:
        current = self.country_view.country_file
        if current is not None and current.country.code == code:
            return
        if not self._settle_country_edits():
            if current is not None:
                self.browser.select(current.country.code)
            return
        try:
            country_file = self.store.country_file(code)
        except BriefpackError as exc:
            show_error(self, "Cannot show the country", str(exc))
            return
        status = self.browser.countries.status(code)
        self.country_view.show_country(country_file, status)
        if self.centre.currentIndex() != TAB_COUNTRY and code not in self.planner.countries():
            self.centre.setCurrentIndex(TAB_COUNTRY)
        self._update_title()
        self.data_changed()

    def _settle_country_edits(self) -> bool:
        """True when there are no unsaved data edits left (saved or discarded)."""
        country_file = self.country_view.country_file
        if country_file is None or not self.country_view.has_pending():
            return True
        name = country_file.country.name
        answer = ask_unsaved(self, f"{name}'s data")
        if answer == QMessageBox.StandardButton.Save:
            return self.save_country_edits()
        return answer == QMessageBox.StandardButton.Discard

    # -- changes: scorecard and preview -----------------------------------------------------------

    def data_changed(self, *_) -> None:
        """Something the scorecard or preview depends on changed."""
        self._rescore_timer.start()
        country_file, visit = self.focus()
        self.preview.request(self._preview_job(country_file, visit))
        if country_file is not None:
            what = f"{visit.title} — " if visit is not None and visit.title else ""
            self.preview.document_name = f"{what}{country_file.country.name} brief"
        self._update_title()

    def focus(self) -> tuple[model.CountryFile | None, model.Visit | None]:
        """The country the scorecard and preview are about, and the visit if it goes there."""
        visit = self.planner.draft()
        current = self.country_view.current_file()
        on_visit = self.centre.currentIndex() == TAB_VISIT and visit.countries
        chosen = self.preview_country.currentData() if on_visit else None
        if chosen not in visit.countries:
            chosen = None
        if on_visit and (current is None or current.country.code not in visit.countries
                         or (chosen and current.country.code != chosen)):
            try:
                current = self.store.country_file(chosen or visit.countries[0])
            except BriefpackError:
                current = None
        if current is None:
            return None, None
        return current, visit if current.country.code in visit.countries else None

    def _preview_job(self, country_file: model.CountryFile | None, visit: model.Visit | None):
        if country_file is None:
            return None
        priorities = self.priorities
        options = dataclasses.replace(self.planner.build_options(preview=True),
                                      author=self.author)
        return lambda target: domain.render_preview(country_file, priorities, visit, target,
                                                    options)

    def _rescore(self) -> None:
        country_file, visit = self.focus()
        if country_file is None:
            self.scorecard.show_message("Pick a country to see its scorecard.")
            return
        priorities = self.priorities
        self.jobs.start(lambda: domain.score_country(country_file, priorities, visit),
                        name="score", on_finished=self._scored,
                        on_failed=lambda message: self.scorecard.show_message(
                            f"The scorecard could not be worked out: {message}"))

    def _scored(self, card: Any) -> None:
        self.scorecard.show_scorecard(card)
        code = card.country_code
        old = self.browser.countries.status(code)
        if card.visit_title == "":
            status = CountryStatus(card.overall, card.band, old.stale_sections, old.currency_note)
            self.browser.countries.set_status(code, status)

    def _centre_changed(self, index: int) -> None:
        self.undo_group.setActiveStack(self.visit_undo if index == TAB_VISIT
                                       else self.country_undo)
        self.preview_country_row.setVisible(index == TAB_VISIT
                                            and self.preview_country.count() > 1)
        self.data_changed()

    def _visit_countries_changed(self, codes: tuple) -> None:
        self._fill_preview_countries(codes)
        people: list[model.Interlocutor] = []
        for code in codes:
            people += self.store.records("interlocutors", code)
        self.planner.set_people(people)

    # -- visits -----------------------------------------------------------------------------------

    def new_visit(self) -> None:
        if not self._settle_visit():
            return
        self.planner.new_visit(self.browser.selected_code())
        self.centre.setCurrentIndex(TAB_VISIT)
        self.planner.tabs.setCurrentIndex(0)
        self.planner.title.setFocus()

    def open_visit(self) -> None:
        if not self._settle_visit():
            return
        chosen = OpenVisitDialog.choose(self, self.store.visits())
        while chosen is not None:
            action, visit_id, title = chosen
            if action == OpenVisitDialog.OPEN:
                self.open_visit_id(visit_id)
                return
            self.manage_visit(action, visit_id, title)
            chosen = OpenVisitDialog.choose(self, self.store.visits())

    def manage_visit(self, action: str, visit_id: int, title: str = "") -> None:
        """Duplicate, rename or delete a saved visit (the one open follows along)."""
        user = self.author
        try:
            if action == OpenVisitDialog.DUPLICATE:
                copy = domain.duplicate_visit(self.store, visit_id, user=user)
                self.show_message(f"Copied the visit as “{copy.title}”.")
            elif action == OpenVisitDialog.RENAME:
                renamed = domain.rename_visit(self.store, visit_id, title, user=user)
                if self.planner.visit_id == visit_id:
                    self.planner.title.setText(renamed.title)
                    self.planner.mark_saved(renamed)
                self.show_message(f"Renamed the visit “{renamed.title}”.")
            elif action == OpenVisitDialog.DELETE:
                domain.delete_visit(self.store, visit_id, user=user)
                self.settings.forget_recent(self._store_key() + "-visits", str(visit_id))
                if self.planner.visit_id == visit_id:
                    self.planner.new_visit()
                self.show_message("Deleted the visit.")
        except BriefpackError as exc:
            show_error(self, "Cannot change the visit", str(exc))

    def open_visit_id(self, visit_id: int) -> bool:
        if not self._settle_visit():
            return False
        try:
            visit = self.store.visit(visit_id)
        except BriefpackError as exc:
            show_error(self, "Cannot open the visit", str(exc))
            return False
        self._show_visit(visit)
        self.settings.add_recent(self._store_key() + "-visits", str(visit_id))
        return True

    def _show_visit(self, visit: model.Visit) -> None:
        self.planner.load_visit(visit)
        self.centre.setCurrentIndex(TAB_VISIT)
        if visit.countries:
            self.browser.select(visit.countries[0])
        self._update_title()

    def _settle_visit(self) -> bool:
        if not self.planner.dirty:
            return True
        answer = ask_unsaved(self, "The visit")
        if answer == QMessageBox.StandardButton.Save:
            return self.save_visit()
        return answer == QMessageBox.StandardButton.Discard

    def import_visit(self) -> None:
        if not self._settle_visit():
            return
        name, _ = QFileDialog.getOpenFileName(self, "Import a visit", str(Path.home()),
                                              "Visit files (*.yaml *.yml);;All files (*)")
        if name:
            self.import_visit_file(Path(name))

    def import_visit_file(self, path: Path) -> None:
        from ..visits import load_visit

        keys = [o.key for o in self.priorities.objectives] if self.priorities else None
        try:
            visit = load_visit(path, self.store, objective_keys=keys)
        except BriefpackError as exc:
            show_error(self, "Cannot import the visit", str(exc))
            return
        except (ValueError, OSError) as exc:  # e.g. a date YAML itself cannot read
            show_error(self, "Cannot import the visit", f"{path}: {exc}")
            return
        stored = ""
        if visit.people:  # the planner names people by their records: store them now
            count = len(visit.people)
            try:
                visit = self.store.store_people(visit, user=self.author)
            except BriefpackError as exc:
                show_error(self, "Cannot import the visit's people", str(exc))
                return
            stored = f" ({count} {'person' if count == 1 else 'people'} stored as interlocutors)"
        self._show_visit(visit)
        self.planner.dirty = True
        self.show_message(f"Imported {path.name}{stored}; save it to keep it in the store.")

    def export_visit(self) -> None:
        try:
            visit = self.planner.visit()
        except ValueError as exc:
            show_error(self, "The visit is not complete", str(exc))
            return
        suggested = Path(self.settings.output_folder) / f"{_slug(visit.title)}.yaml"
        name, _ = QFileDialog.getSaveFileName(self, "Export the visit", str(suggested),
                                              "Visit files (*.yaml)")
        if name:
            self.export_visit_file(visit, Path(name))

    def export_visit_file(self, visit: model.Visit, path: Path) -> None:
        from ..visits import dump_visit

        try:
            text = dump_visit(visit, self.store)
            paths.check_output(path)  # never the store, its -wal or -shm, a backup, a device
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except (BriefpackError, OSError) as exc:
            show_error(self, "Cannot export the visit", str(exc))
            return
        self.show_message(f"Exported the visit to {path}.")

    # -- saving -----------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save data edits and the visit (whichever have changes)."""
        saved = True
        if self.country_view.has_pending():
            saved = self.save_country_edits()
        if saved and self.planner.dirty:
            saved = self.save_visit()
        if saved and not self.country_view.has_pending() and not self.planner.dirty:
            self.show_message("Everything is saved.")
        return saved

    def save_country_edits(self) -> bool:
        problems = self.country_view.problems()
        if problems:
            show_error(self, "Cannot save yet", "\n".join(problems))
            return False
        user = self.author
        try:
            with self.store.transaction():
                results = {}
                for table, records in self.country_view.models.items():
                    to_save, to_delete = records.pending()
                    for record in to_delete:
                        self.store.delete(table, record.id, user=user)
                    results[table] = [self.store.save(r, user=user) for r in to_save]
        except (BriefpackError, ValueError) as exc:
            show_error(self, "Cannot save the changes", str(exc))
            return False
        for table, saved in results.items():
            self.country_view.models[table].mark_saved(saved)
        self.country_undo.setClean()
        self.country_view.saved()
        country = self.country_view.country_file.country if self.country_view.country_file \
            else None
        if country is not None:
            self._refresh_currency(country.code)
            self.show_message(f"Saved {country.name}'s data as {user}.")
        self.data_changed()
        return True

    def _refresh_currency(self, code: str) -> None:
        country_file = self.country_view.country_file
        if country_file is None:
            return
        stale, note = domain.stale_sections(self.store, country_file)
        old = self.browser.countries.status(code)
        status = CountryStatus(old.score, old.band, stale, note)
        self.browser.countries.set_status(code, status)
        self.country_view.set_status(status)

    def save_visit(self) -> bool:
        try:
            visit = self.planner.visit()
        except ValueError as exc:
            show_error(self, "The visit is not complete", str(exc))
            self.centre.setCurrentIndex(TAB_VISIT)
            return False
        try:
            saved = self.store.save_visit(visit, user=self.author)
        except BriefpackError as exc:
            show_error(self, "Cannot save the visit", str(exc))
            return False
        self.planner.mark_saved(saved)
        self.settings.add_recent(self._store_key() + "-visits", str(saved.id))
        self._update_title()
        self.show_message(f"Saved the visit “{saved.title}”.")
        return True

    # -- building ---------------------------------------------------------------------------------

    def build_brief(self) -> None:
        self._build(pack=False)

    def build_pack(self) -> None:
        self._build(pack=True)

    def _build(self, *, pack: bool) -> None:
        if self.build_worker is not None:
            self.show_message("A build is already running.")
            return
        if not self._settle_country_edits():
            return
        country_file, visit = self.focus()
        draft = self.planner.draft()
        if pack:
            if not draft.countries:
                show_error(self, "Nothing to build",
                           "A pack needs a visit with at least one country: plan the visit "
                           "first (Ctrl+N).")
                return
            visit, codes = draft, draft.countries
        else:
            if country_file is None:
                show_error(self, "Nothing to build", "Pick a country first.")
                return
            codes = (country_file.country.code,)
        try:
            options = dataclasses.replace(self.planner.build_options(),
                                          out_dir=Path(self.settings.output_folder),
                                          author=self.author)
        except BriefpackError as exc:
            show_error(self, "Cannot build", str(exc))
            return
        request = domain.BuildRequest(
            store_path=self.store.path, countries=codes, visit=visit, pack=pack,
            options=options, priorities_path=self.priorities_path)
        self.start_build(request)

    def start_build(self, request: domain.BuildRequest) -> Worker:
        self.progress.reset()
        self.progress.setRange(0, 0)
        self.progress.setFormat("Starting…")
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.cancel_action.setEnabled(True)
        for action in (self.build_action, self.pack_action):
            action.setEnabled(False)
        what = "pack" if request.pack else "brief"
        self.build_warnings: list[str] = []
        self.show_message(f"Building the {what}… (Esc cancels)")
        self.build_worker = self.jobs.start(
            lambda: domain.build(request), name="build", on_step=self._build_progress,
            on_finished=self._build_finished, on_failed=self._build_failed,
            on_cancelled=self._build_cancelled, on_warning=self._build_warned)
        return self.build_worker

    def cancel_build(self) -> None:
        if self.build_worker is not None:
            self.build_worker.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_action.setEnabled(False)
            self.show_message("Cancelling the build…")

    def _build_progress(self, progress: Any) -> None:
        """A step begun, or news of how far it has got: the bar never goes back."""
        step, total = int(progress.step), int(progress.total)
        self.progress.setRange(0, BAR_STEPS)
        self.progress.setValue(max(self.progress.value(),
                                   round(share_done(progress) * BAR_STEPS)))
        text = str(getattr(progress, "text", progress.message))
        self.progress.setToolTip(text)
        began = time.monotonic()
        if self._step is not None and self._step[:2] == (step, total):
            began = self._step[3]  # the same step, further on: it runs on from its start
        else:
            self._step_timer.start()
        self._step, self._step_report = (step, total, text, began), progress
        self._show_step()

    def _step_tick(self) -> None:
        """A long step (writing a large pack) shows it is still at work, and for how long."""
        if self.build_worker is None or self._step is None:
            self._step_timer.stop()
            return
        self._show_step()

    def _show_step(self) -> None:
        """The bar's words and the label: what is being written, how far it has got, and
        for a long step how long it has run."""
        if self._step is None:
            return
        _, _, text, began = self._step
        seconds = int(time.monotonic() - began)
        self.progress.setFormat(bar_format(self.progress.value(), seconds))
        report = self._step_report
        message = str(report.message) if report is not None else text
        detail = getattr(report, "detail", None)
        suffix = f" ({seconds} s so far; Esc cancels)" if seconds >= 1 else ""
        if suffix and detail is None:
            suffix = "…" + suffix  # still at it, with nothing finer to say
        self.show_message(status_text(self.message.fontMetrics(), self.message.width(),
                                      message, detail, suffix))

    def _build_warned(self, warning: str) -> None:
        if warning not in self.build_warnings:
            self.build_warnings.append(warning)

    def _build_ended(self) -> None:
        self._step_timer.stop()
        self._step = self._step_report = None
        self.build_worker = None
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_action.setEnabled(False)
        for action in (self.build_action, self.pack_action):
            action.setEnabled(True)

    def _build_finished(self, result: Any) -> None:
        self._build_ended()
        self.last_build = [Path(p) for p in domain.output_paths(result)]
        for warning in domain.build_warnings(result):
            self._build_warned(warning)
        for path in reversed(self.last_build):
            self.settings.add_recent("builds", str(path))
        warned = f" {len(self.build_warnings)} warning(s): see the list." \
            if self.build_warnings else ""
        self.show_message(f"Build finished: {len(self.last_build)} files written.{warned}")
        if not self.last_build:
            return
        dialog = BuildDoneDialog(self.last_build, self, warnings=self.build_warnings)
        answer = dialog.exec()
        chosen = dialog.selected()
        if answer == BuildDoneDialog.OPEN_FILE and chosen is not None:
            self._open(chosen)
        elif answer == BuildDoneDialog.OPEN_FOLDER:
            self._open(self.last_build[0].parent)

    def _build_failed(self, message: str) -> None:
        self._build_ended()
        self.show_message("The build failed.")
        show_error(self, "The build failed", message)

    def _build_cancelled(self) -> None:
        self._build_ended()
        self.show_message("Build cancelled.")

    def _open(self, path: Path) -> None:
        if not path.exists():
            show_error(self, "Cannot open", f"{path} is no longer there.")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            show_error(self, "Cannot open", f"No application opened {path}.")

    def open_output_folder(self) -> None:
        folder = Path(self.settings.output_folder)
        if not folder.exists():
            show_error(self, "Cannot open the output folder",
                       f"{folder} does not exist yet: it is made by the first build. "
                       "Choose another folder in Settings (Ctrl+,) if you like.")
            return
        self._open(folder)

    def print_brief(self) -> None:
        if self.preview.pdf_path is None:
            show_error(self, "Nothing to print yet",
                       "The preview is not ready: pick a country and wait for the preview "
                       "to appear, then print again.")
            return
        self.preview.print_dialog()

    def print_pack(self) -> None:
        packs = [p for p in self.last_build + [Path(p) for p in self.settings.recent("builds")]
                 if p.suffix == ".pdf" and "-pack-" in p.name and p.exists()]
        if not packs:
            show_error(self, "No pack to print yet",
                       "Build the pack first (Build → Build pack, Ctrl+Shift+B); its PDF is "
                       "printed from here.")
            return
        self.preview.print_dialog(packs[0], f"{packs[0].stem}")

    # -- the Data menu: what the CLI does ---------------------------------------------------------

    def _disk_store(self, what: str) -> Path | None:
        """The store's file, or None (having said why) for an in-memory store."""
        if self.store.path is None:
            show_error(self, f"Cannot {what}", "This needs a store saved on disk: open one "
                       "with File → Open store.")
        return self.store.path

    def _country_in_view(self, what: str) -> model.Country | None:
        country_file = self.country_view.country_file
        if country_file is None:
            show_error(self, f"Cannot {what}", "Pick a country from the list first.")
            return None
        return country_file.country

    def export_packet(self) -> None:
        country = self._country_in_view("export the packet")
        if country is None or self._disk_store("export the packet") is None:
            return
        if not self._settle_country_edits():
            return
        suggested = Path(self.settings.output_folder) / f"{country.code}-packet.yaml"
        dialog = PacketSaveDialog(self, f"Export {country.name}'s packet", suggested)
        target = dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
        if target is not None:
            self.export_packet_to(country.code, target)

    def export_packet_to(self, code: str, target: Path):
        path, user = self._disk_store("export the packet"), self.author
        if path is None:
            return None
        self.show_message(f"Writing {target.name}…")
        return self.jobs.start(
            lambda: domain.export_packet(path, code, target, user=user), name="export",
            on_finished=lambda written: self.show_message(
                f"Exported the packet to {written}. Send it to the defence section; import "
                "it back with Data → Import packet."),
            on_failed=lambda message: show_error(self, "Cannot export the packet", message))

    def show_backups(self) -> None:
        path = self._disk_store("list backups")
        if path is None:
            return
        rows = [{"name": b.path.name, "made": b.made.isoformat(" ", "seconds"),
                 "size_kb": b.size_kb} for b in domain.backups(path)]
        dialog = BackupsDialog(rows, self)
        answer = dialog.exec()
        chosen = dialog.chosen()
        if answer == BackupsDialog.RESTORE and chosen:
            self.restore_backup(chosen)
        elif answer == BackupsDialog.BACK_UP:
            self.jobs.start(lambda: domain.back_up_now(path), name="backup",
                            on_finished=lambda made: self.show_message(
                                f"Backed up the store as {Path(made).name}."),
                            on_failed=lambda m: show_error(self, "Cannot back up", m))

    def restore_backup(self, name: str, *, confirm: bool = True):
        if not self._settle_unsaved():
            return None
        if confirm and QMessageBox.question(
                self, "Restore the backup?",
                f"Put {name} back? The store as it is now is backed up first, and the audit "
                "history is kept.") != QMessageBox.StandardButton.Yes:
            return None
        path, user = self._disk_store("restore a backup"), self.author
        if path is None:
            return None
        self.show_message(f"Restoring {name}…")
        return self.jobs.start(lambda: domain.restore_backup(path, name, user=user),
                               name="restore", on_finished=self._restored,
                               on_failed=lambda m: show_error(self, "Cannot restore", m))

    def _restored(self, safety: Any) -> None:
        self._reload_store()
        self.show_message(f"Restored. The store as it was is kept as {Path(safety).name}.")

    def show_history(self) -> None:
        country = self._country_in_view("show the history")
        if country is not None:
            HistoryDialog(f"{country.name} ({country.code})",
                          domain.history(self.store, country.code), self).exec()

    def show_review_due(self) -> None:
        import datetime as dt

        today = dt.date.today()
        dialog = ReviewDueDialog(domain.review_due(self.store, today), today.isoformat(), self)
        row = dialog.chosen() if dialog.exec() == ReviewDueDialog.SHOW else None
        if row:
            self.show_record(row["country"], row["table"], row["id"])

    def show_record(self, code: str, table: str, record_id: Any) -> None:
        """Show a country with one record selected (review due, ranking)."""
        self.browser.select(code)
        self.centre.setCurrentIndex(TAB_COUNTRY)
        if table in self.country_view.tables:
            widget = self.country_view.tables[table]
            self.country_view.tabs.setCurrentWidget(widget)
            for row, record in enumerate(widget.table.records()):
                if getattr(record, "id", None) == record_id:
                    widget.view.setCurrentIndex(widget.table.index(row, 0))
                    widget.view.setFocus()

    def show_rank(self) -> None:
        path, priorities = self._disk_store("rank the countries"), self.priorities_path
        if path is None:
            return
        self.show_message("Ranking every country…")
        self.jobs.start(lambda: domain.rank_all(path, priorities), name="rank",
                        on_finished=self._ranked,
                        on_failed=lambda m: show_error(self, "Cannot rank the countries", m))

    def _ranked(self, cards: list) -> None:
        self.show_message(f"Ranked {len(cards)} countries.")
        dialog = RankDialog(rank_rows(cards), self)
        self.rank_dialog = dialog
        row = dialog.chosen() if dialog.exec() == RankDialog.SHOW else None
        if row:
            self.browser.select(row["code"])

    def set_marking(self) -> None:
        """The selected record's marking (an undoable edit), else the country's own."""
        table = self.current_table()
        if table is not None and table.view.currentIndex().isValid() \
                and any(f.kind == "marking" for f in table.table.FIELDS):
            row = table.view.currentIndex().row()
            column = next(i for i, f in enumerate(table.table.FIELDS) if f.kind == "marking")
            record = table.table.record(row)
            dialog = MarkingDialog(f"{table.table.NOUN} {row + 1}", record.marking, self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                table.table.setData(table.table.index(row, column), dialog.value())
            return
        country = self._country_in_view("set a marking")
        if country is None:
            return
        dialog = MarkingDialog(f"{country.name}'s country record", country.marking, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            domain.set_country_marking(self.store, country.code, dialog.value(),
                                       user=self.author)
        except BriefpackError as exc:
            show_error(self, "Cannot set the marking", str(exc))
            return
        self._reload_country(country.code)
        self.data_changed()
        self.show_message(f"{country.name}'s record is now marked {dialog.value()}.")

    def set_judgements(self) -> None:
        """The country's priority tier and defence section: the user's to set, audited."""
        country = self._country_in_view("set its judgements")
        if country is None:
            return
        dialog = JudgementDialog(country.name, country.priority_tier, country.defence_section,
                                 self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            domain.set_judgements(self.store, country.code, dialog.values(), user=self.author)
        except BriefpackError as exc:
            show_error(self, "Cannot set the judgements", str(exc))
            return
        self._reload_country(country.code)
        self.data_changed()
        self.show_message(f"{country.name}'s judgements saved.")

    def apply_readout(self):
        """Save the visit, then write its readout into the store (backed up first)."""
        path = self._disk_store("write the readout")
        if path is None:
            return None
        visit = self.planner.draft()
        if not (visit.outcomes or visit.actions):
            show_error(self, "No readout to write",
                       "Record the visit's outcomes or agreed actions on the planner's "
                       "Readout tab first.")
            return None
        if self.planner.dirty and not self.save_visit():
            return None
        visit, user = self.planner.draft(), self.author
        self.show_message("Writing the readout to the store…")
        return self.jobs.start(lambda: domain.apply_readout(path, visit, user=user),
                               name="readout", on_finished=self._readout_written,
                               on_failed=lambda m: show_error(
                                   self, "Cannot write the readout", m))

    def _readout_written(self, result: Any) -> None:
        code = self.country_view.country_file and self.country_view.country_file.country.code
        if code:
            self._reload_country(code)
        self.data_changed()
        self.show_message(f"Readout written: {result.summary()}.")

    def show_help(self, tab: int) -> HelpDialog:
        dialog = HelpDialog(self.store.path, self.actions(), self)
        dialog.show_tab(tab)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.help_dialog = dialog
        return dialog

    # -- recents ----------------------------------------------------------------------------------

    def _fill_recent(self, menu, items: list[tuple[str, str, Any]], empty: str) -> None:
        menu.clear()
        for number, (text, tip, slot) in enumerate(items, start=1):
            label = f"&{number} {text}" if number < 10 else text
            action = menu.addAction(label)
            action.setStatusTip(tip)
            action.setToolTip(tip)
            action.triggered.connect(slot)
        if not items:
            menu.addAction(empty).setEnabled(False)

    def _fill_recent_stores(self) -> None:
        items = [(Path(p).name, p, lambda _=False, p=p: self.open_recent_store(Path(p)))
                 for p in self.settings.recent("stores")
                 if self.store.path is None or Path(p) != self.store.path]
        self._fill_recent(self.recent_stores_menu, items, "No other stores opened yet")

    def open_recent_store(self, path: Path) -> None:
        if self._settle_unsaved():
            self.switch_store(path)

    def _fill_recent_visits(self) -> None:
        saved = {str(v.id): v for v in self.store.visits()}
        items = [(saved[i].title, f"{saved[i].start:%Y-%m-%d}, "
                  + ", ".join(saved[i].countries),
                  lambda _=False, i=i: self.open_visit_id(int(i)))
                 for i in self.settings.recent(self._store_key() + "-visits") if i in saved]
        self._fill_recent(self.recent_visits_menu, items, "No visits opened yet")

    def _fill_recent_builds(self) -> None:
        items = [(Path(p).name, p, lambda _=False, p=p: self._open(Path(p)))
                 for p in self.settings.recent("builds") if Path(p).exists()]
        self._fill_recent(self.recent_builds_menu, items, "No builds yet")

    # -- files dropped on the window --------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if any(domain.dropped_file_kind(p) for p in _local_files(event.mimeData())):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        files = _local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.open_file(files[0])

    def open_file(self, path: Path) -> None:
        """A packet or CSV goes to the import wizard; a visit file opens in the planner."""
        kind = domain.dropped_file_kind(path)
        if kind == domain.VISIT_FILE:
            if self._settle_visit():
                self.import_visit_file(path)
        elif kind in (domain.PACKET, domain.SHEET):
            wizard = self.import_data()
            if wizard is not None:
                wizard.source_page.path.setText(str(path))
        else:
            show_error(self, "Cannot open the file",
                       f"{path}: briefpack opens country packets (.yaml or .json), visit "
                       "files (.yaml) and spreadsheets saved as CSV (.csv).")

    # -- settings and the window ------------------------------------------------------------------

    def edit_settings(self) -> None:
        values = SettingsDialog.ask(self, SettingsValues(self.settings.author,
                                                         Path(self.settings.output_folder)))
        if values is not None:
            self.settings.author = values.author
            self.settings.output_folder = values.output_folder
            self.show_message(f"Settings saved: you are {self.settings.author}; files go to "
                              f"{self.settings.output_folder}.")

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def has_unsaved(self) -> bool:
        return self.country_view.has_pending() or self.planner.dirty

    def _update_title(self, *_) -> None:
        """'Norway — sample.db (training store)*': the country, then which store.

        Qt appends the application's display name itself, so it is not repeated here."""
        parts = []
        if self.country_view.country_file is not None:
            parts.append(self.country_view.country_file.country.name)
        if self.store.path is not None:
            kind = "training store" if getattr(self, "store_kind", "") == domain.TRAINING \
                else "live store"
            parts.append(f"{self.store.path.name} ({kind})")
        else:
            parts.append("in-memory store")
        if QApplication.applicationDisplayName() != "briefpack":
            parts.append("briefpack")
        parts[0] += "[*]"  # Qt shows '*' here while there are unsaved changes
        self.setWindowTitle(" — ".join(parts))
        self.setWindowModified(self.has_unsaved())

    def _settle_unsaved(self) -> bool:
        return self._settle_country_edits() and self._settle_visit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self._settle_unsaved():
            event.ignore()
            return
        if self.build_worker is not None:
            self.build_worker.cancel()
        self.remember_where_we_are()
        self.jobs.wait()
        self.preview.cleanup()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        event.accept()

    def remember_where_we_are(self) -> None:
        """Geometry, panes, the store, country, visit and tabs, for next time."""
        settings = self.settings
        settings.geometry = self.saveGeometry()
        settings.set_state("window/splitter", self.splitter.saveState())
        settings.window_state = self.saveState()
        for table in self.record_tables:
            settings.set_value(f"columns/{table.title}", ",".join(table.hidden_columns()))
        if self.store.path is not None:
            settings.last_store = self.store.path
            settings.add_recent("stores", str(self.store.path))
            prefix = self._store_key()
            settings.set_value(f"{prefix}/country", self.browser.selected_code() or "")
            settings.set_value(f"{prefix}/visit", self.planner.visit_id or "")
        settings.set_value("window/centre_tab", self.centre.currentIndex())
        settings.set_value("window/side_tab", self.side.currentIndex())
        settings.set_value("window/country_tab", self.country_view.tabs.currentIndex())
        settings.sync()

    def _store_key(self) -> str:
        import hashlib

        path = str(self.store.path.resolve()) if self.store.path else "memory"
        return "store-" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:12]


def _add_actions(target: QMenu | QToolBar, actions: Sequence[QAction | None]) -> None:
    """Add actions to a menu or toolbar in order; None is a separator."""
    for action in actions:
        if action is None:
            target.addSeparator()
        else:
            target.addAction(action)


def _local_files(mime) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] \
        if mime.hasUrls() else []


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "visit"

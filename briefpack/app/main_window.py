"""The main window: country browser | country data or visit planner | preview and scorecard.

The window lays the views out, keeps the store and wires the views to each other; the
work is done by controllers that see it through ``host.Host``: ``builds`` (build_runner),
``visits`` (visit_session), ``data_menu`` (data_menu) and ``placement`` (placement). Its
actions, menus and toolbar are declared in ``actions``. The store is reached through
``domain``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDockWidget, QFileDialog, QHBoxLayout, QLabel, QMainWindow,
    QMessageBox, QScrollArea, QSizePolicy, QSplitter, QTabWidget, QVBoxLayout, QWidget,
)

from .. import model
from ..errors import BriefpackError
from ..store import Store
from . import actions, dialogs, domain, focus, save_conflicts
from .build_runner import BuildRunner
from .build_worker import Jobs
from .country_browser import CountryBrowser
from .country_view import CountryView
from .data_menu import DataMenu
from .domain import CountryStatus
from .focus import quiet_tab_arrows
from .help import HelpDialog
from .host import TAB_COUNTRY, TAB_PREVIEW, TAB_SCORECARD, TAB_VISIT
from .icons import app_icon
from .instance import StoreLock
from .palette import style_for
from .placement import WindowPlacement, store_key
from .preview import PreviewPanel
from .record_form import RecordForm
from .record_table import RecordTable
from .scorecard_panel import ScorecardPanel
from .settings import AppSettings
from .visit_planner import VisitPlanner
from .visit_session import VisitSession

__all__ = ["TAB_COUNTRY", "TAB_PREVIEW", "TAB_SCORECARD", "TAB_VISIT", "MainWindow"]

#: how the status line says scores are on their way (replaced when they arrive)
WORKING_OUT = "Working out scores…"
#: quiet time after an edit before the scorecard is worked out again
RESCORE_MS = 150
#: the smallest window that still shows every control (fits a 1024x600 screen with a panel)
MINIMUM_SIZE = (800, 500)


class MainWindow(QMainWindow, actions.WindowActions):
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
        #: the store's countries, as the browser lists them
        self.countries: list[model.Country] = []
        self.store_kind = domain.LIVE
        self.jobs = Jobs(self)
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
        quiet_tab_arrows(self.centre)
        self.centre.addTab(self.country_view, "Country data")
        self.centre.addTab(self.planner, "Visit planner")
        self.preview = PreviewPanel(self.jobs, self)
        self.scorecard = ScorecardPanel(self)
        self.side = QTabWidget(self)
        self.side.setAccessibleName("Preview and scorecard")
        quiet_tab_arrows(self.side)
        self.side.addTab(self.preview, "Preview")
        self.side.addTab(self.scorecard, "Scorecard")
        self.preview_country = QComboBox(self)
        self.preview_country_row = QWidget(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        for widget in (self.browser, self.centre, self._side_panel()):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setObjectName("main-splitter")
        self.setCentralWidget(self.splitter)

        self.message = QLabel(self)
        self.store_label = QLabel(self)
        self.builds = BuildRunner(self, self.message)
        self.visits = VisitSession(self)
        self.data_menu = DataMenu(self)
        self._rescore_timer = QTimer(self, singleShot=True, interval=RESCORE_MS)
        self._rescore_timer.timeout.connect(self._rescore)
        self._make_status_bar()

        self.record_form = RecordForm(self)
        self.record_dock = self._record_dock()
        self.record_tables = self.findChildren(RecordTable)
        #: the table the user last worked in, where a tab holds several (team, readout …)
        self._last_table: RecordTable | None = None
        self._followed: set[int] = set()
        self._follow_tables()
        self.form_action = self._form_action()
        self.toolbar = actions.install(self)
        self._wire_actions()
        self.placement = WindowPlacement(
            self, self, self.splitter, self.record_dock, lambda: self.record_tables,
            {"window/centre_tab": self.centre, "window/side_tab": self.side,
             "window/country_tab": self.country_view.tabs})

        self.browser.country_selected.connect(self.show_country)
        self.country_view.edited.connect(self.data_changed)
        self.planner.changed.connect(self.data_changed)
        self.planner.countries_changed.connect(self._visit_countries_changed)
        self.centre.currentChanged.connect(self._centre_changed)
        for stack in (self.country_undo, self.visit_undo):
            stack.cleanChanged.connect(self.update_title)
            stack.indexChanged.connect(self.update_title)

        self.placement.restore_geometry()
        self.load_store_contents()
        self.placement.restore_place()

    # -- construction -----------------------------------------------------------------------------

    def _side_panel(self) -> QWidget:
        """The preview and scorecard, under a chooser of which visit country they show."""
        panel = QWidget(self)
        self.preview_country.setAccessibleName("Country the preview and scorecard show")
        self.preview_country.setToolTip("Which of the visit's countries the preview and the "
                                        "scorecard show")
        self.preview_country.currentIndexChanged.connect(self._preview_country_chosen)
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
        names = {c.code: c.name for c in self.countries}
        for code in codes:
            self.preview_country.addItem(f"{names.get(code, code)} ({code})", code)
        index = self.preview_country.findData(current)
        self.preview_country.setCurrentIndex(max(index, 0))
        self.preview_country.blockSignals(False)
        self.preview_country_row.setVisible(len(codes) > 1
                                            and self.centre.currentIndex() == TAB_VISIT)

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.message.setAccessibleName("Status")
        # long messages must not push progress and Cancel off a small screen
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.store_label.setAccessibleName("Store in use")
        self.store_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.builds.progress)
        bar.addPermanentWidget(self.builds.cancel_button)
        bar.addPermanentWidget(self.store_label)

    def _wire_actions(self) -> None:
        """What the action table cannot say: undo's enabled state and words, Esc's reach."""
        self.undo_group.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_group.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_group.undoTextChanged.connect(
            lambda text: actions.describe(self.undo_action, "Undo", text))
        self.undo_group.redoTextChanged.connect(
            lambda text: actions.describe(self.redo_action, "Redo", text))
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.cancel_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.builds.bind_actions([self.build_action, self.pack_action], self.cancel_action)

    # -- the record form --------------------------------------------------------------------------

    def _record_dock(self) -> QDockWidget:
        """The record form, in a dock: every field of the selected row at full size."""
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Record form")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields take the focus, not it
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.record_form)
        dock = QDockWidget("Record", self)
        dock.setObjectName("record-dock")
        dock.setWidget(scroll)
        dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea
                             | Qt.DockWidgetArea.LeftDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def _form_action(self) -> QAction:
        action = self.record_dock.toggleViewAction()
        action.setText("Record &form")
        action.setShortcut(QKeySequence("Ctrl+E"))
        action.triggered.connect(self._form_toggled)
        self.addAction(action)  # listed with the other shortcuts
        action.setStatusTip("Show every field of the selected row, to read and edit")
        return action

    def _follow_tables(self) -> None:
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
            target = focus.first_in(self.record_form.body)  # Ctrl+E: the keyboard goes there
            if target is not None:
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_record_form(self) -> None:
        """Open the form dock at a height that leaves the tables room on small screens."""
        self.record_dock.show()
        if self.dockWidgetArea(self.record_dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
            self.resizeDocks([self.record_dock], [max(self.height() // 3, 160)],
                             Qt.Orientation.Vertical)

    def set_marking(self) -> None:
        """The selected record's marking, else the country's (Data → Set marking)."""
        self.data_menu.set_marking(self.current_table())

    def cycle_pane(self, step: int) -> None:
        """F6: move the focus between the country list, the work area, the preview and the
        record form (when shown), to a named control in each, never a bare container."""
        panes: list[QWidget] = [self.browser.view, self.centre.currentWidget(),
                                self.side.currentWidget(), self.record_form.body]
        focus.cycle(panes, QApplication.focusWidget(), step)

    # -- the store --------------------------------------------------------------------------------

    @property
    def author(self) -> str:
        return self.settings.author

    def store_key(self) -> str:
        return store_key(self.store.path)

    def load_store_contents(self) -> None:
        """Fill the browser at once; scores and data currency follow from a worker."""
        countries = domain.countries(self.store)
        self.store_kind = domain.store_kind(self.store)
        self._show_store()
        self.browser.set_countries(countries)
        self.countries = countries
        self.planner.set_choices(countries, ["standard"], {})
        self.show_message(f"Store: {self.store.path or 'in memory'} — "
                          f"{len(countries)} countries. {WORKING_OUT}")
        self._start_snapshot()

    def reload_store(self) -> None:
        """Start afresh on a store (another one, or a backup put back): nothing open."""
        self.country_view.country_file = None
        self.country_view.setEnabled(False)
        self.planner.new_visit()
        self.load_store_contents()

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
        self.update_title()

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
        if self.message.text().endswith(WORKING_OUT):  # not over a message since (Restored…)
            self.show_message(f"Store: {self.store.path or 'in memory'} — "
                              f"{len(snapshot.statuses)} countries, {stale} with stale data.")
        code = self.country_view.country_file and self.country_view.country_file.country.code
        if code:
            self.country_view.set_status(snapshot.statuses.get(code, CountryStatus()))
        self.data_changed()

    def choose_store(self) -> None:
        if not self.settle_unsaved():
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
            dialogs.show_error(self, "Cannot open the store", str(exc))
            return False
        try:
            store = domain.open_window_store(path)
        except BriefpackError as exc:
            lock.release()
            self.settings.forget_recent("stores", str(path))
            dialogs.show_error(self, "Cannot open the store", str(exc))
            return False
        self.jobs.wait()
        self.store.close()
        if self.lock is not None:
            self.lock.release()
        self.store, self.lock = store, lock
        self.settings.last_store = path
        self.settings.add_recent("stores", str(path))
        self.reload_store()
        self.placement.restore_place()
        return True

    def recent_stores(self) -> list[tuple[str, str, Any]]:
        """The Recent stores menu's items: (text, tip, slot); not the one open."""
        return [(Path(p).name, p, lambda _=False, p=p: self.open_recent_store(Path(p)))
                for p in self.settings.recent("stores")
                if self.store.path is None or Path(p) != self.store.path]

    def open_recent_store(self, path: Path) -> None:
        if self.settle_unsaved():
            self.switch_store(path)

    # -- countries --------------------------------------------------------------------------------

    def reload_country(self, code: str) -> None:
        """Show the country again as the store has it now (changed outside its tables); the
        country list takes its new record too (a tier set shows in the Tier filter)."""
        country_file = domain.country_file(self.store, code)
        self.country_view.show_country(country_file, self.browser.countries.status(code))
        self.browser.update_country(country_file.country)

    def show_country(self, code: str) -> None:
        current = self.country_view.country_file
        if current is not None and current.country.code == code:
            return
        if not self.settle_country_edits():
            if current is not None:
                self.browser.select(current.country.code)
            return
        try:
            country_file = domain.country_file(self.store, code)
        except BriefpackError as exc:
            dialogs.show_error(self, "Cannot show the country", str(exc))
            return
        status = self.browser.countries.status(code)
        self.country_view.show_country(country_file, status)
        if self.centre.currentIndex() != TAB_COUNTRY and code not in self.planner.countries():
            self.centre.setCurrentIndex(TAB_COUNTRY)
        self.update_title()
        self.data_changed()

    def settle_country_edits(self) -> bool:
        """True when there are no unsaved data edits left (saved or discarded)."""
        country_file = self.country_view.country_file
        if country_file is None or not self.country_view.has_pending():
            return True
        name = country_file.country.name
        answer = dialogs.ask_unsaved(self, f"{name}'s data")
        if answer == QMessageBox.StandardButton.Save:
            return self.save_country_edits()
        return answer == QMessageBox.StandardButton.Discard

    def settle_unsaved(self) -> bool:
        return self.settle_country_edits() and self.visits.settle()

    # -- changes: scorecard and preview -----------------------------------------------------------

    def data_changed(self, *_) -> None:
        """Something the scorecard or preview depends on changed."""
        self._rescore_timer.start()
        country_file, visit = self.focus()
        self.preview.request(self._preview_job(country_file, visit))
        if country_file is not None:
            what = f"{visit.title} — " if visit is not None and visit.title else ""
            self.preview.document_name = f"{what}{country_file.country.name} brief"
        self.update_title()

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
                current = domain.country_file(self.store, chosen or visit.countries[0])
            except BriefpackError:
                current = None
        if current is None:
            return None, None
        return current, visit if current.country.code in visit.countries else None

    def _preview_job(self, country_file: model.CountryFile | None, visit: model.Visit | None):
        if country_file is None:
            return None
        priorities = self.priorities
        options = self.builds.current_options(preview=True)
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
        self.planner.set_people(domain.people(self.store, codes))

    # -- saving -----------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save data edits and the visit (whichever have changes)."""
        saved = True
        if self.country_view.has_pending():
            saved = self.save_country_edits()
        if saved and self.planner.dirty:
            saved = self.visits.save()
        if saved and not self.country_view.has_pending() and not self.planner.dirty:
            self.show_message("Everything is saved.")
        return saved

    def save_country_edits(self) -> bool:
        problems = self.country_view.problems()
        if problems:
            dialogs.show_error(self, "Cannot save yet", "\n".join(problems))
            return False
        user, shown = self.author, self.country_view.country_file
        if shown is None:
            return True
        country, models = shown.country, self.country_view.models
        try:  # a change set: what changed elsewhere meanwhile is a conflict, never reverted
            outcome = save_conflicts.save_records(
                self.store, models, user=user,
                ask=save_conflicts.ask_in_dialog(self, {country.code: country.name}))
            stored = domain.country_file(self.store, country.code)
        except Exception as exc:  # noqa: BLE001 - any failure is shown; the edits stay
            dialogs.show_error(self, "Cannot save the changes", str(exc))
            return False
        if save_conflicts.show_stored(models, stored):
            self.country_undo.setClean()
        else:  # records added or removed elsewhere: the rows moved under the undo history
            self.country_undo.clear()
        save_conflicts.keep_unsaved(models, outcome.unsettled)
        self.country_view.saved()
        self._refresh_currency(country.code)
        self.show_message(" ".join(filter(None, (f"Saved {country.name}'s data as {user}.",
                                                outcome.message()))))
        self.data_changed()
        return not outcome.unsettled

    def _refresh_currency(self, code: str) -> None:
        country_file = self.country_view.country_file
        if country_file is None:
            return
        stale, note = domain.stale_sections(self.store, country_file)
        old = self.browser.countries.status(code)
        status = CountryStatus(old.score, old.band, stale, note)
        self.browser.countries.set_status(code, status)
        self.country_view.set_status(status)

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
            if self.visits.settle():
                self.visits.import_file(path)
        elif kind in (domain.PACKET, domain.SHEET):
            wizard = self.data_menu.import_data()
            if wizard is not None:
                wizard.source_page.path.setText(str(path))
        else:
            dialogs.show_error(self, "Cannot open the file",
                               f"{path}: briefpack opens country packets (.yaml or .json), "
                               "visit files (.yaml) and spreadsheets saved as CSV (.csv).")

    # -- settings and the window ------------------------------------------------------------------

    def edit_settings(self) -> None:
        values = dialogs.SettingsDialog.ask(self, dialogs.SettingsValues(
            self.settings.author, Path(self.settings.output_folder)))
        if values is not None:
            self.settings.author = values.author
            self.settings.output_folder = values.output_folder
            self.show_message(f"Settings saved: you are {self.settings.author}; files go to "
                              f"{self.settings.output_folder}.")

    def show_help(self, tab: int) -> HelpDialog:
        dialog = HelpDialog(self.store.path, self.actions(), self)
        dialog.show_tab(tab)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.help_dialog = dialog
        return dialog

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "store_kind"):
            self._show_store()  # the store label's colour, for the theme now in use
        super().changeEvent(event)

    def has_unsaved(self) -> bool:
        return self.country_view.has_pending() or self.planner.dirty

    def update_title(self, *_) -> None:
        """'Norway — sample.db (training store)*': the country, then which store.

        Qt appends the application's display name itself, so it is not repeated here."""
        parts = []
        if self.centre.currentIndex() == TAB_VISIT:  # the visit planned, not Country data's
            parts.append(self.planner.title.text().strip() or "New visit")
        elif self.country_view.country_file is not None:
            parts.append(self.country_view.country_file.country.name)
        if self.store.path is not None:
            kind = "training store" if self.store_kind == domain.TRAINING else "live store"
            parts.append(f"{self.store.path.name} ({kind})")
        else:
            parts.append("in-memory store")
        if QApplication.applicationDisplayName() != "briefpack":
            parts.append("briefpack")
        parts[0] += "[*]"  # Qt shows '*' here while there are unsaved changes
        self.setWindowTitle(" — ".join(parts))
        self.setWindowModified(self.has_unsaved())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.settle_unsaved():
            event.ignore()
            return
        if self.builds.worker is not None:
            self.builds.worker.cancel()
        self.placement.remember()
        self.jobs.wait()
        self.preview.cleanup()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        event.accept()


def _local_files(mime) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] \
        if mime.hasUrls() else []

"""The import wizard: refresh country data from a packet (.yaml or .json) or a
spreadsheet (.csv). The review of the differences is review_tree's, shared with the
conflict dialog of a save.

Pages: choose the file → validation report → review of the differences (settle each
conflict) → apply (backup, then one transaction) → summary. Reading, checking and
applying run in workers through ``domain``; the wizard emits ``imported`` with the
ImportSummary once the store has changed, and the window refreshes its views.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QComboBox, QFileDialog, QFormLayout,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QRadioButton,
    QTreeView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWizard,
    QWizardPage,
)

from .. import model
from ..errors import BriefpackError
from ..store.csv_import import table_named
from . import domain
from .build_worker import Jobs
from .palette import style_for
from .review_tree import (
    EXPAND_ALL_UP_TO, NO_PLAN, ChoiceDelegate, ReviewModel, ReviewTree, table_title,
)
from .screen_fit import fit_on_screen, fit_size

class ImportWizard(QWizard):
    """Collects the file and the conflict choices; imports through workers."""

    #: the store changed: an ImportSummary
    imported = Signal(object)

    def __init__(self, store_path: Path, countries: list[model.Country], jobs: Jobs, *,
                 user: str, parent=None):
        super().__init__(parent)
        self.store_path = store_path
        self.jobs = jobs
        self.user = user
        self.country_names = {c.code: c.name for c in countries}
        self.source: domain.ImportSource | None = None
        self.check: domain.ImportCheck | None = None
        self.review_tree: ReviewTree | None = None
        self.summary: Any = None
        self.setWindowTitle("Import country data")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.source_page = SourcePage(countries)
        self.check_page = CheckPage()
        self.review_page = ReviewPage()
        self.apply_page = ApplyPage()
        self.summary_page = SummaryPage()
        for page in (self.source_page, self.check_page, self.review_page, self.apply_page,
                     self.summary_page):
            self.addPage(page)
        # roomy where the screen allows; on a 1024x600 screen (or 960x540 logical at 2x)
        # it shrinks to fit, so Back/Next/Cancel stay on screen
        fit_size(self, 940, 620)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        fit_on_screen(self)
        super().showEvent(event)

    @property
    def busy(self) -> bool:
        return self.apply_page.running

    def reject(self) -> None:
        # while applying, Cancel stops the import (its one transaction rolls back); the
        # wizard stays open to say so
        if self.busy:
            self.apply_page.cancel()
        else:
            super().reject()


class _Page(QWizardPage):
    """A page of the import wizard, reading the wizard's shared state (typed)."""

    def wizard(self) -> ImportWizard:
        return cast(ImportWizard, super().wizard())


class SourcePage(_Page):
    """Which file, and for a sheet which table and country it holds."""

    def __init__(self, countries: list[model.Country]):
        super().__init__()
        self.setTitle("Choose the file to import")
        self.setSubTitle("A country packet exported from briefpack and returned by a defence "
                         "section, or a spreadsheet saved as CSV holding one section.")
        self.packet_choice = QRadioButton("Country packet (.yaml or .json)", self)
        self.packet_choice.setChecked(True)
        self.sheet_choice = QRadioButton("Spreadsheet of one section (.csv)", self)
        kinds = QButtonGroup(self)
        kinds.addButton(self.packet_choice)
        kinds.addButton(self.sheet_choice)
        self.sheet_choice.toggled.connect(self._kind_changed)

        self.path = QLineEdit(self)
        self.path.setAccessibleName("File to import")
        self.path.setPlaceholderText("Path of the .yaml, .json or .csv file")
        self.path.textChanged.connect(self._path_changed)
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose the file to import")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)

        self.table = QComboBox(self)
        self.table.setAccessibleName("Section the sheet holds")
        for table in model.TABLES:
            self.table.addItem(table_title(table), table)
        self.country = QComboBox(self)
        self.country.setAccessibleName("Country of the sheet")
        self.country.addItem("Named in the sheet's country column", None)
        for country in countries:
            self.country.addItem(f"{country.name} ({country.code})", country.code)

        form = QFormLayout(self)
        form.addRow("Kind", self.packet_choice)
        form.addRow("", self.sheet_choice)
        form.addRow("File", file_row)
        form.addRow("Section", self.table)
        form.addRow("Country", self.country)
        self._form = form
        self._kind_changed(False)

    def is_sheet(self) -> bool:
        return self.sheet_choice.isChecked()

    def _kind_changed(self, sheet: bool) -> None:
        self._form.setRowVisible(self.table, sheet)
        self._form.setRowVisible(self.country, sheet)

    def _path_changed(self, text: str) -> None:
        path = Path(text.strip())
        suffix = path.suffix.lower()
        if suffix == ".csv":
            self.sheet_choice.setChecked(True)
            self._guess_table(path.stem)
        elif suffix in (".yaml", ".yml", ".json"):
            self.packet_choice.setChecked(True)
        self.completeChanged.emit()

    def _guess_table(self, stem: str) -> None:
        """Pick the section a sheet's name gives away (alumni.csv, exports-fra.csv …)."""
        for word in [stem, *re.split(r"[^A-Za-z_]+", stem)]:
            try:
                table = table_named(word)
            except BriefpackError:
                continue
            self.table.setCurrentIndex(self.table.findData(table))
            return

    def _browse(self) -> None:
        start = self.path.text().strip() or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, "Import country data", start,
            "Packets and sheets (*.yaml *.yml *.json *.csv);;Packets (*.yaml *.yml *.json);;"
            "Sheets (*.csv);;All files (*)")
        if name:
            self.path.setText(name)

    def chosen(self) -> domain.ImportSource:
        path = Path(self.path.text().strip()).expanduser()
        if self.is_sheet():
            return domain.ImportSource(path, table=self.table.currentData(),
                                       country=self.country.currentData())
        return domain.ImportSource(path)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        text = self.path.text().strip()
        return bool(text) and Path(text).expanduser().is_file()

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        self.wizard().source = self.chosen()
        return True


class CheckPage(_Page):
    """Reads and checks the file in a worker; lists every problem; Next only when valid."""

    def __init__(self):
        super().__init__()
        self.setTitle("Validation")
        self._run = 0
        self.running = False
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar(self)
        self.busy.setAccessibleName("Checking progress")
        self.busy.setRange(0, 0)
        self.problems = QTreeWidget(self)
        self.problems.setAccessibleName("Problems found")
        self.problems.setHeaderLabels(["File", "Line", "Field", "Problem"])
        self.problems.setRootIsDecorated(False)
        self.problems.setAlternatingRowColors(True)
        self.problems.setUniformRowHeights(True)
        header = self.problems.header()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)
        self._layout = layout

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        wizard = self.wizard()
        wizard.check = None
        source = wizard.source
        if source is None:  # the source page sets it before this page can show
            return
        self._run += 1
        run = self._run
        self.running = True
        self.problems.clear()
        self._show_list(False)
        self.busy.show()
        self.status.setStyleSheet("")
        self.status.setText(f"Reading and checking {source.path.name}…")
        self.setSubTitle(str(source.path))
        store_path, names = wizard.store_path, dict(wizard.country_names)
        wizard.jobs.start(lambda: _check_and_review(store_path, source, names),
                          name="check import",
                          on_finished=lambda result: self._checked(run, *result),
                          on_failed=lambda message: self._failed(run, message))
        self.completeChanged.emit()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt API
        self._run += 1  # a result still on its way is for a file no longer chosen
        self.running = False

    def _checked(self, run: int, check: domain.ImportCheck, tree: ReviewTree | None) -> None:
        if run != self._run:
            return
        self.running = False
        self.busy.hide()
        self.wizard().check = check
        self.wizard().review_tree = tree
        if check.problems:
            self._show_problems(check.problems)
        else:
            self.status.setText(self._verdict(check.plan, check.provenance))
        self.completeChanged.emit()

    def _show_problems(self, problems: tuple) -> None:
        count = len(problems)
        self.status.setStyleSheet(style_for("error", bold=False))
        self.status.setText(f"{count} problem{'s' * (count != 1)} must be fixed in the file "
                            "before it can be imported; nothing has been changed.")
        names = {f: Path(f).name for f in {p.file for p in problems}}
        self.problems.headerItem().setToolTip(0, "\n".join(names))
        rows = [(names[p.file], "" if p.line is None else str(p.line), p.field, p.message)
                for p in problems]
        items = []
        for row in rows:
            item = QTreeWidgetItem(list(row))
            item.setToolTip(3, row[3])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            items.append(item)
        self.problems.addTopLevelItems(items)
        # widths from the longest text, not resizeColumnToContents: that measures every row
        metrics = self.problems.fontMetrics()
        for column in range(3):
            longest = max([r[column] for r in rows] + [self.problems.headerItem().text(column)],
                          key=len)
            self.problems.setColumnWidth(column, min(metrics.horizontalAdvance(longest) + 24,
                                                     320))
        self._show_list(True)

    def _show_list(self, shown: bool) -> None:
        self.problems.setVisible(shown)
        # without the list, the free space goes below the text rather than around it
        self._layout.setStretch(self._layout.count() - 1, 0 if shown else 1)

    def _verdict(self, plan: Any, provenance: str = "") -> str:
        names = self.wizard().country_names
        where = ", ".join(names.get(code, code) for code in plan.sections) or "no country"
        counts = plan.counts()
        lines = [f"No problems found. The file holds data for {where}."]
        if provenance.startswith("edited after export"):
            lines.append(f"This packet was {provenance}: the changes on the next page are "
                         "what it would do; check them before importing.")
        elif provenance:
            lines.append(f"This packet is as it was {provenance}.")
        if plan.is_empty:
            lines.append("It matches the store: importing records that the data was refreshed.")
        else:
            lines.append(f"Importing would add {counts['added']}, change {counts['changed']} and "
                         f"remove {counts['removed']} record(s); {counts['conflicts']} "
                         "conflict(s) need your choice.")
        # the note that the packet was edited is said above, in the app's own words
        lines += [f"Warning: {w}" for w in plan.warnings if not (provenance and provenance in w)]
        return "\n".join(lines)

    def _failed(self, run: int, message: str) -> None:
        if run != self._run:
            return
        self.running = False
        self.busy.hide()
        self.status.setStyleSheet(style_for("error", bold=False))
        self.status.setText(f"The file could not be checked:\n{message}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        check = self.wizard().check if self.wizard() else None
        return not self.running and check is not None and check.plan is not None

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        return self.isComplete()


def _check_and_review(store_path: Path, source: domain.ImportSource,
                      names: dict[str, str]) -> tuple[domain.ImportCheck, ReviewTree | None]:
    """The check, and the review tree of its plan (both run in the worker)."""
    check = domain.check_import(store_path, source)
    return check, ReviewTree(check.plan, names) if check.plan is not None else None


class ReviewPage(_Page):
    """Every difference in a tree; each conflict needs a choice before going on."""

    def __init__(self):
        super().__init__()
        self.setTitle("Review the changes")
        self.setSubTitle("Records added, changed field by field, and removed, by country and "
                         "section. A conflict is a record also changed here since the file "
                         "was exported: choose which version to keep.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Apply import")
        self.model = ReviewModel(self)
        self.model.choices_changed.connect(self._choices_changed)
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Changes the import would make")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self._delegate = ChoiceDelegate(self.tree)
        self.tree.setItemDelegateForColumn(ReviewModel.COL_CHOICE, self._delegate)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setWordWrap(False)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(ReviewModel.COL_CHANGE, 330)
        header.resizeSection(ReviewModel.COL_CHOICE, 120)
        header.resizeSection(ReviewModel.COL_BEFORE, 200)
        self.progress_note = QLabel(self)
        self.progress_note.setAccessibleName("Conflicts left to settle")
        self.keep_all = QPushButton("Keep &mine for all", self)
        self.keep_all.clicked.connect(lambda: self.model.choose_all("mine"))
        self.take_all = QPushButton("Take &theirs for all", self)
        self.take_all.clicked.connect(lambda: self.model.choose_all("theirs"))
        row = QHBoxLayout()
        row.addWidget(self.progress_note, 1)
        row.addWidget(self.keep_all)
        row.addWidget(self.take_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        wizard = self.wizard()
        self.model.set_tree(wizard.review_tree or ReviewTree(NO_PLAN, {}))
        if self.model.record_count() <= EXPAND_ALL_UP_TO:
            self.tree.expandAll()
        else:  # laying out thousands of rows at once would freeze the window
            self.tree.expandToDepth(0)
        has_conflicts = bool(self.model.conflicts)
        self.keep_all.setVisible(has_conflicts)
        self.take_all.setVisible(has_conflicts)
        self._choices_changed()

    def _choices_changed(self) -> None:
        total, open_ = len(self.model.conflicts), self.model.unsettled()
        if not total:
            text = "No conflicts." if self.model.record_count() else \
                "Nothing differs from the store."
        elif open_:
            text = f"{open_} of {total} conflict(s) still need a choice."
            self.progress_note.setStyleSheet(style_for("error", bold=False))
        else:
            text = f"All {total} conflict(s) settled."
        if not open_:
            self.progress_note.setStyleSheet("")
        self.progress_note.setText(text)
        self.completeChanged.emit()

    def choose(self, conflict_key: str, choice: str) -> bool:
        """Settle one conflict ("mine" or "theirs"), as its drop-down does."""
        return self.model.setData(self.model.index_of(conflict_key, ReviewModel.COL_CHOICE),
                                  choice)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.model.unsettled() == 0

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        return self.isComplete()


class ApplyPage(_Page):
    """Backs up the store and applies the import in a worker, with a progress bar and
    Cancel (which rolls the import back)."""

    def __init__(self):
        super().__init__()
        self.setTitle("Importing")
        self.setSubTitle("The store is backed up first; the changes are then written in one "
                         "transaction, so either all of them are imported or none.")
        self.running = False
        self.done = False
        self.worker: Any = None
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Import progress")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        wizard = self.wizard()
        if wizard.check is None:  # the check page sets it before the review can go on
            return
        plan, choices = wizard.check.plan, dict(wizard.review_page.model.choices)
        self.running, self.done = True, False
        self.bar.setRange(0, 0)
        self.bar.show()
        self.status.setStyleSheet("")
        self.status.setText("Backing up the store…")
        store_path, user = wizard.store_path, wizard.user
        self.worker = wizard.jobs.start(
            lambda: domain.import_steps(store_path, plan, choices, user=user),
            name="apply import", on_progress=self._progress, on_finished=self._applied,
            on_failed=self._failed, on_cancelled=self._cancelled)

    def cancel(self) -> None:
        """Stop the import between steps; nothing of it stays in the store."""
        if self.worker is not None and self.running:
            self.worker.cancel()
            self.status.setText("Cancelling: undoing the changes written so far…")
            self.wizard().button(QWizard.WizardButton.CancelButton).setEnabled(False)

    def _progress(self, step: int, total: int, message: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(step)
        self.status.setText(f"{message}…")

    def _ended(self) -> None:
        self.running = False
        self.worker = None
        self.wizard().button(QWizard.WizardButton.CancelButton).setEnabled(True)

    def _cancelled(self) -> None:
        self._ended()
        self.bar.hide()
        self.status.setText("Import cancelled: nothing was imported; the store is as it was.")
        self.setSubTitle("The store is as it was. Cancel to close, then start the import again.")

    def _applied(self, summary: Any) -> None:
        self._ended()
        self.done = True
        wizard = self.wizard()
        wizard.summary = summary
        self.completeChanged.emit()
        wizard.imported.emit(summary)
        wizard.next()

    def _failed(self, message: str) -> None:
        self._ended()
        self.bar.hide()
        self.status.setStyleSheet(style_for("error", bold=False))
        self.status.setText(f"Nothing was imported:\n{message}")
        self.setSubTitle("The store is as it was. Cancel, then start the import again.")

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.done


class SummaryPage(_Page):
    """What the import did, its warnings, and where the backup is."""

    def __init__(self):
        super().__init__()
        self.setTitle("Import finished")
        self.setFinalPage(True)
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("What was imported")
        self.warnings = QLabel(self)
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("Warnings")
        self.warnings.setStyleSheet(style_for("warning", bold=False))
        self.backup = QLabel(self)
        self.backup.setWordWrap(True)
        self.backup.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup.setAccessibleName("Backup made before the import")
        self.open_backups = QPushButton("Open the &backups folder", self)
        self.open_backups.setAccessibleName("Open the folder holding the backup")
        self.open_backups.clicked.connect(self.open_backup_folder)
        font = QFont(self.counts.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.counts.setFont(font)
        row = QHBoxLayout()
        row.addWidget(self.open_backups)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.warnings)
        layout.addWidget(self.backup)
        layout.addLayout(row)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        summary, source = self.wizard().summary, self.wizard().source
        name = source.path.name if source else "the file"
        self.setSubTitle(f"The data of {name} is in the store.")
        kept = (f" For {summary.kept_mine} conflict(s) your version was kept."
                if summary.kept_mine else "")
        self.counts.setText(f"Added {summary.added}, changed {summary.changed} and removed "
                            f"{summary.removed} record(s).{kept}")
        self.warnings.setVisible(bool(summary.warnings))
        self.warnings.setText("Warnings:\n" + "\n".join(f"• {w}" for w in summary.warnings))
        if summary.backup is not None:
            self.backup.setText(f"The store as it was before the import is backed up as "
                                f"{summary.backup.name} in {summary.backup.parent}.")
        self.open_backups.setVisible(summary.backup is not None)
        # Enter finishes: the open-backups button must not take the default
        self.open_backups.setAutoDefault(False)
        finish = self.wizard().button(QWizard.WizardButton.FinishButton)
        if isinstance(finish, QPushButton):
            finish.setDefault(True)
        finish.setFocus()

    def backup_folder(self) -> Path | None:
        summary = self.wizard().summary
        return summary.backup.parent if summary and summary.backup else None

    def open_backup_folder(self) -> bool:
        folder = self.backup_folder()
        return folder is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

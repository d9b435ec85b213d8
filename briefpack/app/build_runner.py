"""The Build menu's work: start a build in a worker, show its progress in the status bar,
list what it wrote; open the output folder; print the brief or the last pack."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton

from ..errors import BriefpackError
from ..options import BuildOptions
from . import build_dialog, dialogs, domain
from .build_progress import BAR_STEPS, bar_format, share_done, status_text
from .build_worker import Worker
from .host import Host


class BuildRunner:
    """One build at a time: its worker, the progress bar and Cancel button it shows, and
    the files it wrote."""

    def __init__(self, host: Host, message: QLabel):
        self.host = host
        #: the status bar's message label (its width decides how much of a step is shown)
        self.message = message
        parent = host.window()
        self.worker: Worker | None = None
        self.last_build: list[Path] = []
        self.warnings: list[str] = []
        #: actions that start a build (off while one runs) and the one that cancels it
        self.start_actions: list[QAction] = []
        self.cancel_action: QAction | None = None
        self.progress = QProgressBar(parent)
        self.progress.setAccessibleName("Build progress")
        self.progress.setMaximumWidth(260)
        # wide enough that the fill shows a long render moving, and "84% — 12 s" fits
        self.progress.setMinimumWidth(self.progress.fontMetrics().horizontalAdvance(
            "100% — 999 s") + 24)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", parent)
        self.cancel_button.setAccessibleName("Cancel the build")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        #: the step under way: (step, total, what it says, when it began)
        self._step: tuple | None = None
        #: its latest report (how far it has got, e.g. the page being laid out)
        self._step_report: Any = None
        self._step_timer = QTimer(parent, interval=1000)
        self._step_timer.timeout.connect(self._step_tick)

    def bind_actions(self, start: list[QAction], cancel: QAction) -> None:
        self.start_actions, self.cancel_action = start, cancel
        cancel.setEnabled(False)

    def _set_running(self, running: bool) -> None:
        for action in self.start_actions:
            action.setEnabled(not running)
        if self.cancel_action is not None:
            self.cancel_action.setEnabled(running)

    # -- the options: remembered per visit ---------------------------------------------------

    def choices_key(self) -> str:
        """Where this visit's build choices are kept (briefs outside a visit share one)."""
        visit_id = self.host.planner.visit_id
        return f"{self.host.store_key()}/build/" + (f"visit-{visit_id}" if visit_id
                                                     else "no-visit")

    def remembered(self) -> BuildOptions:
        """The choices kept for this visit, over the defaults (the settings' folder and
        author)."""
        settings = self.host.settings
        base = BuildOptions(out_dir=Path(settings.output_folder), author=self.host.author)
        return build_dialog.from_text(settings.value(self.choices_key()), base)

    def current_options(self, *, preview: bool = False) -> BuildOptions:
        """The kept choices with the Visit tab's formats, redaction and annex (its quick
        controls); BuildError when no format is ticked."""
        quick = self.host.planner.build_options(preview=preview)
        return dataclasses.replace(self.remembered(), formats=quick.formats,
                                   redact_personal=quick.redact_personal,
                                   sensitive_annex=quick.sensitive_annex,
                                   score_annex=quick.score_annex)

    def remember(self, options: BuildOptions) -> None:
        self.host.settings.set_value(self.choices_key(), build_dialog.to_text(options))

    def show_choices(self) -> None:
        """The Visit tab's quick controls follow the choices kept for the visit shown."""
        options, planner = self.remembered(), self.host.planner
        for key, box in planner.format_boxes.items():
            box.setChecked(key in options.formats)
        planner.redact.setChecked(options.redact_personal)
        planner.annex.setChecked(options.sensitive_annex)
        planner.scores.setChecked(options.score_annex)

    def choose_options(self) -> None:
        """Build → Build options: every option, kept for this visit; build from there."""
        host = self.host
        try:
            options = self.current_options()
        except BriefpackError:
            options = self.remembered()
        templates = [host.planner.template.itemText(i)
                     for i in range(host.planner.template.count())]
        dialog = build_dialog.BuildDialog(
            options, templates, host.window(),
            visit_template=host.planner.template.currentText() or "standard",
            pack_possible=bool(host.planner.draft().countries))
        answer = dialog.exec()
        if dialog.chosen is None or answer == QDialog.DialogCode.Rejected:
            return
        self.remember(dialog.chosen)
        self.show_choices()
        host.show_message("Build options kept for this visit.")
        if answer in (dialog.BUILD_BRIEF, dialog.BUILD_PACK):
            self.build(pack=answer == dialog.BUILD_PACK)

    # -- starting -------------------------------------------------------------------------

    def build_brief(self) -> None:
        self.build(pack=False)

    def build_pack(self) -> None:
        self.build(pack=True)

    def build(self, *, pack: bool) -> None:
        host = self.host
        if self.worker is not None:
            host.show_message("A build is already running.")
            return
        if not host.settle_country_edits():
            return
        country_file, visit = host.focus()
        draft = host.planner.draft()
        if pack:
            if not draft.countries:
                dialogs.show_error(host.window(), "Nothing to build",
                                   "A pack needs a visit with at least one country: plan the "
                                   "visit first (Ctrl+N).")
                return
            visit, codes = draft, draft.countries
        else:
            if country_file is None:
                dialogs.show_error(host.window(), "Nothing to build", "Pick a country first.")
                return
            codes = (country_file.country.code,)
        try:
            options = self.current_options()
        except BriefpackError as exc:
            dialogs.show_error(host.window(), "Cannot build", str(exc))
            return
        self.remember(options)
        request = domain.BuildRequest(
            store_path=host.store.path, countries=codes, visit=visit, pack=pack,
            options=options, priorities_path=host.priorities_path)
        self.start(request)

    def start(self, request: domain.BuildRequest) -> Worker:
        self.progress.reset()
        self.progress.setRange(0, 0)
        self.progress.setFormat("Starting…")
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self._set_running(True)
        what = "pack" if request.pack else "brief"
        self.warnings = []
        self.host.show_message(f"Building the {what}… (Esc cancels)")
        self.worker = self.host.jobs.start(
            lambda: domain.build(request), name="build", on_step=self._progress,
            on_finished=self._finished, on_failed=self._failed,
            on_cancelled=self._cancelled, on_warning=self._warned)
        return self.worker

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            if self.cancel_action is not None:
                self.cancel_action.setEnabled(False)
            self.host.show_message("Cancelling the build…")

    # -- while it runs ----------------------------------------------------------------------

    def _progress(self, progress: Any) -> None:
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
        if self.worker is None or self._step is None:
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
        self.host.show_message(status_text(self.message.fontMetrics(), self.message.width(),
                                           message, detail, suffix))

    def _warned(self, warning: str) -> None:
        warning = domain.in_app_words(warning)
        if warning not in self.warnings:
            self.warnings.append(warning)

    # -- when it ends -----------------------------------------------------------------------

    def _ended(self) -> None:
        self._step_timer.stop()
        self._step = self._step_report = None
        self.worker = None
        self.progress.hide()
        self.cancel_button.hide()
        self._set_running(False)

    def _finished(self, result: Any) -> None:
        self._ended()
        settings = self.host.settings
        self.last_build = [Path(p) for p in domain.output_paths(result)]
        for warning in domain.build_warnings(result):
            self._warned(warning)
        for path in reversed(self.last_build):
            settings.add_recent("builds", str(path))
        pack = domain.pack_pdf(result)
        if pack is not None:
            settings.set_value("build/last_pack", str(pack))
        warned = f" {len(self.warnings)} warning(s): see the list." if self.warnings else ""
        self.host.show_message(
            f"Build finished: {len(self.last_build)} files written.{warned}")
        if not self.last_build:
            return
        dialog = dialogs.BuildDoneDialog(self.last_build, self.host.window(),
                                         warnings=self.warnings)
        answer = dialog.exec()
        chosen = dialog.selected()
        if answer == dialogs.BuildDoneDialog.OPEN_FILE and chosen is not None:
            self.open_path(chosen)
        elif answer == dialogs.BuildDoneDialog.OPEN_FOLDER:
            self.open_path(self.last_build[0].parent)

    def _failed(self, message: str) -> None:
        self._ended()
        self.host.show_message("The build failed.")
        dialogs.show_error(self.host.window(), "The build failed",
                           domain.in_app_words(message))

    def _cancelled(self) -> None:
        self._ended()
        self.host.show_message("Build cancelled.")

    # -- what was built ---------------------------------------------------------------------

    def open_path(self, path: Path) -> None:
        if not path.exists():
            dialogs.show_error(self.host.window(), "Cannot open", f"{path} is no longer there.")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            dialogs.show_error(self.host.window(), "Cannot open",
                               f"No application opened {path}.")

    def open_output_folder(self) -> None:
        folder = Path(self.host.settings.output_folder)
        if not folder.exists():
            dialogs.show_error(self.host.window(), "Cannot open the output folder",
                               f"{folder} does not exist yet: it is made by the first build. "
                               "Choose another folder in Settings (Ctrl+,) if you like.")
            return
        self.open_path(folder)

    def recent_builds(self) -> list[tuple[str, str, Any]]:
        """The Recent builds menu's items: (text, tip, slot)."""
        return [(Path(p).name, p, lambda _=False, p=p: self.open_path(Path(p)))
                for p in self.host.settings.recent("builds") if Path(p).exists()]

    def print_brief(self) -> None:
        preview = self.host.preview
        if preview.pdf_path is None:
            dialogs.show_error(self.host.window(), "Nothing to print yet",
                               "The preview is not ready: pick a country and wait for the "
                               "preview to appear, then print again.")
            return
        preview.print_dialog()

    def last_pack(self) -> Path | None:
        """The PDF of the last pack built (as the build said), if it is still there."""
        text = self.host.settings.value("build/last_pack")
        return Path(text) if text and Path(text).exists() else None

    def print_pack(self) -> None:
        pack = self.last_pack()
        if pack is None:
            dialogs.show_error(self.host.window(), "No pack to print yet",
                               "Build the pack first (Build → Build pack, Ctrl+Shift+B); its "
                               "PDF is printed from here.")
            return
        self.host.preview.print_dialog(pack, pack.stem)

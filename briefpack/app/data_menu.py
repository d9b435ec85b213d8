"""The Data menu: what the CLI does to the store, in the app (import and export packets,
backups, audit history, review due, ranking, markings, judgements, the readout)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QMessageBox

from .. import model
from ..errors import BriefpackError
from . import dialogs, domain
from .data_dialogs import (
    BackupsDialog, HistoryDialog, JudgementDialog, MarkingDialog, PacketSaveDialog, RankDialog,
    ReviewDueDialog, rank_rows,
)
from .host import TAB_COUNTRY, Host
from .record_table import RecordTable


class DataMenu:
    """Each entry asks (a dialog), then calls the domain, in a worker when it is slow."""

    def __init__(self, host: Host):
        self.host = host
        self.import_wizard: Any = None
        self.rank_dialog: RankDialog | None = None

    def _error(self, title: str, message: str) -> None:
        dialogs.show_error(self.host.window(), title, message)

    def disk_store(self, what: str) -> Path | None:
        """The store's file, or None (having said why) for an in-memory store."""
        if self.host.store.path is None:
            self._error(f"Cannot {what}", "This needs a store saved on disk: open one with "
                        "File → Open store.")
        return self.host.store.path

    def country_in_view(self, what: str) -> model.Country | None:
        country_file = self.host.country_view.country_file
        if country_file is None:
            self._error(f"Cannot {what}", "Pick a country from the list first.")
            return None
        return country_file.country

    # -- packets ------------------------------------------------------------------------------

    def import_data(self) -> Any:
        """Open the import wizard; the views are refreshed once it has changed the store."""
        host = self.host
        if host.store.path is None:
            self._error("Cannot import", "Importing needs a store saved on disk (it is backed "
                        "up first): open one with File → Open store.")
            return None
        if not host.settle_country_edits():
            return None
        from .import_wizard import ImportWizard  # loads the import machinery when first used

        wizard = ImportWizard(host.store.path, host.countries, host.jobs, user=host.author,
                              parent=host.window())
        wizard.imported.connect(self._data_imported)
        wizard.finished.connect(wizard.deleteLater)
        self.import_wizard = wizard
        wizard.open()
        return wizard

    def _data_imported(self, summary: Any) -> None:
        host = self.host
        current = host.country_view.country_file
        if current is not None:
            host.reload_country(current.country.code)
        host.load_store_contents()  # scores, currency, scorecard and preview follow
        host.show_message(f"Imported: {summary.added} added, {summary.changed} changed, "
                          f"{summary.removed} removed.")

    def export_packet(self) -> None:
        country = self.country_in_view("export the packet")
        if country is None or self.disk_store("export the packet") is None:
            return
        if not self.host.settle_country_edits():
            return
        suggested = Path(self.host.settings.output_folder) / f"{country.code}-packet.yaml"
        dialog = PacketSaveDialog(self.host.window(), f"Export {country.name}'s packet",
                                  suggested)
        target = dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
        if target is not None:
            self.export_packet_to(country.code, target)

    def export_packet_to(self, code: str, target: Path):
        path, user = self.disk_store("export the packet"), self.host.author
        if path is None:
            return None
        self.host.show_message(f"Writing {target.name}…")
        return self.host.jobs.start(
            lambda: domain.export_packet(path, code, target, user=user), name="export",
            on_finished=lambda written: self.host.show_message(
                f"Exported the packet to {written}. Send it to the defence section; import "
                "it back with Data → Import packet."),
            on_failed=lambda message: self._error("Cannot export the packet", message))

    # -- backups ------------------------------------------------------------------------------

    def show_backups(self) -> None:
        path = self.disk_store("list backups")
        if path is None:
            return
        rows = [{"name": b.path.name, "made": b.made.isoformat(" ", "seconds"),
                 "size_kb": b.size_kb} for b in domain.backups(path)]
        dialog = BackupsDialog(rows, self.host.window())
        answer = dialog.exec()
        chosen = dialog.chosen()
        if answer == BackupsDialog.RESTORE and chosen:
            self.restore_backup(chosen)
        elif answer == BackupsDialog.BACK_UP:
            self.host.jobs.start(lambda: domain.back_up_now(path), name="backup",
                                 on_finished=lambda made: self.host.show_message(
                                     f"Backed up the store as {Path(made).name}."),
                                 on_failed=lambda m: self._error("Cannot back up", m))

    def restore_backup(self, name: str, *, confirm: bool = True):
        host = self.host
        if not host.settle_unsaved():
            return None
        if confirm and QMessageBox.question(
                host.window(), "Restore the backup?",
                f"Put {name} back? The store as it is now is backed up first, and the audit "
                "history is kept.") != QMessageBox.StandardButton.Yes:
            return None
        path, user = self.disk_store("restore a backup"), host.author
        if path is None:
            return None
        host.show_message(f"Restoring {name}…")
        return host.jobs.start(lambda: domain.restore_backup(path, name, user=user),
                               name="restore", on_finished=self._restored,
                               on_failed=lambda m: self._error("Cannot restore", m))

    def _restored(self, safety: Any) -> None:
        host = self.host
        shown = host.country_view.country_file
        host.reload_store()
        if shown is not None:  # the same country again, as the backup has it
            host.browser.select(shown.country.code)
        host.show_message(f"Restored. The store as it was is kept as {Path(safety).name}.")

    # -- reading the store ----------------------------------------------------------------------

    def show_history(self) -> None:
        country = self.country_in_view("show the history")
        if country is not None:
            HistoryDialog(f"{country.name} ({country.code})",
                          domain.history(self.host.store, country.code),
                          self.host.window()).exec()

    def show_review_due(self) -> None:
        today = dt.date.today()
        dialog = ReviewDueDialog(domain.review_due(self.host.store, today), today.isoformat(),
                                 self.host.window())
        row = dialog.chosen() if dialog.exec() == ReviewDueDialog.SHOW else None
        if row:
            self.show_record(row["country"], row["table"], row["id"])

    def show_record(self, code: str, table: str, record_id: Any) -> None:
        """Show a country with one record selected (review due, ranking)."""
        host = self.host
        host.browser.select(code)
        host.centre.setCurrentIndex(TAB_COUNTRY)
        if table in host.country_view.tables:
            widget = host.country_view.tables[table]
            host.country_view.tabs.setCurrentWidget(widget)
            for row, record in enumerate(widget.table.records()):
                if getattr(record, "id", None) == record_id:
                    widget.view.setCurrentIndex(widget.table.index(row, 0))
                    widget.view.setFocus()

    def show_rank(self) -> None:
        path, priorities = self.disk_store("rank the countries"), self.host.priorities_path
        if path is None:
            return
        self.host.show_message("Ranking every country…")
        self.host.jobs.start(lambda: domain.rank_all(path, priorities), name="rank",
                             on_finished=self._ranked,
                             on_failed=lambda m: self._error("Cannot rank the countries", m))

    def _ranked(self, cards: list) -> None:
        self.host.show_message(f"Ranked {len(cards)} countries.")
        dialog = RankDialog(rank_rows(cards), self.host.window())
        self.rank_dialog = dialog
        row = dialog.chosen() if dialog.exec() == RankDialog.SHOW else None
        if row:
            self.host.browser.select(row["code"])

    def show_plan(self) -> None:
        path, priorities = self.disk_store("plan where to go next"), self.host.priorities_path
        if path is None:
            return
        self.host.show_message("Working out where to go next…")
        self.host.jobs.start(lambda: domain.plan_all(path, priorities), name="plan",
                             on_finished=self._planned,
                             on_failed=lambda m: self._error("Cannot plan", m))

    def _planned(self, plan: Any) -> None:
        from .plan_view import PlanDialog

        self.host.show_message(f"{len(plan.overdue)} country(ies) overdue a visit.")
        self.plan_dialog = PlanDialog(plan, self.host.window())
        self.plan_dialog.exec()

    def declare_complete(self) -> None:
        """Which of the country's sections its data's owner holds in full (audited)."""
        from .scorecard_panel import CompletenessDialog

        host = self.host
        country = self.country_in_view("declare its sections complete")
        if country is None:
            return
        dialog = CompletenessDialog(country.name, domain.completeness(host.store, country.code),
                                    host.window())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            domain.declare_complete(host.store, country.code, dialog.values(),
                                    user=host.author)
        except BriefpackError as exc:
            self._error("Cannot declare the sections complete", str(exc))
            return
        host.reload_country(country.code)
        host.data_changed()
        host.show_message(f"{country.name}: sections declared complete saved.")

    # -- judgements and markings ------------------------------------------------------------------

    def set_marking(self, table: RecordTable | None) -> None:
        """The selected record's marking in ``table`` (an undoable edit), else the
        country's own."""
        host = self.host
        if table is not None and table.view.currentIndex().isValid() \
                and any(f.kind == "marking" for f in table.table.FIELDS):
            row = table.view.currentIndex().row()
            column = next(i for i, f in enumerate(table.table.FIELDS) if f.kind == "marking")
            record = table.table.record(row)
            dialog = MarkingDialog(f"{table.table.NOUN} {row + 1}", record.marking,
                                   host.window())
            if dialog.exec() == QDialog.DialogCode.Accepted:
                table.table.setData(table.table.index(row, column), dialog.value())
            return
        country = self.country_in_view("set a marking")
        if country is None:
            return
        dialog = MarkingDialog(f"{country.name}'s country record", country.marking,
                               host.window())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            domain.set_country_marking(host.store, country.code, dialog.value(),
                                       user=host.author)
        except BriefpackError as exc:
            self._error("Cannot set the marking", str(exc))
            return
        host.reload_country(country.code)
        host.data_changed()
        host.show_message(f"{country.name}'s record is now marked {dialog.value()}.")

    def set_judgements(self) -> None:
        """The country's priority tier and defence section: the user's to set, audited."""
        host = self.host
        country = self.country_in_view("set its judgements")
        if country is None:
            return
        dialog = JudgementDialog(country.name, country.priority_tier, country.defence_section,
                                 host.window())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            domain.set_judgements(host.store, country.code, dialog.values(), user=host.author,
                                  loaded=country)
        except BriefpackError as exc:
            self._error("Cannot set the judgements", str(exc))
            return
        host.reload_country(country.code)
        host.data_changed()
        host.show_message(f"{country.name}'s judgements saved.")

    # -- the readout ----------------------------------------------------------------------------

    def apply_readout(self):
        """Save the visit, then write its readout into the store (backed up first)."""
        host = self.host
        path = self.disk_store("write the readout")
        if path is None:
            return None
        visit = host.planner.draft()
        if not (visit.outcomes or visit.actions):
            self._error("No readout to write",
                        "Record the visit's outcomes or agreed actions on the planner's "
                        "Readout tab first.")
            return None
        if host.planner.dirty and not host.visits.save():
            return None
        visit, user = host.planner.draft(), host.author
        host.show_message("Writing the readout to the store…")
        return host.jobs.start(lambda: domain.apply_readout(path, visit, user=user),
                               name="readout", on_finished=self._readout_written,
                               on_failed=lambda m: self._error("Cannot write the readout", m))

    def _readout_written(self, result: Any) -> None:
        host = self.host
        code = host.country_view.country_file and host.country_view.country_file.country.code
        if code:
            host.reload_country(code)
        host.data_changed()
        host.show_message(f"Readout written: {result.summary()}.")

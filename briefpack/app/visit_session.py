"""The visit's life in the window: new, open, duplicate, rename, delete, import, export and
save, asking before unsaved changes are lost; the Recent visits menu."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from .. import model, paths
from ..errors import BriefpackError
from . import dialogs, domain, save_conflicts
from .host import TAB_VISIT, Host


class VisitSession:
    """The visit the planner shows, and its round trips to the store and to files."""

    def __init__(self, host: Host):
        self.host = host

    @property
    def recent_key(self) -> str:
        return self.host.store_key() + "-visits"

    def new(self) -> None:
        host = self.host
        if not self.settle():
            return
        host.planner.new_visit(host.browser.selected_code())
        host.builds.show_choices()
        host.centre.setCurrentIndex(TAB_VISIT)
        host.planner.tabs.setCurrentIndex(0)
        host.planner.title.setFocus()

    def open(self) -> None:
        if not self.settle():
            return
        chosen = dialogs.OpenVisitDialog.choose(self.host.window(),
                                                domain.visits(self.host.store))
        while chosen is not None:
            action, visit_id, title = chosen
            if action == dialogs.OpenVisitDialog.OPEN:
                self.open_id(visit_id)
                return
            self.manage(action, visit_id, title)
            chosen = dialogs.OpenVisitDialog.choose(self.host.window(),
                                                    domain.visits(self.host.store))

    def manage(self, action: str, visit_id: int, title: str = "") -> None:
        """Duplicate, rename or delete a saved visit (the one open follows along)."""
        host, planner = self.host, self.host.planner
        user = host.author
        try:
            if action == dialogs.OpenVisitDialog.DUPLICATE:
                copy = domain.duplicate_visit(host.store, visit_id, user=user)
                host.show_message(f"Copied the visit as “{copy.title}”.")
            elif action == dialogs.OpenVisitDialog.RENAME:
                renamed = domain.rename_visit(host.store, visit_id, title, user=user)
                if planner.visit_id == visit_id:
                    planner.title.setText(renamed.title)
                    planner.mark_saved(renamed)
                host.show_message(f"Renamed the visit “{renamed.title}”.")
            elif action == dialogs.OpenVisitDialog.DELETE:
                domain.delete_visit(host.store, visit_id, user=user)
                host.settings.forget_recent(self.recent_key, str(visit_id))
                if planner.visit_id == visit_id:
                    planner.new_visit()
                host.show_message("Deleted the visit.")
        except BriefpackError as exc:
            dialogs.show_error(host.window(), "Cannot change the visit", str(exc))

    def open_id(self, visit_id: int) -> bool:
        if not self.settle():
            return False
        try:
            visit = domain.visit(self.host.store, visit_id)
        except BriefpackError as exc:
            dialogs.show_error(self.host.window(), "Cannot open the visit", str(exc))
            return False
        self.show(visit)
        self.host.settings.add_recent(self.recent_key, str(visit_id))
        return True

    def show(self, visit: model.Visit) -> None:
        host = self.host
        host.planner.load_visit(visit)
        host.builds.show_choices()  # the build options kept for this visit
        host.centre.setCurrentIndex(TAB_VISIT)
        if visit.countries:
            host.browser.select(visit.countries[0])
        host.update_title()

    def reopen(self, visit_id: str) -> None:
        """The visit the user left this store on, if it is still saved."""
        if visit_id.isdigit() and any(v.id == int(visit_id)
                                      for v in domain.visits(self.host.store)):
            self.show(domain.visit(self.host.store, int(visit_id)))

    def settle(self) -> bool:
        """True when the visit has no unsaved changes left (saved or discarded)."""
        if not self.host.planner.dirty:
            return True
        answer = dialogs.ask_unsaved(self.host.window(), "The visit")
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def save(self) -> bool:
        host = self.host
        try:
            visit = host.planner.visit()
        except ValueError as exc:
            dialogs.show_error(host.window(), "The visit is not complete", str(exc))
            host.centre.setCurrentIndex(TAB_VISIT)
            return False
        planner = host.planner
        names = {c.code: c.name for c in domain.countries(host.store)}
        try:  # a change set against the visit as loaded: another window's edits are kept
            saved, outcome = save_conflicts.save_visit(
                host.store, planner.loaded, visit, user=host.author,
                ask=save_conflicts.ask_in_dialog(host.window(), names))
        except Exception as exc:  # noqa: BLE001 - any failure is shown; the edits stay
            dialogs.show_error(host.window(), "Cannot save the visit", str(exc))
            return False
        if outcome.unsettled:
            planner.keep_unsaved(saved, {c.field: (c.loaded, c.mine)
                                         for c in outcome.unsettled if c.kind == "changed"})
        elif _unstamped(saved) == _unstamped(planner.draft()):
            planner.mark_saved(saved)
        else:  # changed elsewhere too: show the visit as now stored
            planner.load_visit(saved)
        host.settings.add_recent(self.recent_key, str(saved.id))
        host.update_title()
        host.show_message(" ".join(filter(None, (f"Saved the visit “{saved.title}”.",
                                                outcome.message()))))
        return not outcome.unsettled

    # -- files --------------------------------------------------------------------------------

    def import_visit(self) -> None:
        if not self.settle():
            return
        name, _ = QFileDialog.getOpenFileName(self.host.window(), "Import a visit",
                                              str(Path.home()),
                                              "Visit files (*.yaml *.yml);;All files (*)")
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        host = self.host
        priorities: Any = host.priorities
        keys = [o.key for o in priorities.objectives] if priorities else None
        try:
            visit = domain.load_visit(path, host.store, keys)
        except BriefpackError as exc:
            dialogs.show_error(host.window(), "Cannot import the visit", str(exc))
            return
        except (ValueError, OSError) as exc:  # e.g. a date YAML itself cannot read
            dialogs.show_error(host.window(), "Cannot import the visit", f"{path}: {exc}")
            return
        stored = ""
        if visit.people:  # the planner names people by their records: store them now
            count = len(visit.people)
            try:
                visit = domain.store_people(host.store, visit, user=host.author)
            except BriefpackError as exc:
                dialogs.show_error(host.window(), "Cannot import the visit's people", str(exc))
                return
            stored = f" ({count} {'person' if count == 1 else 'people'} stored as interlocutors)"
        self.show(visit)
        host.planner.dirty = True
        host.show_message(f"Imported {path.name}{stored}; save it to keep it in the store.")

    def export_visit(self) -> None:
        try:
            visit = self.host.planner.visit()
        except ValueError as exc:
            dialogs.show_error(self.host.window(), "The visit is not complete", str(exc))
            return
        suggested = Path(self.host.settings.output_folder) / f"{_slug(visit.title)}.yaml"
        name, _ = QFileDialog.getSaveFileName(self.host.window(), "Export the visit",
                                              str(suggested), "Visit files (*.yaml)")
        if name:
            self.export_file(visit, Path(name))

    def export_file(self, visit: model.Visit, path: Path) -> None:
        try:
            text = domain.dump_visit(visit, self.host.store)
            paths.check_output(path)  # never the store, its -wal or -shm, a backup, a device
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except (BriefpackError, OSError) as exc:
            dialogs.show_error(self.host.window(), "Cannot export the visit", str(exc))
            return
        self.host.show_message(f"Exported the visit to {path}.")

    def recent_visits(self) -> list[tuple[str, str, Any]]:
        """The Recent visits menu's items: (text, tip, slot)."""
        saved = {str(v.id): v for v in domain.visits(self.host.store)}
        return [(saved[i].title, f"{saved[i].start:%Y-%m-%d}, " + ", ".join(saved[i].countries),
                 lambda _=False, i=i: self.open_id(int(i)))
                for i in self.host.settings.recent(self.recent_key) if i in saved]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "visit"


def _unstamped(visit: model.Visit) -> model.Visit:
    return dataclasses.replace(visit, updated_at="", updated_by="")

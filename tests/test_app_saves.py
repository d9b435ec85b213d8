"""Issue 20 (data lost), in the window: Ctrl+S saves a readout action with a due date; a
save that fails shows its error and keeps the window and the edits; a save never reverts
what another process (the CLI's import, judge, mark) or another window changed meanwhile,
and a field changed on both sides is settled by the user."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from briefpack import model  # noqa: E402
from briefpack.app import dialogs, domain, save_conflicts  # noqa: E402
from briefpack.app.main_window import MainWindow  # noqa: E402
from briefpack.app.settings import AppSettings  # noqa: E402
from briefpack.app.table_models import AgreementsModel  # noqa: E402
from briefpack.store import Store  # noqa: E402

from fixtures_app import errors, store_path  # noqa: E402,F401  (fixtures)

WAIT_MS = 20000
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def window(qtbot, store_path, tmp_path, errors):
    store = Store.open(store_path)
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.output_folder = tmp_path / "out"
    settings.author = "Jo Bloggs"
    win = MainWindow(store, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.priorities is not None, timeout=WAIT_MS)
    yield win
    win.jobs.wait()


def pick(qtbot, win: MainWindow, code: str) -> None:
    assert win.browser.select(code)
    qtbot.waitUntil(lambda: win.country_view.country_file is not None
                    and win.country_view.country_file.country.code == code, timeout=WAIT_MS)


def run_cli(db: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "briefpack", "--db", str(db), *args], capture_output=True,
        text=True, encoding="utf-8", cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BRIEFPACK_USER": "other.process",
             "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr


def _visit_with_a_due_action(qtbot, window) -> None:
    pick(qtbot, window, "NOR")
    window.new_visit_action.trigger()
    planner = window.planner
    qtbot.keyClicks(planner.title, "Readout test visit")
    qtbot.keyClicks(planner.principal, "Minister for the Armed Forces")
    planner.readout_actions.add_row(model.ReadoutAction(
        "Send the work plan", owner="Private Office", due=dt.date(2027, 1, 15)))


def test_ctrl_s_saves_a_readout_action_with_a_due_date(qtbot, window, errors, store_path):
    _visit_with_a_due_action(qtbot, window)
    window.save_action.trigger()
    assert errors == []
    assert not window.planner.dirty
    reader = Store.open(store_path, create=False)
    [action] = reader.visit(window.planner.visit_id).actions
    assert action.due == dt.date(2027, 1, 15)
    reader.close()


def _failing(*args, **kwargs):
    raise TypeError("Object of type date is not JSON serializable")


def test_a_failing_save_shows_its_error_and_keeps_the_edits(qtbot, window, errors,
                                                           monkeypatch):
    _visit_with_a_due_action(qtbot, window)
    monkeypatch.setattr(domain, "save_changes", _failing)
    window.save_action.trigger()
    assert errors and "not JSON serializable" in errors[-1][1]
    assert window.planner.dirty
    assert window.planner.readout_actions.record(0).due == dt.date(2027, 1, 15)


def test_quit_then_save_that_fails_keeps_the_window_open(qtbot, window, errors,
                                                        monkeypatch):
    _visit_with_a_due_action(qtbot, window)
    agreements = window.country_view.models["agreements"]
    assert agreements.setData(agreements.index(0, AgreementsModel.COL_JOBS), "77")
    monkeypatch.setattr(domain, "save_changes", _failing)
    monkeypatch.setattr(dialogs, "ask_unsaved",
                        lambda parent, what: QMessageBox.StandardButton.Save)
    assert not window.close()
    assert window.isVisible()
    assert errors and "not JSON serializable" in errors[-1][1]
    assert window.planner.dirty and window.country_view.has_pending()
    assert agreements.record(0).jobs == 77


def test_a_marking_and_an_import_made_meanwhile_are_not_reverted_by_a_save(
        qtbot, window, errors, store_path, tmp_path):
    pick(qtbot, window, "FRA")
    agreements = window.country_view.models["agreements"]
    first, second = agreements.record(0), agreements.record(1)
    # another process marks the first record and imports a packet changing the second
    run_cli(store_path, "mark", "agreements", str(first.id), "OFFICIAL-SENSITIVE")
    packet = tmp_path / "fra.yaml"
    run_cli(store_path, "export", "FRA", "--out", str(packet))
    import yaml

    from briefpack.store.packets import _dump, checksum

    data = yaml.safe_load(packet.read_text(encoding="utf-8"))
    for item in data["sections"]["agreements"]:
        if item["id"] == second.id:
            item["status"] = "expired"
    data["checksum"] = checksum(data)
    packet.write_text(_dump(data), encoding="utf-8")
    run_cli(store_path, "import", str(packet))

    # the window, still showing what it loaded, edits another field of each
    assert agreements.setData(agreements.index(0, AgreementsModel.COL_JOBS), "120")
    assert agreements.setData(agreements.index(1, AgreementsModel.COL_JOBS), "80")
    window.save_action.trigger()
    assert errors == []
    reader = Store.open(store_path, create=False)
    now = {a.id: a for a in reader.records("agreements", "FRA")}
    assert (now[first.id].marking, now[first.id].jobs) == ("OFFICIAL-SENSITIVE", 120)
    assert (now[second.id].status, now[second.id].jobs) == ("expired", 80)
    mine = [(e["record_id"], e["field"]) for e in reader.audit_log(table="agreements")
            if e["user"] == "Jo Bloggs"]
    assert sorted(mine) == sorted([(str(first.id), "jobs"), (str(second.id), "jobs")])
    reader.close()
    # and the window now shows the store's values, nothing pending
    assert not window.country_view.has_pending()
    assert agreements.record(0).marking == "OFFICIAL-SENSITIVE"


def test_a_field_changed_on_both_sides_is_settled_by_the_user(qtbot, window, errors,
                                                             store_path, monkeypatch):
    pick(qtbot, window, "FRA")
    agreements = window.country_view.models["agreements"]
    first = agreements.record(0)
    other = Store.open(store_path, create=False)
    other.save(dataclasses.replace(other.get("agreements", first.id), jobs=999,
                                   commits="Theirs"), user="other.window")
    other.close()
    asked = []

    def ask(parent, names):
        def choose(conflicts):
            asked.append([(c.field, c.mine, c.theirs) for c in conflicts])
            return {c.conflict_key: ("mine" if c.field == "jobs" else "theirs")
                    for c in conflicts}
        return choose

    monkeypatch.setattr(save_conflicts, "ask_in_dialog", ask)
    assert agreements.setData(agreements.index(0, AgreementsModel.COL_JOBS), "5")
    assert agreements.setData(agreements.index(0, AgreementsModel.COL_COMMITS), "Mine")
    window.save_action.trigger()
    assert errors == []
    assert sorted(asked[0]) == [("commits", "Mine", "Theirs"), ("jobs", 5, 999)]
    reader = Store.open(store_path, create=False)
    now = reader.get("agreements", first.id)
    assert (now.jobs, now.commits) == (5, "Theirs")
    reader.close()
    assert agreements.record(0).commits == "Theirs" and not window.country_view.has_pending()


def test_cancelling_the_conflicts_keeps_them_unsaved_in_the_window(qtbot, window, errors,
                                                                  store_path, monkeypatch):
    pick(qtbot, window, "FRA")
    agreements = window.country_view.models["agreements"]
    first = agreements.record(0)
    other = Store.open(store_path, create=False)
    other.save(dataclasses.replace(other.get("agreements", first.id), jobs=999),
               user="other.window")
    other.close()
    monkeypatch.setattr(save_conflicts, "ask_in_dialog",
                        lambda parent, names: (lambda conflicts: None))
    assert agreements.setData(agreements.index(0, AgreementsModel.COL_JOBS), "5")
    window.save_action.trigger()
    assert window.country_view.has_pending() and agreements.record(0).jobs == 5
    reader = Store.open(store_path, create=False)
    assert reader.get("agreements", first.id).jobs == 999
    reader.close()


def test_a_visit_saved_in_two_windows_keeps_both_windows_changes(qtbot, window, errors,
                                                                 store_path):
    _visit_with_a_due_action(qtbot, window)
    assert window.save()
    visit_id = window.planner.visit_id
    other = Store.open(store_path, create=False)  # a second window saves the same visit
    other.save_visit(dataclasses.replace(other.visit(visit_id), owning_team="Team two",
                                         purpose="Set in the other window"),
                     user="other.window")
    other.close()
    window.planner.title.setText("Readout test visit, renamed")
    window.planner.owning_team.setText("Team one")
    monkey = []
    save_conflicts.ask_in_dialog, saved_ask = (
        lambda parent, names: (lambda conflicts: monkey.append(conflicts) or {
            c.conflict_key: "theirs" for c in conflicts}),
        save_conflicts.ask_in_dialog)
    try:
        assert window.save()
    finally:
        save_conflicts.ask_in_dialog = saved_ask
    assert [(c.field, c.mine, c.theirs) for c in monkey[0]] == [
        ("owning_team", "Team one", "Team two")]
    reader = Store.open(store_path, create=False)
    now = reader.visit(visit_id)
    assert (now.title, now.purpose, now.owning_team) == (
        "Readout test visit, renamed", "Set in the other window", "Team two")
    assert now.actions[0].due == dt.date(2027, 1, 15)
    reader.close()
    assert window.planner.draft().purpose == "Set in the other window"
    assert not window.planner.dirty

"""Issue 20 (data lost): a save is a change set checked against the store in its write
transaction. A packet imported, a judgement or a marking made by another process between
a window's load and its save is never reverted by the save, nor logged as the user's edit;
a field changed on both sides is a conflict for the user."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
from pathlib import Path

import yaml

from briefpack import model
from briefpack.store import Store
from briefpack.store.changes import (
    FieldEdit, RecordEdit, apply_changes, record_edit,
)
from briefpack.store.packets import _dump, checksum, export_packet

ROOT = Path(__file__).resolve().parents[1]


def run_cli(db: Path, *args: str, user: str = "other.process") -> str:
    """The CLI in a real second process on the same store file."""
    done = subprocess.run(
        [sys.executable, "-m", "briefpack", "--db", str(db), *args],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BRIEFPACK_USER": user,
             "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def _edits(store: Store) -> list[tuple]:
    return [(e["user"], e["record_id"], e["field"], e["before"], e["after"])
            for e in store.audit_log() if e["action"] in ("edit", "mark", "judge")]


def test_a_marking_made_by_another_process_survives_a_save_of_another_field(seeded_db):
    window = Store.open(seeded_db, create=False)
    loaded = window.records("agreements", "NOR")[0]
    assert loaded.marking == "OFFICIAL"
    run_cli(seeded_db, "mark", "agreements", str(loaded.id), "OFFICIAL-SENSITIVE")

    mine = dataclasses.replace(loaded, commits="Edited in the window")
    edit = record_edit(loaded, mine)
    assert edit is not None and [e.field for e in edit.edits] == ["commits"]
    result = apply_changes(window, [edit], user="window.user")

    assert result.conflicts == []
    now = window.get("agreements", loaded.id)
    assert (now.marking, now.commits) == ("OFFICIAL-SENSITIVE", "Edited in the window")
    window_edits = [e for e in _edits(window) if e[0] == "window.user"]
    assert [(e[2], e[4]) for e in window_edits] == [("commits", "Edited in the window")]
    window.close()


def test_a_packet_imported_meanwhile_is_neither_reverted_nor_logged_as_the_users(
        seeded_db, tmp_path):
    window = Store.open(seeded_db, create=False)
    first, second = window.records("agreements", "FRA")[:2]

    data = yaml.safe_load(export_packet(window, "FRA"))
    by_id = {a["id"]: a for a in data["sections"]["agreements"]}
    by_id[first.id]["commits"] = "From the defence section"
    by_id[second.id]["commits"] = "Theirs too"
    data["checksum"] = checksum(data)
    packet = tmp_path / "fra.yaml"
    packet.write_text(_dump(data), encoding="utf-8")
    run_cli(seeded_db, "import", str(packet), user="defence.section")

    # the window, still showing what it loaded, edits another field of the first record
    # and the same field of the second
    edits = [record_edit(first, dataclasses.replace(first, kind="treaty")),
             record_edit(second, dataclasses.replace(second, commits="Mine"))]
    result = apply_changes(window, [e for e in edits if e], user="window.user")

    assert window.get("agreements", first.id).commits == "From the defence section"
    assert window.get("agreements", first.id).kind == "treaty"
    assert window.get("agreements", second.id).commits == "Theirs too"  # not overwritten
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.key, conflict.field) == ("changed", second.id, "commits")
    assert (conflict.loaded, conflict.mine, conflict.theirs) == (
        second.commits, "Mine", "Theirs too")
    mine = [e for e in _edits(window) if e[0] == "window.user"]
    assert [(e[1], e[2]) for e in mine] == [(str(first.id), "kind")]

    # keep mine: the change again, with the value now stored as the value loaded
    again = RecordEdit("agreements", second.id, (FieldEdit("commits", "Theirs too", "Mine"),))
    assert apply_changes(window, [again], user="window.user").conflicts == []
    assert window.get("agreements", second.id).commits == "Mine"
    window.close()


def test_a_judgement_made_meanwhile_is_not_reverted(seeded_db):
    window = Store.open(seeded_db, create=False)
    loaded = window.country("NOR")
    run_cli(seeded_db, "judge", "NOR", "--defence-section", "non-resident")
    mine = dataclasses.replace(loaded, priority_tier=2)
    result = apply_changes(window, [record_edit(loaded, mine)], user="window.user")
    assert result.conflicts == []
    now = window.country("NOR")
    assert (now.priority_tier, now.defence_section) == (2, "non-resident")
    window.close()


def test_records_deleted_or_changed_elsewhere_are_conflicts_not_resurrected(sample_store):
    store = sample_store
    gone, changed = store.records("agreements", "FRA")[:2]
    store.delete("agreements", gone.id, user="other")
    store.save(dataclasses.replace(changed, commits="Changed elsewhere"), user="other")
    result = apply_changes(store, [
        record_edit(gone, dataclasses.replace(gone, commits="Edited here")),
        record_edit(changed, None),  # deleted here
    ], user="me")
    kinds = sorted((c.kind, c.key) for c in result.conflicts)
    assert kinds == [("deleted", gone.id), ("removed", changed.id)]
    assert store.get("agreements", changed.id).commits == "Changed elsewhere"
    assert gone.id not in {a.id for a in store.records("agreements", "FRA")}


def test_a_visit_saved_from_two_windows_keeps_both_and_conflicts_on_the_same_field(
        sample_store):
    import datetime as dt

    visit = sample_store.save_visit(model.Visit(
        title="Two windows", principal="Minister", start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 3), countries=("NOR",)), user="setup")
    first, second = visit, sample_store.visit(visit.id)  # loaded in two windows
    one = apply_changes(sample_store, [record_edit(first, dataclasses.replace(
        first, purpose="Window one's purpose", owning_team="Team one"))], user="one")
    two = apply_changes(sample_store, [record_edit(second, dataclasses.replace(
        second, principal="Chief of the Defence Staff", owning_team="Team two"))],
        user="two")
    assert one.conflicts == []
    assert [(c.field, c.mine, c.theirs) for c in two.conflicts] == [
        ("owning_team", "Team two", "Team one")]
    now = sample_store.visit(visit.id)
    assert (now.purpose, now.principal, now.owning_team) == (
        "Window one's purpose", "Chief of the Defence Staff", "Team one")


def test_two_writers_at_once_never_overwrite_each_other_unseen(seeded_db):
    """Two stores on one file save the same field from the same load at the same moment:
    exactly one wins, the other gets a conflict naming the winner's value."""
    loaded = Store.open(seeded_db, create=False).records("agreements", "NOR")[0]
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def writer(name: str) -> None:
        store = Store.open(seeded_db, create=False)
        try:
            barrier.wait()
            results[name] = apply_changes(store, [record_edit(
                loaded, dataclasses.replace(loaded, commits=f"From {name}"))], user=name)
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    conflicts = {n: r.conflicts for n, r in results.items()}  # type: ignore[attr-defined]
    losers = [n for n, c in conflicts.items() if c]
    assert len(losers) == 1, conflicts
    winner = ({"alice", "bob"} - set(losers)).pop()
    assert conflicts[losers[0]][0].theirs == f"From {winner}"
    store = Store.open(seeded_db, create=False)
    assert store.get("agreements", loaded.id).commits == f"From {winner}"
    assert [e[0] for e in _edits(store)] == [winner]


def test_the_judgements_dialog_never_reverts_a_judge_made_meanwhile(seeded_db):
    import pytest

    from briefpack.app import domain
    from briefpack.store.changes import ChangedElsewhere

    window = Store.open(seeded_db, create=False)
    shown = window.country("NOR")  # the dialog opens with these values
    run_cli(seeded_db, "judge", "NOR", "--tier", "3")
    # the user changes only the defence section: the tier set meanwhile stays
    domain.set_judgements(window, "NOR", {"priority_tier": shown.priority_tier,
                                          "defence_section": "non-resident"},
                          user="window.user", loaded=shown)
    now = window.country("NOR")
    assert (now.priority_tier, now.defence_section) == (3, "non-resident")
    # the user changes the tier too: refused, naming the value now stored
    with pytest.raises(ChangedElsewhere, match="priority tier 3"):
        domain.set_judgements(window, "NOR", {"priority_tier": 1,
                                              "defence_section": "non-resident"},
                              user="window.user", loaded=shown)
    assert window.country("NOR").priority_tier == 3
    window.close()

"""The audit log is append-only across restore, init --force and backup pruning, and a
restore refuses a damaged or too-new backup before touching the store."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefpack import model
from briefpack.errors import StoreError
from briefpack.store import Store
from briefpack.store.backups import backup_file, list_backups, prune, restore
from fixtures_stores import dump, france_store, integrity

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path) -> Store:
    return france_store(tmp_path / "s.db")


def rename_first(store: Store, name: str, user: str = "me") -> None:
    first = store.records("agreements")[0]
    store.save(model.Agreement(**{**first.__dict__, "name": name}), user=user)


def entries(store: Store) -> list[tuple]:
    return [(e["action"], e["user"], e["field"], e["before"], e["after"])
            for e in store.audit_log()]


def test_restore_keeps_the_audit_made_since_the_backup_and_logs_itself(store):
    saved = backup_file(store.path, reason="before edits")
    rename_first(store, "Edited once", user="alice")
    rename_first(store, "Edited twice", user="bob")
    before = entries(store)
    restore(store, saved.name, user="restorer")
    assert [a.name for a in store.records("agreements")] == ["Lancaster House"]
    after = entries(store)
    assert after[:len(before)] == before  # nothing lost, nothing reordered
    assert after[-1][:2] == ("restore", "restorer")
    note = store.audit_log()[-1]["note"]
    assert saved.name in note and "2 audit entries made since were carried forward" in note
    history = [(e["action"], e["after"]) for e in store.history("FRA")]
    assert ("edit", "Edited once") in history and ("edit", "Edited twice") in history


def test_restoring_back_and_forth_never_duplicates_or_loses_entries(store):
    old = backup_file(store.path, reason="old")
    rename_first(store, "Newer")
    safety = restore(store, old.name)
    rename_first(store, "After the restore")
    restore(store, safety.name)
    actions = [e[0] for e in entries(store)]
    assert actions.count("restore") == 2
    edits = [e[4] for e in entries(store) if e[0] == "edit"]
    assert edits == ["Newer", "After the restore"]


def test_init_force_keeps_the_audit_and_is_logged(cli, store):
    rename_first(store, "Before the re-init", user="alice")
    before = entries(store)
    store.close()
    code, out, _ = cli("--db", store.path, "init", "--force", "--empty")
    assert code == 0 and "backed up" in out
    reopened = Store.open(store.path, create=False)
    assert reopened.countries() == []
    after = entries(reopened)
    assert after[:len(before)] == before
    assert after[-1][0] == "init"
    assert "init --force" in reopened.audit_log()[-1]["note"]


def test_pruning_never_deletes_the_only_copy_of_audit_entries(store):
    only_copy = backup_file(store.path, reason="holds history")
    # simulate a store whose audit lost entries (e.g. replaced by hand): the backup holds them
    store.db.execute("DELETE FROM audit")
    store.db.conn.commit()
    made = [backup_file(store.path, reason=f"later {i}", keep=3) for i in range(5)]
    kept = list_backups(store.path)
    assert only_copy in kept
    assert set(made[-3:]) <= set(kept) and made[0] not in kept
    # once the store holds those entries again, the backup may go
    restore(store, only_copy.name)
    assert prune(store.path, keep=3) == []
    assert only_copy not in list_backups(store.path)


def test_pruning_finds_entries_the_store_holds_under_other_ids(store):
    backup = backup_file(store.path, reason="same history")
    columns = "at, user, action, table_name, record_id, field, before, after, note, country"
    with store.transaction():  # the same entries, renumbered (as a carried-forward copy)
        store.db.execute(f"CREATE TEMP TABLE copied AS SELECT {columns} FROM audit")
        store.db.execute("DELETE FROM audit")
        store.db.execute(f"INSERT INTO audit (id, {columns}) SELECT rowid + 1000, {columns} "
                         "FROM copied")
    [backup_file(store.path, reason=f"later {i}", keep=2) for i in range(3)]
    assert backup not in list_backups(store.path)


def test_pruning_still_keeps_the_newest_n(store):
    made = [backup_file(store.path, reason=f"test {i}", keep=3) for i in range(5)]
    assert list_backups(store.path) == made[:1:-1]


# -- refusing bad backups -------------------------------------------------------------------

def test_a_damaged_backup_is_refused_before_the_store_is_touched(store):
    saved = backup_file(store.path, reason="to damage")
    for i in range(30):  # enough pages to damage one past the schema
        store.save(model.Agreement(country="FRA", name=f"Agreement {i} " + "x" * 300),
                   user="me")
    big = backup_file(store.path, reason="big")
    data = bytearray(big.read_bytes())
    last = len(data) // 4096 - 1
    data[last * 4096:last * 4096 + 8] = b"\xa5" * 8  # a record page's header
    big.write_bytes(bytes(data))
    revision, backups = store.revision(), list_backups(store.path)
    with pytest.raises(StoreError, match="damaged.*not touched|not touched.*damaged"):
        restore(store, big.name)
    assert store.revision() == revision and len(store.records("agreements")) == 31
    assert list_backups(store.path) == backups  # not even a safety backup was made
    assert saved.exists()


def test_a_backup_from_a_newer_briefpack_is_refused(store):
    saved = backup_file(store.path, reason="future")
    conn = sqlite3.connect(saved)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('briefpack', 'm999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    # as a newer briefpack would have made it: its recorded SHA-256 matches
    import hashlib

    from briefpack.store.backups import digest_file

    digest_file(saved).write_text(hashlib.sha256(saved.read_bytes()).hexdigest(),
                                  encoding="utf-8")
    with pytest.raises(StoreError, match="newer version of briefpack"):
        restore(store, saved.name)
    assert store.history("FRA")[-1]["action"] != "restore"


# -- kill -9 during a restore ---------------------------------------------------------------

def kill_restore_after(db: Path, name: str, delay: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefpack", "--db", str(db), "restore", name],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.slow
def test_killing_a_restore_leaves_the_old_store_or_the_restored_one_with_its_entry(tmp_path):
    db = tmp_path / "s.db"
    store = Store.open(db, seed=False)
    store.save(model.Country(code="FRA", name="France"), user="setup")
    with store.transaction():  # big enough that the copy takes a while
        store.db["agreements"].insert_all(
            {"country": "FRA", "name": f"Agreement {i}", "commits": "x" * 500,
             "marking": "OFFICIAL"} for i in range(12000))
    saved = backup_file(db, reason="restore me")
    store.db.execute("DELETE FROM agreements WHERE id % 2 = 0")
    store.db.conn.commit()
    rename_first(store, "Edited after the backup")
    store.close()
    outcomes = set()
    # later and later until one gets to the end (slower steps on a loaded machine); from
    # at once, since a quick start-up can finish the restore within 0.2 s
    for delay in ([0.0, 0.05, 0.1, 0.15] + [0.2 + 0.1 * n for n in range(20)]
                  + [2.5 + 0.5 * n for n in range(30)]):
        before = dump(db)
        kill_restore_after(db, saved.name, delay)
        assert integrity(db) == "ok"
        after = dump(db)
        if after == before:
            outcomes.add("old")
            continue
        # restored: the backup's records, every earlier audit entry and the restore's own
        assert len(after["agreements"]) == 12000
        assert after["audit"][:len(before["audit"])] == before["audit"]
        assert after["audit"][-1][3] == "restore"
        outcomes.add("restored")
        break
    assert outcomes == {"old", "restored"}

"""Backups before imports, pruning, listing and restore."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from briefpack import model
from briefpack.cli import main
from briefpack.errors import StoreError
from briefpack.store import Store
from briefpack.store.backups import backup_file, list_backups, restore
from fixtures_stores import france_store
from briefpack.store.packets import apply_import, parse_packet, plan_import, export_packet


@pytest.fixture
def store(tmp_path) -> Store:
    return france_store(tmp_path / "s.db")


def names(store: Store) -> list[str]:
    return [a.name for a in store.records("agreements")]


def test_an_import_backs_up_the_store_first(store):
    text = export_packet(store, "FRA").replace("Lancaster House", "Lancaster Gate")
    summary = apply_import(store, plan_import(store, parse_packet(text)))
    assert summary.backup in list_backups(store.path)
    copy = sqlite3.connect(summary.backup)
    assert copy.execute("SELECT name FROM agreements").fetchall() == [("Lancaster House",)]
    copy.close()


def test_backups_are_pruned_to_the_newest_n(store):
    made = [backup_file(store.path, reason=f"test {i}", keep=3) for i in range(5)]
    assert list_backups(store.path) == made[:1:-1]


def test_restore_puts_a_backup_back_and_keeps_the_current_store(store):
    saved = backup_file(store.path, reason="before change")
    agreement = store.records("agreements")[0]
    store.save(model.Agreement(**{**agreement.__dict__, "name": "Changed"}), user="me")
    old_id = store.store_id()
    safety = restore(store, saved.name, user="restorer")
    assert names(store) == ["Lancaster House"]
    assert store.store_id() != old_id
    assert store.history("FRA")[-1]["action"] == "restore"
    restore(store, safety.stem)
    assert names(store) == ["Changed"]


def test_restore_removes_the_staging_file_a_killed_restore_left(store):
    saved = backup_file(store.path, reason="before")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = saved.parent
    orphan = folder / f".staging-{dead.pid}-0123abcd.db"
    live = folder / f".staging-{os.getpid()}-89abcdef.db"  # a restore under way here
    for path in (orphan, live):
        path.write_bytes(b"half a copy")
    restore(store, saved.name)
    assert not orphan.exists() and live.exists()
    live.unlink()


def test_restore_refuses_unknown_names_and_non_stores(store, tmp_path):
    with pytest.raises(StoreError, match="no backup named 'nope'"):
        restore(store, "nope")
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not sqlite at all, no")
    with pytest.raises(StoreError, match="own backups"):  # a file from elsewhere
        restore(store, str(bogus))
    backup_file(store.path, reason="first")  # makes the backups folder
    among = store.path.parent / "backups" / f"{store.path.stem}-bogus.db"
    among.write_bytes(b"not sqlite at all, no")
    with pytest.raises(StoreError, match="not a SQLite database"):
        restore(store, among.name)
    assert names(store) == ["Lancaster House"]


def test_cli_backups_and_restore(store, capsys):
    saved = backup_file(store.path, reason="cli")
    agreement = store.records("agreements")[0]
    store.save(model.Agreement(**{**agreement.__dict__, "name": "Changed"}), user="me")
    store.close()
    db = str(store.path)
    assert main(["--db", db, "backups"]) == 0
    assert saved.name in capsys.readouterr().out
    assert main(["--db", db, "restore", saved.name]) == 0
    assert "restored" in capsys.readouterr().out
    assert names(Store.open(db)) == ["Lancaster House"]
    assert main(["--db", db, "history", "France", "--since", "2000-01-01"]) == 0
    assert "restore" in capsys.readouterr().out
    assert main(["--db", db, "history", "France", "--since", "yesterday"]) == 2

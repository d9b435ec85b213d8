"""Issue 20: restore takes one of the store's own backups by name, checks the SHA-256
recorded when it was made, and refuses any content a packet import would refuse."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpack import model
from briefpack.errors import StoreError
from briefpack.store import Store
from briefpack.store.backups import (backup_file, digest_file, list_backups, prune,
                                     recorded_digest, restore)

from fixtures_stores import dump

MARKER = "Pact of Bergen, a text whose every bit counts"


@pytest.fixture
def db(seeded_db) -> Path:
    store = Store.open(seeded_db, create=False)
    store.save(model.Agreement(country="NOR", name=MARKER, commits=MARKER * 4), user="setup")
    store.close()
    return seeded_db


def _rewrite_digest(backup: Path) -> None:
    """As if the backup had been made with this content (a tampered copy whose checksum
    was recomputed): only the content check stands between it and the store."""
    value = hashlib.sha256(backup.read_bytes()).hexdigest()
    digest_file(backup).write_text(f"{value}  {backup.name}\n", encoding="utf-8")


def _edit(backup: Path, sql: str, args=()) -> None:
    conn = sqlite3.connect(backup)
    conn.execute(sql, args)
    conn.commit()
    conn.close()


def test_a_backup_records_its_sha256_and_pruning_removes_it(db):
    made = [backup_file(db, reason=f"b{i}") for i in range(3)]
    for backup in made:
        assert recorded_digest(backup) == hashlib.sha256(backup.read_bytes()).hexdigest()
    prune(db, keep=1)
    assert list_backups(db) == [made[-1]]
    assert sorted(p.name for p in made[0].parent.iterdir()) == sorted(
        [made[-1].name, digest_file(made[-1]).name])


@pytest.mark.parametrize("name", ["/any/x.db", "../x.db", "ABS", "COPY-IN-BACKUPS-SUBDIR"])
def test_restore_refuses_a_file_that_is_not_one_of_the_stores_backups(cli, db, tmp_path,
                                                                     name, monkeypatch):
    other = tmp_path / "x.db"
    secret = Store.open(other, seed=False)
    secret.save(model.Country(code="NOR", name="Norway"), user="x")
    secret.db.execute("INSERT INTO agreements (country, name, marking) VALUES "
                      "('NOR', 'Secret deal', 'SECRET')")
    secret.db.conn.commit()
    secret.close()
    backup_file(db, reason="own")
    if name == "ABS":
        name = str(other)
    elif name == "COPY-IN-BACKUPS-SUBDIR":
        sub = db.parent / "backups" / "sub"
        sub.mkdir()
        shutil.copyfile(other, sub / "x.db")
        name = str(sub / "x.db")
    monkeypatch.chdir(tmp_path / "backups" if (tmp_path / "backups").is_dir() else tmp_path)
    before = dump(db)
    code, _, err = cli("--db", db, "restore", name)
    assert code != 0 and "Traceback" not in err
    assert "refused" in err or "no backup named" in err
    assert dump(db) == before


def test_an_own_backup_by_name_or_path_still_restores(cli, db):
    backup = backup_file(db, reason="own")
    for name in (backup.name, backup.stem, str(backup)):
        code, _, err = cli("--db", db, "restore", name)
        assert code == 0, err


def _flipped(backup: Path, offset: int, bit: int) -> None:
    data = bytearray(backup.read_bytes())
    data[offset % len(data)] ^= 1 << bit
    backup.write_bytes(bytes(data))


def test_a_bit_flipped_inside_a_text_is_refused(db):
    """SQLite's integrity check passes such a file; only the recorded SHA-256 sees it."""
    backup = backup_file(db, reason="flip")
    offset = backup.read_bytes().index(MARKER.encode())
    _flipped(backup, offset + 5, 1)
    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    store = Store.open(db, create=False)
    before = dump(db)
    try:
        with pytest.raises(StoreError, match="changed since it was made"):
            restore(store, backup.name)
    finally:
        store.close()
    assert dump(db) == before


@given(offset=st.integers(min_value=0, max_value=10**9), bit=st.integers(0, 7))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_single_bit_flip_restores_altered_content(db, tmp_path, offset, bit):
    backup = backup_file(db, reason="flip")
    want = dump(backup)
    _flipped(backup, offset, bit)
    store = Store.open(db, create=False)
    try:
        restore(store, backup.name)
    except StoreError:
        pass  # refused: the store was not touched
    else:  # restored: then exactly what the backup held before the flip
        got = dump(db)
        assert {t: rows for t, rows in got.items() if t not in ("audit", "meta")} == {
            t: rows for t, rows in want.items() if t not in ("audit", "meta")}
    finally:
        store.close()
        backup.unlink()
        digest_file(backup).unlink()


@pytest.mark.parametrize("tamper", [
    pytest.param(("UPDATE agreements SET marking = 'SECRET' WHERE name = ?", (MARKER,)),
                 id="SECRET"),
    pytest.param(("UPDATE agreements SET marking = 'TOP SECRET' WHERE name = ?", (MARKER,)),
                 id="TOP SECRET"),
    pytest.param(("UPDATE agreements SET signed = '2026-13-45' WHERE name = ?", (MARKER,)),
                 id="bad date"),
    pytest.param(("UPDATE agreements SET jobs = -5 WHERE name = ?", (MARKER,)),
                 id="negative jobs"),
    pytest.param(("UPDATE alumni SET year = 20266 WHERE id = (SELECT MIN(id) FROM alumni)",
                  ()), id="year out of range"),
    pytest.param(("UPDATE countries SET priority_tier = 9 WHERE code = 'NOR'", ()),
                 id="tier out of range"),
    pytest.param(("UPDATE countries SET marking = 'S3CR3T' WHERE code = 'NOR'", ()),
                 id="look-alike marking"),
    pytest.param(("UPDATE visits SET marking = 'SECRET' WHERE id = (SELECT MIN(id) "
                  "FROM visits)", ()), id="visit marking"),
])
@pytest.mark.parametrize("digest", ["recomputed", "none (older backup)"])
def test_a_backup_holding_what_an_import_refuses_is_refused(db, tamper, digest):
    store = Store.open(db, create=False)
    if not store.visits():
        from briefpack import paths
        from briefpack.visits import load_visit

        store.save_visit(load_visit(paths.data_dir() / "visits" /
                                    "2026-11-norway-secretary-of-state.yaml", store))
    store.close()
    backup = backup_file(db, reason="tampered")
    _edit(backup, *tamper)
    if digest == "recomputed":
        _rewrite_digest(backup)
    else:
        digest_file(backup).unlink()
    store = Store.open(db, create=False)
    before = dump(db)
    try:
        with pytest.raises(StoreError, match="refused, the store was not touched"):
            restore(store, backup.name)
    finally:
        store.close()
    assert dump(db) == before
    assert len(list_backups(db)) == 1  # refused before the safety backup was made


def test_an_older_backup_without_a_checksum_restores_when_its_content_is_sound(db):
    backup = backup_file(db, reason="old")
    digest_file(backup).unlink()
    store = Store.open(db, create=False)
    try:
        restore(store, backup.name)
        note = store.audit_log()[-1]["note"]
    finally:
        store.close()
    assert "checked record by record" in note

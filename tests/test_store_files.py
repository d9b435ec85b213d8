"""The store file itself: shared by processes, damaged, a device, read-only, on a full disk.

Each failure is one clear line from the CLI (no traceback) and leaves the file as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from briefpack import model
from briefpack.errors import StoreError
from briefpack.store import Store
from fixtures_stores import big_packet_text, dump, integrity

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def agreement_names(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM agreements")}
    finally:
        conn.close()


OTHER_PROCESS = """
import sys
from briefpack import model
from briefpack.store import Store
store = Store.open(sys.argv[1], create=False)
seen = sorted(a.name for a in store.records("agreements"))
store.save(model.Agreement(country="FRA", name="from the other process"), user="other")
store.close()
print(",".join(seen))
"""


def test_a_second_connection_and_process_keep_the_first_ones_writes(tmp_path):
    db = tmp_path / "s.db"
    app = Store.open(db, seed=False)  # the long-lived connection (the desktop app)
    app.save(model.Country(code="FRA", name="France"), user="app")
    app.save(model.Agreement(country="FRA", name="first"), user="app")
    # a second connection in the same process opens and closes (a build, a worker)
    Store.open(db, create=False).close()
    # a second process reads, writes and closes: it must not think it is the last user
    done = run_python(OTHER_PROCESS, str(db))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "first"
    assert db.with_name("s.db-wal").exists(), "the other process deleted the app's WAL"
    app.save(model.Agreement(country="FRA", name="second"), user="app")
    assert {a.name for a in app.records("agreements")} == {
        "first", "from the other process", "second"}
    # a third process sees every committed write
    seen = run_python("import sys, sqlite3; c = sqlite3.connect(sys.argv[1]); "
                      "print(sorted(r[0] for r in c.execute('SELECT name FROM agreements')))",
                      str(db))
    assert seen.stdout.strip() == "['first', 'from the other process', 'second']"
    app.close()
    assert integrity(db) == "ok"
    assert agreement_names(db) == {"first", "from the other process", "second"}


# -- damaged, foreign and special files ---------------------------------------------------

def damage(path: Path) -> None:
    """Overwrite the middle of the file (past the header and schema) with noise."""
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):
        data[start + 8:start + page] = bytes([0xA5]) * (page - 8)
    path.write_bytes(bytes(data))


COMMANDS = [("countries",), ("show", "Norway"), ("rank",), ("score", "NOR"),
            ("history", "NOR"), ("export", "NOR"), ("review-due",),
            ("currency", "NOR"), ("mark", "agreements", "1", "OFFICIAL-SENSITIVE"),
            ("build", "NOR", "--format", "pdf")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_damaged_store_gives_one_clear_error_on_every_command(cli, seeded_db, tmp_path,
                                                                 command):
    damage(seeded_db)
    before = seeded_db.read_bytes()
    out_dir = ("--out", tmp_path / "out") if command[0] == "build" else ()
    code, out, err = cli("--db", seeded_db, *command, *out_dir)
    assert code != 0 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert str(seeded_db) in err and "damaged" in err and "briefpack restore" in err
    assert seeded_db.read_bytes() == before
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [("show", "Norway"), ("build", "NOR", "--format", "pdf")],
                         ids=lambda c: c[0])
def test_damage_found_halfway_through_a_command_is_one_clear_error(cli, seeded_db, tmp_path,
                                                                   command):
    """The store opens (its schema is sound) but a record page read later is not."""
    data = bytearray(seeded_db.read_bytes())
    page, pages = 4096, len(data) // 4096
    for p in range(pages * 2 // 3, pages - 1):
        data[p * page + 8:(p + 1) * page] = bytes([0xA5]) * (page - 8)
    seeded_db.write_bytes(bytes(data))
    code, _, err = cli("--db", seeded_db, *command, "--out", tmp_path / "out") \
        if command[0] == "build" else cli("--db", seeded_db, *command)
    assert code != 0 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "damaged" in err and str(seeded_db) in err
    assert not (tmp_path / "out").exists()


def test_a_truncated_store_is_refused_clearly(cli, seeded_db):
    data = seeded_db.read_bytes()
    seeded_db.write_bytes(data[:len(data) // 3])
    code, _, err = cli("--db", seeded_db, "rank")
    assert code != 0 and "damaged" in err and str(seeded_db) in err


@pytest.mark.parametrize("special", ["/dev/null", "/dev/zero"])
def test_devices_are_refused(cli, special):
    code, _, err = cli("--db", special, "countries")
    assert code == 2 and special in err and "device" in err
    assert not Path(special + "-wal").exists() and not Path(special + "-journal").exists()
    code, _, err = cli("--db", special, "init")
    assert code != 0 and special in err


def test_a_folder_is_refused(cli, tmp_path):
    code, _, err = cli("--db", tmp_path, "countries")
    assert code == 2 and "folder" in err and str(tmp_path) in err


def test_opening_a_foreign_file_leaves_no_sqlite_files_beside_it(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"just some notes, not a database" * 10)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store.open(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


# -- read-only stores ---------------------------------------------------------------------

@contextlib.contextmanager
def read_only_folder(folder: Path):
    """Make ``folder`` read-only for real: a read-only mount as root, else permissions."""
    folder.mkdir()
    if os.geteuid() != 0:
        yield folder, lambda: folder.chmod(0o555)
        folder.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("root without permission to mount a read-only filesystem")
    try:
        yield folder, lambda: subprocess.run(["mount", "-o", "remount,ro", str(folder)],
                                             check=True)
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_read_only_store_serves_read_commands(cli, seeded_db, tmp_path):
    with read_only_folder(tmp_path / "ro") as (folder, lock):
        db = folder / "store.db"
        shutil.copyfile(seeded_db, db)
        lock()
        before = db.read_bytes()
        for command in (("show", "Norway"), ("rank", "--top", "3"), ("countries",)):
            code, out, err = cli("--db", db, *command)
            assert code == 0, err
            assert out
        code, _, err = cli("--db", db, "build", "NOR", "--out", tmp_path / "out",
                           "--format", "pdf")
        assert code == 0, err
        assert list((tmp_path / "out").glob("*-NOR-*.pdf"))
        code, _, err = cli("--db", db, "mark", "agreements", "1", "OFFICIAL-SENSITIVE")
        assert code != 0 and "read-only" in err and "Traceback" not in err
        store = Store.open(db, create=False)  # as the desktop app opens it
        assert store.read_only and store.country("NOR").name == "Norway"
        with pytest.raises(StoreError, match="read-only"):
            store.save(model.Agreement(country="NOR", name="Refused"), user="me")
        store.close()
        assert db.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["store.db"]


def test_the_desktop_app_does_not_create_a_named_store(tmp_path, monkeypatch):
    from briefpack import app

    shown = []
    monkeypatch.setattr("briefpack.app.dialogs.show_error",
                        lambda parent, title, text: shown.append(text))
    missing = tmp_path / "typo.db"
    assert app.main(["--db", str(missing)]) == 1
    assert shown and str(missing) in shown[0] and "init" in shown[0]
    assert not missing.exists()


# -- a full disk --------------------------------------------------------------------------

def test_a_store_that_fills_up_during_an_import_is_left_unchanged(cli, seeded_db, tmp_path):
    from briefpack.store.packets import apply_import, parse_packet, plan_import

    store = Store.open(seeded_db, create=False)
    text = big_packet_text(store, "NOR", 3000, commits=400)
    store.close()
    before = dump(seeded_db)
    store = Store.open(seeded_db, create=False)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 20}")  # the disk fills mid-import
    plan = plan_import(store, parse_packet(text))
    with pytest.raises(StoreError, match="disk is full.*nothing was changed"):
        apply_import(store, plan)
    store.close()
    assert dump(seeded_db) == before
    assert integrity(seeded_db) == "ok"


@contextlib.contextmanager
def small_filesystem(folder: Path, size: str):
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True).returncode != 0:
        pytest.skip("needs root to mount a small filesystem")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path, leave: int) -> None:
    """Fill the filesystem holding ``folder`` until ``leave`` bytes are free."""
    free = shutil.disk_usage(folder).free - leave
    with open(folder / "filler", "wb") as fh:
        fh.write(b"\0" * max(free, 0))


@pytest.mark.parametrize("leave_kb", [64, 700])
def test_a_real_full_disk_during_an_import_is_one_clear_error(cli, seeded_db, tmp_path,
                                                              leave_kb):
    """With 64 KB free the backup fails; with 700 KB the import's own writes do."""
    with small_filesystem(tmp_path / "small", "4m") as folder:
        db = folder / "store.db"
        shutil.copyfile(seeded_db, db)
        store = Store.open(db, create=False)
        packet = tmp_path / "big.yaml"
        packet.write_text(big_packet_text(store, "NOR", 3000, commits=400), encoding="utf-8")
        store.close()
        before = dump(db)
        fill(folder, leave_kb * 1024)
        code, _, err = cli("--db", db, "import", packet)
        assert code != 0, "the import fitted: make the packet bigger"
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert "full" in err and "nothing was changed" in err
        (folder / "filler").unlink()
        assert dump(db) == before
        assert integrity(db) == "ok"
        assert not list((folder / "backups").glob("*.part")) if (folder / "backups").exists() \
            else True


def test_a_store_busy_past_the_timeout_is_one_clear_error(cli, seeded_db, monkeypatch):
    monkeypatch.setattr("briefpack.store.store.BUSY_TIMEOUT_SECONDS", 0.2)
    other = sqlite3.connect(seeded_db)
    other.execute("BEGIN IMMEDIATE")  # another process in the middle of an import
    try:
        code, _, err = cli("--db", seeded_db, "mark", "agreements", "1", "OFFICIAL-SENSITIVE")
    finally:
        other.rollback()
        other.close()
    assert code != 0 and "busy" in err and "nothing was changed" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert cli("--db", seeded_db, "mark", "agreements", "1", "OFFICIAL-SENSITIVE")[0] == 0


@pytest.mark.parametrize("command", [("restore", "BACKUP"), ("init", "--force"),
                                     ("export", "NOR", "--out", "OUT")],
                         ids=["restore", "init-force", "export"])
def test_a_full_disk_during_restore_init_or_export_is_one_clear_error(cli, seeded_db,
                                                                      tmp_path, command):
    from briefpack.store.backups import backup_file

    with small_filesystem(tmp_path / "small", "3m") as folder:
        db = folder / "store.db"
        shutil.copyfile(seeded_db, db)
        backup = backup_file(db, reason="restore me")
        before = dump(db)
        fill(folder, 0 if command[0] == "export" else 48 * 1024)
        args = [str(backup) if a == "BACKUP" else str(folder / "n.yaml") if a == "OUT" else a
                for a in command]
        code, _, err = cli("--db", db, *args)
        assert code != 0 and "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert "full" in err or "No space" in err, err
        (folder / "filler").unlink()
        assert dump(db) == before  # an export that was not written is not audited either
        assert integrity(db) == "ok"
        assert not list(folder.glob("*.part")) and not list(folder.glob("**/.staging-*"))
        assert not list(folder.glob(".*~briefpack-*"))

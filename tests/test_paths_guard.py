"""Issue 20: no path a user chooses is ever the store, its -wal or -shm, a backup or a
device; no input that is not a regular file (a FIFO) hangs a command; an export that
cannot be written is not audited."""

from __future__ import annotations

import builtins
import errno
import io
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpack import paths
from briefpack.errors import BriefpackError, DataError
from briefpack.store import Store
from briefpack.store.backups import backup_file
from briefpack.store.packets import write_packet

from fixtures_stores import dump

NORWAY_VISIT = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"


def _companions(db: Path) -> dict[str, Path]:
    """The store, its -wal and -shm (made by opening it in WAL mode) and one backup."""
    store = Store.open(db, create=False)
    store.db.execute("CREATE TEMP TABLE keep_wal (x)")  # the connection keeps -wal/-shm
    backup = backup_file(db, reason="test")
    store.close()
    keep = sqlite3.connect(db)  # holds the -wal and -shm open while the test runs
    keep.execute("SELECT count(*) FROM countries").fetchone()
    _companions.held.append(keep)
    return {"store": db, "-wal": Path(f"{db}-wal"), "-shm": Path(f"{db}-shm"),
            "backup": backup}


_companions.held = []  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _close_held():
    yield
    while _companions.held:  # type: ignore[attr-defined]
        _companions.held.pop().close()  # type: ignore[attr-defined]


# -- outputs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["store", "-wal", "-shm", "backup", "symlink to the store",
                                   "hard link to the store"])
def test_export_out_never_writes_over_the_store_or_its_files(cli, seeded_db, tmp_path,
                                                             which):
    files = _companions(seeded_db)
    if which == "symlink to the store":
        target = tmp_path / "link.yaml"
        target.symlink_to(seeded_db)
    elif which == "hard link to the store":
        target = tmp_path / "hard.yaml"
        os.link(seeded_db, target)
    else:
        target = files[which]
    assert target.exists()
    before, content = dump(seeded_db), target.read_bytes()
    code, _, err = cli("--db", seeded_db, "export", "NOR", "--out", target)
    assert code != 0, "the export wrote over the store"
    assert "refused" in err and "Traceback" not in err
    assert target.read_bytes() == content
    assert dump(seeded_db) == before  # not even an 'export' audit entry


def test_export_out_with_briefpack_db_set_is_refused(cli, seeded_db, monkeypatch):
    monkeypatch.setenv("BRIEFPACK_DB", str(seeded_db))
    before = dump(seeded_db)
    code, _, err = cli("export", "NOR", "--out", seeded_db)
    assert code != 0 and "the briefpack store" in err
    assert dump(seeded_db) == before


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "fifo", "folder"])
def test_export_out_never_replaces_a_device_fifo_or_folder(cli, seeded_db, tmp_path, device):
    if device == "fifo":
        target = tmp_path / "pipe.yaml"
        os.mkfifo(target)
    elif device == "folder":
        target = tmp_path / "folder.yaml"
        target.mkdir()
    else:
        target = Path(device)
        if not target.exists():
            pytest.skip(f"no {device} here")
    kind = os.stat(target).st_mode
    code, _, err = cli("--db", seeded_db, "export", "NOR", "--out", target)
    assert code != 0 and "not a regular file" in err
    assert os.stat(target).st_mode == kind  # still a device, a FIFO, a folder
    assert not list(target.parent.glob(f".{target.name}~briefpack-*")) \
        if os.access(target.parent, os.W_OK) and target.parent != Path("/dev") else True


def test_a_build_into_the_backups_folder_is_refused(cli, seeded_db):
    backup_file(seeded_db, reason="test")
    folder = paths.backups_dir(seeded_db)
    before = sorted(folder.iterdir())
    code, _, err = cli("--db", seeded_db, "build", "NOR", "--format", "pdf", "--out", folder)
    assert code != 0 and "backups" in err and "refused" in err
    assert sorted(folder.iterdir()) == before


def test_a_build_whose_output_would_be_the_store_is_refused(cli, tmp_path, seeded_db):
    import datetime as dt

    out = tmp_path / "out"
    out.mkdir()
    # a store named as the brief would be, in the output folder
    db = out / f"{dt.date.today().isoformat()}-NOR-standard.pdf"
    db.write_bytes(seeded_db.read_bytes())
    before = dump(db)
    code, _, err = cli("--db", db, "build", "NOR", "--format", "pdf", "--out", out)
    assert code != 0 and "the briefpack store" in err
    assert dump(db) == before


def test_an_export_that_fails_on_a_full_disk_is_not_audited(seeded_db, tmp_path, monkeypatch):
    store = Store.open(seeded_db, create=False)
    exports = len([e for e in store.audit_log() if e["action"] == "export"])

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("briefpack.store.packets.os.replace", full)
    with pytest.raises(BriefpackError, match="nothing was exported"):
        write_packet(store, "NOR", tmp_path / "n.yaml")
    assert len([e for e in store.audit_log() if e["action"] == "export"]) == exports
    assert not list(tmp_path.glob("*n.yaml*"))
    monkeypatch.undo()
    write_packet(store, "NOR", tmp_path / "n.yaml")
    assert len([e for e in store.audit_log() if e["action"] == "export"]) == exports + 1
    store.close()


def test_an_export_to_standard_output_that_fails_is_not_audited(seeded_db, cli, monkeypatch):
    class Full(io.StringIO):
        def flush(self):
            raise OSError(errno.ENOSPC, "No space left on device")

    before = dump(seeded_db)
    monkeypatch.setattr("sys.stdout", Full())
    code, _, _ = cli("--db", seeded_db, "export", "NOR")
    assert code != 0
    assert dump(seeded_db) == before


# -- inputs ----------------------------------------------------------------------------------

class _Opens:
    """Records every open() of one file by this process."""

    def __init__(self, monkeypatch, watched: list[Path]):
        self.watched, self.hits = watched, []
        real_open, real_os_open = builtins.open, os.open

        def spy_open(file, *a, **k):
            self._seen(file)
            return real_open(file, *a, **k)

        def spy_os_open(file, *a, **k):
            self._seen(file)
            return real_os_open(file, *a, **k)

        monkeypatch.setattr(builtins, "open", spy_open)
        monkeypatch.setattr(io, "open", spy_open)
        monkeypatch.setattr(os, "open", spy_os_open)

    def _seen(self, file) -> None:
        if isinstance(file, (str, os.PathLike)):
            for w in self.watched:
                try:
                    if os.path.samefile(file, w):
                        self.hits.append(str(file))
                except OSError:
                    pass


@pytest.mark.parametrize("which", ["store", "-wal", "-shm"])
@pytest.mark.parametrize("command", [("import", "FILE"), ("import-csv", "alumni", "FILE"),
                                     ("build", "FILE"), ("readout", "FILE"),
                                     ("--priorities", "FILE", "rank")])
def test_no_command_opens_the_store_as_a_plain_file(cli, seeded_db, monkeypatch, which,
                                                    command):
    files = _companions(seeded_db)
    chosen = files[which]
    opens = _Opens(monkeypatch, [seeded_db])
    argv = [str(chosen) if a == "FILE" else a for a in command]
    if argv[0] == "--priorities":
        code, _, err = cli("--db", seeded_db, *argv)
    else:
        code, _, err = cli("--db", seeded_db, *argv)
    monkeypatch.undo()
    assert code != 0 and "refused" in err and "Traceback" not in err, err
    assert opens.hits == [], "the store was opened as a plain file"


def test_reading_the_store_as_a_file_drops_no_lock_of_another_connection(seeded_db):
    """What the rule protects: a plain open() and close() of the store drops this
    process's POSIX locks, so another process could write under a reader."""
    from briefpack.store.packets import read_packet

    store = Store.open(seeded_db, create=False)
    try:
        with pytest.raises(DataError, match="briefpack store"):
            read_packet(seeded_db)
        with pytest.raises(DataError, match="briefpack store"):
            read_packet(Path(f"{seeded_db}-wal") if Path(f"{seeded_db}-wal").exists()
                        else seeded_db)
    finally:
        store.close()


def _hangs(fn, fifo: Path, seconds: float = 15.0) -> tuple[bool, BaseException | None]:
    """Run ``fn``; if it has not returned in time, unblock it (open the FIFO's other end)."""
    result: list[BaseException | None] = []

    def run():
        try:
            fn()
            result.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    hung = worker.is_alive()
    if hung:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(5)
    return hung, (result[0] if result else None)


@pytest.mark.parametrize("command", [("import", "FILE"), ("import-csv", "alumni", "FILE",
                                                          "--country", "NOR"),
                                     ("build", "FILE"), ("readout", "FILE"),
                                     ("--priorities", "FILE", "rank")])
def test_a_fifo_as_input_is_refused_without_hanging(seeded_db, tmp_path, command):
    from briefpack.cli import main

    fifo = tmp_path / ("in.csv" if "import-csv" in command else "in.yaml")
    os.mkfifo(fifo)
    argv = ["--db", str(seeded_db), *[str(fifo) if a == "FILE" else a for a in command]]
    codes: list[int] = []
    hung, exc = _hangs(lambda: codes.append(main(argv)), fifo)
    assert not hung, "the command hung reading a FIFO"
    assert exc is None and codes and codes[0] != 0


@given(which=st.sampled_from(["store", "-wal", "-shm", "backup", "other", "fifo",
                              "folder", "new", "new-wal"]),
       how=st.sampled_from(["direct", "symlink", "relative"]))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_path_rules_hold_for_every_kind_of_path(tmp_path, which, how):
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    db = folder / "store.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")  # -wal and -shm now exist
    backups = paths.backups_dir(db)
    backups.mkdir()
    (backups / "store-1.db").write_bytes(b"x")
    (folder / "other.yaml").write_text("a: 1\n", encoding="utf-8")
    os.mkfifo(folder / "fifo")
    (folder / "folder").mkdir()
    target = {"store": db, "-wal": Path(f"{db}-wal"), "-shm": Path(f"{db}-shm"),
              "backup": backups / "store-1.db", "other": folder / "other.yaml",
              "fifo": folder / "fifo", "folder": folder / "folder",
              "new": folder / "new.yaml", "new-wal": Path(f"{db}-journal")}[which]
    if how == "symlink" and target.exists():
        link = folder / "link"
        link.symlink_to(target)
        target = link
    elif how == "relative":
        target = Path(os.path.relpath(target))
    stores = [db]
    protected = which in ("store", "-wal", "-shm")  # (a file not there is the reader's)
    try:
        paths.check_output(target, stores=stores)
        wrote_ok = True
    except paths.PathRefused:
        wrote_ok = False
    assert wrote_ok == (which in ("other", "new")), (which, how)
    try:
        paths.check_input(target, stores=stores)
        read_ok = True
    except paths.PathRefused:
        read_ok = False
    assert read_ok == (not protected and which not in ("fifo", "folder")), (which, how)
    conn.close()


# -- the app ---------------------------------------------------------------------------------

def test_the_app_never_reads_or_writes_the_store_as_a_visit_file(qtbot, seeded_db, tmp_path,
                                                                  monkeypatch):
    pytest.importorskip("PySide6.QtPdfWidgets")
    from PySide6.QtCore import QSettings

    from briefpack.app import dialogs as dialogs_module
    from briefpack.app.main_window import MainWindow
    from briefpack.app.settings import AppSettings

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs_module, "show_error",
                        lambda parent, title, message: shown.append((title, message)))
    settings_ = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    settings_.output_folder = tmp_path / "out"
    win = MainWindow(Store.open(seeded_db), settings_)
    qtbot.addWidget(win)
    try:
        before = dump(seeded_db)
        opens = _Opens(monkeypatch, [seeded_db])
        win.visits.import_file(seeded_db)
        visit = win.store.visits()[0] if win.store.visits() else None
        if visit is None:
            from briefpack.visits import load_visit

            visit = load_visit(NORWAY_VISIT, win.store)
        win.visits.export_file(visit, seeded_db)
        assert opens.hits == []
        assert [t for t, _ in shown] == ["Cannot import the visit", "Cannot export the visit"]
        assert all("refused" in m for _, m in shown)
        assert dump(seeded_db) == before
    finally:
        win.jobs.wait()
        if win.lock is not None:
            win.lock.release()
        win.store.close()


def test_a_dropped_store_is_not_read_as_a_file(seeded_db, monkeypatch):
    from briefpack.app import domain

    copy = seeded_db.with_suffix(".yaml")
    os.link(seeded_db, copy)  # the store under a visit file's name
    store = Store.open(seeded_db, create=False)
    try:
        opens = _Opens(monkeypatch, [seeded_db])
        assert domain.dropped_file_kind(copy) is None
        monkeypatch.undo()
        assert opens.hits == []
    finally:
        store.close()


@pytest.mark.parametrize("which", ["store", "-wal", "-shm"])
@pytest.mark.parametrize("table", [None, "alumni"], ids=["packet", "sheet"])
def test_data_import_packet_never_reads_the_store_as_a_file(seeded_db, monkeypatch, which,
                                                            table):
    """Data → Import packet (and sheet): the wizard's check refuses the store by name."""
    from briefpack.app import domain

    files = _companions(seeded_db)
    window_store = Store.open(seeded_db, create=False)  # the window's own connection
    try:
        before = dump(seeded_db)
        opens = _Opens(monkeypatch, [seeded_db])
        check = domain.check_import(seeded_db, domain.ImportSource(
            files[which], table=table, country="NOR" if table else None))
        monkeypatch.undo()
        assert opens.hits == []
        assert check.problems and "refused" in str(check.problems[0])
        assert dump(seeded_db) == before
    finally:
        window_store.close()

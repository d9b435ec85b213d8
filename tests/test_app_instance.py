"""Issue 20: the one-window lock lives beside the store, so another TMPDIR, user or
computer cannot open a second window on it; a second ``briefpack gui`` on the same store
brings the first window forward."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtNetwork")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMainWindow  # noqa: E402

from briefpack.app import instance  # noqa: E402
from briefpack.app.instance import StoreInUse, StoreLock, bring_forward, lock_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "shared" / "store.db"
    path.parent.mkdir()
    path.write_bytes(b"")
    return path


def test_the_lock_lives_beside_the_store(store):
    lock = StoreLock.acquire(store)
    try:
        assert lock_path(store) == store.parent / ".store.db.lock"
        assert lock_path(store).exists()
    finally:
        lock.release()
    assert not lock_path(store).exists()


def test_a_read_only_folder_falls_back_to_the_temp_folder(store, monkeypatch):
    monkeypatch.setattr(instance, "_writable", lambda folder: False)
    where = lock_path(store)
    assert where.parent != store.parent and where.name.startswith("briefpack-")
    lock = StoreLock.acquire(store)
    lock.release()


@pytest.mark.parametrize("other", ["TMPDIR", "another computer"])
def test_another_tmpdir_or_computer_cannot_open_a_second_window(store, tmp_path, monkeypatch,
                                                                other):
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp-a"))
    (tmp_path / "tmp-a").mkdir()
    first = StoreLock.acquire(store)
    try:
        if other == "TMPDIR":
            (tmp_path / "tmp-b").mkdir()
            monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp-b"))
            code = ("import sys; from pathlib import Path; "
                    "from briefpack.app.instance import StoreLock, StoreInUse\n"
                    "try:\n    StoreLock.acquire(Path(sys.argv[1]))\n"
                    "except StoreInUse as e:\n    print('REFUSED', e); sys.exit(3)\n")
            done = subprocess.run([sys.executable, "-c", code, str(store)],
                                  capture_output=True, text=True, timeout=60,
                                  env={**os.environ, "PYTHONPATH": str(ROOT),
                                       "QT_QPA_PLATFORM": "offscreen"})
            assert done.returncode == 3, done.stdout + done.stderr
            assert "already open" in done.stdout and ".store.db.lock" in done.stdout
        else:  # the lock file a process on another computer holds, as QLockFile writes it
            first.release()
            lock_path(store).write_text(f"{os.getpid() + 99999}\nbriefpack\nlaptop-2\n",
                                        encoding="utf-8")
            with pytest.raises(StoreInUse, match="laptop-2"):
                StoreLock.acquire(store)
    finally:
        first.release()


def test_a_second_gui_brings_the_first_window_forward(qtbot, store):
    lock = StoreLock.acquire(store)
    window = QMainWindow()
    window.lock = lock  # as MainWindow holds it
    qtbot.addWidget(window)
    window.show()
    window.setWindowState(Qt.WindowState.WindowMinimized)
    raised = []
    real = lock.bring_windows_forward
    lock.bring_windows_forward = lambda: raised.append(real()) or raised[-1]
    try:
        code = ("import sys; from pathlib import Path; "
                "from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]); "

                "from briefpack.app.instance import bring_forward; "

                "sys.exit(0 if bring_forward(Path(sys.argv[1])) else 4)")
        proc = subprocess.Popen([sys.executable, "-c", code, str(store)],
                                env={**os.environ, "PYTHONPATH": str(ROOT),
                                     "QT_QPA_PLATFORM": "offscreen"})
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=60000)
        assert proc.returncode == 0, "the first window did not answer"
        assert raised == [[window]]
        assert not window.isMinimized()
    finally:
        lock.release()
    assert not bring_forward(store)  # released: nobody answers any more


def test_the_gui_exits_at_once_when_a_window_has_its_store(qtbot, store, monkeypatch):
    from briefpack import app

    opened = []
    monkeypatch.setattr(instance, "bring_forward", lambda path: opened.append(path) or True)
    monkeypatch.setattr("briefpack.app.main_window.MainWindow",
                        lambda *a, **k: pytest.fail("a second window was opened"))
    assert app.main(["--db", str(store)]) == 0
    assert opened == [store]

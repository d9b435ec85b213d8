"""processes: telling a live writer from one a killed process left, portably."""

from __future__ import annotations

import os
import subprocess
import sys

from briefpack import processes


def test_this_process_is_alive():
    assert processes.alive(os.getpid())


def test_no_pid_is_not_alive():
    assert not processes.alive(0)
    assert not processes.alive(-5)


def test_an_ended_process_is_not_alive():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not processes.alive(child.pid)


def test_a_zombie_has_ended():
    """A child that exited but was not yet reaped still has a pid; it writes nothing more."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        import psutil

        psutil.Process(child.pid).wait(timeout=10)  # exits; stays unreaped on POSIX
        assert not processes.alive(child.pid)
    finally:
        child.wait()


def test_probing_never_signals(monkeypatch):
    """On Windows os.kill(pid, 0) sends Ctrl+C to a console group: it must not be the probe."""
    def no_kill(*args):
        raise AssertionError("os.kill used to probe a process")

    monkeypatch.setattr(os, "kill", no_kill)
    assert processes.alive(os.getpid())


def test_orphans_of_ended_writers_are_removed_and_live_ones_kept(tmp_path):
    import re

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = tmp_path / f"out.docx.{child.pid}.tmp"
    live = tmp_path / f"out.pdf.{os.getpid()}.tmp"
    dead.write_bytes(b"x")
    live.write_bytes(b"x")
    processes.remove_orphans(tmp_path, "*.tmp", re.compile(r".+\.(?P<pid>\d+)\.tmp"))
    assert not dead.exists() and live.exists()


def test_freeze_support_is_a_no_op_unless_frozen(monkeypatch):
    import multiprocessing

    called = []
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: called.append(1))
    processes.freeze_support()
    assert called == []
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    processes.freeze_support()
    assert called == [1]


def test_a_bundled_resource_tracker_is_recognised_by_its_options(monkeypatch):
    """The tracker is started as `exe -W<quiet> -c "from multiprocessing.resource_tracker
    import main; main(9)"`; a frozen program recognises it only when its own warning
    options match, which a bundle does not read from its command line itself."""
    import multiprocessing
    import warnings

    seen = []
    monkeypatch.setattr(multiprocessing, "freeze_support",
                        lambda: seen.append(list(sys.warnoptions)))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "warnoptions", [])
    monkeypatch.setattr(sys, "argv", ["briefpack", f"-W{processes._QUIET_TRACKER}", "-c",
                                      "from multiprocessing.resource_tracker import main;main(9)"])
    with warnings.catch_warnings():
        processes.freeze_support()
    assert seen == [[processes._QUIET_TRACKER]]

"""Two real processes import packets exported from the same base at the same moment."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import yaml

from briefpack import model
from briefpack.store import Store
from briefpack.store.packets import _dump, checksum, export_packet

ROOT = Path(__file__).resolve().parents[1]


def packet(base: str, path: Path, name: str) -> Path:
    data = yaml.safe_load(base)
    data["sections"]["agreements"][0]["name"] = name
    data["checksum"] = checksum(data)
    path.write_text(_dump(data), encoding="utf-8")
    return path


def start_import(db: Path, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-u", "-m", "briefpack", "--db", str(db), "import", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BRIEFPACK_USER": path.stem})


def wait_for_line(proc: subprocess.Popen, start: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        if line.startswith(start):
            return
        assert time.monotonic() < deadline, f"no {start!r} line"
    raise AssertionError(f"exited before {start!r}: {proc.stderr.read()}")


def test_the_second_of_two_concurrent_imports_sees_the_first_as_conflicts(tmp_path):
    db = tmp_path / "s.db"
    store = Store.open(db, seed=False)
    store.save(model.Country(code="FRA", name="France"), user="setup")
    store.save(model.Agreement(country="FRA", name="Base"), user="setup")
    base = export_packet(store, "FRA")
    store.close()
    first = packet(base, tmp_path / "alice.yaml", "From Alice")
    second = packet(base, tmp_path / "bob.yaml", "From Bob")

    # hold the store's write lock so both imports have planned before either can write
    blocker = sqlite3.connect(db, timeout=30)
    blocker.execute("BEGIN IMMEDIATE")
    procs = [start_import(db, first), start_import(db, second)]
    try:
        for proc in procs:
            wait_for_line(proc, "backing up the store")
        time.sleep(0.3)
        blocker.rollback()
        results = [(proc.wait(timeout=60), proc.stdout.read(), proc.stderr.read())
                   for proc in procs]
    finally:
        blocker.close()
        for proc in procs:
            proc.kill()
            proc.wait()
    codes = sorted(code for code, _, _ in results)
    assert codes[0] == 0 and codes[1] != 0, results
    loser_err = next(err for code, _, err in results if code != 0)
    assert "conflict" in loser_err and "Traceback" not in loser_err
    winner = "From Alice" if results[0][0] == 0 else "From Bob"

    store = Store.open(db, create=False)
    assert [a.name for a in store.records("agreements")] == [winner]
    edits = [e for e in store.audit_log(table="agreements") if e["action"] == "edit"]
    assert [(e["field"], e["before"], e["after"]) for e in edits] == [
        ("name", "Base", winner)]
    assert [e["action"] for e in store.history("FRA")].count("import") == 1
    store.close()

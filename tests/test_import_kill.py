"""Killing a real import process at any moment leaves the store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from briefpack import model
from briefpack.store import Store
from briefpack.store.packets import _dump, checksum, export_packet

ROOT = Path(__file__).resolve().parents[1]
RECORDS = 1500


def dump_store(path: Path) -> dict[str, list]:
    conn = __import__("sqlite3").connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid").fetchall()
                for t in tables}
    finally:
        conn.close()


def big_packet(store: Store, path: Path) -> None:
    data = yaml.safe_load(export_packet(store, "FRA"))
    data["sections"]["agreements"] = [
        {"name": f"Agreement {i}", "marking": "OFFICIAL", "commits": "x" * 40}
        for i in range(RECORDS)]
    data["checksum"] = checksum(data)
    path.write_text(_dump(data), encoding="utf-8")


def run_and_kill(db: Path, packet: Path, delay: float) -> int | None:
    """Start an import, kill it ``delay`` seconds after it starts writing; its exit code."""
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "briefpack", "--db", str(db), "import", str(packet)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    for line in proc.stdout:
        if line.startswith("backing up"):
            break
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.stdout.close()
    return proc.wait()


def test_killing_an_import_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "s.db"
    store = Store.open(db, seed=False)
    store.save(model.Country(code="FRA", name="France"), user="setup")
    store.save(model.Agreement(country="FRA", name="Lancaster House"), user="setup")
    packet = tmp_path / "big.yaml"
    big_packet(store, packet)
    store.close()
    before = dump_store(db)
    untouched = 0
    for delay in (0.0, 0.01, 0.03, 0.06):
        run_and_kill(db, packet, delay)
        if dump_store(db) == before:
            untouched += 1
            continue
        # the kill came after the commit: then every part of the import must be there
        after = Store.open(db)
        assert len(after.records("agreements")) == RECORDS, f"partial import at {delay}s"
        assert [e["action"] for e in after.history("FRA")][-1] == "import"
        break
    assert untouched >= 2

"""Killing a real import process at any moment leaves the store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from briefpack import model
from briefpack.store import Store
from fixtures_stores import big_packet_text, dump

ROOT = Path(__file__).resolve().parents[1]
RECORDS = 1500


def big_packet(store: Store, path: Path) -> None:
    path.write_text(big_packet_text(store, "FRA", RECORDS), encoding="utf-8")


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
    before = dump(db)
    untouched = 0
    for delay in (0.0, 0.01, 0.03, 0.06):
        run_and_kill(db, packet, delay)
        if dump(db) == before:
            untouched += 1
            continue
        # the kill came after the commit: then every part of the import must be there
        after = Store.open(db)
        assert len(after.records("agreements")) == RECORDS, f"partial import at {delay}s"
        assert [e["action"] for e in after.history("FRA")][-1] == "import"
        break
    assert untouched >= 2

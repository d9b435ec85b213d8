"""Helpers for tests of the store file: small stores, whole-store dumps, big packets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml

from briefpack import model
from briefpack.store import Store
from briefpack.store.packets import _dump, checksum, export_packet


def france_store(path: Path) -> Store:
    """A store holding France and one agreement, Lancaster House."""
    store = Store.open(path, seed=False)
    store.save(model.Country(code="FRA", name="France"), user="setup")
    store.save(model.Agreement(country="FRA", name="Lancaster House"), user="setup")
    return store


def dump(path: Path) -> dict[str, list]:
    """Every row of every table, read without changing the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid").fetchall()
                for t in tables}
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def big_packet_text(store: Store, code: str, records: int, commits: int = 40) -> str:
    """A packet of ``code`` whose agreements are ``records`` new ones."""
    data = yaml.safe_load(export_packet(store, code))
    data["sections"]["agreements"] = [
        {"name": f"Agreement {i}", "marking": "OFFICIAL", "commits": "x" * commits}
        for i in range(records)]
    data["checksum"] = checksum(data)
    return _dump(data)

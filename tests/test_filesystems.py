"""Stores on network drives use the rollback journal; UNC paths open read-only."""

from __future__ import annotations

import sqlite3

import pytest

from briefpack import filesystems
from briefpack.store import store as store_module
from briefpack.store.store import Store, store_uri

MOUNTS = """\
22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
40 22 0:50 / /mnt/share rw,relatime - cifs //server/share rw
41 22 0:51 / /mnt/nfs\\040home rw - nfs4 server:/home rw
42 22 0:52 / /mnt/sshfs rw - fuse.sshfs user@host: rw
43 22 7:0 / /media/cd ro - iso9660 /dev/sr0 ro
"""


@pytest.fixture
def mountinfo(tmp_path, monkeypatch):
    table = tmp_path / "mountinfo"
    table.write_text(MOUNTS, encoding="utf-8")
    real = filesystems._linux_fstype
    monkeypatch.setattr(filesystems, "_linux_fstype",
                        lambda path, mountinfo=str(table): real(path, mountinfo))
    monkeypatch.setattr(filesystems.os.path, "realpath", lambda p: str(p))


@pytest.mark.parametrize("path, network", [
    ("/home/me/briefpack.db", False),
    ("/mnt/share/team/briefpack.db", True),
    ("/mnt/nfs home/me.db", True),
    ("/mnt/sshfs/x.db", True),
    ("/mnt/sharex/x.db", False),  # a sibling of a mount point is not inside it
    ("/media/cd/x.db", False),
])
def test_network_mounts_are_recognised(mountinfo, path, network):
    assert filesystems.on_network(path) is network


def test_fixed_media_are_recognised(mountinfo):
    assert filesystems.on_fixed_medium("/media/cd/store.db")
    assert not filesystems.on_fixed_medium("/mnt/share/store.db")


@pytest.mark.parametrize("path", [r"\\server\share\store.db", "//server/share/store.db"])
def test_unc_paths_are_network_paths(path):
    assert filesystems.is_unc(path) and filesystems.on_network(path)


def test_a_unc_uri_has_no_authority():
    """`file://server/share/x` is refused by SQLite ('invalid uri authority')."""
    from pathlib import PureWindowsPath

    uri = store_uri(PureWindowsPath(r"\\server\share\team store.db"))  # type: ignore[arg-type]
    assert uri == "file:////server/share/team%20store.db"
    with pytest.raises(sqlite3.OperationalError) as caught:
        sqlite3.connect(uri + "?mode=ro", uri=True).execute("select 1")
    assert "authority" not in str(caught.value)


def test_a_store_on_a_network_drive_uses_the_rollback_journal(seeded_db, monkeypatch):
    monkeypatch.setattr(store_module.filesystems, "on_network", lambda path: True)
    store = Store.open(seeded_db)
    try:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        store.close()


def test_a_local_store_uses_wal(seeded_db, monkeypatch):
    monkeypatch.setattr(store_module.filesystems, "on_network", lambda path: False)
    store = Store.open(seeded_db)
    try:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()

"""Backups of the store before bulk changes, kept beside it; restore from any of them."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

from .. import paths
from ..errors import StoreError
from .store import require_sqlite

KEEP = 20


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "backup"


def backup_file(db_path: Path, *, reason: str, keep: int = KEEP) -> Path:
    """Copy the store at ``db_path`` with SQLite's online backup API; prune old copies."""
    folder = paths.backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{db_path.stem}-{_stamp()}-{_slug(reason)}.db"
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    tmp = dest.with_suffix(".part")
    target = sqlite3.connect(tmp)
    try:
        src.backup(target)
    except sqlite3.DatabaseError as exc:
        target.close()
        tmp.unlink(missing_ok=True)
        raise StoreError(f"{db_path}: backup failed: {exc}") from None
    finally:
        src.close()
    target.close()
    tmp.replace(dest)
    prune(db_path, keep)
    return dest


def list_backups(db_path: Path) -> list[Path]:
    """Backups of this store, newest first."""
    folder = paths.backups_dir(db_path)
    return sorted(folder.glob(f"{db_path.stem}-*.db"), reverse=True) if folder.is_dir() else []


def prune(db_path: Path, keep: int = KEEP) -> None:
    for old in list_backups(db_path)[keep:]:
        old.unlink(missing_ok=True)


def find_backup(db_path: Path, name: str) -> Path:
    """A backup of this store by file name (with or without ``.db``) or by path."""
    given = Path(name)
    if given.is_file():
        return given
    for candidate in list_backups(db_path):
        if name in (candidate.name, candidate.stem):
            return candidate
    known = ", ".join(p.name for p in list_backups(db_path)[:5]) or "none yet"
    raise StoreError(f"no backup named {name!r} beside {db_path}; newest: {known}")


def restore(store, name: str, *, user: str | None = None) -> Path:
    """Put a backup's content back into ``store``; the current content is backed up first.

    Returns the path of that safety backup. The restored store starts a new lineage, so
    packets exported since the backup was taken are treated as having an unknown base.
    """
    if store.path is None:
        raise StoreError("an in-memory store has no backups to restore")
    source = find_backup(store.path, name)
    _check_backup(source)
    safety = backup_file(store.path, reason="before restore")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        src.backup(store.db.conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source}: restore failed: {exc}") from None
    finally:
        src.close()
    store._prepare()  # an older backup may need newer migrations
    with store.transaction():
        store.new_store_id()
        store.audit("restore", "*", "*", note=f"restored {source.name}; the store before "
                    f"the restore is in {safety.name}", user=user)
    return safety


def _check_backup(path: Path) -> None:
    require_sqlite(path, "so not a briefpack backup")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: unreadable backup: {exc}") from None
    finally:
        conn.close()
    if not {"countries", "audit"} <= tables:
        raise StoreError(f"{path}: not a briefpack store backup")

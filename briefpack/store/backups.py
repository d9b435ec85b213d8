"""Backups of the store before bulk changes, kept beside it; restore from any of them."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

from .. import paths
from ..errors import StoreError

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

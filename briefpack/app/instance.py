"""One window per store: a QLockFile held while a store is open in the app."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile

from ..errors import BriefpackError


class StoreInUse(BriefpackError):
    """Another briefpack window already has this store open."""


def lock_path(store: Path) -> Path:
    """Where the lock of a store lives: the temp folder, so read-only folders work too."""
    digest = hashlib.sha1(str(store.resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(QDir.tempPath()) / f"briefpack-{digest}.lock"


class StoreLock:
    """Held for as long as a window shows the store; released on close or store switch."""

    def __init__(self, store: Path):
        self.store = store
        self._lock = QLockFile(str(lock_path(store)))
        # held for hours: stale only when its process has gone, never by age
        self._lock.setStaleLockTime(0)

    @classmethod
    def acquire(cls, store: Path) -> StoreLock:
        """Lock ``store`` or raise StoreInUse naming who holds it."""
        lock = cls(store)
        if not lock._lock.tryLock(200):
            info = lock._lock.getLockInfo()
            holder = ""
            if isinstance(info, tuple) and len(info) == 3:
                pid, host, app = info
                holder = f" (process {pid} on {host})"
            raise StoreInUse(f"{store}: this store is already open in another briefpack "
                             f"window{holder}. Switch to that window, or close it first.")
        return lock

    def release(self) -> None:
        self._lock.unlock()

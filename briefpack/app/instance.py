"""One window per store: a QLockFile beside the store, held while a window shows it, and a
QLocalServer through which a second ``briefpack gui`` on the same store brings that
window forward instead of opening another.

The lock lives next to the store (as KeePassXC and novelWriter keep theirs), so every
process that can reach the store sees it: another user, another TMPDIR, another laptop on
a shared folder. Only when the store's folder cannot be written (a read-only medium) does
it fall back to the temp folder, where it still keeps two windows of one user apart.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, Qt
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication

from ..errors import BriefpackError

#: how long a second ``briefpack gui`` waits to reach the first window, and for its answer
CONNECT_MS, ANSWER_MS = 1000, 5000


class StoreInUse(BriefpackError):
    """Another briefpack window already has this store open."""


def _digest(store: Path) -> str:
    return hashlib.sha1(str(store.resolve()).encode("utf-8")).hexdigest()[:16]


def lock_path(store: Path) -> Path:
    """Where the lock of a store lives: beside it (``.NAME.lock``), or in the temp folder
    when the store's folder cannot be written."""
    folder = store.resolve().parent
    if _writable(folder):
        return folder / f".{store.name}.lock"
    return Path(QDir.tempPath()) / f"briefpack-{_digest(store)}.lock"


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def server_name(store: Path) -> str:
    """The local server of the window that has ``store`` open (one per user and store)."""
    user = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    return "briefpack-" + hashlib.sha1(f"{user}\0{store.resolve()}".encode()).hexdigest()[:20]


def bring_forward(store: Path) -> bool:
    """Ask the window that has ``store`` open (in another process of this user, on this
    computer) to come forward; True if one answered."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(store))
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(b"forward\n")
    socket.waitForBytesWritten(CONNECT_MS)
    if not socket.bytesAvailable():  # (the answer may have come while writing)
        socket.waitForReadyRead(ANSWER_MS)
    answered = bytes(socket.readAll().data()).startswith(b"ok")
    socket.abort()
    return answered


class StoreLock:
    """Held for as long as a window shows the store; released on close or store switch."""

    def __init__(self, store: Path):
        self.store = store
        self.path = lock_path(store)
        self._lock = QLockFile(str(self.path))
        # held for hours: stale only when its process has gone, never by age
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None
        self._answering: set[QLocalSocket] = set()

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
                             f"window{holder}. Switch to that window, or close it first "
                             f"(if that computer stopped without closing it, delete "
                             f"{lock.path}).")
        lock._serve()
        return lock

    def _serve(self) -> None:
        """Answer a second ``briefpack gui`` on this store by bringing its window forward."""
        name = server_name(self.store)
        QLocalServer.removeServer(name)  # one left by a process that died (we hold the lock)
        server = QLocalServer()
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if server.listen(name):
            server.newConnection.connect(self._answer)
            self._server = server

    def _answer(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            connection = server.nextPendingConnection()
            # kept until the other side hangs up (a dropped wrapper would close it unsent)
            self._answering.add(connection)
            connection.disconnected.connect(lambda c=connection: self._hung_up(c))
            self.bring_windows_forward()
            connection.write(b"ok\n")
            connection.flush()

    def _hung_up(self, connection: QLocalSocket) -> None:
        self._answering.discard(connection)
        connection.deleteLater()

    def bring_windows_forward(self) -> list:
        """Show, restore and raise every window holding this lock; returns them."""
        shown = [w for w in QApplication.topLevelWidgets() if getattr(w, "lock", None) is self]
        for window in shown:
            window.setWindowState(
                (window.windowState() & ~Qt.WindowState.WindowMinimized)
                | Qt.WindowState.WindowActive)
            window.show()
            window.raise_()
            window.activateWindow()
            QApplication.alert(window)
        return shown

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

"""What the app remembers between sessions (QSettings): geometry, store, output folder, author."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from ..store import current_user

ORGANISATION = "briefpack"
APPLICATION = "briefpack"
#: how many recent stores, visits and builds the menus offer
RECENT_KEEP = 8


class AppSettings:
    """Typed access to the app's QSettings."""

    def __init__(self, settings: QSettings | None = None):
        self.qsettings = settings or QSettings(ORGANISATION, APPLICATION)

    def _text(self, key: str, default: str = "") -> str:
        value = self.qsettings.value(key, default)
        return str(value) if value is not None else default

    @property
    def geometry(self) -> QByteArray | None:
        value = self.qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        value = self.qsettings.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/state", value)

    @property
    def last_store(self) -> Path | None:
        text = self._text("store/last")
        return Path(text) if text else None

    @last_store.setter
    def last_store(self, path: Path) -> None:
        self.qsettings.setValue("store/last", str(path))

    @property
    def output_folder(self) -> Path:
        text = self._text("build/output_folder")
        if text:
            return Path(text)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents or Path.home()) / "briefpack"

    @output_folder.setter
    def output_folder(self, path: Path) -> None:
        self.qsettings.setValue("build/output_folder", str(path))

    @property
    def author(self) -> str:
        return self._text("user/author") or current_user()

    @author.setter
    def author(self, name: str) -> None:
        self.qsettings.setValue("user/author", name.strip())

    # -- where the user left off -----------------------------------------------------

    def value(self, key: str, default: str = "") -> str:
        return self._text(key, default)

    def set_value(self, key: str, value: object) -> None:
        self.qsettings.setValue(key, "" if value is None else str(value))

    def state(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state(self, key: str, value: QByteArray) -> None:
        self.qsettings.setValue(key, value)

    def recent(self, kind: str) -> list[str]:
        """Most recent first: 'stores', 'visits' (ids as text) or 'builds' (paths)."""
        value: Any = self.qsettings.value(f"recent/{kind}", [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in value or [] if str(v)]

    def add_recent(self, kind: str, item: str, keep: int = RECENT_KEEP) -> None:
        items = [item] + [i for i in self.recent(kind) if i != item]
        self.qsettings.setValue(f"recent/{kind}", items[:keep])

    def forget_recent(self, kind: str, item: str) -> None:
        self.qsettings.setValue(f"recent/{kind}", [i for i in self.recent(kind) if i != item])

    def sync(self) -> None:
        self.qsettings.sync()

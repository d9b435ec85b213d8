"""What the main window's controllers may ask of it: one small protocol.

Each controller (the build runner, the visit session, the Data menu, the window's
placement) is given the window as a ``Host`` and works through these names only, the way
Vorta's ``ArchiveRename(tab)`` works through its tab; the store is reached through
``domain``. A test window (or a future second window) need only offer these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QTabWidget, QWidget

    from .. import model
    from ..store import Store
    from .build_runner import BuildRunner
    from .build_worker import Jobs
    from .country_browser import CountryBrowser
    from .country_view import CountryView
    from .preview import PreviewPanel
    from .settings import AppSettings
    from .visit_planner import VisitPlanner
    from .visit_session import VisitSession

#: the work area's tabs, and the side panel's
TAB_COUNTRY, TAB_VISIT = range(2)
TAB_PREVIEW, TAB_SCORECARD = range(2)


class Host(Protocol):
    """The main window as its controllers see it."""

    store: Store
    settings: AppSettings
    jobs: Jobs
    priorities_path: Path | None
    browser: CountryBrowser
    country_view: CountryView
    planner: VisitPlanner
    centre: QTabWidget
    preview: PreviewPanel
    visits: VisitSession
    builds: BuildRunner
    #: the countries of the store, as the browser lists them
    countries: list[model.Country]

    @property
    def author(self) -> str: ...

    @property
    def priorities(self) -> object: ...

    def window(self) -> QWidget:
        """The top-level widget: the parent of every dialog a controller opens."""
        ...

    def show_message(self, text: str) -> None: ...

    def update_title(self) -> None: ...

    def data_changed(self, *_: object) -> None:
        """Something the scorecard or preview depends on changed."""
        ...

    def focus(self) -> tuple[model.CountryFile | None, model.Visit | None]:
        """The country the scorecard and preview are about, and the visit if it goes there."""
        ...

    def settle_country_edits(self) -> bool:
        """True when no unsaved data edits are left (saved or discarded after asking)."""
        ...

    def settle_unsaved(self) -> bool: ...

    def reload_country(self, code: str) -> None:
        """Show the country again as the store has it now."""
        ...

    def reload_store(self) -> None:
        """Start afresh on the store (switched to, or a backup put back)."""
        ...

    def load_store_contents(self) -> None: ...

    def store_key(self) -> str:
        """This store's prefix for what is remembered about it."""
        ...

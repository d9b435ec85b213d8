"""The desktop app (PySide6): the only package that imports Qt.

``main()`` is the ``briefpack-gui`` entry point and what ``briefpack gui`` runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="briefpack-gui",
                                     description="Open the briefpack desktop app.")
    parser.add_argument("--db", metavar="PATH",
                        help="the store to open (default: $BRIEFPACK_DB, else the last "
                             "one used, else the user data dir; made from the sample data "
                             "if absent)")
    parser.add_argument("--priorities", metavar="FILE",
                        help="priorities YAML to score against (default: data/priorities.yaml)")
    return parser.parse_args(argv)


def store_path(args: argparse.Namespace, last: Path | None) -> Path:
    """--db, else $BRIEFPACK_DB, else the store used last time (if it still exists), else
    the one in the user data dir: what the user names always wins over what was remembered."""
    from .. import paths

    if paths.db_path_is_chosen(args.db):  # default_db_path is BRIEFPACK_DB's when it is set
        return Path(args.db or paths.default_db_path()).expanduser()
    if last is not None and last.exists():
        return last
    return paths.default_db_path()


def main(argv: Sequence[str] | None = None) -> int:
    """Open the main window on the user's store; returns the exit code."""
    from ..processes import freeze_support

    freeze_support()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication

    from .. import paths
    from ..errors import BriefpackError
    from ..store import Store
    from . import errors_shown
    from .dialogs import show_error
    from .icons import app_icon
    from .instance import StoreLock, bring_forward
    from .main_window import MainWindow
    from .settings import APPLICATION, ORGANISATION, AppSettings

    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("briefpack")
    app.setWindowIcon(app_icon())
    errors_shown.install()  # an error no code caught: shown, and logged with its traceback
    settings = AppSettings()
    path = store_path(args, settings.last_store)
    if bring_forward(path):  # a window has this store open already: it comes forward
        return 0
    try:
        lock = StoreLock.acquire(path)
    except BriefpackError as exc:
        show_error(None, "The store is already open", str(exc))
        return 1
    try:
        # a store named with --db or BRIEFPACK_DB must exist ('briefpack init' makes one)
        store = Store.open(path, create=not paths.db_path_is_chosen(args.db))
    except BriefpackError as exc:
        lock.release()
        show_error(None, "briefpack cannot open the store", str(exc))
        return 1
    settings.last_store = path
    settings.add_recent("stores", str(path))
    window = MainWindow(store, settings, lock=lock,
                        priorities_path=Path(args.priorities) if args.priorities else None)
    window.show()
    code = app.exec()
    store.close()
    return code

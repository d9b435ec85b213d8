"""The one place that finds templates/, assets/, data/ and the user's data directory.

From a checkout (``pip install -e .``) the folders sit beside the package; from a normal
install they are packaged inside it as ``briefpack/_resources/``.
"""

from __future__ import annotations

import os
import stat
from functools import cache
from pathlib import Path

import platformdirs

from .errors import BriefpackError

APP = "briefpack"
_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_root() -> Path:
    """The folder holding templates/, assets/ and data/."""
    for root in (_PACKAGE / "_resources", _PACKAGE.parent):
        if (root / "templates").is_dir() and (root / "data").is_dir():
            return root
    raise FileNotFoundError(
        f"briefpack's resources (templates/, assets/, data/) were not found beside {_PACKAGE}; "
        "reinstall briefpack"
    )


def templates_dir() -> Path:
    return resource_root() / "templates"


def assets_dir() -> Path:
    return resource_root() / "assets"


def data_dir() -> Path:
    return resource_root() / "data"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def user_templates_dir() -> Path:
    """The user's own templates (a copy of a built-in one, changed): looked up before
    briefpack's, and kept when briefpack is upgraded."""
    return user_data_dir() / "templates"


def log_dir() -> Path:
    """Where the app writes its log: errors no code caught, with their tracebacks."""
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def default_db_path() -> Path:
    """BRIEFPACK_DB if set, else ``briefpack.db`` in the user data dir."""
    env = os.environ.get("BRIEFPACK_DB")
    return Path(env) if env else user_data_dir() / "briefpack.db"


def db_path_is_chosen(db_option: str | None) -> bool:
    """Whether the store was named (``--db`` or BRIEFPACK_DB) rather than the default."""
    return bool(db_option or os.environ.get("BRIEFPACK_DB"))


def backups_dir(db_path: Path) -> Path:
    """Backups live beside the store they protect."""
    return db_path.parent / "backups"


# -- the store's own files are never a user's input or output --------------------------------
#
# Reading the store (or its -wal/-shm) as a plain file and closing it drops every POSIX lock
# SQLite holds on it in this process; writing over it destroys it. So every path a user
# chooses goes through ``check_input`` before it is opened and ``check_output`` before it
# is written. Both compare with ``os.path.samefile`` (stat, never open) against every store
# this process uses, whichever front end (the CLI, the app, a worker) opened it.

#: what SQLite keeps beside a store
COMPANIONS = ("-wal", "-shm", "-journal")

#: the stores this process uses (absolute path -> how many times opened)
_IN_USE: dict[str, int] = {}


class PathRefused(BriefpackError):
    """A path a user chose that briefpack must not read or write."""

    def __init__(self, path: Path, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


def use_store(path: Path | str) -> None:
    """Note that this process uses the store at ``path`` (until ``done_with_store``)."""
    key = os.path.abspath(path)
    _IN_USE[key] = _IN_USE.get(key, 0) + 1


def done_with_store(path: Path | str) -> None:
    key = os.path.abspath(path)
    left = _IN_USE.get(key, 0) - 1
    if left > 0:
        _IN_USE[key] = left
    else:
        _IN_USE.pop(key, None)


def stores_in_use() -> list[Path]:
    return [Path(p) for p in _IN_USE]


def store_files(db_path: Path) -> list[Path]:
    """The store and the files SQLite keeps beside it."""
    return [db_path, *(Path(f"{db_path}{suffix}") for suffix in COMPANIONS)]


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _store_role(path: Path, stores: list[Path]) -> str | None:
    """What ``path`` is to one of ``stores`` (the store, its -wal …, a backup), or None."""
    for db in stores:
        if not db.exists():
            continue  # (gone, or not made yet: nothing of it to protect)
        for own in store_files(db):
            if _same(path, own):
                return "the briefpack store" + (f" ({own.name[len(db.name):]} file)"
                                               if own != db else "") + f" {db}"
            # not there yet, but SQLite would take it for the store's own once written
            if own.name == path.name and _same(path.parent, own.parent):
                return f"a file SQLite keeps beside the briefpack store {db}"
        backups = backups_dir(db)
        real = Path(os.path.realpath(path))
        if (_same(real.parent, backups) or _same(real, backups)
                or (path.exists() and backups.is_dir()
                    and any(_same(path, kept) for kept in backups.iterdir()))):
            return f"in the backups folder of the briefpack store {db}"
    return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device or other special file"


def check_input(path: Path | str, *, stores: list[Path] | None = None) -> None:
    """Refuse, before anything opens it, an input path that is a store this process uses
    (or its -wal, -shm or journal) or not a regular file (a FIFO, a device, a folder would
    hang or mislead the reader). A path that does not exist is left to the reader."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError:
        return
    role = _store_role(path, stores_in_use() if stores is None else stores)
    if role and "backups folder" not in role:
        raise PathRefused(path, f"refused: this is {role}; briefpack reads its store only "
                          "through SQLite (choose a packet, sheet or visit file)")
    if not stat.S_ISREG(info.st_mode):
        raise PathRefused(path, f"refused: {_kind(info.st_mode)}, not a regular file")


def check_output(path: Path | str, *, stores: list[Path] | None = None) -> None:
    """Refuse an output path that is a store this process uses, its -wal, -shm or
    journal, one of its backups (anything in its backups folder), or anything but a
    regular file (``/dev/full``, a FIFO, a folder) that exists already."""
    path = Path(path)
    role = _store_role(path, stores_in_use() if stores is None else stores)
    if role:
        raise PathRefused(path, f"refused: this is {role}; choose another file to write")
    try:
        info = path.stat()
    except OSError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise PathRefused(path, f"refused: {_kind(info.st_mode)}, not a regular file; "
                          "give the path of a file to write")


def check_output_folder(folder: Path | str, *, stores: list[Path] | None = None) -> None:
    """Refuse an output folder that is a store's backups folder (or a store's file)."""
    folder = Path(folder)
    for db in stores_in_use() if stores is None else stores:
        if _same(folder, backups_dir(db)) or any(_same(folder, f) for f in store_files(db)):
            raise PathRefused(folder, f"refused: this is where the briefpack store {db} "
                              "keeps its backups; choose another folder")

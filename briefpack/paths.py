"""The one place that finds templates/, assets/, data/ and the user's data directory.

From a checkout (``pip install -e .``) the folders sit beside the package; from a normal
install they are packaged inside it as ``briefpack/_resources/``.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import platformdirs

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

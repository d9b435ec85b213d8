"""Shared fixtures. Qt runs offscreen; stores live in memory or in a temp dir."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from briefpack.store import Store  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """No test touches the real user data dir or store."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("BRIEFPACK_DB", str(home / "briefpack.db"))
    monkeypatch.setenv("BRIEFPACK_USER", "test.user")


@pytest.fixture(scope="session")
def _sample_template():
    return Store.memory(seed=True)


@pytest.fixture
def sample_store(_sample_template):
    """A fresh in-memory copy of the sample store (cheap: SQLite backup)."""
    store = Store.memory()
    _sample_template.db.conn.backup(store.db.conn)
    return store


@pytest.fixture
def empty_store():
    return Store.memory()


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: ``code, out, err = cli("--db", path, "show", "NOR")``."""
    from briefpack.cli import main

    def run(*argv):
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run

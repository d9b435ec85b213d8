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
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))  # the app's log folder
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("BRIEFPACK_DB", raising=False)  # the default store: in XDG_DATA_HOME
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


@pytest.fixture(scope="session")
def _seeded_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("seeded") / "template.db"
    Store.open(path).close()
    return path


@pytest.fixture
def seeded_db(_seeded_file, tmp_path):
    """The path of a fresh store file filled from the sample data (a copy, so cheap)."""
    import shutil

    path = tmp_path / "store.db"
    shutil.copyfile(_seeded_file, path)
    return path


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

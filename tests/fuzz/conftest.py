"""The fuzz suite: generated hostile inputs run through the real CLI, in-process.

Every test here is marked ``fuzz``. The default run is short and repeatable (few examples,
derandomised); a longer, random run:

    BRIEFPACK_FUZZ_EXAMPLES=2000 python -m pytest -m fuzz tests/fuzz

Each run checks the same promises: the command exits 0, or reports a BriefpackError whose
message names the file; no traceback; the store is unchanged or holds exactly what was
imported; ``PRAGMA integrity_check`` is ok; nothing above the ceiling reaches an output.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from briefpack import model
from briefpack.cli import main
from briefpack.store import Store

_LONG_RUN = int(os.environ.get("BRIEFPACK_FUZZ_EXAMPLES", "0") or 0)


def fuzz_settings(default_examples: int):
    """Few repeatable examples by default; BRIEFPACK_FUZZ_EXAMPLES random ones if set."""
    return settings(
        max_examples=_LONG_RUN or default_examples,
        derandomize=not _LONG_RUN,
        deadline=None,
        database=None if not _LONG_RUN else settings.default.database,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.fuzz)


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*argv) -> Run:
    """The CLI in-process; any exception but SystemExit (argparse) escapes: a traceback
    shown to a user is a bug."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return Run(code, out.getvalue(), err.getvalue())


def check_outcome(run: Run, path: Path | None = None) -> None:
    """Exit 0, or a one-line-per-problem error (naming ``path``) without a traceback."""
    assert "Traceback" not in run.err, run.err
    if run.code == 0:
        return
    # not done, usage, bad data or refused; never 4 (input/output): these files are readable
    assert run.code in (1, 2, 3, 5), (run.code, run.err)
    assert run.err.startswith(("briefpack: ", "usage: ")), run.err
    if path is not None and run.err.startswith("briefpack: "):
        assert str(path) in run.err, run.err


def tables(db: Path) -> dict[str, list]:
    """Every row of every data table (the audit log aside), for 'unchanged' checks."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        names = ("countries", *model.TABLES, "visits")
        return {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid").fetchall()
                for t in names}


def integrity(db: Path) -> str:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """A sample store on disk, copied for every example (copying beats seeding)."""
    path = tmp_path_factory.mktemp("fuzz") / "template.db"
    store = Store.memory(seed=True)
    store.backup_to(path)
    store.close()
    return path


@pytest.fixture
def fresh_db(template_db):
    """A function that returns a fresh copy of the sample store in a new folder."""
    made = []

    def make() -> Path:
        folder = Path(tempfile.mkdtemp(prefix="briefpack-fuzz-"))
        made.append(folder)
        db = folder / "store.db"
        shutil.copyfile(template_db, db)
        return db

    yield make
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)


# -- hostile values ---------------------------------------------------------------------

HOSTILE_TEXT = st.sampled_from([
    "", " ", "\x00", "\x1b[2J\x1b]0;pwned\x07", "\u202eevil", "=cmd|' /C calc'!A0", "+1", "@SUM(1)",
    "W" * 300, "Title " * 900, "²", "\u0661\u0662", "SECRET", "TOP SECRET", "S3CR3T",
    "OFFICIAL - 5ECRET USE ONLY", "OFFICIAL - COSMIC USE ONLY", "NaN", "1e30", "-1",
    "99999999999999999999", "2026-13-01", "0001-01-01", "null", "~", "'", '"', "\\",
    "{{ country.name }}", "<b>bold</b>", "&amp;", "\ufeff", "\ud7ff", "\U0001f600",
])
HOSTILE_NUMBERS = st.sampled_from([
    0, -1, -2**63, 2**63, 2**64, 10**30, 1e30, -1e30, float("nan"), float("inf"),
    float("-inf"), 1.5, 0.1, 2012, 20120, -2012, True, False,
])
HOSTILE_VALUES = st.one_of(
    HOSTILE_TEXT, HOSTILE_NUMBERS, st.none(), st.text(max_size=40),
    st.integers(), st.floats(), st.dates(), st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
MARKING_TEXT = st.one_of(
    st.sampled_from([
        "OFFICIAL", "OFFICIAL-SENSITIVE", "OFFICIAL - PERSONAL DATA", "official sensitive",
        "OFFICIAL-SENSITIVE - RECIPIENTS ONLY - COMMERCIAL", "OFFICIAL - MOD USE ONLY",
        "SECRET", "Top Secret", "S E C R E T", "SEC\u200bRET", "OFFICIAL - SE CRET USE ONLY",
        "OFFICIAL - SECRE T", "OFFICIAL - 5ECRET USE ONLY", "OFFICIAL - S3CR3T USE ONLY",
        "OFFICIAL - TS USE ONLY", "OFFICIAL - COSMIC USE ONLY", "OFFICIAL - NATO USE ONLY",
        "OFFICIAL-SENSITIVE UK EYES ONLY", "RESTRICTED", "UNCLASSIFIED",
        "OFFICIAL - \u0405\u0415\u0421R\u0415\u0422", "OFFICIAL \x1b[31m", "OFFICIAL\x00",
        "OFFICIAL - " + "B" * 300 + " USE ONLY",
    ]),
    st.text(max_size=60),
    st.lists(st.sampled_from(["OFFICIAL", "-", "SENSITIVE", "SECRET", "5", "3", "S", "E",
                              "C", "R", "T", "USE", "ONLY", "MOD", "TS", "COSMIC", " ",
                              "PERSONAL DATA", "EYES", "UK", "RECIPIENTS", "TOP"]),
             max_size=8).map(" ".join),
)

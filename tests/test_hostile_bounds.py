"""Issue 20: hostile input costs bounded memory and time and ends in one named error:
integers of thousands of digits, files of millions of tiny items, another application's
SQLite file (never changed before it is known to be a store), a priorities weight of 1e308."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from briefpack import paths, yamlio
from briefpack.errors import DataError, Problem, StoreError
from briefpack.jsonio import loads as json_loads
from briefpack.store import Store
from briefpack.store.packets import _dump, checksum, export_packet, parse_packet

from fixtures_stores import big_packet_text

DIGITS = "7" * 5000
NORWAY_VISIT = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"
ROOT = Path(__file__).resolve().parent.parent


def _nor_packet(db: Path, form: str, value: str) -> str:
    store = Store.open(db, create=False)
    data = yaml.safe_load(export_packet(store, "NOR"))
    store.close()
    data["sections"]["agreements"][0]["jobs"] = 424242
    data["checksum"] = checksum(data)
    text = json.dumps(data, default=str) if form == "json" else _dump(data)
    assert "424242" in text
    return text.replace("424242", value, 1)


@pytest.mark.parametrize("case", ["import YAML", "import JSON", "build", "readout",
                                  "--priorities", "import-csv jobs", "import-csv value",
                                  "import-csv year", "import-csv id"])
def test_an_integer_of_thousands_of_digits_is_one_named_error(cli, seeded_db, tmp_path, case):
    if case.startswith("import ") and not case.startswith("import-csv"):
        form = case.split()[1].lower()
        path = tmp_path / f"nor.{form}"
        path.write_text(_nor_packet(seeded_db, form, DIGITS), encoding="utf-8")
        argv = ["import", path]
    elif case in ("build", "readout"):
        path = tmp_path / "visit.yaml"
        path.write_text(NORWAY_VISIT.read_text(encoding="utf-8").replace(
            "\ntitle:", f"\ncopy_number: {DIGITS}\ntitle:", 1), encoding="utf-8")
        assert DIGITS in path.read_text(encoding="utf-8")
        argv = [case, path]
    elif case == "--priorities":
        path = tmp_path / "p.yaml"
        path.write_text((paths.data_dir() / "priorities.yaml").read_text(encoding="utf-8")
                        .replace("weight: 15", f"weight: {DIGITS}", 1), encoding="utf-8")
        argv = ["--priorities", path, "rank"]
    else:
        column = case.split()[1]
        path = tmp_path / "alumni.csv"
        cells = {"jobs": ("name,course,year,jobs", f"Ann,ACSC,2001,{DIGITS}"),
                 "value": ("programme,company,value_gbp", f"Typhoon,BAE,{DIGITS}"),
                 "year": ("name,course,year", f"Ann,ACSC,{DIGITS}"),
                 "id": ("id,name,course,year", f"{DIGITS},Ann,ACSC,2001")}[column]
        table = "exports" if column == "value" else "agreements" if column == "jobs" \
            else "alumni"
        if column == "jobs":
            cells = ("name,jobs", f"Pact,{DIGITS}")
        path.write_text("\n".join(cells) + "\n", encoding="utf-8")
        argv = ["import-csv", table, path, "--country", "NOR"]
    before = Store.open(seeded_db, create=False)
    rows = before.revision()
    before.close()
    code, _, err = cli("--db", seeded_db, *argv)
    assert code == 3, err
    assert "Traceback" not in err and err.startswith("briefpack: ")
    assert any(w in err for w in ("too long", "too large", "not a finite number")), err
    assert DIGITS not in err  # named, not echoed in full
    after = Store.open(seeded_db, create=False)
    assert after.revision() == rows
    after.close()


@given(digits=st.integers(4290, 6000), sign=st.sampled_from(["", "-", "+"]),
       zeros=st.integers(0, 3))
@settings(max_examples=25, deadline=None)
def test_no_length_of_integer_escapes_as_a_traceback(digits, sign, zeros):
    from briefpack.coercion import Refused, whole

    number = sign + "0" * zeros + "9" * digits
    for read, text in ((yamlio.loads, f"a: {number}\n"), (json_loads, f'{{"a": {number}}}')):
        try:  # read (below Python's 4,300 digits) or a named error; nothing else
            assert read(text, "x")["a"] is not None  # (YAML reads "0999" as text)
        except DataError as exc:  # too long, or a leading zero JSON does not allow
            assert "too long" in str(exc) or zeros or sign == "+"  # (JSON has no +1)
    with pytest.raises(Refused, match="too large"):
        whole(number)


def test_a_long_run_of_zeros_is_still_the_small_number_it_is():
    from briefpack.coercion import whole

    assert whole("0" * 5000 + "42") == 42


# -- files of millions of tiny items --------------------------------------------------------

@given(n=st.integers(1, 400), shape=st.sampled_from(["- a\n", "a,", "k: v\n", "{a: 1}\n",
                                                    ",\n", "1;"]))
@settings(max_examples=50, deadline=None)
def test_the_item_estimate_is_never_below_the_items(n, shape):
    text = shape * n
    assert yamlio.count_items(text) >= n
    with pytest.raises(DataError, match="too many items"):
        yamlio.refuse_too_many_items(text * 3, "x", limit=max(1, n - 1))


def test_a_ten_thousand_record_packet_is_within_the_item_limit(sample_store):
    text = big_packet_text(sample_store, "NOR", 10000)
    assert yamlio.count_items(text) < yamlio.MAX_ITEMS
    packet = parse_packet(text, "big.yaml")
    assert len(packet.records["agreements"]) == 10000


def test_a_file_written_by_hand_is_held_to_fewer_items(tmp_path):
    path = tmp_path / "visit.yaml"
    path.write_text("title: x\nobjectives:\n" + "- a\n" * yamlio.MAX_FILE_ITEMS,
                    encoding="utf-8")
    with pytest.raises(DataError, match="too many items"):
        yamlio.load(path)


def test_an_error_lists_the_first_hundred_problems_and_counts_the_rest():
    error = DataError([Problem("x.yaml", i, "f", "wrong") for i in range(1, 5001)])
    text = str(error)
    assert text.startswith("5000 problems:") and "… and 4,900 more" in text
    assert len(text.splitlines()) == 102 and len(error.problems) == 5000


_CHILD = """
import resource, sys
from briefpack.cli import main
code = main(sys.argv[1:])
with open('/proc/self/status', encoding='ascii') as status:
    peak = next(int(l.split()[1]) // 1024 for l in status if l.startswith('VmHWM:'))
print(f"PEAK {peak}", file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM (Linux)")
@pytest.mark.parametrize("shape", ["yaml visit", "json packet", "csv sheet"])
def test_a_31_mb_file_of_tiny_items_fails_in_bounded_memory_and_time(seeded_db, tmp_path,
                                                                     shape):
    import resource

    size = 31 * 1024 * 1024
    if shape == "yaml visit":
        path, argv = tmp_path / "v.yaml", ["build", "FILE"]
        path.write_text("title: x\nobjectives:\n" + "- a\n" * (size // 4), encoding="utf-8")
    elif shape == "json packet":
        path, argv = tmp_path / "p.json", ["import", "FILE"]
        path.write_text('{"sections": {"agreements": [' + '{"name":"a"},' * (size // 13)
                        + '{"name":"a"}]}}', encoding="utf-8")
    else:
        path, argv = tmp_path / "s.csv", ["import-csv", "alumni", "FILE", "--country", "NOR"]
        path.write_text("name,course\n" + ",\n" * (size // 2), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, "--db", str(seeded_db),
         *[str(path) if a == "FILE" else a for a in argv]],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = int(next(line for line in done.stderr.splitlines()
                    if line.startswith("PEAK ")).split()[1])
    assert done.returncode == 3 and "too many items" in done.stderr
    assert peak < 500, f"{peak} MB"
    assert cpu < 10, f"{cpu:.1f} s of CPU"


# -- another application's SQLite file ------------------------------------------------------

def _file_state(path: Path) -> tuple:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    tables = sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master"))
    conn.close()
    return path.read_bytes(), mode, tables, Path(f"{path}-wal").exists()


@pytest.mark.parametrize("tables", [["invoices (id integer)"],
                                    ["countries (code text)", "audit (id integer)"],
                                    ["countries (code text)", "audit (id integer)",
                                     "_sqlite_migrations (migration_set text, name text, "
                                     "applied_at text)"]],
                         ids=["another app", "briefpack's table names", "another set"])
def test_another_applications_sqlite_file_is_refused_untouched(cli, tmp_path, tables):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    for table in tables:
        conn.execute(f"CREATE TABLE {table}")
    if "_sqlite_migrations" in " ".join(tables):
        conn.execute("INSERT INTO _sqlite_migrations VALUES ('otherapp', 'm1', 'x')")
    conn.commit()
    conn.close()
    before = _file_state(path)
    with pytest.raises(StoreError, match="not a briefpack store"):
        Store.open(path, create=False)
    code, _, err = cli("--db", path, "countries")
    assert code != 0 and "not a briefpack store" in err
    assert _file_state(path) == before  # not WAL, no _sqlite_migrations, no -wal


def test_an_empty_sqlite_file_still_becomes_a_store(tmp_path):
    path = tmp_path / "empty.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.execute("VACUUM")
    conn.close()
    Store.open(path, seed=False).close()
    assert "countries" in {r[0] for r in sqlite3.connect(path).execute(
        "SELECT name FROM sqlite_master")}


# -- priorities ------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["1e308", "1.0e+300", "1001", str(10 ** 18)])
def test_a_priorities_weight_out_of_bounds_is_a_named_error(cli, seeded_db, tmp_path, value):
    path = tmp_path / "p.yaml"
    path.write_text((paths.data_dir() / "priorities.yaml").read_text(encoding="utf-8")
                    .replace("weight: 15", f"weight: {value}", 1), encoding="utf-8")
    code, _, err = cli("--db", seeded_db, "--priorities", path, "rank")
    assert code == 3 and "weight" in err and "Traceback" not in err, err

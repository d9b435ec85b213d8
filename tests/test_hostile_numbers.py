"""Hostile numbers and dates: each a named error with file, line and field; nothing applied."""

from __future__ import annotations

import pytest
import yaml

from briefpack.errors import DataError
from briefpack.store import Store
from briefpack.store.packets import _dump, checksum, export_packet, parse_packet

BIG = "99999999999999999999"


@pytest.fixture
def db(tmp_path, cli):
    path = tmp_path / "s.db"
    assert cli("--db", path, "init")[0] == 0
    return path


def packet_with(store: Store, table: str, **fields) -> str:
    data = yaml.safe_load(export_packet(store, "NOR"))
    if table == "country":
        data["sections"]["country"].update(fields)
    else:
        data["sections"][table][0].update(fields)
    data["checksum"] = checksum(data)
    return _dump(data)


def refusal(store: Store, table: str, **fields) -> str:
    text = packet_with(store, table, **fields)
    with pytest.raises(DataError) as caught:
        parse_packet(text, "nor.yaml")
    problem, = caught.value.problems
    assert problem.file == "nor.yaml" and problem.line
    return str(problem)


@pytest.mark.parametrize(
    ("table", "fields", "expected"),
    [
        ("agreements", {"jobs": 1e30}, r"\[agreements\[1\].jobs\]: 1e\+30 is too large"),
        ("agreements", {"jobs": -5}, r"\[agreements\[1\].jobs\]: -5 is out of range"),
        ("agreements", {"id": 2**63}, r"\[agreements\[1\].id\]: 9223372036854775808 is too large"),
        ("agreements", {"id": 0}, r"\[agreements\[1\].id\]: 0 is out of range: expected 1 or"),
        ("agreements", {"value_gbp": float("nan")}, r"value_gbp\]: nan is not a finite"),
        ("agreements", {"value_gbp": float("inf")}, r"value_gbp\]: inf is not a finite"),
        ("agreements", {"id": "²"}, r"\[agreements\[1\].id\]: '²' is not a whole number"),
        ("alumni", {"year": -2012}, r"\[alumni\[1\].year\]: -2012 is out of range: expected 1900"),
        ("alumni", {"year": 20120}, r"year\]: 20120 is out of range"),
        ("country", {"priority_tier": -1}, r"\[country.priority_tier\]: -1 is out of range"),
        ("agreements", {"signed": "1066-10-14"}, r"signed\]: 1066-10-14 is not a date between"),
        ("agreements", {"signed": "2999-01-01"}, r"signed\]: 2999-01-01 is not a date between"),
    ],
)
def test_hostile_numbers_in_a_packet_are_named_errors(sample_store, table, fields, expected):
    import re

    from briefpack import model

    sample_store.save(model.Alumnus(country="NOR", name="Kari Nordmann", year=2012))
    assert re.search(expected, refusal(sample_store, table, **fields))


def test_yaml_special_floats_are_refused(sample_store):
    text = packet_with(sample_store, "agreements", value_gbp=1.0).replace(
        "value_gbp: 1.0", "value_gbp: .nan", 1)
    with pytest.raises(DataError, match="nan is not a finite number"):
        parse_packet(text, "nor.yaml")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (BIG, f"row 2.id]: '{BIG}' is too large"),
        ("²", "row 2.id]: '²' is not a whole number"),
        ("-3", "row 2.id]: -3 is out of range"),
        ("\u0661\u0662", "is not a whole number"),  # Arabic-Indic digits
    ],
)
def test_hostile_ids_in_a_sheet_are_named_errors(cli, db, tmp_path, cell, message):
    path = tmp_path / "alumni.csv"
    path.write_text(f"id,name,year\n{cell},A Person,2012\n", encoding="utf-8")
    before = Store.open(db).revision()
    code, _, err = cli("--db", db, "import-csv", "alumni", path, "--country", "NOR")
    assert code == 3 and "Traceback" not in err
    assert err.startswith(f"briefpack: {path}:2 [") and message in err
    assert Store.open(db).revision() == before


@pytest.mark.parametrize(
    ("cell", "message"),
    [("1e30", "'1e30' is not a whole number"), ("-1", "-1 is out of range"),
     ("nan", "'nan' is not a whole number"), ("1.5", "'1.5' is not a whole number")],
)
def test_hostile_jobs_in_a_sheet(cli, db, tmp_path, cell, message):
    path = tmp_path / "exports.csv"
    path.write_text(f"programme,company,jobs\nTyphoon,BAE Systems,{cell}\n")
    code, _, err = cli("--db", db, "import-csv", "exports", path, "--country", "NOR")
    assert code == 3 and message in err and "[row 2.jobs]" in err


@pytest.mark.parametrize("record_id", [BIG, "²", "0", "-1", "1e3"])
def test_mark_refuses_ids_that_are_not_record_ids(cli, db, record_id):
    code, _, err = cli("--db", db, "mark", "agreements", record_id, "OFFICIAL")
    assert code == 2
    assert err == f"briefpack: a record id is a whole number from 1 to " \
                  f"9,223,372,036,854,775,807, not {record_id!r}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("review-due", "--today", "2026-13-01"),
         "argument --today: '2026-13-01' is not a date; write it as YYYY-MM-DD"),
        (("review-due", "--today", "0026-01-01"), "is not a date between 1900 and 2100"),
        (("score", "NOR", "--visit", BIG), f"argument --visit: '{BIG}' is too large"),
        (("score", "NOR", "--visit", "²"), "argument --visit: '²' is not a whole number"),
        (("score", "NOR", "--today", "2026-02-30"), "argument --today: '2026-02-30' is not a date"),
        (("currency", "NOR", "--max-age", BIG), "argument --max-age"),
        (("rank", "--top", "1e30"), "argument --top: '1e30' is not a whole number"),
    ],
)
def test_bad_numbers_and_dates_on_the_command_line(cli, db, capsys, argv, message):
    with pytest.raises(SystemExit) as caught:
        cli("--db", db, *argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_command_line_values_read_well(db, capsys):
    from briefpack.cli import main

    with pytest.raises(SystemExit):
        main(["--db", str(db), "review-due", "--today", "2026-13-01"])
    err = capsys.readouterr().err
    assert err.rstrip().endswith(
        "error: argument --today: '2026-13-01' is not a date; write it as YYYY-MM-DD, "
        "e.g. 2026-03-14")
    assert "Traceback" not in err


def test_a_visit_id_that_is_not_stored_is_a_named_error(cli, db):
    code, _, err = cli("--db", db, "score", "NOR", "--visit", "9999999999")
    assert code == 2 and err == "briefpack: no visit 9999999999 in the store\n"


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_priorities_weights_must_be_finite(tmp_path, value):
    from briefpack.paths import data_dir
    from briefpack.priorities import load_priorities

    text = (data_dir() / "priorities.yaml").read_text()
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("weight: 15", f"weight: {value}", 1))
    with pytest.raises(DataError, match=r"p.yaml:\d+ \[objectives\[homeland\].weight\]: "
                                        r"-?(nan|inf) is not a finite number"):
        load_priorities(path)


@pytest.mark.parametrize("where", ["criteria", "objectives"])
def test_a_list_as_a_priorities_key_is_a_named_error(tmp_path, where):
    from briefpack.paths import data_dir
    from briefpack.priorities import load_priorities

    data = yaml.safe_load((data_dir() / "priorities.yaml").read_text())
    objective = data["objectives"][0]
    (objective["criteria"][0] if where == "criteria" else objective)["key"] = []
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(DataError, match=r"p.yaml:\d+ .*key\]: \[\] is not a key: write lower case"):
        load_priorities(path)

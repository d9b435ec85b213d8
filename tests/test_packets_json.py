"""The JSON packet form: same content and checksum as YAML, one record per line, errors with
file, line and field, and every refusal the YAML form has."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from briefpack import jsonio, model
from briefpack.errors import DataError
from briefpack.store import Store
from briefpack.store.packets import (
    checksum, format_packet, packet_content, packet_form, parse_packet, plan_import,
    read_packet)

from test_packets import dump_tables, store  # noqa: F401  (the fixture)


def json_text(content: dict) -> str:
    """Packet content as JSON the way briefpack writes it, checksum redone."""
    content["checksum"] = checksum(content)
    return format_packet(content, "json")


def content_of(store: Store, code: str = "FRA") -> dict:
    return json.loads(format_packet(packet_content(store, code), "json"))


def only_problem(text: str, name: str = "p.json"):
    with pytest.raises(DataError) as caught:
        parse_packet(text, name, form=packet_form(name))
    problem, = caught.value.problems
    return problem


def line_holding(text: str, fragment: str) -> int:
    found = [i for i, line in enumerate(text.splitlines(), 1) if fragment in line]
    assert len(found) == 1, (fragment, found)
    return found[0]


def signature(plan) -> list[tuple]:
    return [(c.kind, c.table, c.key, c.fields, c.conflict) for c in plan.changes]


# -- the same content as YAML ------------------------------------------------------------------

def test_json_and_yaml_of_one_export_plan_identically_with_one_checksum(store, sample_store):
    for source, code in ((store, "FRA"), (sample_store, "NOR"), (sample_store, "USA")):
        content = packet_content(source, code)
        for record in content["sections"]["agreements"]:
            record["status"] = "expired"  # a change for the plans to show
        content["checksum"] = checksum(content, trusted=True)
        as_json = parse_packet(format_packet(content, "json"), "p.json", form="json")
        as_yaml = parse_packet(format_packet(content, "yaml"), "p.yaml")
        assert as_json.checksum_ok and as_yaml.checksum_ok
        assert ({t: [loc.record for loc in locs] for t, locs in as_json.records.items()}
                == {t: [loc.record for loc in locs] for t, locs in as_yaml.records.items()})
        assert signature(plan_import(source, as_json)) == signature(plan_import(source, as_yaml))
        assert plan_import(source, as_json).counts()["changed"] == len(
            content["sections"]["agreements"])


def test_the_checksum_is_over_content_not_form(store):
    """JSON made by another program from a YAML packet (dates become text, any layout)
    carries the YAML packet's checksum, and it matches."""
    text = format_packet(packet_content(store, "FRA"), "yaml")
    data = yaml.safe_load(text)
    machine_made = json.dumps(data, indent=3, default=str)
    packet = parse_packet(machine_made, "made.json", form="json")
    assert packet.checksum_ok
    assert data["checksum"] == checksum(json.loads(machine_made))
    assert plan_import(store, packet).is_empty


def test_one_record_per_line_and_valid_json(store):
    text = format_packet(packet_content(store, "FRA"), "json")
    data = json.loads(text)
    lines = text.splitlines()
    for records in data["sections"].values():
        if isinstance(records, list):
            for record in records:
                assert "      " + json.dumps(record, ensure_ascii=False) in {
                    line.rstrip(",") for line in lines}
    assert lines[0] == "{" and lines[-1] == "}"
    assert lines[1] == '  "packet": "briefpack country packet",'


def test_a_line_separator_in_stored_text_stays_inside_its_record(store):
    """U+2028 is a line break to some readers: written escaped, so a record is one line."""
    store.db.execute("UPDATE agreements SET commits = 'one\u2028two\x85three' "
                     "WHERE name = 'Lancaster House'")
    text = format_packet(packet_content(store, "FRA"), "json")
    assert "\u2028" not in text and "\\u2028" in text and "\\u0085" in text
    assert parse_packet(text, "p.json", form="json").checksum_ok


def test_the_form_is_chosen_by_suffix_then_by_the_first_character():
    assert packet_form("a.json") == "json" and packet_form("a.JSON", "x: 1") == "json"
    assert packet_form("a.yaml", "{}") == "yaml" and packet_form("a.yml") == "yaml"
    assert packet_form("a.txt", "  \n {\n") == "json"
    assert packet_form("a.txt", "packet: x") == "yaml" and packet_form("packet") == "yaml"


# -- the CLI -----------------------------------------------------------------------------------

def test_cli_export_to_json_then_import(cli, seeded_db, tmp_path):
    path = tmp_path / "nor.json"
    code, _, err = cli("--db", seeded_db, "export", "NOR", "--out", path)
    assert code == 0 and f"wrote {path}" in err
    assert path.read_text().startswith('{\n  "packet": "briefpack country packet",')
    code, out, _ = cli("--db", seeded_db, "import", path, "--dry-run")
    assert code == 0 and "no changes: the store already holds this data" in out

    data = json.loads(path.read_text())
    data["sections"]["agreements"][0]["jobs"] = 4321
    path.write_text(json_text(data))
    for name in ("nor.json", "nor-json.txt"):  # not by its suffix: by its first character
        copy = tmp_path / name
        copy.write_text(path.read_text())
        code, out, _ = cli("--db", seeded_db, "import", copy, "--dry-run")
        assert code == 0 and "jobs:" in out and "-> 4321" in out
    code, out, _ = cli("--db", seeded_db, "import", path, "--prefer", "theirs")
    assert code == 0 and "applied: 0 added, 1 changed" in out
    assert 4321 in [a.jobs for a in Store.open(seeded_db).records("agreements", "NOR")]


def test_cli_export_json_to_standard_output_and_to_any_name(cli, seeded_db, tmp_path):
    code, out, _ = cli("--db", seeded_db, "export", "NOR", "--json")
    assert code == 0 and json.loads(out)["country"] == "NOR"
    assert out.count("\n") > 10  # one record per line, not one long line
    path = tmp_path / "nor.packet"
    assert cli("--db", seeded_db, "export", "NOR", "--json", "--out", path)[0] == 0
    assert json.loads(path.read_text())["sections"]["country"]["name"] == "Norway"
    code, out, _ = cli("--db", seeded_db, "import", path, "--dry-run")
    assert code == 0 and "no changes" in out


def test_cli_export_refuses_json_named_as_yaml(cli, seeded_db, tmp_path):
    path = tmp_path / "nor.yaml"
    code, _, err = cli("--db", seeded_db, "export", "NOR", "--json", "--out", path)
    assert code != 0 and "name it nor.json" in err and "Traceback" not in err
    assert not path.exists()


def test_a_refused_json_import_applies_nothing(cli, seeded_db, tmp_path):
    path = tmp_path / "nor.json"
    assert cli("--db", seeded_db, "export", "NOR", "--out", path)[0] == 0
    data = json.loads(path.read_text())
    data["sections"]["agreements"][0]["jobs"] = 4321  # fine
    data["sections"]["export_opportunities"][0]["quantity"] = "many"  # not fine
    text = json_text(data)
    path.write_text(text)
    store = Store.open(seeded_db)
    before, revision = dump_tables(store), store.revision()
    store.close()
    code, out, err = cli("--db", seeded_db, "import", path, "--prefer", "theirs")
    line = line_holding(text, '"quantity": "many"')
    assert code == 3 and "Traceback" not in err
    assert err.startswith(f"briefpack: {path}:{line} [export_opportunities[1].quantity]: ")
    assert "'many'" in err and "whole number" in err and len(err.strip().splitlines()) == 1
    store = Store.open(seeded_db)
    assert dump_tables(store) == before and store.revision() == revision


# -- errors name file, line and field ----------------------------------------------------------

def test_a_bad_value_in_a_one_line_record_names_its_line_and_field(store):
    data = content_of(store)
    data["sections"]["alumni"][0]["year"] = "x"
    text = json_text(data)
    problem = only_problem(text)
    assert (problem.file, problem.line, problem.field) == (
        "p.json", line_holding(text, '"year": "x"'), "alumni[1].year")
    as_yaml = only_problem(format_packet(json.loads(text), "yaml"), "p.yaml")
    assert (problem.field, problem.message) == (as_yaml.field, as_yaml.message)
    assert "'x'" in problem.message and "whole number" in problem.message


def test_a_bad_value_in_a_hand_edited_record_names_the_line_of_its_field(store):
    data = content_of(store)
    data["sections"]["agreements"][1]["signed"] = "4 May 2020"
    text = json_text(data)
    record = json.dumps(data["sections"]["agreements"][1], ensure_ascii=False)
    spread = json.dumps(data["sections"]["agreements"][1], ensure_ascii=False, indent=8)
    text = text.replace(record, spread.replace("\n}", "\n      }"))
    problem = only_problem(text)
    assert problem.line == line_holding(text, '"signed": "4 May 2020"')
    assert problem.line > line_holding(text, '"name": "Northwood Declaration"')
    assert problem.field == "agreements[2].signed"
    assert "YYYY-MM-DD" in problem.message


def test_every_problem_of_a_pretty_printed_packet_has_its_own_line(store):
    """JSON made by another program, one field per line: each problem on its field's line."""
    data = content_of(store)
    data["sections"]["agreements"][0]["jobs"] = -3
    data["sections"]["interlocutors"][0]["marking"] = "SECRET"
    data["sections"]["country"]["region"] = "Atlantis"
    data["checksum"] = checksum(data)
    text = json.dumps(data, indent=2)
    with pytest.raises(DataError) as caught:
        parse_packet(text, "p.json", form="json")
    found = {p.field: p.line for p in caught.value.problems}
    assert found == {"country.region": line_holding(text, '"Atlantis"'),
                     "agreements[1].jobs": line_holding(text, '"jobs": -3'),
                     "interlocutors[1].marking": line_holding(text, '"SECRET"')}


def test_a_record_that_is_not_a_mapping_is_named(store):
    data = content_of(store)
    data["sections"]["alumni"].append([1, 2])
    text = json_text(data)
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_holding(text, "[1, 2]"), "alumni[2]")
    assert problem.message.endswith("got a list")


def test_a_packet_on_a_single_line_reads_with_line_one(store):
    data = content_of(store)
    data["sections"]["alumni"][0]["year"] = "x"
    data["checksum"] = checksum(data)
    problem = only_problem(json.dumps(data))
    assert (problem.line, problem.field) == (1, "alumni[1].year")


# -- hostile JSON: the YAML form's refusals, with the line -------------------------------------

@pytest.mark.parametrize(("fragment", "message"), [
    ('"year": NaN', "NaN is not a number"),
    ('"year": Infinity', "Infinity is not a number"),
    ('"year": -Infinity', "-Infinity is not a number"),
    ('"year": 1e400', "1e400 is too large to be a number"),
    ('"year": ' + "9" * 5000, "a number too long to read"),
    ('"name": "\\udc00"', "\\udc00 is half of a character"),
])
def test_values_json_cannot_hold_are_refused_with_the_line(store, fragment, message):
    data = content_of(store)
    data["sections"]["alumni"][0]["year"] = "@"
    text = json_text(data).replace('"year": "@"', fragment)
    problem = only_problem(text)
    assert problem.line == line_holding(text, fragment)
    assert problem.message.startswith("not valid JSON: " + message)


@pytest.mark.parametrize("spread", [False, True])
def test_a_duplicate_key_names_both_lines(store, spread):
    data = content_of(store)
    text = json_text(data)
    record = json.dumps(data["sections"]["alumni"][0], ensure_ascii=False)
    twice = record[:-1] + ', "name": "Someone Else"}'
    if spread:
        twice = twice.replace(", ", ",\n        ")
    text = text.replace(record, twice)
    problem = only_problem(text)
    first = next(i for i, line in enumerate(text.splitlines(), 1)
                 if '"Camille Martin"' in line and "CHOD" not in line)  # the alumnus's
    second = line_holding(text, "Someone Else")
    assert problem.line == second
    assert problem.message == (f"not valid JSON: the key 'name' is given twice (also at line "
                               f"{first}): say each thing once")
    assert (first == second) is not spread


def test_big_numbers_go_through_the_same_checks_as_yaml(store):
    data = content_of(store)
    data["sections"]["agreements"][0]["id"] = 2**64
    text = json_text(data)
    problem = only_problem(text)
    assert (problem.line, problem.field) == (line_holding(text, str(2**64)), "agreements[1].id")
    as_yaml = only_problem(format_packet(json.loads(text), "yaml"), "p.yaml")
    assert problem.message == as_yaml.message and str(2**64) in problem.message


def test_control_and_bidi_characters_are_cleaned_as_in_yaml(store):
    data = content_of(store)
    data["sections"]["agreements"][0]["name"] = "Lancaster\u202e House\x1b[2J"
    packet = parse_packet(json_text(data), "p.json", form="json")
    assert packet.records["agreements"][0].record.name == "Lancaster House[2J"


@pytest.mark.parametrize("depth", [40, 2000, 100_000])
def test_deep_nesting_is_a_named_error(depth):
    for text in ('{"a": ' + "[" * depth + "]" * depth + "}",
                 "{\n" + '"a":\n' + "[\n" * depth + "]\n" * depth + "}"):
        # (the deepest is refused sooner, for its number of items, before it is parsed)
        with pytest.raises(DataError, match=r"<text>:\d+: not valid JSON: nested too deeply"
                                            r"|<text>: too many items"):
            jsonio.loads(text)


def test_a_truncated_packet_names_the_line_it_ends_on(store, tmp_path):
    text = format_packet(packet_content(store, "FRA"), "json")
    for cut in (len(text) // 2, len(text) - 3, 1):
        path = tmp_path / "cut.json"
        path.write_text(text[:cut])
        with pytest.raises(DataError) as caught:
            read_packet(path)
        problem, = caught.value.problems
        assert problem.file == str(path) and problem.message.startswith("not valid JSON: ")
        assert problem.line == text[:cut].rstrip().count("\n") + 1


@pytest.mark.parametrize(("text", "line", "message"), [
    ('{\n"a": 1,\n"b": }\n', 3, "expected a value, found '}'"),
    ('{\n"a": 1\n"b": 2\n}\n', 3, "expected ',' or '}', found '\"'"),
    ('{\n"a": [1, 2,]\n}\n', 2, "a ',' before ']'"),
    ("{\n'a': 1\n}\n", 2, "expected a field name in double quotes"),
    ('{\n"a": "one\ntwo"\n}\n', 2, "a control character (a line break, a tab) inside"),
    ('{\n"a": "one\\q"\n}\n', 2, "an unknown escape after a backslash"),
    ('{\n"a": "one\n}\n', 2, "a control character"),
    ('{\n"a": "one', 2, "text in double quotes is not closed"),
    ('{"a": 1}\n{"b": 2}\n', 2, "unexpected text after the end of the data"),
])
def test_syntax_errors_name_the_line(text, line, message):
    with pytest.raises(DataError) as caught:
        jsonio.loads(text, "f.json")
    problem, = caught.value.problems
    assert problem.line == line and problem.message.startswith("not valid JSON: " + message)


def test_oversize_and_non_utf8_files_are_refused_before_parsing(store, tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_text(format_packet(packet_content(store, "FRA"), "json"))
    monkeypatch.setenv("BRIEFPACK_MAX_INPUT_MB", "0.001")
    with pytest.raises(DataError, match=r"big.json: larger than 0.00\d+ MB"):
        read_packet(path)
    monkeypatch.delenv("BRIEFPACK_MAX_INPUT_MB")
    latin = tmp_path / "latin.json"
    latin.write_bytes(path.read_text().replace("Lancaster", "Lancaster £").encode("latin-1"))
    with pytest.raises(DataError, match=r"latin.json: not UTF-8 text \(byte \d+\)"):
        read_packet(latin)


def test_json_that_is_not_a_packet_is_named(tmp_path):
    path = tmp_path / "list.json"
    path.write_text('[\n  1,\n  2\n]\n')
    with pytest.raises(DataError, match=r"list.json:1: expected a briefpack country packet"):
        read_packet(path)


def test_line_numbers_survive_windows_line_ends(store):
    data = content_of(store)
    data["sections"]["alumni"][0]["year"] = "x"
    text = json_text(data)
    problem = only_problem(text.replace("\n", "\r\n"))
    assert problem.line == line_holding(text, '"year": "x"')


def test_the_reader_gives_the_yaml_loaders_structures():
    data = jsonio.loads('{"a": [1, {"b": [2]}],\n "c": {"d": 1,\n "e": []}}')
    assert data.line == 1 and data["c"].line == 2
    assert type(data).__name__ == "YMap" and type(data["a"]).__name__ == "YList"
    assert data.line_of("a") == 1 and data.line_of("c") == 2
    assert data["c"].line_of("d") == 2 and data["c"].line_of("e") == 3
    assert data["a"][1]["b"].line_of(0) == 1
    assert data == {"a": [1, {"b": [2]}], "c": {"d": 1, "e": []}}


def test_a_date_written_as_text_is_read_as_a_date(store):
    data = content_of(store)
    packet = parse_packet(json_text(data), "p.json", form="json")
    lancaster = packet.records["agreements"][0].record
    assert isinstance(lancaster.signed, dt.date) and lancaster.signed == dt.date(2010, 11, 2)
    assert isinstance(lancaster, model.Agreement)


def test_export_from_the_app_domain_writes_the_chosen_form(tmp_path, store):
    from briefpack.store.packets import write_packet

    for name, first in (("p.json", "{"), ("p.yaml", "packet:")):
        written = write_packet(store, "FRA", tmp_path / name)
        assert Path(written).read_text().startswith(first)
        assert read_packet(written).checksum_ok

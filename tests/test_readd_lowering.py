"""Deleting a record and adding it again can never lower its marking (packets and sheets)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from briefpack import model
from briefpack.errors import DataError
from briefpack.store import Store
from briefpack.store.csv_import import plan_csv
from briefpack.store.packets import _dump, checksum, export_packet, parse_packet, plan_import


@pytest.fixture
def store() -> Store:
    store = Store.memory()
    store.save(model.Country(code="FRA", name="France"), user="setup")
    store.save(model.Agreement(country="FRA", name="Northwood Declaration", kind="declaration",
                               signed=dt.date(2023, 7, 10), commits="Nuclear coordination",
                               marking="OFFICIAL-SENSITIVE"), user="setup")
    store.save(model.Alumnus(country="FRA", name="Camille Martin", course="ACSC", year=2012,
                             institution="Defence Academy", appointment="CHOD",
                             marking="OFFICIAL-SENSITIVE - PERSONAL DATA"), user="setup")
    return store


def rows(store: Store) -> dict:
    return {t: list(store.db.execute(f"SELECT * FROM [{t}] ORDER BY id"))
            for t in ("agreements", "alumni")}


def repacked(store: Store, edit) -> str:
    data = yaml.safe_load(export_packet(store, "FRA"))
    edit(data["sections"])
    data["checksum"] = checksum(data)
    return _dump(data)


def refusals(store: Store) -> list[dict]:
    return [e for e in store.audit_log(country="FRA") if e["action"] == "refused"]


def _drop_id_and_lower(sections, table="agreements", marking="OFFICIAL", **changes):
    record = sections[table][0]
    del record["id"]
    record["marking"] = marking
    record.update(changes)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda s: _drop_id_and_lower(s), id="same content, no id"),
        pytest.param(lambda s: _drop_id_and_lower(s, name="NORTHWOOD  declaration"),
                     id="natural key in another case and spacing"),
        pytest.param(lambda s: _drop_id_and_lower(s, name="The Northwood Declaration"),
                     id="renamed, same content"),
        pytest.param(lambda s: s["agreements"][0].update(id=99, marking="OFFICIAL"),
                     id="a new id"),
        pytest.param(lambda s: s["agreements"].append(
            {**copy.deepcopy(s["agreements"][0]), "id": 99, "marking": "OFFICIAL"}),
            id="a lower copy kept"),
    ],
)
def test_a_packet_cannot_lower_a_marking_by_re_adding(store, edit):
    before = rows(store)
    with pytest.raises(DataError) as caught:
        plan_import(store, parse_packet(repacked(store, edit), "fra.yaml"))
    problem, = caught.value.problems
    assert problem.file == "fra.yaml" and problem.line and problem.field.endswith(".marking")
    assert "would lower the marking of agreements record 1 'Northwood Declaration'" in str(
        problem)
    assert "('OFFICIAL-SENSITIVE' here)" in problem.message
    assert rows(store) == before
    refused, = refusals(store)
    assert (refused["table_name"], refused["record_id"], refused["before"], refused["after"]) \
        == ("agreements", "1", "OFFICIAL-SENSITIVE", "OFFICIAL")
    assert "re-added at a lower marking" in refused["note"]


def test_re_adding_at_the_same_or_a_higher_marking_is_fine(store):
    packet = parse_packet(repacked(store, lambda s: _drop_id_and_lower(
        s, marking="OFFICIAL-SENSITIVE - COMMERCIAL")), "fra.yaml")
    plan = plan_import(store, packet)
    assert sorted(c.kind for c in plan.changes) == ["added", "removed"]
    assert not refusals(store)


def test_a_different_record_at_a_lower_marking_is_fine(store):
    def add(sections):
        sections["agreements"].append({"name": "Lancaster House", "marking": "OFFICIAL"})

    plan = plan_import(store, parse_packet(repacked(store, add), "fra.yaml"))
    assert [c.kind for c in plan.changes] == ["added"]


def test_a_sheet_giving_the_same_person_a_new_id_cannot_lower_the_marking(store, tmp_path,
                                                                           cli):
    path = tmp_path / "alumni.csv"
    path.write_text("id,name,course,year,marking\n77,Camille Martin,ACSC,2012,OFFICIAL\n")
    with pytest.raises(DataError, match=r"alumni.csv:2 \[row 2.marking\]: 'OFFICIAL - PERSONAL "
                                        r"DATA' would lower the marking of alumni record 1"):
        plan_csv(store, path, "alumni", country="FRA")
    assert len(refusals(store)) == 1


def test_a_sheet_giving_a_new_id_without_a_marking_column_is_refused_too(store, tmp_path):
    path = tmp_path / "alumni.csv"
    path.write_text("id,name,course,year\n77,camille martin,ACSC,2012\n")
    with pytest.raises(DataError, match="would lower the marking of alumni record 1"):
        plan_csv(store, path, "alumni", country="FRA")


def test_the_cli_names_the_file_and_changes_nothing(tmp_path, cli):
    db = tmp_path / "s.db"
    assert cli("--db", db, "init")[0] == 0
    store = Store.open(db)
    agreement = store.records("agreements", "NOR")[0]
    store.save(model.Agreement(**{**agreement.__dict__, "marking": "OFFICIAL-SENSITIVE"}))
    data = yaml.safe_load(export_packet(store, "NOR"))
    store.close()
    first = next(a for a in data["sections"]["agreements"] if a["id"] == agreement.id)
    del first["id"]
    first["marking"] = "OFFICIAL"
    data["checksum"] = checksum(data)
    path = tmp_path / "nor.yaml"
    path.write_text(_dump(data))
    code, out, err = cli("--db", db, "import", path, "--prefer", "theirs")
    assert code == 3 and "Traceback" not in err
    assert err.startswith(f"briefpack: {path}:") and "can never lower its marking" in err
    assert Store.open(db).get("agreements", agreement.id).marking == "OFFICIAL-SENSITIVE"


def test_a_classmate_with_the_same_course_and_year_is_not_the_same_person(store, tmp_path):
    path = tmp_path / "alumni.csv"
    path.write_text("name,course,year,institution,appointment,marking\n"
                    "Camille Martin,ACSC,2012,Defence Academy,CHOD,OFFICIAL-SENSITIVE\n"
                    "Louis Petit,ACSC,2012,Defence Academy,CHOD,OFFICIAL\n")
    plan = plan_csv(store, path, "alumni", country="FRA")
    assert [(c.kind, c.label) for c in plan.changes] == [("added", "Louis Petit")]
    assert not refusals(store)


def test_deleting_in_one_import_and_re_adding_in_the_next_cannot_lower(store):
    from briefpack.store.packets import apply_import

    def drop(sections):
        sections["agreements"] = [a for a in sections["agreements"]
                                  if a["name"] != "Northwood Declaration"]

    first = plan_import(store, parse_packet(repacked(store, drop), "drop.yaml"))
    apply_import(store, first, prefer="theirs")
    assert [a.name for a in store.records("agreements", "FRA")] == []

    def re_add(sections):
        sections["agreements"].append({"name": "Northwood Declaration", "marking": "OFFICIAL",
                                       "kind": "declaration", "signed": dt.date(2023, 7, 10),
                                       "commits": "Nuclear coordination"})

    with pytest.raises(DataError, match=r"'OFFICIAL-SENSITIVE' here before it was deleted"):
        plan_import(store, parse_packet(repacked(store, re_add), "readd.yaml"))
    assert len(refusals(store)) == 1


def test_a_record_deleted_in_the_app_counts_too(store, tmp_path):
    alumnus, = store.records("alumni", "FRA")
    store.delete("alumni", alumnus.id)
    path = tmp_path / "alumni.csv"
    path.write_text("name,course,year\nCamille Martin,ACSC,2012\n")
    with pytest.raises(DataError, match="would lower the marking of alumni record 1 'Camille "
                                        "Martin' .*here before it was deleted"):
        plan_csv(store, path, "alumni", country="FRA")

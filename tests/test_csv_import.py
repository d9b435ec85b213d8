"""Sheets imported from CSV: dialects, mapping, validation with row numbers, diff, apply."""

from __future__ import annotations

import pytest

from briefpack import model
from briefpack.cli import main
from briefpack.errors import BriefpackError, DataError
from briefpack.store import Store
from briefpack.store.csv_import import plan_csv, sniff_delimiter
from briefpack.store.diff import UnsettledConflicts, apply


@pytest.fixture
def store() -> Store:
    store = Store.memory()
    store.save(model.Country(code="FRA", name="France", alpha2="FR"), user="setup")
    store.save(model.Country(code="DEU", name="Germany", alpha2="DE"), user="setup")
    store.save(model.Alumnus(country="FRA", name="Camille Martin", course="ACSC", year=2012),
               user="setup")
    store.save(model.ExportOpportunity(country="FRA", programme="Meteor", company="MBDA",
                                       value_gbp=2.5e8), user="setup")
    return store


def sheet(tmp_path, text: str, *, bom: bool = False) -> str:
    path = tmp_path / "sheet.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


def test_comma_sheet_adds_changes_and_removes(store, tmp_path):
    store.save(model.Alumnus(country="FRA", name="Gone Away", year=2001), user="setup")
    path = sheet(tmp_path, "name,course,year\nCamille Martin,HCSC,2012\nLouis Petit,ICSC,2019\n")
    plan = plan_csv(store, path, "alumni", country="FRA")
    assert {(c.kind, c.label) for c in plan.changes} == {
        ("changed", "Camille Martin"), ("added", "Louis Petit"), ("removed", "Gone Away")}
    changed, = plan.of_kind("changed")
    assert [(f.field, f.before, f.after) for f in changed.fields] == [("course", "ACSC", "HCSC")]
    apply(store, plan, prefer="theirs", user="sheet")
    assert sorted(a.name for a in store.records("alumni", "FRA")) == [
        "Camille Martin", "Louis Petit"]
    assert all(a.marking == "OFFICIAL - PERSONAL DATA" for a in store.records("alumni"))
    assert plan_csv(store, path, "alumni", country="FRA").is_empty


def test_semicolon_sheet_with_decimal_commas_and_bom(store, tmp_path):
    path = sheet(tmp_path, "Programme;Company;Value GBP;Country\r\n"
                           "Meteor;MBDA;250.000.000,50;France\r\n", bom=True)
    change, = plan_csv(store, path, "exports").changes
    assert [(f.field, f.after) for f in change.fields] == [("value_gbp", 250_000_000.5)]


def test_bom_comma_sheet_reads_the_first_header(store, tmp_path):
    path = sheet(tmp_path, "name,course,year,country\nCamille Martin,ACSC,2012,FR\n", bom=True)
    assert plan_csv(store, path, "alumni").is_empty


def test_quoted_newlines_keep_row_numbers_right(store, tmp_path):
    path = sheet(tmp_path, 'name,appointment,year\n"Camille Martin","Chief\nof Staff",2012\n'
                           'Louis Petit,Attaché,twenty\n')
    with pytest.raises(DataError) as err:
        plan_csv(store, path, "alumni", country="FRA")
    assert [str(p) for p in err.value.problems] == [
        f"{path}:4 [row 4.year]: 'twenty' is not a whole number"]


def test_map_renames_and_ignores_columns(store, tmp_path):
    path = sheet(tmp_path, "Full name,Course name,Notes\nCamille Martin,HCSC,ignore me\n")
    plan = plan_csv(store, path, "alumni", country="FRA",
                    mapping={"Full name": "name", "course name": "course", "Notes": ""})
    change, = plan.changes
    assert change.fields[0].after == "HCSC"


def test_unknown_columns_and_bad_rows_are_all_reported(store, tmp_path):
    path = sheet(tmp_path, "name,colour\nA,red\n")
    with pytest.raises(DataError, match=r":1 \[colour\]: unknown column 'colour'.*--map"):
        plan_csv(store, path, "alumni", country="FRA")
    path = sheet(tmp_path, "name,stage,marking,country\n"
                           "X,sold,OFFICIAL,France\nY,bid,SECRET,France\nZ,bid,OFFICIAL,Narnia\n")
    with pytest.raises(DataError) as err:
        plan_csv(store, path, "exports", mapping={"name": "programme"})
    found = [str(p) for p in err.value.problems]
    assert len(found) == 3
    assert "sheet.csv:2 [row 2.stage]" in found[0]
    assert "sheet.csv:3 [row 3.marking]: briefpack is not accredited" in found[1]
    assert "sheet.csv:4 [row 4.country]: unknown country 'Narnia'" in found[2]


def test_a_sheet_can_never_lower_a_marking(store, tmp_path):
    path = sheet(tmp_path, "programme,company,marking\nMeteor,MBDA,OFFICIAL\n")
    store.save(model.ExportOpportunity(**{**store.records("export_opportunities")[0].__dict__,
                                          "marking": "OFFICIAL-SENSITIVE - COMMERCIAL"}))
    with pytest.raises(DataError, match="never lower"):
        plan_csv(store, path, "exports", country="FRA")


def test_country_is_needed_and_must_agree(store, tmp_path):
    with pytest.raises(DataError, match="no country column: give --country"):
        plan_csv(store, sheet(tmp_path, "name\nA\n"), "alumni")
    with pytest.raises(DataError, match="is not DEU"):
        plan_csv(store, sheet(tmp_path, "name,country\nA,France\n"), "alumni", country="DEU")


def test_local_edits_since_the_last_sheet_are_conflicts(store, tmp_path):
    path = sheet(tmp_path, "name,course\nCamille Martin,HCSC\n")
    apply(store, plan_csv(store, path, "alumni", country="FRA"), prefer="theirs")
    mine = store.records("alumni", "FRA")[0]
    store.save(model.Alumnus(**{**mine.__dict__, "course": "RCDS"}), user="me")
    plan = plan_csv(store, path, "alumni", country="FRA")
    with pytest.raises(UnsettledConflicts):
        apply(store, plan)
    apply(store, plan, prefer="mine")
    assert store.records("alumni", "FRA")[0].course == "RCDS"


def test_unknown_table_and_bad_encoding(store, tmp_path):
    with pytest.raises(BriefpackError, match="unknown table 'pets'"):
        plan_csv(store, sheet(tmp_path, "name\n"), "pets", country="FRA")
    path = tmp_path / "latin1.csv"
    path.write_bytes("name\nAndré\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8 text.*CSV UTF-8"):
        plan_csv(store, path, "alumni", country="FRA")


@pytest.mark.parametrize("text, expected", [
    ("a,b;c\n", ","), ("a;b;c\n", ";"), ('"x;y",b,c\n', ","), ("a\tb\n", "\t"), ("a\n", ",")])
def test_sniff_delimiter_reads_the_header_outside_quotes(text, expected):
    assert sniff_delimiter(text) == expected


def test_cli_import_csv(tmp_path, capsys):
    db = tmp_path / "s.db"
    s = Store.open(db, seed=False)
    s.save(model.Country(code="FRA", name="France", alpha2="FR"), user="setup")
    s.close()
    path = sheet(tmp_path, "Name;Year\nCamille Martin;2012\n")
    assert main(["--db", str(db), "import-csv", "alumni", path, "--country", "France",
                 "--dry-run"]) == 0
    assert "+ alumni new 'Camille Martin'" in capsys.readouterr().out
    assert Store.open(db).records("alumni") == []
    assert main(["--db", str(db), "import-csv", "alumni", path, "--country", "fr",
                 "--map", "Name=name"]) == 0
    assert [a.name for a in Store.open(db).records("alumni")] == ["Camille Martin"]

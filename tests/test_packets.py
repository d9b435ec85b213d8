"""Country data packets: export, validation with every error, diff, conflicts, apply, audit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpack import model
from briefpack.cli import main
from briefpack.errors import DataError
from briefpack.store import Store
from briefpack.store.diff import StoreChanged, UnsettledConflicts
from briefpack.store.packets import (
    _dump, apply_import, checksum, export_packet, parse_packet, plan_import, read_packet,
    write_packet)


def add_country(store: Store, code: str, name: str) -> None:
    store.save(model.Country(code=code, name=name, memberships=("NATO",)), user="setup")


@pytest.fixture
def store() -> Store:
    store = Store.memory()
    add_country(store, "FRA", "France")
    add_country(store, "DEU", "Germany")
    store.save(model.Agreement(country="FRA", name="Lancaster House", signed=dt.date(2010, 11, 2),
                               value_gbp=1.5e9, strategic=True), user="setup")
    store.save(model.Agreement(country="FRA", name="Northwood Declaration", status="active",
                               marking="OFFICIAL-SENSITIVE"), user="setup")
    alumnus = store.save(model.Alumnus(country="FRA", name="Camille Martin", course="ACSC",
                                       year=2012), user="setup")
    store.save(model.Interlocutor(country="FRA", name="Camille Martin", role="CHOD",
                                  alumnus_id=alumnus.id), user="setup")
    store.save(model.ExportOpportunity(country="FRA", programme="Meteor", company="MBDA",
                                       value_gbp=2.5e8, stage="bid"), user="setup")
    store.save(model.Agreement(country="DEU", name="Trinity House"), user="setup")
    return store


def dump_tables(store: Store) -> dict[str, list]:
    """Every record table's rows, for 'nothing changed' checks."""
    tables = ("countries", *model.TABLES)
    return {t: list(store.db.execute(f"SELECT * FROM [{t}] ORDER BY rowid")) for t in tables}


def edited(text: str, edit) -> str:
    """The packet after ``edit(data)``, re-checksummed as briefpack would write it."""
    data = yaml.safe_load(text)
    edit(data)
    data["checksum"] = checksum(data)
    return _dump(data)


def problems(text: str, **kw) -> list[str]:
    with pytest.raises(DataError) as err:
        parse_packet(text, "p.yaml", **kw)
    return [str(p) for p in err.value.problems]


# -- export and round trip ------------------------------------------------------------------

def test_export_carries_header_records_markings_and_checksum(store):
    data = yaml.safe_load(export_packet(store, "fra", user="exporter"))
    assert data["schema"] == 1 and data["country"] == "FRA"
    assert data["exported_by"] == "exporter" and data["exported_at"]
    assert data["base"] == {"store": store.store_id(), "revision": store.revision() - 1}
    assert data["checksum"] == checksum(data)
    agreements = data["sections"]["agreements"]
    assert [a["name"] for a in agreements] == ["Lancaster House", "Northwood Declaration"]
    assert all("marking" in a for s in model.TABLES for a in data["sections"][s])
    assert agreements[0]["signed"] == dt.date(2010, 11, 2)


def test_round_trip_is_a_no_op(store, tmp_path):
    path = write_packet(store, "FRA", tmp_path / "fra.yaml")
    before = dump_tables(store)
    plan = plan_import(store, read_packet(path))
    assert plan.is_empty and plan.conflicts == []
    summary = apply_import(store, plan, user="importer")
    assert (summary.added, summary.changed, summary.removed) == (0, 0, 0)
    assert dump_tables(store) == before
    # a packet that changes nothing makes nothing more current than it was
    assert {s.refreshed_by for s in store.currency("FRA")} == {""}


def test_edits_in_a_packet_show_up_exactly_in_the_diff(store):
    def edit(data):
        sections = data["sections"]
        sections["agreements"][0]["status"] = "expired"
        sections["agreements"][0]["jobs"] = 400
        del sections["agreements"][1]
        sections["export_opportunities"].append(
            {"programme": "GCAP", "company": "BAE Systems", "marking": "OFFICIAL"})
        sections["country"]["memberships"] = ["NATO", "E3"]

    plan = plan_import(store, parse_packet(edited(export_packet(store, "FRA"), edit)))
    summary = {(c.kind, c.table, c.label): {(f.field, f.before, f.after) for f in c.fields}
               for c in plan.changes}
    assert summary == {
        ("changed", "agreements", "Lancaster House"): {("status", "active", "expired"),
                                                       ("jobs", None, 400)},
        ("removed", "agreements", "Northwood Declaration"): set(),
        ("added", "export_opportunities", "GCAP"): set(),
        ("changed", "countries", "France"): {("memberships", ("NATO",), ("NATO", "E3"))},
    }
    apply_import(store, plan, user="importer")
    assert [a.name for a in store.records("agreements", "FRA")] == ["Lancaster House"]
    assert store.records("agreements", "FRA")[0].jobs == 400
    assert store.records("agreements", "FRA")[0].origin == "import"
    assert plan_import(store, parse_packet(export_packet(store, "FRA"))).is_empty


def test_dry_run_shows_the_diff_and_changes_nothing(store, tmp_path, capsys):
    db = tmp_path / "s.db"
    file_store = Store.open(db, seed=False)
    store.db.conn.backup(file_store.db.conn)
    text = edited(export_packet(file_store, "FRA"),
                  lambda d: d["sections"]["agreements"][0].update(status="expired"))
    (tmp_path / "p.yaml").write_text(text)
    before = dump_tables(file_store)
    file_store.close()
    assert main(["--db", str(db), "import", str(tmp_path / "p.yaml"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "~ agreements 1 'Lancaster House'" in out and "status: 'active' -> 'expired'" in out
    assert "dry run" in out
    assert dump_tables(Store.open(db)) == before


# -- validation -----------------------------------------------------------------------------

def test_bad_yaml_names_the_line():
    [problem] = problems("packet: x\nschema: [1\n")
    assert problem.startswith("p.yaml:3: not valid YAML: ") and "',' or ']'" in problem


def test_wrong_schema_version(store):
    text = edited(export_packet(store, "FRA"), lambda d: d.update(schema=2))
    assert any("[schema]: schema version 2 is not supported" in p for p in problems(text))


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d["sections"]["agreements"][0].update(colour="blue"),
     "[agreements[1].colour]: unknown field"),
    (lambda d: d["sections"]["agreements"][0].update(signed="4 May 2020"),
     "[agreements[1].signed]: '4 May 2020' is not a date; write it as YYYY-MM-DD"),
    (lambda d: d["sections"]["agreements"][0].update(marking="OFFICAL"),
     "[agreements[1].marking]:"),
    (lambda d: d["sections"]["agreements"][0].update(marking="SECRET"),
     "[agreements[1].marking]: briefpack is not accredited for SECRET"),
    (lambda d: d["sections"]["agreements"][0].update(status="dormant"),
     "[agreements[1].status]: 'dormant' is not allowed"),
    (lambda d: d.update(country="XXX"), "[country]: 'XXX': not an ISO 3166 alpha-3"),
    (lambda d: d["sections"].update(gossip=[]), "[sections.gossip]: unknown section"),
    (lambda d: d["sections"]["agreements"][1].update(id=1), "id 1 is used twice"),
])
def test_each_validation_error_names_file_line_and_field(store, edit, expected):
    found = problems(edited(export_packet(store, "FRA"), edit))
    assert any(expected in p and p.startswith("p.yaml:") for p in found), found


def test_every_problem_is_reported_at_once(store):
    def edit(data):
        data["sections"]["agreements"][0]["signed"] = "yesterday"
        data["sections"]["agreements"][1]["marking"] = "TOP SECRET"
        data["sections"]["alumni"][0]["year"] = "nineteen"

    found = problems(edited(export_packet(store, "FRA"), edit))
    assert len(found) == 3
    text = edited(export_packet(store, "FRA"), edit)
    line = text.splitlines().index("    signed: yesterday") + 1
    assert any(p.startswith(f"p.yaml:{line} [agreements[1].signed]") for p in found)


def test_lowering_a_marking_is_refused(store):
    text = edited(export_packet(store, "FRA"),
                  lambda d: d["sections"]["agreements"][1].update(marking="OFFICIAL"))
    with pytest.raises(DataError) as err:
        plan_import(store, parse_packet(text, "p.yaml"))
    assert "[agreements[2].marking]" in str(err.value) and "never lower" in str(err.value)


def test_raising_a_marking_is_allowed(store):
    text = edited(export_packet(store, "FRA"),
                  lambda d: d["sections"]["agreements"][0].update(
                      marking="OFFICIAL-SENSITIVE - COMMERCIAL"))
    change, = plan_import(store, parse_packet(text)).changes
    assert change.fields[0].after == "OFFICIAL-SENSITIVE - COMMERCIAL"


def test_country_unknown_to_the_store_is_refused(store):
    text = edited(export_packet(store, "FRA"), lambda d: d.update(country="ITA"))
    with pytest.raises(DataError, match="ITA: not a country in this store"):
        plan_import(store, parse_packet(text))


def test_dangling_alumnus_reference_is_refused(store):
    text = edited(export_packet(store, "FRA"),
                  lambda d: d["sections"]["interlocutors"][0].update(alumnus_id=999))
    with pytest.raises(DataError, match=r"interlocutors\[1\].alumnus_id.*alumnus 999"):
        plan_import(store, parse_packet(text))


def test_record_of_another_country_is_refused(store):
    deu_id = store.records("agreements", "DEU")[0].id
    text = edited(export_packet(store, "FRA"),
                  lambda d: d["sections"]["agreements"].append(
                      {"id": deu_id, "name": "Stolen", "marking": "OFFICIAL"}))
    with pytest.raises(DataError, match=f"agreements record {deu_id} belongs to DEU"):
        plan_import(store, parse_packet(text))


def test_a_packet_edited_by_hand_is_imported_after_review_and_audited(store):
    """Editing the YAML is normal work: no refusal and no --force; the packet says it was
    edited and who exported it, and the changes listed are the check."""
    exported = export_packet(store, "FRA", user="j.exporter")
    text = exported.replace("Lancaster House", "Lancaster Gate")
    packet = parse_packet(text, "fra.yaml")
    assert packet.edited and not parse_packet(exported, "fra.yaml").edited
    assert packet.provenance().startswith("edited after export; exported by j.exporter on ")
    assert packet.provenance().endswith(" UTC")
    plan = plan_import(store, packet)
    [change] = plan.changes
    assert [(f.field, f.after) for f in change.fields] == [("name", "Lancaster Gate")]
    [note] = plan.warnings
    assert "fra.yaml was edited after export; exported by j.exporter" in note
    apply_import(store, plan, user="importer")
    warning, = [e for e in store.history("FRA") if e["action"] == "warning"]
    assert warning["user"] == "importer" and "edited after export" in warning["note"] \
        and "j.exporter" in warning["note"]


def test_cli_imports_an_edited_packet_saying_so_without_force(cli, seeded_db, tmp_path):
    store = Store.open(seeded_db, create=False)
    text = export_packet(store, "NOR", user="defence.section")
    store.close()
    path = tmp_path / "nor.yaml"
    path.write_text(text.replace("quantity: 13", "quantity: 14"), encoding="utf-8")
    code, out, err = cli("--db", seeded_db, "import", path, "--dry-run")
    assert code == 0, err
    assert out.startswith("nor.yaml: edited after export; exported by defence.section on ")
    assert "quantity: 13 -> 14" in out
    code, out, err = cli("--db", seeded_db, "import", path)
    assert code == 0 and "applied: 0 added, 1 changed" in out, (out, err)


def test_a_yaml_level_error_names_its_field_beside_the_file_s_other_problems(store):
    text = export_packet(store, "FRA").replace("signed: ", "signed: 2025-13-04 #", 1)
    text = text.replace("year: ", "year: nineteen #", 1)
    found = problems(text)
    assert len(found) == 2, found
    assert re.match(r"p.yaml:\d+ \[agreements\[\d+\]\.signed\]: '2025-13-04' is not a date",
                    found[0])
    assert re.match(r"p.yaml:\d+ \[alumni\[\d+\]\.year\]: 'nineteen'", found[1])


def test_aliases_are_refused():
    text = "packet: briefpack country packet\nbase: &b {store: x, revision: 1}\nother: *b\n"
    assert problems(text) == [
        "p.yaml:2: YAML anchors (&name) and aliases (*name) are not allowed: "
        "write each value out in full"]


def test_yaml_is_loaded_safely():
    found = problems("packet: !!python/object/apply:os.system ['echo hacked']\n")
    assert "not valid YAML" in found[0]


# -- conflicts ------------------------------------------------------------------------------

@pytest.fixture
def conflicted(store):
    """A packet renaming an agreement that was also edited here after the export."""
    text = edited(export_packet(store, "FRA"),
                  lambda d: d["sections"]["agreements"][0].update(name="Lancaster House 2"))
    agreement = store.records("agreements", "FRA")[0]
    store.save(model.Agreement(**{**agreement.__dict__, "commits": "local edit"}), user="me")
    return store, parse_packet(text), agreement.id


def test_a_local_change_since_the_base_is_a_conflict(conflicted):
    store, packet, agreement_id = conflicted
    plan = plan_import(store, packet)
    conflict, = plan.conflicts
    assert conflict.conflict_key == f"agreements:{agreement_id}"
    before = dump_tables(store)
    with pytest.raises(UnsettledConflicts):
        apply_import(store, plan)
    assert dump_tables(store) == before


def test_prefer_theirs_takes_the_packet(conflicted):
    store, packet, agreement_id = conflicted
    apply_import(store, plan_import(store, packet), prefer="theirs")
    agreement = store.get("agreements", agreement_id)
    assert (agreement.name, agreement.commits) == ("Lancaster House 2", "")


def test_prefer_mine_keeps_the_store(conflicted):
    store, packet, agreement_id = conflicted
    summary = apply_import(store, plan_import(store, packet), prefer="mine")
    assert summary.kept_mine == 1
    agreement = store.get("agreements", agreement_id)
    assert (agreement.name, agreement.commits) == ("Lancaster House", "local edit")


def test_per_conflict_choices_win_over_prefer(conflicted):
    store, packet, agreement_id = conflicted
    plan = plan_import(store, packet)
    apply_import(store, plan, {f"agreements:{agreement_id}": "mine"}, prefer="theirs")
    assert store.get("agreements", agreement_id).name == "Lancaster House"


def test_records_added_or_deleted_here_since_the_base_are_conflicts(store):
    text = export_packet(store, "FRA")
    added = store.save(model.Agreement(country="FRA", name="New here"), user="me")
    gone = store.records("export_opportunities", "FRA")[0]
    store.delete("export_opportunities", gone.id, user="me")
    plan = plan_import(store, parse_packet(text))
    assert {(c.kind, c.conflict_key) for c in plan.conflicts} == {
        ("removed", f"agreements:{added.id}"), ("added", f"export_opportunities:{gone.id}")}
    apply_import(store, plan, prefer="mine")
    assert store.get("agreements", added.id).name == "New here"
    assert store.records("export_opportunities", "FRA") == []


def test_a_packet_from_another_store_has_no_trusted_base(store):
    text = edited(export_packet(store, "FRA"),
                  lambda d: d["base"].update(store="elsewhere", revision=10**6))
    assert plan_import(store, parse_packet(text)).base_revision == 0


def test_a_plan_is_checked_again_inside_the_write_if_the_store_moved(store):
    first = store.records("agreements", "FRA")[0]
    text = edited(export_packet(store, "FRA"),
                  lambda d: d["sections"]["agreements"][0].update(name="From the packet"))
    plan = plan_import(store, parse_packet(text))
    assert not plan.conflicts
    # after the plan, before it applies: another import or edit lands
    store.save(model.Agreement(**{**first.__dict__, "name": "Meanwhile"}), user="other")
    revision = store.revision()
    with pytest.raises(StoreChanged, match=f"changed since.*agreements:{first.id}"):
        apply_import(store, plan, prefer="theirs")
    assert store.get("agreements", first.id).name == "Meanwhile"
    assert store.revision() == revision
    again = plan_import(store, parse_packet(text))
    assert [c.conflict_key for c in again.conflicts] == [f"agreements:{first.id}"]
    apply_import(store, again, prefer="theirs")
    assert store.get("agreements", first.id).name == "From the packet"
    edit = [e for e in store.audit_log(table="agreements", record_id=first.id)
            if e["action"] == "edit"][-1]
    assert (edit["before"], edit["after"]) == ("Meanwhile", "From the packet")


def test_a_change_elsewhere_does_not_stop_a_checked_import(store):
    text = edited(export_packet(store, "FRA"),
                  lambda d: d["sections"]["agreements"][0].update(name="From the packet"))
    plan = plan_import(store, parse_packet(text))
    store.save(model.Agreement(country="DEU", name="Unrelated"), user="other")
    apply_import(store, plan)
    assert "From the packet" in [a.name for a in store.records("agreements", "FRA")]


def test_cli_import_with_conflicts_needs_prefer(tmp_path, capsys):
    db = tmp_path / "s.db"
    s = Store.open(db, seed=False)
    add_country(s, "FRA", "France")
    s.save(model.Agreement(country="FRA", name="A"), user="me")
    text = edited(export_packet(s, "FRA"),
                  lambda d: d["sections"]["agreements"][0].update(name="B"))
    s.save(model.Agreement(**{**s.records("agreements")[0].__dict__, "name": "C"}), user="me")
    s.close()
    (tmp_path / "p.yaml").write_text(text)
    assert main(["--db", str(db), "import", str(tmp_path / "p.yaml")]) == 1
    assert "1 conflict(s) need a choice" in capsys.readouterr().err
    assert main(["--db", str(db), "import", str(tmp_path / "p.yaml"), "--prefer", "theirs"]) == 0
    assert Store.open(db).records("agreements")[0].name == "B"


# -- audit, history, currency ---------------------------------------------------------------

def test_history_lists_every_change_of_an_import(store, capsys):
    text = edited(export_packet(store, "FRA"),
                  lambda d: d["sections"]["agreements"][0].update(status="expired"))
    apply_import(store, plan_import(store, parse_packet(text, "fra.yaml")), user="importer")
    edit = [e for e in store.history("FRA") if e["action"] == "edit" and e["user"] == "importer"]
    assert [(e["table_name"], e["field"], e["before"], e["after"]) for e in edit] == [
        ("agreements", "status", "active", "expired")]
    assert all(e["country"] in ("FRA", None) for e in store.history("FRA"))
    assert not any(e["country"] == "DEU" for e in store.history("FRA"))
    later = store.history("FRA", since="2999-01-01")
    assert later == []


def test_currency_reports_each_section_and_staleness(store):
    now = dt.datetime.now(dt.UTC)
    assert all(s.stale and s.refreshed_at is None for s in store.currency("FRA"))
    apply_import(store, plan_import(store, parse_packet(export_packet(store, "FRA"))),
                 user="section")  # changes nothing: refreshes nothing
    assert all(s.stale and s.refreshed_at is None for s in store.currency("FRA"))
    store.mark_refreshed("FRA", ["country", *model.TABLES], user="section")
    fresh = store.currency("FRA", at=now + dt.timedelta(days=100))
    assert [s.section for s in fresh] == ["country", *model.TABLES]
    assert {(s.refreshed_by, s.stale) for s in fresh} == {("section", False)}
    # ages are whole days since the refresh itself (which may fall in the next second)
    refreshed = max(s.refreshed_at for s in fresh)
    assert not any(s.stale for s in store.currency("FRA", at=refreshed + dt.timedelta(days=180)))
    assert all(s.stale for s in store.currency("FRA", at=refreshed + dt.timedelta(days=181)))
    store.set_stale_after_days(30)
    assert all(s.stale for s in store.currency("FRA", at=refreshed + dt.timedelta(days=31)))


# -- robustness -----------------------------------------------------------------------------

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.dates(),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.lists(st.sampled_from(["sections", "agreements", "alumni", "country", 0, 1,
                                      "name", "id", "marking", "base", "alumnus_id",
                                      "interlocutors", "signed", "schema", "revision"]),
                     min_size=1, max_size=4),
       value=yaml_values, rechecksum=st.booleans())
def test_malformed_packets_only_raise_data_error_and_never_change_the_store(
        store, path, value, rechecksum):
    data = yaml.safe_load(export_packet(store, "FRA"))
    _put(data, path, value)
    if rechecksum and isinstance(data, dict):
        data["checksum"] = checksum(data)
    text = _dump(data)
    before = dump_tables(store)
    try:
        plan_import(store, parse_packet(text, "p.yaml"))
    except DataError as exc:
        assert exc.problems and all(p.file == "p.yaml" for p in exc.problems)
    assert dump_tables(store) == before


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=4000), junk=st.text(max_size=6))
def test_damaged_packet_text_only_raises_data_error(store, cut, junk):
    text = export_packet(store, "FRA")
    damaged = text[:cut % len(text)] + junk + text[cut % len(text) + len(junk):]
    try:
        plan_import(store, parse_packet(damaged, "p.yaml"))
    except DataError:
        pass


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=60),
       amount=st.floats(min_value=0, allow_nan=False, allow_infinity=False))
def test_any_text_and_number_survive_the_round_trip(store, text, amount):
    agreement = store.records("agreements", "FRA")[0]
    store.save(model.Agreement(**{**agreement.__dict__, "commits": text, "value_gbp": amount}),
               user="me")
    assert plan_import(store, parse_packet(export_packet(store, "FRA"))).is_empty


def _put(data, path, value):
    node = data
    for step in path[:-1]:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            break
    last = path[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value


@pytest.mark.parametrize("text", [
    "yes", "No", "null", "~", "1.5", "2024-01-01", "1e3", "0x1F", "a: b", "#hash", "- dash",
    " lead", "trail ", "O'Brien & Sons (UK)", "Attaché", "two  spaces", "line\nbreak",
    "nel\x85char", "tab\there", "quote\"s", "£10", "%percent", "@at", "!bang", "*star"])
def test_awkward_text_survives_the_fast_export(store, text):
    agreement = store.records("agreements", "FRA")[0]
    store.save(model.Agreement(**{**agreement.__dict__, "name": text, "commits": text}),
               user="me")
    assert plan_import(store, parse_packet(export_packet(store, "FRA"))).is_empty


def test_import_reports_progress_steps_and_stopping_rolls_everything_back(store, tmp_path):
    from briefpack.store.diff import apply_steps

    text = edited(export_packet(store, "FRA"),
                  lambda d: d["sections"]["agreements"][0].update(name="Renamed by the section"))
    path = tmp_path / "fra.yaml"
    path.write_text(text, encoding="utf-8")
    plan = plan_import(store, read_packet(path))
    steps = apply_steps(store, plan, backup=False)
    first, second = next(steps), next(steps)
    assert (first.step, second.step) == (1, 2) and first.total == second.total
    assert "Writing agreements" in second.message
    steps.close()  # Cancel mid-way: nothing is applied
    assert all(a.name != "Renamed by the section" for a in store.records("agreements", "FRA"))
    done = list(apply_steps(store, plan_import(store, read_packet(path)), backup=False))
    assert done[-1].step == done[-1].total and done[-1].result.changed == 1
    assert any(a.name == "Renamed by the section" for a in store.records("agreements", "FRA"))


def test_a_training_store_stays_one_while_only_its_own_packets_come_back(seeded_db, tmp_path):
    from briefpack.app import domain
    from briefpack.store.csv_import import plan_csv

    store = Store.open(seeded_db, create=False)
    assert domain.store_kind(store) == domain.TRAINING
    text = export_packet(store, "NOR", user="trainee").replace("quantity: 13", "quantity: 14")
    apply_import(store, plan_import(store, parse_packet(text, "nor.yaml")), user="trainee")
    assert domain.store_kind(store) == domain.TRAINING  # a training exercise
    sheet = tmp_path / "alumni.csv"
    sheet.write_text("country,name,year\nNOR,Kari Nordmann,2012\n", encoding="utf-8")
    apply_import(store, plan_csv(store, sheet, "alumni"), user="trainee")
    assert domain.store_kind(store) == domain.LIVE  # data from elsewhere
    store.close()

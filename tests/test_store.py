"""The store: migrations, sample loading, records, audit, bad stores."""

import datetime as dt
import sqlite3

import pytest

from briefpack import model
from briefpack.errors import DataError, StoreError, UnknownCountry
from briefpack.store import Store
from briefpack.store.migrations import known_names, migrations


def test_migrations_from_empty_create_every_table(empty_store):
    tables = set(empty_store.db.table_names())
    assert {"countries", "agreements", "alumni", "export_opportunities", "engagements",
            "interlocutors", "national_figures", "visits", "audit"} <= tables
    assert {m.name for m in migrations.applied(empty_store.db)} == known_names()
    assert empty_store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_file_store_uses_wal(tmp_path):
    store = Store.open(tmp_path / "s.db", seed=False)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sample_loads_every_country(sample_store):
    countries = sample_store.countries()
    assert len(countries) > 190
    assert {c.region for c in countries} == set(model.REGIONS)
    norway = sample_store.country("nor")
    assert norway.name == "Norway" and "NATO" in norway.memberships


def test_rows_round_trip_through_model(sample_store):
    agreement = next(a for a in sample_store.records("agreements", "NOR")
                     if a.name == "Lunna House")
    assert agreement.signed is None and agreement.announced == dt.date(2025, 12, 4)
    assert agreement.strategic is True
    assert sample_store.get("agreements", agreement.id) == agreement


@pytest.mark.parametrize("text", ["Norway", "norway", "NO", "no", "NOR", "nor", " Norway "])
def test_resolve_country_by_name_or_code(sample_store, text):
    assert sample_store.resolve_country(text).code == "NOR"


def test_unknown_country_suggests_close_names(sample_store):
    with pytest.raises(UnknownCountry) as err:
        sample_store.resolve_country("Norwya")
    assert "Norway (NOR)" in str(err.value)


def test_save_audits_each_changed_field(sample_store):
    record = sample_store.records("agreements", "NOR")[0]
    changed = sample_store.save(
        model.Agreement(**{**record.__dict__, "status": "expired", "jobs": 5}), user="alice")
    assert changed.status == "expired" and changed.updated_by == "alice"
    log = sample_store.audit_log(table="agreements", record_id=record.id)
    fields = {(e["field"], e["before"], e["after"], e["user"]) for e in log}
    assert ("status", "active", "expired", "alice") in fields
    assert ("jobs", None, "5", "alice") in fields


def test_insert_and_delete_are_audited(empty_store):
    empty_store.db["countries"].insert({"code": "NOR", "name": "Norway",
                                        "region": "Euro-Atlantic"})
    saved = empty_store.save(model.Alumnus(country="NOR", name="Test Person"), user="bob")
    assert saved.id is not None and saved.marking == "OFFICIAL - PERSONAL DATA"
    empty_store.delete("alumni", saved.id, user="bob")
    actions = [e["action"] for e in empty_store.audit_log(table="alumni")]
    assert actions == ["insert", "delete"]


def test_foreign_keys_refuse_records_for_missing_countries(empty_store):
    with pytest.raises(sqlite3.IntegrityError):
        empty_store.save(model.Agreement(country="XXX", name="Nothing"))


def test_transaction_is_all_or_nothing(sample_store):
    before = sample_store.db["agreements"].count
    with pytest.raises(RuntimeError):
        with sample_store.transaction():
            sample_store.save(model.Agreement(country="NOR", name="Half done"))
            raise RuntimeError("interrupted")
    assert sample_store.db["agreements"].count == before


def test_not_sqlite_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_other_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table invoices (id integer)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a briefpack store"):
        Store.open(path)


def test_store_from_newer_version_is_refused(tmp_path):
    path = tmp_path / "s.db"
    store = Store.open(path, seed=False)
    store.db["_sqlite_migrations"].insert({"migration_set": "briefpack",
                                           "name": "m999_future", "applied_at": "2030"})
    store.close()
    with pytest.raises(StoreError, match="newer version of briefpack"):
        Store.open(path)


def test_malformed_data_file_names_file_line_and_field(tmp_path):
    (tmp_path / "countries").mkdir()
    (tmp_path / "countries.yaml").write_text(
        "- code: NOR\n  region: Euro-Atlantic\n"
        "- code: FRA\n  region: Atlantis\n  priority_tier: high\n", encoding="utf-8")
    (tmp_path / "countries" / "NOR.yaml").write_text(
        "country: NOR\nagreements:\n  - name: Lunna House\n    signed: 4 Dec 2025\n",
        encoding="utf-8")
    store = Store.memory()
    with pytest.raises(DataError) as err:
        store.seed(tmp_path)
    text = str(err.value)
    assert "countries.yaml:5 [FRA.priority_tier]" in text
    assert "countries.yaml:4 [FRA.region]" in text
    assert "NOR.yaml:4 [agreements[1].signed]" in text
    assert store.db["countries"].count == 0  # nothing half-loaded


def test_backup_to_copies_everything(sample_store, tmp_path):
    dest = sample_store.backup_to(tmp_path / "copy.db")
    copy = Store.open(dest)
    assert copy.db["countries"].count == sample_store.db["countries"].count


def test_secret_records_are_refused(sample_store):
    from briefpack.marking import NotAccreditedError

    with pytest.raises(NotAccreditedError):
        sample_store.save(model.Agreement(country="NOR", name="X", marking="SECRET"))


def test_lowering_an_imported_marking_is_refused_and_audited(sample_store):
    rec = sample_store.records("agreements", "NOR")[0]
    raised = sample_store.save(model.Agreement(**{**rec.__dict__,
                                                  "marking": "official-sensitive"}))
    assert raised.marking == "OFFICIAL-SENSITIVE"
    from briefpack.marking import MarkingError

    with pytest.raises(MarkingError, match="only the originator"):
        sample_store.save(model.Agreement(**{**raised.__dict__, "marking": "OFFICIAL"}))
    assert sample_store.get("agreements", rec.id).marking == "OFFICIAL-SENSITIVE"
    refused = [e for e in sample_store.audit_log(table="agreements", record_id=rec.id)
               if e["action"] == "refused"]
    assert refused and refused[0]["before"] == "OFFICIAL-SENSITIVE"

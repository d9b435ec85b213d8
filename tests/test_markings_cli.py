"""`briefpack mark` and `briefpack review-due`, and the store rules behind them."""

import json

import pytest

from briefpack import model


@pytest.fixture
def db(seeded_db):
    return str(seeded_db)



def test_mark_raises_and_normalises(cli, db):
    code, out, _ = cli("--db", db, "mark", "agreements", "1",
                       "official sensitive - commercial")
    assert code == 0 and out.strip().endswith("OFFICIAL-SENSITIVE - COMMERCIAL")


def test_mark_refuses_lowering_an_import_and_audits_it(cli, db):
    cli("--db", db, "mark", "agreements", "1", "OFFICIAL-SENSITIVE")
    code, _, err = cli("--db", db, "mark", "agreements", "1", "OFFICIAL")
    assert code == 5 and "only the originator" in err
    from briefpack.store import Store

    store = Store.open(db)
    assert store.get("agreements", 1).marking == "OFFICIAL-SENSITIVE"
    assert [e["action"] for e in store.audit_log(table="agreements", record_id=1)][-1] == "refused"


@pytest.mark.parametrize("text", ["SECRET", "top secret", "OFFICIAL - UK EYES ONLY",
                                  "RESTRICTED", "OFFICIAL - RECIPIENTS ONLY"])
def test_mark_refuses_invalid_markings(cli, db, text):
    code, _, err = cli("--db", db, "mark", "agreements", "1", text)
    assert code == 5 and err.startswith("briefpack: ")


def test_mark_a_country(cli, db):
    code, out, _ = cli("--db", db, "mark", "countries", "NOR", "OFFICIAL-SENSITIVE")
    assert code == 0 and "NOR" in out


def test_personal_records_always_carry_personal_data(sample_store):
    saved = sample_store.save(model.Alumnus(country="NOR", name="Test Alumnus",
                                            marking="OFFICIAL"))
    assert saved.marking == "OFFICIAL - PERSONAL DATA"


def test_review_due_lists_records_past_review(cli, db):
    code, out, _ = cli("--db", db, "review-due", "--today", "2028-01-01",
                       "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["name"] for r in rows} == {"Petr Pavel"}
    code, out, _ = cli("--db", db, "review-due", "--today", "2026-01-01",
                       "--format", "json")
    assert json.loads(out) == []

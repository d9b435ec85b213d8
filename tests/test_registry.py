"""The table registry (model.TABLES) is the one place each fact about a table lives:
every per-country table in the schema is registered, and every fact a spec states is true."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from briefpack import model
from briefpack.store import Store
from briefpack.store.rows import TABLE_OF, to_row

RECORD_FIELDS = {f.name for f in dataclasses.fields(model.Record)}


@pytest.fixture(scope="module")
def store() -> Store:
    return Store.memory(seed=True)


def _per_country_tables(store: Store) -> set[str]:
    """Tables whose rows belong to a country (a foreign key to countries); the owner's
    declarations that a section is complete are about sections, not records."""
    return {t.name for t in store.db.tables if t.name != "completeness"
            and any(fk.other_table == "countries" for fk in t.foreign_keys)}


def test_every_per_country_table_in_the_schema_is_registered(store):
    assert _per_country_tables(store) == set(model.TABLES)


@pytest.mark.parametrize("spec", model.TABLES.values(), ids=list(model.TABLES))
def test_spec_facts_hold(store, spec):
    assert spec.name.isidentifier() and spec.name == spec.name.lower()
    assert issubclass(spec.record, model.Record) and dataclasses.is_dataclass(spec.record)
    fields = {f.name for f in dataclasses.fields(spec.record)}
    assert {"id", "country"} <= fields
    assert spec.natural_key and set(spec.natural_key) <= fields
    # the store's columns are exactly the record's fields
    assert set(store.db[spec.name].columns_dict) == fields
    # CountryFile holds the records under the table's own name, as a list of that class
    hints = typing.get_type_hints(model.CountryFile)
    assert hints[spec.name] == list[spec.record]
    assert TABLE_OF[spec.record] == spec.name
    # a personal table's records are PERSONAL DATA by default and carry a review date
    if spec.personal:
        assert "PERSONAL DATA" in spec.record.__dataclass_fields__["marking"].default
        assert "review_date" in fields
    assert spec.label and spec.title and spec.noun and spec.plural
    assert spec.counted(1) == f"1 {spec.noun}" and spec.counted(2) == f"2 {spec.plural}"


def test_country_file_has_no_field_outside_the_registry():
    names = {f.name for f in dataclasses.fields(model.CountryFile)}
    # country_withheld is a flag, not a table: the country record is above the ceiling;
    # complete holds the owner's declarations that a section is complete
    assert names == {"country", "country_withheld", "complete", *model.TABLES}


def test_names_and_aliases_are_unambiguous():
    seen: dict[str, str] = {}
    for spec in model.TABLES.values():
        for name in (spec.name, *spec.aliases):
            assert name == name.lower()
            assert seen.setdefault(name, spec.name) == spec.name, f"{name} names two tables"
    assert "countries" not in seen


def test_table_named_accepts_aliases_in_any_case():
    assert model.table_named("Exports").name == "export_opportunities"
    assert model.table_named(" alumnus ").name == "alumni"
    assert model.table_named("countries") is None
    assert model.table_named("nonsense") is None


def test_relevance_sorts_every_seeded_record(store):
    """Each spec's default order works on the records the sample data holds."""
    for cf in store.country_files():
        for spec in model.TABLES.values():
            sorted(spec.records(cf), key=spec.relevance)


def test_country_file_round_trips_every_table(store):
    cf = store.country_file("NOR")
    for table, spec in model.TABLES.items():
        rows = [to_row(r) for r in spec.records(cf)]
        assert rows == [to_row(r) for r in store.records(table, "NOR")]


def test_app_has_an_editable_model_for_every_table():
    pytest.importorskip("PySide6")
    from briefpack.app.table_models import RECORD_MODELS

    assert set(RECORD_MODELS) == set(model.TABLES)
    for table, model_class in RECORD_MODELS.items():
        fields = {f.name for f in dataclasses.fields(model.TABLES[table].record)}
        assert {f.name for f in model_class.FIELDS} <= fields

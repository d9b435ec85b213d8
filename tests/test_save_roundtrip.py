"""Issue 20 (data lost): every field of every record type, dates included at any depth,
comes back from the store as it was saved (a readout action's due date could not be saved
at all: ``TypeError: Object of type date is not JSON serializable``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpack import marking, model
from briefpack.coercion import BOUNDS, shape, type_hints
from briefpack.store import Store

#: text the store keeps as it is (control characters are stripped on the way in, elsewhere)
TEXT = st.text(string.ascii_letters + string.digits + " .,;:'-()/&£éøÅü\n", min_size=1,
               max_size=30).filter(lambda t: t.strip() != "")
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE - COMMERCIAL")
PERSONAL_MARKINGS = ("OFFICIAL - PERSONAL DATA", "OFFICIAL-SENSITIVE - PERSONAL DATA")
DATES = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
TIMES = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))

#: the record types the store keeps, each in its table (the country's own, the figures')
RECORD_TYPES = (model.Country, *(spec.record for spec in model.TABLES.values()),
                model.NationalFigure, model.Visit)
#: fields whose value the store sets itself (who saved it, when)
STAMPS = ("updated_at", "updated_by")


def _value(cls: type, f: dataclasses.Field, hint: Any) -> st.SearchStrategy:
    """A strategy for one field, never its default (every field set)."""
    allowed = getattr(f.metadata.get("convert"), "keywords", {}).get("choices")
    if allowed:  # coercion.one_of
        if shape(hint).kind == "tuple":
            return st.lists(st.sampled_from(allowed), min_size=1, max_size=3,
                            unique=True).map(tuple)
        return st.sampled_from(tuple(c for c in allowed if c != f.default))
    if "convert" in f.metadata:  # coercion.time_of_day
        return TIMES
    if f.name in ("marking", "ceiling"):
        personal = cls in (model.Alumnus, model.Interlocutor)
        return st.sampled_from(PERSONAL_MARKINGS if personal else MARKINGS)
    if f.name == "origin":
        return st.just("import")
    if f.name in STAMPS:
        return st.just("")
    return _of_shape(shape(hint), f.name)


def _of_shape(form, name: str) -> st.SearchStrategy:
    low, high = BOUNDS.get(name, (None, None))
    if form.kind == "int":
        return st.integers(int(low or 1), int(high or 10**9))
    if form.kind == "float":
        return st.floats(low or 0.5, 1e12, allow_nan=False, allow_infinity=False)
    if form.kind == "bool":
        return st.just(True)
    if form.kind == "date":
        return DATES
    if form.kind == "str":
        return TEXT
    if form.kind == "tuple":
        return st.lists(_of_shape(form.item, name), min_size=1, max_size=3).map(tuple)
    if form.kind == "dataclass":
        return every_field(form.cls)
    raise AssertionError(f"no strategy for {name} ({form})")


def every_field(cls: type, **fixed: Any) -> st.SearchStrategy:
    """A ``cls`` with every field set to a value other than its default."""
    hints = type_hints(cls)
    fields = {f.name: (st.just(fixed[f.name]) if f.name in fixed else _value(cls, f, hints[f.name]))
              for f in dataclasses.fields(cls) if f.init}
    return st.builds(cls, **fields)


def _fixed(cls: type, store: Store) -> dict[str, Any]:
    """Values that must name something in the store (foreign keys) or be new (keys)."""
    fixed: dict[str, Any] = {}
    names = {f.name for f in dataclasses.fields(cls)}
    if "id" in names:
        fixed["id"] = 10**8  # new: each example is deleted again after its check
    if "country" in names and cls is not model.Visit:
        fixed["country"] = "NOR"
    if cls is model.Country:
        fixed |= {"code": "ZZT", "alpha2": "ZT"}
    if cls is model.NationalFigure:
        fixed["key"] = "test-figure"
    if cls is model.Interlocutor:
        alumnus = store.records("alumni")[0]
        fixed |= {"alumnus_id": alumnus.id, "country": alumnus.country}
    if cls is model.Visit:
        fixed["countries"] = ("NOR", "DNK")
    return fixed


def _stamps_off(record: Any) -> Any:
    return dataclasses.replace(record, **dict.fromkeys(STAMPS, ""))


@pytest.mark.parametrize("cls", RECORD_TYPES, ids=lambda c: c.__name__)
def test_every_field_of_every_record_type_round_trips_through_the_store(cls, sample_store):
    strategy = every_field(cls, **_fixed(cls, sample_store))

    @settings(max_examples=15, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(strategy)
    def check(record):
        saved = sample_store.save(record, user="tester")
        try:
            assert _stamps_off(saved) == _stamps_off(record)
            # and read again by a fresh look-up, as another window would
            assert _read_back(sample_store, saved) == saved
            assert (saved.updated_by, bool(saved.updated_at)) == ("tester", True)
        finally:
            _delete(sample_store, saved)

    check()


def _delete(store: Store, saved: Any) -> None:
    table, pk = {model.Country: ("countries", "code"), model.Visit: ("visits", "id"),
                 model.NationalFigure: ("national_figures", "key")}.get(
        type(saved), (next((t for t, s in model.TABLES.items() if s.record is type(saved)), ""),
                      "id"))
    store.delete(table, getattr(saved, pk))


def _read_back(store: Store, saved: Any) -> Any:
    if isinstance(saved, model.Country):
        return store.country(saved.code)
    if isinstance(saved, model.Visit):
        return store.visit(saved.id)
    if isinstance(saved, model.NationalFigure):
        return next(f for f in store.national_figures() if f.key == saved.key)
    return store.get(next(t for t, s in model.TABLES.items() if s.record is type(saved)),
                     saved.id)


def test_a_readout_action_with_a_due_date_is_saved_with_its_visit(sample_store):
    visit = model.Visit(title="Readout test", principal="Minister", start=dt.date(2026, 1, 5),
                        end=dt.date(2026, 1, 6), countries=("NOR",),
                        actions=(model.ReadoutAction("Send the plan", owner="PO",
                                                     due=dt.date(2026, 2, 1)),))
    saved = sample_store.save_visit(visit, user="tester")
    assert sample_store.visit(saved.id).actions[0].due == dt.date(2026, 2, 1)


@pytest.mark.parametrize("cls", RECORD_TYPES, ids=lambda c: c.__name__)
def test_every_field_of_every_record_type_round_trips_through_the_apps_save(cls,
                                                                             sample_store):
    """The app's save path: a new record, then every field changed, as change sets."""
    from briefpack.app import domain

    fixed = _fixed(cls, sample_store)
    if cls is model.Visit:  # a visit file's people become interlocutors when it is saved
        fixed["people"] = ()
    strategy = every_field(cls, **fixed)

    @settings(max_examples=10, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(strategy, strategy)
    def check(first, second):
        if cls is model.Visit:
            first = dataclasses.replace(first, id=None)
        result = domain.save_changes(sample_store, domain.record_changes([(None, first)]),
                                     user="tester")
        [saved] = result.inserted
        try:
            key = {"id": saved.id} if hasattr(saved, "id") else {}
            assert _stamps_off(saved) == _stamps_off(dataclasses.replace(first, **key))
            # an imported record's marking may be raised, never lowered
            edited = dataclasses.replace(second, **key, marking=str(
                marking.combine(first.marking, second.marking)))
            result = domain.save_changes(
                sample_store, domain.record_changes([(saved, edited)]), user="tester")
            assert result.conflicts == []
            assert _stamps_off(_read_back(sample_store, saved)) == _stamps_off(edited)
        finally:
            _delete(sample_store, saved)

    check()

"""Issue 20: a deleted record re-added under a name that only looks different (punctuation,
a zero-width space, a Cyrillic or Greek look-alike, other case or accents), as another kind
of record or under another country, can never lower its marking; zero-width characters are
dropped on the way in."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpack import model
from briefpack.errors import DataError
from briefpack.store import Store
from briefpack.store.csv_import import plan_csv
from briefpack.store.packets import _dump, apply_import, checksum, export_packet, \
    parse_packet, plan_import
from briefpack.textsafe import clean, skeleton

NAME = "Pact of Bergen"


@pytest.fixture
def store() -> Store:
    """Norway's OFFICIAL-SENSITIVE "Pact of Bergen", deleted by an import; Denmark too."""
    store = Store.memory()
    for code, name in (("NOR", "Norway"), ("DNK", "Denmark")):
        store.save(model.Country(code=code, name=name), user="setup")
    store.save(model.Agreement(country="NOR", name=NAME, kind="treaty",
                               signed=dt.date(2024, 5, 2), commits="Joint patrols",
                               marking="OFFICIAL-SENSITIVE"), user="setup")
    store.save(model.Agreement(country="NOR", name="Oslo Accord on Training"), user="setup")
    dropped = plan_import(store, parse_packet(_packet(store, "NOR", lambda s: s.update(
        agreements=[a for a in s["agreements"] if a["name"] != NAME])), "drop.yaml"))
    apply_import(store, dropped, prefer="theirs")
    assert [a.name for a in store.records("agreements", "NOR")] == ["Oslo Accord on Training"]
    return store


def _packet(store: Store, code: str, edit) -> str:
    data = yaml.safe_load(export_packet(store, code))
    edit(data["sections"])
    data["checksum"] = checksum(data)
    return _dump(data)


def _add(table: str, name: str, marking: str = "OFFICIAL"):
    field = {"agreements": "name", "engagements": "title", "actions": "action",
             "alumni": "name", "interlocutors": "name",
             "export_opportunities": "programme"}[table]
    record = {field: name, "marking": marking}
    if table == "engagements":
        record["date"] = dt.date(2026, 1, 5)
    if table == "export_opportunities":
        record["company"] = "BAE Systems"

    def edit(sections):
        sections.setdefault(table, [])
        if sections[table] is None:
            sections[table] = []
        sections[table].append(record)
    return edit


def _refused(store: Store, code: str, table: str, name: str, marking="OFFICIAL") -> DataError:
    before = {t: store.records(t) for t in model.TABLES}
    refusals = _refusals(store)
    with pytest.raises(DataError) as caught:
        plan_import(store, parse_packet(_packet(store, code, _add(table, name, marking)),
                                        "readd.yaml"))
    assert {t: store.records(t) for t in model.TABLES} == before
    assert _refusals(store) == refusals + 1
    return caught.value


def _refusals(store: Store) -> int:
    return sum(1 for e in store.audit_log() if e["action"] == "refused")


CYRILLIC_E = "Pact of B\u0435rgen"


@pytest.mark.parametrize("name", [
    pytest.param(NAME, id="the same name"),
    pytest.param("Pact of Bergen.", id="a full stop"),
    pytest.param("Pact of\u200bBergen", id="zero-width space for the space"),
    pytest.param("Pact of \u200bBergen", id="zero-width space added"),
    pytest.param("Pact\u2060of\u00a0Bergen", id="word joiner and no-break space"),
    pytest.param(CYRILLIC_E, id="Cyrillic e"),
    pytest.param("\u0420act \u03bff Bergen", id="Cyrillic P, Greek omicron"),
    pytest.param("PACT OF BERGEN", id="capitals"),
    pytest.param("Pact of Bérgen", id="an accent"),
    pytest.param("\uff30act of Bergen", id="fullwidth P"),
    pytest.param("Pact-of-Bergen!", id="punctuation for spaces"),
])
@pytest.mark.parametrize("where", [("NOR", "agreements"), ("NOR", "engagements"),
                                   ("DNK", "agreements"), ("DNK", "engagements"),
                                   ("DNK", "actions")])
def test_a_deleted_record_re_added_lower_under_a_look_alike_name_is_refused(store, name,
                                                                             where):
    code, table = where
    error = _refused(store, code, table, name)
    assert "would lower the marking" in str(error) and NAME in str(error)
    assert "OFFICIAL-SENSITIVE" in str(error)


def test_a_held_record_repeated_under_another_country_is_refused(store):
    store.save(model.Agreement(country="NOR", name="Northern Shield Compact",
                               marking="OFFICIAL-SENSITIVE"), user="setup")
    error = _refused(store, "DNK", "agreements", "Northern  Shield Compact.")
    assert "of NOR" in str(error)


def test_a_sheet_re_adding_it_as_an_engagement_elsewhere_is_refused(store, tmp_path):
    sheet = tmp_path / "engagements.csv"
    sheet.write_text(f"title,date,marking\n{CYRILLIC_E},2026-02-01,OFFICIAL\n",
                     encoding="utf-8")
    with pytest.raises(DataError, match="would lower the marking of agreement"):
        plan_csv(store, sheet, "engagements", country="DNK")


@pytest.mark.parametrize("name,marking", [("Pact of Oslo", "OFFICIAL"),
                                          ("Bergen", "OFFICIAL"),
                                          (NAME, "OFFICIAL-SENSITIVE"),
                                          ("Pact of Bergen", "OFFICIAL-SENSITIVE - COMMERCIAL")])
def test_another_name_or_the_same_marking_is_applied(store, name, marking):
    plan = plan_import(store, parse_packet(_packet(store, "DNK", _add("agreements", name,
                                                                       marking)), "ok.yaml"))
    assert [c.kind for c in plan.changes] == ["added"]


_LOOK = {"a": ["\u0430", "\u03b1"], "e": ["\u0435"], "o": ["\u043e", "\u03bf"],
         "c": ["\u0441", "\u03f2"], "P": ["\u0420", "\u03a1"], "B": ["\u0412", "\u0392"],
         "r": ["\u0433"], "t": ["\u0442"], "n": ["\u043f"]}
_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f"]


@st.composite
def evasions(draw) -> str:
    """"Pact of Bergen" as an attacker may spell it to look the same."""
    out = []
    for ch in NAME:
        if ch in _LOOK and draw(st.booleans()):
            ch = draw(st.sampled_from(_LOOK[ch]))
        elif ch.isalpha() and draw(st.booleans()):
            ch = ch.swapcase()
        elif ch == " ":
            ch = draw(st.sampled_from([" ", "  ", "\u00a0", "\u2009", "-", ". ", "\u200b"]))
        out.append(ch)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(_INVISIBLE)))
    return "".join(out) + draw(st.sampled_from(["", ".", "!", " ", "\u200b", ","]))


@given(name=evasions(), where=st.sampled_from([("NOR", "agreements"), ("DNK", "agreements"),
                                               ("NOR", "engagements"), ("DNK", "actions")]))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_spelling_that_looks_the_same_lowers_the_marking(store, name, where):
    assert skeleton(clean(name)).replace(" ", "") == "pactofbergen"
    _refused(store, *where, name)


@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_the_skeleton_is_stable_and_never_holds_invisible_or_format_characters(text):
    import unicodedata

    once = skeleton(text)
    assert skeleton(once) == once
    assert not any(unicodedata.category(c) in ("Cf", "Mn", "Me", "Cc") for c in once)
    assert skeleton(clean(text)) == skeleton(text)  # what is dropped on the way in is
    assert skeleton(text + "\u200b.") == skeleton(text)  # ... invisible to the comparison


def test_zero_width_characters_are_dropped_on_the_way_in(store, tmp_path):
    name = "Skagerrak\u200b Defence\u200d Accord\u2060\ufeff"
    plan = plan_import(store, parse_packet(_packet(store, "DNK", _add("agreements", name)),
                                           "zw.yaml"))
    apply_import(store, plan, prefer="theirs")
    stored = [a.name for a in store.records("agreements", "DNK")]
    assert stored == ["Skagerrak Defence Accord"]
    saved = store.save(model.Agreement(country="DNK", name="Jutland\u200bLine"), user="me")
    assert saved.name == "JutlandLine"
    assert clean("a\u200bb\u200cc\u200dd\u2060e\ufefff\u180eg") == "abcdefg"


@pytest.mark.parametrize("table, name", [
    ("agreements", "Pact of Bergen."),
    ("agreements", "Pact of\u200bBergen"),
    ("agreements", "Pact of B\u0435rgen"),  # Cyrillic е
    ("engagements", "pact of bergen"),
])
def test_the_apps_add_cannot_re_add_at_a_lower_marking(store, table, name):
    """Store.save of a new record (the app's Add) follows the rule imports follow."""
    from briefpack import marking

    record = (model.Agreement(country="DNK", name=name, marking="OFFICIAL")
              if table == "agreements" else
              model.Engagement(country="NOR", title=name, date=dt.date(2026, 1, 5),
                               marking="OFFICIAL"))
    before = len(store.records(table, record.country))
    with pytest.raises(marking.MarkingError, match="can never lower its marking"):
        store.save(record, user="adder")
    assert len(store.records(table, record.country)) == before
    refused = store.db.execute("SELECT count(*) FROM audit WHERE action = 'refused' AND "
                               "user = 'adder'").fetchone()[0]
    assert refused == 1


def test_the_apps_add_at_the_same_marking_is_applied(store):
    store.save(model.Agreement(country="NOR", name=NAME, marking="OFFICIAL-SENSITIVE"))
    assert NAME in [a.name for a in store.records("agreements", "NOR")]

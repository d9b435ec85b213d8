"""Score the visit, not the country (issue 21, item 4): which objectives a visit serves in
each country and call, through which live opportunities, and what it leaves on the table."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from briefpack import model
from briefpack.priorities import load_priorities
from briefpack.scoring import score_visit
from briefpack.visits import load_visit

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "data" / "visits" / "2026-12-nordic-baltic-tour.yaml"
TODAY = dt.date(2026, 12, 1)
PRIORITIES = load_priorities()


def impact_of(store, visit):
    return score_visit(visit, [store.country_file(c) for c in visit.countries], PRIORITIES,
                       today=TODAY)


def test_the_tour_serves_objectives_through_the_opportunities_it_names(sample_store):
    impact = impact_of(sample_store, load_visit(TOUR, sample_store))
    assert [c.code for c in impact.countries] == ["NOR", "DNK", "LVA"]
    norway = impact.country("NOR")
    served = {s.key: s for s in norway.serves}
    assert {o.name for o in served["growth"].through} == {"Lunna House",
                                                          "Anti-Submarine Warfare frigates"}
    assert served["growth"].by  # the visit's objective tagged growth
    assert any("Maritime Capability Coalition" in o.name
               for o in served["euro_atlantic"].through)
    assert "Shape the global security environment" in norway.unserved
    call = norway.calls[0]
    assert call.label == "Monday 7 December 10:00, Oslo: Call on the Minister of Defence"
    assert {o.name for o in call.opportunities} == {"Lunna House",
                                                    "Anti-Submarine Warfare frigates"}
    assert set(call.objectives) >= {"euro_atlantic", "growth"}
    # the sample tour mentions every live opportunity its countries' records hold
    assert all(not c.left_on_table for c in impact.countries)
    # one coalition, not two: its record stands for the co-lead fact
    coalitions = [o for o in served["euro_atlantic"].through if "Maritime" in o.name]
    assert len(coalitions) == 1


def _denmark_with_more(store) -> None:
    store.save(model.ExportOpportunity(country="DNK", programme="Type 31 frigates",
                                       value_gbp=1e9, stage="bid"))
    store.save(model.ExportOpportunity(country="DNK", programme="Old radar", value_gbp=5e6,
                                       stage="lost"))
    store.save(model.Agreement(country="DNK", name="Arctic Accord", kind="strategic agreement",
                               strategic=True, signed=dt.date(2026, 6, 1)))
    store.save(model.Engagement(country="DNK", title="Exercise Northern Shield",
                                status="past", date=dt.date(2026, 5, 1)))


def test_what_the_visit_leaves_on_the_table(sample_store):
    _denmark_with_more(sample_store)
    denmark = impact_of(sample_store, load_visit(TOUR, sample_store)).country("DNK")
    left = {o.name: o for o in denmark.left_on_table}
    assert set(left) == {"Type 31 frigates", "Arctic Accord"}  # not the lost, not the past
    assert "growth" in left["Type 31 frigates"].objectives
    assert left["Arctic Accord"].date == dt.date(2026, 6, 1)
    # mentioned once in a call, it is no longer on the table
    visit = load_visit(TOUR, sample_store)
    programme = tuple(dataclasses.replace(item, points_to_make=(
        *item.points_to_make, "We would welcome Denmark's interest in the Type 31.")) if
        item.country == "DNK" and item.time == "10:00" else item for item in visit.programme)
    denmark = impact_of(sample_store, dataclasses.replace(visit, programme=programme)) \
        .country("DNK")
    assert {o.name for o in denmark.left_on_table} == {"Arctic Accord"}
    assert any(o.name == "Type 31 frigates" for o in denmark.calls[0].opportunities)


def test_an_alumnus_met_at_a_call_is_served(sample_store):
    alumnus = sample_store.save(model.Alumnus(country="DNK", name="Gen. A. Jensen",
                                              senior=True, appointment="Chief of Defence"))
    person = sample_store.save(model.Interlocutor(country="DNK", name="A. Jensen",
                                                  role="Chief of Defence",
                                                  alumnus_id=alumnus.id))
    visit = load_visit(TOUR, sample_store)
    denmark = impact_of(sample_store, visit).country("DNK")
    assert [o.name for o in denmark.left_on_table] == ["Gen. A. Jensen"]
    programme = tuple(dataclasses.replace(item, interlocutors=(
        *item.interlocutors, model.Attendee(role="Chief of Defence", interlocutor=person.id)))
        if item.country == "DNK" and item.time == "10:00" else item
        for item in visit.programme)
    denmark = impact_of(sample_store, dataclasses.replace(visit, programme=programme)) \
        .country("DNK")
    assert denmark.left_on_table == ()
    assert "Gen. A. Jensen" in [o.name for o in denmark.calls[0].opportunities]


def test_an_acronym_names_its_programme(sample_store):
    japan = model.Visit(title="To Tokyo", principal="Secretary of State", start=TODAY,
                        end=TODAY, countries=("JPN",),
                        objectives=(model.VisitObjective("Reaffirm GCAP", ("global",)),))
    impact = impact_of(sample_store, japan).country("JPN")
    assert impact.left_on_table == ()
    served = {s.key: s for s in impact.serves}
    assert [o.name for o in served["homeland"].through] == ["Global Combat Air Programme"]
    bare = dataclasses.replace(japan, objectives=(model.VisitObjective("Talk", ("global",)),))
    assert [o.name for o in impact_of(sample_store, bare).country("JPN").left_on_table] == \
        ["Global Combat Air Programme"]


def test_cli_score_visit_shows_each_country_calls_and_the_table(cli, seeded_db):
    code, out, _ = cli("--db", seeded_db, "score", "--visit", TOUR, "--today", "2026-12-01")
    assert code == 0
    assert out.startswith("Nordic–Baltic tour by the Minister for the Armed Forces: how the "
                          "visit serves the strategy")
    assert "Norway (NOR)" in out and "Latvia (LVA)" in out
    assert "  Call: Monday 7 December 10:00, Oslo: Call on the Minister of Defence" in out
    assert "    raises: Lunna House, announced 4 December 2025" in out
    assert out.count("Left on the table: nothing.") == 3
    from briefpack.store import Store

    store = Store.open(seeded_db)
    _denmark_with_more(store)
    store.close()
    code, out, _ = cli("--db", seeded_db, "score", "--visit", TOUR, "--today", "2026-12-01")
    assert "  Left on the table. You could also raise:\n    - Arctic Accord, signed 1 June " \
           "2026, active strategic agreement (serves Homeland, Euro-Atlantic, Growth)" in out
    assert "    - Type 31 frigates, bid, £1 billion (serves Growth)" in out
    code, out, _ = cli("--db", seeded_db, "score", "--visit", TOUR, "--format", "json")
    data = json.loads(out)
    assert [c["code"] for c in data["countries"]] == ["NOR", "DNK", "LVA"]
    code, out, _ = cli("--db", seeded_db, "score", "DNK", "--visit", TOUR, "--format", "json")
    data = json.loads(out)
    assert data["scorecard"]["country_code"] == "DNK"
    assert [c["code"] for c in data["visit"]["countries"]] == ["DNK"]


def test_cli_score_needs_a_country_or_a_visit(cli, seeded_db):
    code, _, err = cli("--db", seeded_db, "score")
    assert code == 2 and "name a country to score, or a visit" in err
    code, _, err = cli("--db", seeded_db, "score", "Kenya", "--visit", TOUR)
    assert code == 2 and "does not go to Kenya" in err


def test_a_lost_export_is_no_opportunity(sample_store):
    sample_store.save(model.ExportOpportunity(country="LVA", programme="Drones", stage="lost",
                                              value_gbp=1e8))
    latvia = impact_of(sample_store, load_visit(TOUR, sample_store)).country("LVA")
    assert latvia.left_on_table == ()

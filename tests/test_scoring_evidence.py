"""Scoring true to its evidence (issue 21, items 1-3).

Absence of evidence is not evidence of absence; adding a record never lowers a score;
each criterion counts what the sentence it quotes names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefpack import model
from briefpack.errors import DataError
from briefpack.priorities import load_priorities, parse_priorities
from briefpack.readout import apply_readout, readout_records
from briefpack.scoring import NO_DATA, Scorecard, score
from briefpack.store import Store
from briefpack.yamlio import loads

TODAY = dt.date(2026, 12, 1)
SHIPPED = load_priorities()


@lru_cache(maxsize=1)
def _sample() -> dict[str, model.CountryFile]:
    return {cf.country.code: cf for cf in Store.memory(seed=True).country_files()}


def sample(code: str) -> model.CountryFile:
    """A copy of a sample country's file (the cached one is never changed)."""
    cf = _sample()[code]
    return dataclasses.replace(cf, complete=dict(cf.complete), **{
        t: list(spec.records(cf)) for t, spec in model.TABLES.items()})


def criterion(card: Scorecard, key: str):
    return next(c for o in card.objectives for c in o.criteria if c.key == key)


def card_of(code: str, cf: model.CountryFile | None = None) -> Scorecard:
    return score(cf or sample(code), SHIPPED, today=TODAY)


# -- the repros of the issue --------------------------------------------------------------

def _japan_australia_visit() -> model.Visit:
    return model.Visit(
        title="Secretary of State to Tokyo and Canberra", principal="Secretary of State",
        start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 6), countries=("JPN", "AUS"),
        per_country=(
            model.CountryContent(country="JPN", objectives=(
                model.VisitObjective("Reaffirm the Global Combat Air Programme",
                                     ("global", "growth")),)),
            model.CountryContent(country="AUS", objectives=(
                model.VisitObjective("Reaffirm AUKUS Pillar 1", ("homeland",)),))),
        outcomes=(model.Outcome("1", "GCAP reaffirmed", "achieved", country="JPN"),
                  model.Outcome("1", "AUKUS Pillar 1 reaffirmed", "achieved", country="AUS")),
        readout_date=dt.date(2026, 11, 9))


def test_a_readout_of_a_japan_australia_visit_lowers_neither_partner(sample_store):
    before = {c: score(sample_store.country_file(c), SHIPPED, today=TODAY)
              for c in ("JPN", "AUS")}
    apply_readout(sample_store, _japan_australia_visit(), today=TODAY, backup=False)
    for code, was in before.items():
        now = score(sample_store.country_file(code), SHIPPED, today=TODAY)
        assert now.overall >= was.overall and now.coverage >= was.coverage, code
        assert now.band != "Red", (code, now.overall_line())
        for old, new in zip(was.objectives, now.objectives):
            assert new.score >= old.score, (code, new.key)
        # one engagement does not make the table's other kinds "measured at 0"
        assert criterion(now, "ukraine_support").status == NO_DATA
    # and the visit shows: the ministerial contact is now measured for both
    assert criterion(score(sample_store.country_file("JPN"), SHIPPED, today=TODAY),
                     "ministerial_contact").score > 0


def test_australia_counts_aukus_as_its_nuclear_relationship():
    card = card_of("AUS")
    nuclear = criterion(card, "nuclear_partnership")
    assert nuclear.measured and nuclear.score > 0
    assert any("AUKUS" in e.text for e in nuclear.evidence)
    assert card.objective("homeland").band != "Red"


def test_norways_co_led_coalition_is_full_support_to_ukraine_not_its_gap():
    card = card_of("NOR")
    support = criterion(card, "ukraine_support")
    assert support.score == 100
    assert any("Maritime Capability Coalition" in e.text for e in support.evidence)
    gap = card.objective("euro_atlantic").biggest_gap()
    assert gap is None or gap.key != "ukraine_support"


# -- absence of evidence --------------------------------------------------------------------

def test_a_record_of_a_table_does_not_make_its_other_criteria_zero():
    cf = sample("JPN")
    cf.agreements.append(model.Agreement(id=9001, country="JPN", name="Reciprocal Access",
                                         kind="defence agreement"))
    card = card_of("JPN", cf)
    for key in ("nuclear_partnership", "strategic_agreement", "partnership_jobs",
                "inward_investment"):
        c = criterion(card, key)
        assert c.status in (NO_DATA, "not applicable"), key
    assert "agreements not declared complete" in criterion(card, "nuclear_partnership").fact


def test_a_section_declared_complete_measures_none_as_zero_with_its_date():
    cf = sample("JPN")
    cf.complete["agreements"] = dt.date(2026, 3, 1)
    nuclear = criterion(card_of("JPN", cf), "nuclear_partnership")
    assert nuclear.measured and nuclear.score == 0
    assert "agreements declared complete as of 1 March 2026" in nuclear.fact
    # engagements complete and none ministerial: as long ago as the scale goes
    cf.complete["engagements"] = dt.date(2026, 3, 1)
    contact = criterion(card_of("JPN", cf), "ministerial_contact")
    assert contact.measured and contact.score == 10


def test_co_leadership_is_no_data_until_the_country_facts_are_declared_complete():
    cf = sample("JPN")
    assert criterion(card_of("JPN", cf), "ukraine_support").status == NO_DATA
    co_leads = criterion(card_of("ITA"), "co_leads_with_uk")
    assert co_leads.status == NO_DATA
    cf = sample("ITA")
    cf.complete["country"] = dt.date(2026, 3, 1)
    assert criterion(card_of("ITA", cf), "co_leads_with_uk").score_text() == "0"


def test_the_store_keeps_declarations_audited_and_in_the_country_file():
    store = Store.memory(seed=True)
    store.declare_complete("nor", "agreements", dt.date(2026, 3, 1), user="da.oslo")
    assert store.country_file("NOR").complete == {"agreements": dt.date(2026, 3, 1)}
    by_code = {cf.country.code: cf for cf in store.country_files()}
    assert by_code["NOR"].complete == {"agreements": dt.date(2026, 3, 1)}
    assert by_code["DEU"].complete == {}
    store.declare_complete("NOR", "agreements", None, user="da.oslo")
    assert store.completeness("NOR") == {}
    entries = [e for e in store.history("NOR") if e["action"] == "complete"]
    assert [(e["user"], e["before"], e["after"]) for e in entries] == [
        ("da.oslo", None, "2026-03-01"), ("da.oslo", "2026-03-01", None)]
    with pytest.raises(Exception, match="unknown section 'treaties'"):
        store.declare_complete("NOR", "treaties", dt.date(2026, 3, 1))


def test_cli_complete_sets_shows_and_withdraws(cli, seeded_db):
    code, out, _ = cli("--db", seeded_db, "complete", "Norway", "agreements",
                       "--as-of", "2026-03-01")
    assert code == 0 and "agreements: complete as of 1 March 2026" in out
    code, out, _ = cli("--db", seeded_db, "score", "NOR", "--explain", "--today", "2026-12-01")
    assert "agreements declared complete as of 1 March 2026" in out
    code, out, _ = cli("--db", seeded_db, "complete", "NOR")
    assert "agreements: complete as of 1 March 2026" in out
    code, out, _ = cli("--db", seeded_db, "complete", "NOR", "agreements", "--withdraw")
    assert code == 0 and "no section of Norway is declared complete" in out
    code, _, err = cli("--db", seeded_db, "complete", "NOR", "treaties")
    assert code == 2 and "treaties" in err


# -- monotone by construction ------------------------------------------------------------------

def _codes() -> list[str]:
    named = sorted(p.stem for p in (model_dir() / "countries").glob("*.yaml"))
    return named + ["BTN", "KEN", "BRA"]  # and countries the strategy never names


def model_dir():
    from briefpack import paths
    return paths.data_dir()


_KINDS = sorted({v for o in SHIPPED.objectives for c in o.criteria
                 for f in (*c.filters, *(f for s in c.also for f in s.filters))
                 if f.field == "kind" for v in f.values} | {"visit", "activity", "treaty"})
_dates = st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2027, 6, 1))
_money = st.none() | st.floats(0, 2e10)
_count = st.none() | st.integers(0, 5000)

RECORDS = {
    "agreements": st.builds(
        model.Agreement, country=st.just(""), name=st.sampled_from(["AUKUS", "Accord"]),
        kind=st.sampled_from(_KINDS), status=st.sampled_from(model.AGREEMENT_STATUSES),
        strategic=st.booleans(), value_gbp=_money, jobs=_count, signed=_dates),
    "alumni": st.builds(model.Alumnus, country=st.just(""), name=st.just("A"),
                        senior=st.booleans(), year=st.none() | st.integers(1970, 2026)),
    "export_opportunities": st.builds(
        model.ExportOpportunity, country=st.just(""), programme=st.just("P"),
        value_gbp=_money, jobs=_count, stage=st.sampled_from(model.EXPORT_STAGES)),
    "engagements": st.builds(
        model.Engagement, country=st.just(""), title=st.just("E"), date=_dates,
        kind=st.sampled_from(_KINDS), level=st.sampled_from(model.ENGAGEMENT_LEVELS),
        status=st.sampled_from(model.ENGAGEMENT_STATUSES)),
    "interlocutors": st.builds(model.Interlocutor, country=st.just(""), name=st.just("I"),
                               last_met=_dates),
    "actions": st.builds(model.Action, country=st.just(""), action=st.just("Do"),
                         due=_dates, status=st.sampled_from(model.ACTION_STATUSES)),
}

_ORDER = {"Red": 0, "Insufficient data": 0, "Amber": 1, "Green": 2}


def assert_not_lower(before: Scorecard, after: Scorecard, what: str) -> None:
    assert after.overall >= before.overall - 1e-9, what
    assert after.coverage >= before.coverage - 1e-9, what
    assert _ORDER[after.band] >= _ORDER[before.band], what
    for old, new in zip(before.objectives, after.objectives):
        assert new.score >= old.score - 1e-9, (what, new.key)
        assert _ORDER[new.band] >= _ORDER[old.band], (what, new.key)
        for c_old, c_new in zip(old.criteria, new.criteria):
            assert c_new.score >= c_old.score - 1e-9, (what, c_new.key)
            assert c_new.measured or not c_old.measured, (what, c_new.key)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(code=st.sampled_from(_codes()), table=st.sampled_from(sorted(RECORDS)),
       data=st.data(), complete=st.lists(st.sampled_from(model.COMPLETE_SECTIONS),
                                         unique=True))
def test_adding_a_record_never_lowers_any_score(code, table, data, complete):
    cf = sample(code)
    cf.complete.update(dict.fromkeys(complete, dt.date(2026, 3, 1)))
    record = dataclasses.replace(data.draw(RECORDS[table]), country=code, id=90_000)
    before = score(cf, SHIPPED, today=TODAY)
    added = dataclasses.replace(cf, **{table: [*model.TABLES[table].records(cf), record]})
    assert_not_lower(before, score(added, SHIPPED, today=TODAY), f"{code} + {table}")


@settings(max_examples=60, deadline=None)
@given(code=st.sampled_from(_codes()), principal=st.sampled_from(
    ["Secretary of State", "Chief of the Defence Staff", "Director, Policy"]),
       start=st.dates(dt.date(2024, 1, 1), TODAY))
def test_a_readout_never_lowers_its_partner(code, principal, start):
    visit = model.Visit(title="Visit", principal=principal, start=start, end=start,
                        countries=(code,),
                        objectives=(model.VisitObjective("Meet", ("euro_atlantic",)),),
                        outcomes=(model.Outcome("1", "Met", "achieved"),),
                        actions=(model.ReadoutAction("Write", "PS"),))
    ((engagement, actions),) = readout_records(visit).values()
    cf = sample(code)
    after = dataclasses.replace(cf, engagements=[*cf.engagements, engagement],
                                actions=[*cf.actions, *actions])
    assert_not_lower(card_of(code, cf), card_of(code, after), code)


def test_a_priorities_file_whose_scale_falls_with_evidence_is_refused():
    text = (model_dir() / "priorities.yaml").read_text(encoding="utf-8")
    bad = text.replace("thresholds: {1: 70, 2: 100}", "thresholds: {1: 100, 2: 70}")
    with pytest.raises(DataError, match="expected points that rise with the value"):
        parse_priorities(loads(bad, "p.yaml"), "p.yaml")
    bad = text.replace("thresholds: {0: 100, 180: 70, 365: 40, 730: 10}",
                       "thresholds: {0: 100, 180: 70, 365: 40, 730: 10}\n          missing: 50")
    with pytest.raises(DataError, match="expected at most 10"):
        parse_priorities(loads(bad, "p.yaml"), "p.yaml")


def test_also_is_only_for_measures_that_count():
    text = (model_dir() / "priorities.yaml").read_text(encoding="utf-8")
    bad = text.replace("""        measure: days_since_engagement
""", """        measure: days_since_engagement
        also:
          - measure: membership
            formats: [NATO]
            why: because
""")
    with pytest.raises(DataError, match="does not count things"):
        parse_priorities(loads(bad, "p.yaml"), "p.yaml")
    bad = text.replace("""          - measure: membership
            formats: [AUKUS]""", """          - measure: region_weight
            formats: [AUKUS]""")
    with pytest.raises(DataError, match="expected a measure that counts"):
        parse_priorities(loads(bad, "p.yaml"), "p.yaml")


# -- each criterion counts what its sentence names ----------------------------------------------

def _with(code: str, **records) -> model.CountryFile:
    cf = sample(code)
    for table, rows in records.items():
        setattr(cf, table, [*model.TABLES[table].records(cf), *rows])
    return cf


def _judged(code: str, **facts) -> model.CountryFile:
    cf = sample(code)
    cf.country = dataclasses.replace(cf.country, **facts)
    return cf


#: criterion -> the partners its sentence names (as the sample holds them, or with the
#: record the sentence describes), each scoring above 0 on it
NAMED = {
    # "continued collaboration with US under the 1963 Polaris Sales Agreement and 1958 Mutual
    # Defence Agreement, delivering AUKUS Pillar 1 with the US and Australia, and ... France
    # under the 2025 Northwood Declaration"
    "nuclear_partnership": {"USA": None, "AUS": None, "FRA": None},
    # "working with our allies and partners to strengthen our collective security"
    "collective_security": {"NOR": None, "AUS": None, "CAN": None},
    # "working with partners to build defence industrial capability"
    "industrial_capability": {"DEU": None, "ITA": None, "JPN": None, "UKR": None},
    # "continue our large-scale support to Ukraine": Ukraine and the coalition co-leads
    "ukraine_support": {"UKR": None, "NOR": None, "LVA": None, "DEU": None, "FRA": None},
    # "We co-lead the over 50 nation Ukraine Defence Contact Group with Germany"
    "co_leads_with_uk": {"DEU": None, "FRA": None, "NOR": None, "LVA": None},
    # "NATO First"
    "nato_ally": {"NOR": None, "TUR": None, "USA": None},
    # "Our recent ambitious agreements with European allies"
    "strategic_agreement": {"DEU": None, "FRA": None, "NOR": None},
    # "bilaterally in strengthening our closest relationships"
    "agreements_in_force": {"DEU": None, "FRA": None, "NOR": None},
    # "the E3 (with France and Germany), E5 (with France, Germany, Italy and Poland) and ...
    # the Joint Expeditionary Force (JEF)"
    "european_formats": {"FRA": None, "DEU": None, "ITA": None, "POL": None, "NOR": None},
    # "leading in NATO ... generating credible, ready forces": defence activity together
    "defence_activity": {"UKR": None, "NOR": None, "DNK": None},
    # "support our interests in priority regions and countries"
    "regional_priority": {"SAU": None, "IDN": None, "KEN": None},
    # "our partnership with Italy and Japan on the Global Combat Air Programme"
    "global_partnerships": {"ITA": None, "JPN": None, "AUS": None},
    # "NATO First does not mean NATO only": activity beyond the Euro-Atlantic
    "global_activity": {"JPN": lambda: _with("JPN", engagements=[model.Engagement(
        id=9001, country="JPN", title="Exercise together", kind="exercise")])},
    # "our extensive network of Defence Sections"
    "defence_presence": {"USA": None},
    # "our formal alumni network": the President of the Czech Republic, Petr Pavel
    "alumni_network": {"CZE": None},
    # "securing exports": Norway's frigates, Turkey's Typhoons, Indonesia's frigates
    "export_pipeline": {"NOR": None, "TUR": None, "IDN": None},
    # "jobs and growth at home": 4,000 jobs from the Norway deal, 1,000 from Indonesia
    "export_jobs": {"NOR": None, "IDN": None},
    # "British jobs": Trinity House (600), Lancaster House 2.0 (1,300)
    "partnership_jobs": {"DEU": None, "FRA": None},
    # "£3.2 billion in foreign direct investment": German companies' £800 million
    "inward_investment": {"DEU": None},
    # "implementing strategic agreements with cutting-edge military capabilities at their
    # heart": the strategic agreements, and the capability programmes (AUKUS, GCAP, Typhoon)
    "capability_collaboration": {"DEU": None, "FRA": None, "NOR": None, "AUS": None,
                                 "JPN": None, "ITA": None},
    # "This is most critical at post": the defence section
    "network_at_post": {"USA": None},
    # "a single ministerially endorsed ... international prioritisation": the user's tier
    "priority_tier": {"NOR": lambda: _judged("NOR", priority_tier=1)},
    # "every ministerial or senior military visit"
    "ministerial_contact": {
        "NOR": lambda: _with("NOR", engagements=[model.Engagement(
            id=9002, country="NOR", title="Chief of the Defence Staff in Oslo",
            level="senior military", status="past", date=dt.date(2026, 10, 1))]),
        "DEU": lambda: _with("DEU", engagements=[model.Engagement(
            id=9003, country="DEU", title="Secretary of State in Berlin",
            level="ministerial", status="past", date=dt.date(2026, 10, 1))])},
}


def test_every_criterion_has_its_named_partners():
    keys = {c.key for o in SHIPPED.objectives for c in o.criteria}
    assert keys == set(NAMED)


@pytest.mark.parametrize("key", sorted(NAMED))
def test_each_criterion_counts_the_partners_its_sentence_names(key):
    for code, make in NAMED[key].items():
        cf = make() if make else sample(code)
        found = criterion(card_of(code, cf), key)
        assert found.measured and found.score > 0, (key, code, found.fact)
        assert found.evidence, (key, code)


def test_a_section_with_records_above_the_ceiling_is_not_complete_in_the_release():
    from briefpack.brief.release import released_country_file

    cf = sample("USA")
    cf.complete.update(agreements=dt.date(2026, 3, 1), alumni=dt.date(2026, 3, 1))
    cf.agreements[0] = dataclasses.replace(cf.agreements[0], marking="OFFICIAL-SENSITIVE")
    released = released_country_file(cf, ceiling="OFFICIAL")
    assert len(released.agreements) == len(cf.agreements) - 1
    assert released.complete == {"alumni": dt.date(2026, 3, 1)}


def test_a_packet_carries_and_sets_the_sections_declared_complete(tmp_path):
    import yaml

    from briefpack.store.packets import (
        _dump, apply_import, checksum, export_packet, parse_packet, plan_import)

    source = Store.memory(seed=True)
    source.declare_complete("NOR", "agreements", dt.date(2026, 3, 1), user="da.oslo")
    text = export_packet(source, "NOR")
    data = yaml.safe_load(text)
    assert data["complete"] == {"agreements": "2026-03-01"}
    data["complete"]["engagements"] = "2026-11-30"
    data["checksum"] = checksum(data)
    target = Store.memory(seed=True)
    packet = parse_packet(_dump(data), "NOR.yaml")
    assert packet.complete == {"agreements": dt.date(2026, 3, 1),
                               "engagements": dt.date(2026, 11, 30)}
    apply_import(target, plan_import(target, packet), user="importer")
    assert target.completeness("NOR") == packet.complete
    assert [e["user"] for e in target.history("NOR") if e["action"] == "complete"] == \
        ["importer", "importer"]
    # withdrawn by null; a section that is not one is named with its line
    data["complete"] = {"agreements": None, "treaties": "2026-03-01"}
    data["checksum"] = checksum(data)
    with pytest.raises(DataError, match=r"NOR.yaml:\d+ \[complete.treaties\]: unknown section"):
        parse_packet(_dump(data), "NOR.yaml")
    del data["complete"]["treaties"]
    data["checksum"] = checksum(data)
    apply_import(target, plan_import(target, parse_packet(_dump(data), "NOR.yaml")))
    assert target.completeness("NOR") == {"engagements": dt.date(2026, 11, 30)}

"""Scoring: hand-computed scores, evidence, visits, properties, the sample data and the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefpack import model, paths, yamlio
from briefpack.priorities import MEASURES, load_priorities, parse_priorities
from briefpack.scoring import (
    Evidence,
    Scorecard,
    _MEASURE_FUNCTIONS,
    band_for,
    rank,
    rank_key,
    score,
    unknown_tags,
)
from briefpack.store import Store
from briefpack.store.rows import to_row

TODAY = dt.date(2026, 4, 1)

PRIORITIES = """\
version: 1
bands: {green: 60, amber: 30}
regions:
  Euro-Atlantic: 100
  Middle East: 60
  Indo-Pacific: 50
  Africa: 40
  Latin America and Caribbean: 20
objectives:
  - key: euro_atlantic
    label: Deter and defend in the Euro-Atlantic
    weight: 3
    criteria:
      - key: nato_ally
        label: NATO ally
        measure: membership
        formats: [NATO]
        weight: 1
        scale: {thresholds: {1: 100}}
      - key: agreements
        label: Agreements in force
        measure: record_count
        table: agreements
        filter: {status: active}
        weight: 1
        scale: {linear: {cap: 4}}
  - key: growth
    label: Secure and resilient growth
    weight: 1
    criteria:
      - key: pipeline
        label: Export pipeline
        measure: export_pipeline
        stages: {won: 1, bid: 0.5}
        weight: 1
        scale: {thresholds: {"£1 million": 50, "£10 million": 100}}
  - key: wider_government
    label: Support wider government objectives
    weight: 0
    criteria:
      - key: contact
        label: Recent ministerial engagement
        measure: days_since_engagement
        filter: {level: ministerial, status: past}
        weight: 2
        scale: {thresholds: {0: 100, 90: 60, 365: 20}}
      - key: presence
        label: Defence section
        measure: defence_section
        weight: 1
        scale: {categories: {resident: 90, non-resident: 40}}
      - key: region
        label: Region
        measure: region_weight
        weight: 1
        scale: {linear: {cap: 100}}
      - key: activity
        label: Euro-Atlantic activity
        measure: record_count
        table: engagements
        applies_to: {region: Euro-Atlantic}
        weight: 0
        scale: {linear: {cap: 2}}
"""


@pytest.fixture
def priorities(tmp_path):
    path = tmp_path / "priorities.yaml"
    path.write_text(PRIORITIES, encoding="utf-8")
    return load_priorities(path)


def fill(store: Store) -> None:
    """A small hand-made store: two countries and a few records."""
    # countries go in as rows: Store.save reloads a country by rowid (reported to the lead)
    for country in (model.Country(code="NOR", name="Norway", region="Euro-Atlantic",
                                  memberships=("NATO", "JEF"), defence_section="resident"),
                    model.Country(code="KEN", name="Kenya", region="Africa",
                                  memberships=("Commonwealth",), defence_section="non-resident")):
        store.db["countries"].insert(to_row(country))
    store.save(model.Agreement(country="NOR", name="Lunna House", kind="strategic agreement",
                               signed=dt.date(2025, 12, 4), status="active", strategic=True))
    store.save(model.Agreement(country="NOR", name="Old accord", status="expired"))
    store.save(model.ExportOpportunity(country="NOR", programme="Frigates", value_gbp=2e6,
                                       stage="won"))
    store.save(model.ExportOpportunity(country="NOR", programme="Radar", value_gbp=4e6,
                                       stage="bid"))
    store.save(model.ExportOpportunity(country="NOR", programme="Boots", value_gbp=9e6,
                                       stage="lost"))
    store.save(model.Engagement(country="NOR", title="Defence ministers meet",
                                date=TODAY - dt.timedelta(days=100), level="ministerial"))
    store.save(model.Engagement(country="NOR", title="Staff talks", date=TODAY, level="official"))
    store.save(model.Engagement(country="KEN", title="Minister visits Nairobi",
                                date=TODAY - dt.timedelta(days=10), level="ministerial"))


@pytest.fixture
def store():
    store = Store.memory()
    fill(store)
    return store


# -- hand-computed scores ------------------------------------------------------------------


def test_hand_computed_scores(store, priorities):
    card = score(store.country_file("NOR"), priorities, today=TODAY)
    euro = card.objective("euro_atlantic")
    # NATO ally 100; 1 active agreement on a linear scale capped at 4 = 25
    assert [c.score for c in euro.criteria] == [100, 25]
    assert euro.score == 62.5 and euro.band == "Green"
    # pipeline: won £2m in full + bid £4m at half = £4m; "lost" not counted -> the £1m step
    growth = card.objective("growth")
    assert growth.score == 50 and growth.band == "Amber"
    wider = card.objective("wider_government")
    # 100 days since the ministerial meeting -> 60; resident 90; Euro-Atlantic 100 / 100;
    # 2 engagements in the Euro-Atlantic, capped at 2 -> 100 (weight 0: not counted)
    assert [c.score for c in wider.criteria] == [60, 90, 100, 100]
    assert wider.score == pytest.approx((60 * 2 + 90 + 100) / 4)
    # weight 0: shown but not counted; overall = (62.5 * 3 + 50 * 1) / 4
    assert card.overall == pytest.approx(59.375) and card.band == "Amber"


def test_applies_to_limits_a_criterion_to_matching_countries(store, priorities):
    activity = score(store.country_file("KEN"), priorities, today=TODAY) \
        .objective("wider_government").criteria[3]
    assert activity.status == "not applicable" and activity.evidence == ()
    assert activity.detail == "applies only to countries with region Euro-Atlantic"
    nor = score(store.country_file("NOR"), priorities, today=TODAY)
    assert nor.objective("wider_government").criteria[3].score == 100


def test_evidence_names_the_records_that_moved_each_criterion(store, priorities):
    card = score(store.country_file("NOR"), priorities, today=TODAY)
    nato, agreements = card.objective("euro_atlantic").criteria
    assert nato.evidence == (Evidence("Member of NATO", 100.0, "countries", "NOR"),)
    (lunna,) = agreements.evidence
    assert lunna.text == "Lunna House, signed 4 December 2025, active strategic agreement"
    assert lunna.points == 25 and lunna.table == "agreements" and lunna.record_id is not None
    assert "1 agreement with status active" in agreements.detail
    contact = card.objective("wider_government").criteria[0]
    assert contact.evidence[0].text.startswith("Defence ministers meet, ministerial, 22 December")
    assert contact.evidence[0].points == 60
    assert "latest 100 days before 1 April 2026" in contact.detail


def test_evidence_points_add_up_to_the_criterion_score(store, priorities):
    (pipeline,) = score(store.country_file("NOR"), priorities, today=TODAY) \
        .objective("growth").criteria
    assert sum(e.points for e in pipeline.evidence) == pytest.approx(pipeline.score)
    assert all("Boots" not in e.text for e in pipeline.evidence)
    assert "£4 million counted from 2 export opportunities" in pipeline.detail
    assert "thresholds £1 million+ → 50" in pipeline.detail


def test_no_dated_engagement_is_no_data_not_zero(store, priorities):
    cf = store.country_file("NOR")
    cf.engagements = [dataclasses.replace(e, date=None) for e in cf.engagements]
    wider = score(cf, priorities, today=TODAY).objective("wider_government")
    contact = wider.criteria[0]
    assert contact.status == "no data" and contact.evidence == ()
    assert contact.detail == ("no data: 1 engagement with level ministerial, status past "
                              "recorded, none dated; engagements not declared complete")
    # earns nothing, but is not averaged away: resident 90, Euro-Atlantic 100 of weight 4
    assert wider.score == pytest.approx((90 + 100) / 4)
    assert wider.coverage == pytest.approx(2 / 4)
    cf.engagements = []
    contact = score(cf, priorities, today=TODAY).objective("wider_government").criteria[0]
    assert contact.status == "no data"
    assert contact.detail == ("no data: no engagement with level ministerial, status past; "
                              "engagements not declared complete")


def test_a_scale_with_missing_points_measures_absence(store, priorities):
    objectives = tuple(dataclasses.replace(o, criteria=tuple(
        dataclasses.replace(c, scale=dataclasses.replace(c.scale, missing=10.0))
        if c.key == "contact" else c for c in o.criteria)) for o in priorities.objectives)
    cf = store.country_file("NOR")
    cf.engagements = []
    card = score(cf, dataclasses.replace(priorities, objectives=objectives), today=TODAY)
    contact = card.objective("wider_government").criteria[0]
    assert contact.status == "measured" and contact.score == 10


def test_summary_line_and_bands(store, priorities):
    card = score(store.country_file("NOR"), priorities, today=TODAY)
    assert card.summary_line("euro_atlantic") == \
        "Deter and defend in the Euro-Atlantic: 63 (Green), 100% measured"
    assert card.summary_line(card.objectives[1]) == \
        "Secure and resilient growth: 50 (Amber), 100% measured"
    assert [band_for(s, priorities) for s in (60, 59.9, 30, 29.9)] == \
        ["Green", "Amber", "Amber", "Red"]
    # below the minimum coverage (60% by default) a score has no band, whatever its value
    assert [band_for(0, priorities, c) for c in (0.6, 0.59)] == ["Red", "Insufficient data"]


def test_rank_is_best_first(store, priorities):
    cards = rank(store.country_files(), priorities, today=TODAY)
    assert [c.country_code for c in cards] == ["NOR", "KEN"]
    assert cards[0].overall > cards[1].overall


def test_score_is_pure_and_takes_today(store, priorities):
    cf = store.country_file("NOR")
    later = score(cf, priorities, today=TODAY + dt.timedelta(days=300))
    assert later.objective("wider_government").criteria[0].score == 20
    assert score(cf, priorities, today=TODAY) == score(cf, priorities, today=TODAY)


def test_every_measure_of_the_vocabulary_is_implemented():
    assert set(_MEASURE_FUNCTIONS) == set(MEASURES)


# -- visits ------------------------------------------------------------------------------


def visit(*objectives: model.VisitObjective) -> model.Visit:
    return model.Visit(title="Minister to Oslo", principal="Minister", start=TODAY, end=TODAY,
                       countries=("NOR",), objectives=objectives)


def test_visit_scorecard_shows_what_it_serves_and_leaves_unserved(store, priorities):
    trip = visit(model.VisitObjective("Agree the frigate schedule", ("growth",)),
                 model.VisitObjective("Reaffirm NATO First", ("Euro_Atlantic ", "growth")),
                 model.VisitObjective("Thank the hosts"))
    card = score(store.country_file("NOR"), priorities, trip, today=TODAY)
    assert card.visit_title == "Minister to Oslo"
    assert card.objective("growth").served_by == ("Agree the frigate schedule",
                                                   "Reaffirm NATO First")
    assert card.objective("euro_atlantic").served_by == ("Reaffirm NATO First",)
    # weight-0 objectives are not "unserved": they are not asked of a visit
    assert card.unserved == ()
    trip = visit(model.VisitObjective("Agree the frigate schedule", ("growth",)))
    card = score(store.country_file("NOR"), priorities, trip, today=TODAY)
    assert card.unserved == ("Deter and defend in the Euro-Atlantic",)
    assert score(store.country_file("NOR"), priorities, today=TODAY).unserved == ()


def test_unknown_visit_tags_are_reported(priorities):
    trip = visit(model.VisitObjective("Sell frigates", ("growht",)))
    (problem,) = unknown_tags(trip, priorities)
    assert "'growht'" in problem and "expected one of: euro_atlantic, growth" in problem


# -- properties ------------------------------------------------------------------------------

SHIPPED = load_priorities()

agreements = st.builds(
    model.Agreement, country=st.just("NOR"), name=st.sampled_from(["Lunna House", "Accord"]),
    id=st.integers(1, 10_000),
    kind=st.sampled_from(["strategic agreement", "nuclear agreement", "industrial agreement",
                          "capability partnership", "declaration"]),
    status=st.sampled_from(model.AGREEMENT_STATUSES), strategic=st.booleans(),
    value_gbp=st.none() | st.floats(0, 2e10), jobs=st.none() | st.integers(0, 5000),
    signed=st.none() | st.dates(dt.date(1950, 1, 1), dt.date(2026, 1, 1)))
exports = st.builds(
    model.ExportOpportunity, country=st.just("NOR"), programme=st.just("P"),
    id=st.integers(1, 10_000),
    value_gbp=st.none() | st.floats(0, 2e10), jobs=st.none() | st.integers(0, 5000),
    stage=st.sampled_from(model.EXPORT_STAGES))
engagements = st.builds(
    model.Engagement, country=st.just("NOR"), title=st.just("E"), id=st.integers(1, 10_000),
    date=st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2027, 1, 1)),
    level=st.sampled_from(model.ENGAGEMENT_LEVELS),
    status=st.sampled_from(model.ENGAGEMENT_STATUSES))
alumni = st.builds(model.Alumnus, country=st.just("NOR"), name=st.just("A"),
                   id=st.integers(1, 10_000), senior=st.booleans())
countries = st.builds(
    model.Country, code=st.just("NOR"), name=st.just("Norway"),
    region=st.sampled_from(model.REGIONS),
    memberships=st.lists(st.sampled_from(model.FORMATS), unique=True).map(tuple),
    co_leads=st.lists(st.sampled_from(["UDCG", "Drone Capability Coalition"]),
                      unique=True).map(tuple),
    defence_section=st.sampled_from(model.DEFENCE_SECTIONS),
    priority_tier=st.none() | st.integers(1, 4))
country_files = st.builds(
    model.CountryFile, country=countries, agreements=st.lists(agreements, max_size=5),
    export_opportunities=st.lists(exports, max_size=5),
    engagements=st.lists(engagements, max_size=5),
    alumni=st.lists(alumni, max_size=6))


def criterion_scores(card: Scorecard) -> dict[str, float]:
    return {f"{o.key}.{c.key}": c.score for o in card.objectives for c in o.criteria}


@settings(max_examples=75, deadline=None)
@given(country_files, agreements)
def test_adding_an_active_agreement_never_lowers_a_criterion(cf, agreement):
    before = criterion_scores(score(cf, SHIPPED, today=TODAY))
    added = dataclasses.replace(cf, agreements=[*cf.agreements,
                                                dataclasses.replace(agreement, status="active")])
    after = criterion_scores(score(added, SHIPPED, today=TODAY))
    assert all(after[key] >= before[key] for key in before)


@settings(max_examples=75, deadline=None)
@given(country_files, st.lists(st.just(0.0) | st.floats(0.001, 1000), min_size=5, max_size=5),
       st.floats(0.01, 100))
def test_overall_is_the_objective_weighted_mean(cf, weights, factor):
    reweighted = dataclasses.replace(SHIPPED, objectives=tuple(
        dataclasses.replace(o, weight=w) for o, w in zip(SHIPPED.objectives, weights)))
    card = score(cf, reweighted, today=TODAY)
    # each applicable objective counts by its weight: one with no evidence earns 0 of it
    counted = [w if any(c.status != "not applicable" and c.weight > 0 for c in o.criteria)
               else 0 for o, w in zip(card.objectives, weights)]
    total = sum(counted)
    expected = sum(o.score * c for o, c in zip(card.objectives, counted)) / total if total else 0
    assert card.overall == pytest.approx(expected, abs=1e-9)
    # weights are relative: scaling them all changes nothing
    scaled = dataclasses.replace(reweighted, objectives=tuple(
        dataclasses.replace(o, weight=o.weight * factor) for o in reweighted.objectives))
    assert score(cf, scaled, today=TODAY).overall == pytest.approx(card.overall, abs=1e-9)


@settings(max_examples=75, deadline=None)
@given(country_files, st.integers(1, 5000))
def test_scores_stay_between_0_and_100(cf, cap):
    objectives = tuple(dataclasses.replace(o, criteria=tuple(
        dataclasses.replace(c, scale=dataclasses.replace(c.scale, cap=float(cap)))
        if c.scale.kind == "linear" else c for c in o.criteria)) for o in SHIPPED.objectives)
    for priorities in (SHIPPED, dataclasses.replace(SHIPPED, objectives=objectives)):
        card = score(cf, priorities, today=TODAY)
        assert 0 <= card.overall <= 100
        for o in card.objectives:
            assert 0 <= o.score <= 100
            for c in o.criteria:
                assert 0 <= c.score <= 100
                assert sum(e.points for e in c.evidence) == pytest.approx(c.score, abs=1e-6) \
                    or not c.evidence


# -- the sample data ---------------------------------------------------------------------------


@pytest.fixture
def sample_files(sample_store):
    files = sample_store.country_files()
    if len(files) < 150:
        pytest.skip("the sample data is not all there yet")
    return files


def test_closest_partners_top_the_sample_ranking(sample_files):
    top = [c.country_code for c in rank(sample_files, SHIPPED, today=TODAY)[:5]]
    assert {"USA", "NOR", "DEU", "FRA"} <= set(top)


def test_nato_ally_outranks_an_otherwise_identical_non_member(sample_files):
    for cf in (f for f in sample_files if "NATO" in f.country.memberships):
        outside = dataclasses.replace(cf, country=dataclasses.replace(
            cf.country, memberships=tuple(m for m in cf.country.memberships if m != "NATO")))
        ally = score(cf, SHIPPED, today=TODAY)
        other = score(outside, SHIPPED, today=TODAY)
        assert ally.objective("euro_atlantic").score > other.objective("euro_atlantic").score
        assert ally.overall > other.overall


def reweighted_copy(tmp_path, key: str, weight: int):
    """A copy of the shipped file with one objective's weight line edited, as staff would."""
    source = paths.data_dir() / "priorities.yaml"
    data = yamlio.load(source)
    objective = next(o for o in data["objectives"] if o["key"] == key)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    index = objective.line_of("weight") - 1
    lines[index] = lines[index].split("weight:")[0] + f"weight: {weight}\n"
    copy = tmp_path / "reweighted.yaml"
    copy.write_text("".join(lines), encoding="utf-8")
    return copy


def test_reweighting_an_objective_in_the_yaml_changes_the_ranking(sample_files, tmp_path):
    copy = reweighted_copy(tmp_path, "growth", 400)
    heavy = load_priorities(copy)
    assert heavy.objective("growth").weight == 400
    before = [c.country_code for c in rank(sample_files, SHIPPED, today=TODAY)]
    after = [c.country_code for c in rank(sample_files, heavy, today=TODAY)]
    assert before != after
    # exporters rise when growth weighs more
    assert after.index("TUR") < before.index("TUR")
    assert after.index("IDN") < before.index("IDN")


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.db"
    store = Store.open(path, seed=False)
    fill(store)
    store.close()
    return str(path)


@pytest.fixture
def priorities_file(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PRIORITIES, encoding="utf-8")
    return str(path)



def test_cli_score_text(cli, db, priorities_file):
    code, out, _ = cli("--db", db, "--priorities", priorities_file, "score", "norway",
                       "--today", "2026-04-01")
    assert code == 0
    assert "Norway (NOR)" in out
    assert "Overall: 59 (Amber)" in out
    assert "Deter and defend in the Euro-Atlantic: 63 (Green)" in out
    assert "Lunna House" not in out  # evidence only with --explain


def test_cli_score_explain_shows_criteria_and_evidence(cli, db, priorities_file):
    code, out, _ = cli("--db", db, "--priorities", priorities_file, "score", "NOR",
                       "--explain", "--today", "2026-04-01")
    assert code == 0
    assert "  - Agreements in force: 25 of 100" in out
    assert "+ 25.0  Lunna House, signed 4 December 2025, active strategic agreement" in out


def test_cli_score_json(cli, db, priorities_file):
    code, out, _ = cli("--db", db, "--priorities", priorities_file, "score", "NOR",
                       "--format", "json", "--today", "2026-04-01")
    data = json.loads(out)
    assert code == 0 and data["overall"] == pytest.approx(59.375)
    assert data["objectives"][0]["criteria"][0]["evidence"][0]["text"] == "Member of NATO"


def test_cli_rank_formats_region_and_top(cli, db, priorities_file):
    base = ("--db", db, "--priorities", priorities_file, "rank", "--today", "2026-04-01")
    code, out, _ = cli(*base)
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:7] == ["rank", "code", "country", "region",
                                                  "overall", "band", "coverage"]
    assert lines[2].split()[:2] == ["1", "NOR"]
    # Kenya: no agreements and no exports held, so too little measured to rank: set apart,
    # unnumbered, with its coverage; never Red
    assert lines[3].split()[:2] == ["KEN", "Kenya"]
    assert "Insufficient data  38%" in lines[3]
    _, out, _ = cli(*base, "--format", "csv", "--top", "1")
    assert out.splitlines()[1].startswith("1,NOR,Norway,Euro-Atlantic,59,Amber,100%,63,50,")
    assert len(out.splitlines()) == 2
    _, out, _ = cli(*base, "--format", "json", "--region", "africa")
    (row,) = json.loads(out)
    assert row["code"] == "KEN" and row["rank"] is None and row["coverage"] == 0.375
    assert row["objectives"]["growth"] == {"score": 0, "band": "Insufficient data",
                                           "coverage": 0}


def test_cli_bad_priorities_file_names_file_line_and_field(cli, db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PRIORITIES.replace("measure: membership", "measure: popularity")
                   .replace("weight: 3", "weight: lots"), encoding="utf-8")
    text = bad.read_text(encoding="utf-8").splitlines()
    measure_line = text.index("        measure: popularity") + 1
    weight_line = text.index("    weight: lots") + 1
    code, _, err = cli("--db", db, "--priorities", str(bad), "rank")
    assert code == 3
    assert "2 problems" in err
    assert f"{bad}:{measure_line} [objectives[euro_atlantic].criteria[nato_ally].measure]: " \
           "unknown measure 'popularity'; expected one of: membership" in err
    assert f"{bad}:{weight_line} [objectives[euro_atlantic].weight]: 'lots' is not a number" in err


def test_cli_unknown_region_and_country(cli, db, priorities_file):
    code, _, err = cli("--db", db, "--priorities", priorities_file, "rank",
                       "--region", "Mars")
    assert code == 2 and "unknown region 'Mars'" in err
    code, _, err = cli("--db", db, "score", "Atlantis")
    assert code == 2 and "unknown country 'Atlantis'" in err


def test_cli_score_for_a_visit(cli, db, priorities_file):
    store = Store.open(db)
    saved = store.save_visit(visit(model.VisitObjective("Agree frigates", ("growth", "x"))))
    store.close()
    code, out, err = cli("--db", db, "--priorities", priorities_file, "score", "NOR",
                         "--visit", str(saved.id), "--today", "2026-04-01")
    assert code == 0
    assert "served by the visit objective: Agree frigates" in out
    assert "leaves unserved: Deter and defend in the Euro-Atlantic" in out
    assert "warning: 'Agree frigates' is tagged 'x'" in err
    code, _, err = cli("--db", db, "score", "KEN", "--visit", str(saved.id))
    assert code == 2 and "does not go to Kenya" in err


def test_cli_rank_on_the_seeded_sample_store(cli, seeded_db, sample_files):
    code, out, _ = cli("--db", seeded_db, "rank", "--top", "5",
                       "--format", "json")
    assert code == 0
    assert {"USA", "NOR", "DEU", "FRA"} <= {row["code"] for row in json.loads(out)}


def test_cli_reweighted_file_changes_the_cli_ranking(cli, tmp_path, seeded_db, sample_files):
    seeded = str(seeded_db)
    _, shipped, _ = cli("--db", seeded, "rank", "--format", "csv")
    copy = reweighted_copy(tmp_path, "growth", 400)
    _, heavy, _ = cli("--db", seeded, "--priorities", str(copy), "rank", "--format", "csv")
    assert shipped != heavy


def test_cli_help_text_on_every_command_and_option():
    from briefpack.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in ("score", "rank"):
        command = sub.choices[name]
        assert command.description
        assert any(a.dest == name and a.help for a in sub._choices_actions)
        for action in command._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help text"


def test_cli_module_imports_no_qt():
    import subprocess
    import sys

    code = ("import sys, briefpack.cli, briefpack.commands.scoring, briefpack.scoring;"
            "assert 'PySide6' not in sys.modules")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_priorities_text_round_trips_through_parse(tmp_path):
    data = yamlio.loads(PRIORITIES, "inline.yaml")
    assert parse_priorities(data, "inline.yaml").objective("growth").weight == 1


def test_make_store_is_synthetic_deterministic_and_scores(tmp_path):
    from benchmarks.make_store import make_store

    first = Store.open(make_store(tmp_path / "a.db", scale=0.01), create=False)
    second = Store.open(make_store(tmp_path / "b.db", scale=0.01), create=False)
    rows = list(first.db["alumni"].rows_where(order_by="id"))
    assert rows == list(second.db["alumni"].rows_where(order_by="id"))
    assert len(rows) == 200 and rows[16]["name"] == "Synthetic Alumnus 00017"
    assert {r["source"] for r in rows} == {"synthetic"}
    files = first.country_files()
    assert len(files) > 150
    cards = rank(files, SHIPPED, today=TODAY)
    assert cards == sorted(cards, key=rank_key)


def test_a_scorecard_carries_the_markings_of_the_records_it_derives_from(store, priorities):
    cf = store.country_file("NOR")
    assert set(score(cf, priorities, today=TODAY).markings) == {"OFFICIAL"}
    # an expired agreement counts towards nothing, but without it agreements would be
    # "no data": the result derives from it, so its marking binds the scorecard
    cf.agreements = [dataclasses.replace(a, marking="OFFICIAL-SENSITIVE")
                     if a.status == "expired" else a for a in cf.agreements]
    card = score(cf, priorities, today=TODAY)
    assert "OFFICIAL-SENSITIVE" in card.markings
    agreements = card.objective("euro_atlantic").criteria[1]
    assert "OFFICIAL-SENSITIVE" in agreements.markings
    assert all(e.marking == "OFFICIAL" for e in agreements.evidence)

"""The scorecard tells the truth on the sample data (issue 14).

Unknown is not zero; nothing is invented; what the strategy values is measured; the
strategy's closest partners come first; every criterion quotes the sentence it serves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from briefpack import model
from briefpack.priorities import load_priorities
from briefpack.scoring import INSUFFICIENT, rank, score
from briefpack.store import Store

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 1)
#: the partners the strategy names closest: "the UK's most important defence and security
#: ally", the three new strategic agreements, and "our large-scale support to Ukraine"
CLOSEST = ("USA", "FRA", "DEU", "NOR", "UKR")


@pytest.fixture(scope="module")
def store() -> Store:
    return Store.memory(seed=True)


@pytest.fixture(scope="module")
def priorities():
    return load_priorities()


def _has_records(cf: model.CountryFile) -> bool:
    return any(spec.records(cf) for spec in model.TABLES.values())


def test_no_country_without_records_scores_red(store, priorities):
    empty = [cf for cf in store.country_files() if not _has_records(cf)]
    assert len(empty) > 150
    for cf in empty:
        card = score(cf, priorities, today=TODAY)
        assert card.band == INSUFFICIENT, cf.country.code
        assert all(o.band != "Red" for o in card.objectives), cf.country.code


def test_unknown_is_not_zero_for_bhutan(store, priorities):
    card = score(store.country_file("BTN"), priorities, today=TODAY)
    assert card.band == INSUFFICIENT and 0 < card.coverage < 0.5
    criteria = {c.key: c for o in card.objectives for c in o.criteria}
    assert criteria["priority_tier"].status == "no data"
    assert criteria["priority_tier"].fact == "no data: priority tier not set"
    assert criteria["alumni_network"].status == "no data"
    assert criteria["nato_ally"].status == "not applicable"  # an Indo-Pacific country
    assert criteria["global_partnerships"].status == "measured"  # public membership lists


def _added(cf: model.CountryFile, table: str, record) -> model.CountryFile:
    return dataclasses.replace(cf, **{table: [*model.TABLES[table].records(cf), record]})


#: per objective, one record the strategy would count, added to Norway
COUNTED = {
    "homeland": ("agreements", model.Agreement(
        id=9001, country="NOR", name="Nuclear co-operation", kind="nuclear agreement")),
    "euro_atlantic": ("engagements", model.Engagement(
        id=9002, country="NOR", title="Interflex training team", kind="Ukraine training",
        level="military", status="ongoing")),
    "global": ("alumni", model.Alumnus(
        id=9003, country="NOR", name="Chief of Defence", senior=True)),
    "growth": ("agreements", model.Agreement(
        id=9004, country="NOR", name="Industrial accord", kind="industrial agreement",
        value_gbp=300e6, jobs=250)),
    "wider_government": ("engagements", model.Engagement(
        id=9005, country="NOR", title="Secretary of State in Oslo", level="ministerial",
        status="past", date=dt.date(2026, 11, 2))),
}


@pytest.mark.parametrize("objective", sorted(COUNTED))
def test_every_objective_moves_when_a_counted_record_is_added(store, priorities, objective):
    cf = store.country_file("NOR")
    table, record = COUNTED[objective]
    before = score(cf, priorities, today=TODAY).objective(objective)
    after = score(_added(cf, table, record), priorities, today=TODAY).objective(objective)
    assert (after.score, after.coverage) != (before.score, before.coverage)
    assert after.score > before.score or after.coverage > before.coverage


def test_support_to_ukraine_counts_under_the_euro_atlantic(store, priorities):
    card = score(store.country_file("UKR"), priorities, today=TODAY)
    support = next(c for c in card.objective("euro_atlantic").criteria
                   if c.key == "ukraine_support")
    assert support.status == "measured" and support.score == 100
    assert any("Interflex" in e.text or "Contact Group" in e.text for e in support.evidence)
    # what the strategy calls current is ongoing, and still counts
    ongoing = [e for e in store.country_file("UKR").engagements if e.status == "ongoing"]
    assert len(ongoing) >= 10


def test_closest_partners_rank_above_countries_never_mentioned(store, priorities):
    named = {p.stem for p in (ROOT / "data" / "countries").glob("*.yaml")}
    cards = rank(store.country_files(), priorities, today=TODAY)
    place = {c.country_code: i for i, c in enumerate(cards)}
    never_mentioned = [c for c in cards if c.country_code not in named]
    assert never_mentioned
    worst_closest = max(place[code] for code in CLOSEST)
    assert worst_closest < min(place[c.country_code] for c in never_mentioned)
    assert all(cards[place[code]].sufficient for code in CLOSEST)
    assert all(0 <= c.coverage <= 1 for c in cards)


def test_rank_top_12_shows_named_partners_first_with_coverage(cli, tmp_path):
    db = tmp_path / "s.db"
    Store.open(db).close()
    code, out, _ = cli("--db", db, "rank", "--top", "12", "--today", "2026-12-01")
    assert code == 0
    header, _, *rows = out.splitlines()
    assert "coverage" in header.split()
    assert len(rows) == 12
    named = {p.stem for p in (ROOT / "data" / "countries").glob("*.yaml")}
    codes = [row.split()[1] if row.split()[0].isdigit() else row.split()[0] for row in rows]
    assert set(codes) <= named
    assert set(CLOSEST) <= set(codes[:5])
    assert all(re.search(r"\b\d{1,3}%", row) for row in rows)


def test_score_btn_says_insufficient_data_with_coverage(cli, tmp_path):
    db = tmp_path / "s.db"
    Store.open(db).close()
    code, out, _ = cli("--db", db, "score", "BTN", "--today", "2026-12-01")
    assert code == 0
    assert re.search(r"Overall: Insufficient data \(\d+% measured\)", out)
    assert "Red" not in out


def _normal(text: str) -> str:
    text = text.replace("**", "").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def test_every_criterion_quotes_the_sentence_it_serves(priorities):
    strategy = ROOT / "data" / "strategy-public-summary.txt"
    text = _normal(strategy.read_text(encoding="utf-8"))
    for objective in priorities.objectives:
        for criterion in objective.criteria:
            assert criterion.serves, f"{objective.key}.{criterion.key} serves no sentence"
            assert _normal(criterion.serves) in text, f"{objective.key}.{criterion.key}"

"""The scorecard tells the truth on the sample data (issue 14).

Unknown is not zero; nothing is invented; what the strategy values is measured; the
strategy's closest partners come first; every criterion quotes the sentence it serves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from briefpack import model
from briefpack.priorities import load_priorities
from briefpack.scoring import INSUFFICIENT, rank, score
from briefpack.store import Store
from fixtures_briefs import section_blocks

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
    assert all(cards[place[code]].band != "Red" for code in CLOSEST)
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
    # the strategic and nuclear partners first; Ukraine, not an ally, among the named
    assert {"USA", "FRA", "DEU", "NOR"} <= set(codes[:5]) and "UKR" in codes
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


# -- the brief ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def norway_brief(tmp_path_factory):
    from briefpack.options import BuildOptions
    from briefpack.pipeline import build, run

    out = tmp_path_factory.mktemp("brief")
    db = out / "s.db"
    Store.open(db).close()
    # the scores are the analyst's annex: built on request
    result = run(build(db, BuildOptions(formats=("pdf",), out_dir=out / "out", today=TODAY,
                                        score_annex=True), country="NOR"))
    return result.briefs[0], result.outputs[0]




def test_brief_scorecard_is_one_line_per_objective(norway_brief, priorities):
    from briefpack.brief.document import Callout, Table

    brief, _ = norway_brief
    section = section_blocks(brief, "Priority scorecard")
    lines = [b for b in section if isinstance(b, Callout)]
    assert len(lines) == len(priorities.objectives)
    assert not any(isinstance(b, Table) for b in section)
    assert all(line.kind == "rag" for line in lines)
    first = lines[0]
    assert re.match(r"Homeland: \d+, (Green|Amber|Red) \(\d+% measured\)", first.title)
    assert "Strongest evidence: " in first.text and "Biggest gap: " in first.text
    assert any("Insufficient data (0% measured)" in line.title for line in lines)


def test_workings_are_in_the_annex_and_no_formula_reaches_the_reader(norway_brief):
    from briefpack.brief.document import Table

    brief, _ = norway_brief
    annex = section_blocks(brief, "Annex: how this score was made")
    tables = [b for b in annex if isinstance(b, Table)]
    assert len(tables) == 5
    assert any("no data" in row for table in tables for row in table.rows)
    text = brief.text()
    for formula in ("delivering 1", "won 1", "negotiation 0.5", "share of value counted",
                    "scale:", "thresholds", "linear, 100 at"):
        assert formula not in text, formula


def test_scorecard_fits_half_a_page(norway_brief):
    """The section's lines sit on one page and take at most half of it."""
    from pypdf import PdfReader

    _, pdf = norway_brief
    reader = PdfReader(pdf)
    for page in reader.pages:
        text = page.extract_text()
        if "Priority scorecard" in text and "Strongest evidence" in text:
            break
    else:
        raise AssertionError("no page holds the scorecard")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Priority scorecard")
    end = next((i for i, line in enumerate(lines) if i > start
                and line.strip() == "Active agreements"), len(lines))
    used = lines[start:end]
    assert sum(1 for line in used if "measured)" in line) == 5  # every objective, one page
    assert len(used) <= 32  # at most half a page of lines (a page holds about 50 at 12 pt)


def test_front_sheet_data_as_of_is_the_source_date_not_its_staleness(norway_brief):
    from briefpack.brief.document import KeyValue

    brief, _ = norway_brief
    front = dict(next(b for b in brief.blocks if isinstance(b, KeyValue)).pairs)
    assert front["Data as of"] == "March 2026 (sample data: source dated March 2026)"
    # staleness is for the person building (a build warning), not the principal's page 1
    assert "Country facts (275 days)" in brief.facts.stale


def test_currency_nor_reports_the_source_date_and_flags_it_stale(cli, tmp_path):
    db = tmp_path / "s.db"
    Store.open(db).close()
    code, out, _ = cli("--db", db, "currency", "NOR", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 6  # the country and each of its tables
    assert all(r["refreshed"] == "2026-03-01" and "March 2026" in r["by"] and r["stale"] == "STALE"
               for r in rows)


def test_judgements_are_the_users_to_set_and_audited(cli, tmp_path, priorities):
    db = tmp_path / "s.db"
    Store.open(db).close()
    code, out, _ = cli("--db", db, "judge", "Norway", "--tier", "1",
                       "--defence-section", "resident")
    assert code == 0 and "priority tier:       1" in out
    store = Store.open(db)
    assert store.country("NOR").priority_tier == 1
    judged = [e for e in store.history("NOR") if e["action"] == "judge"]
    assert {e["field"] for e in judged} == {"priority_tier", "defence_section"}
    card = score(store.country_file("NOR"), priorities, today=TODAY)
    tier = next(c for o in card.objectives for c in o.criteria if c.key == "priority_tier")
    assert tier.status == "measured" and tier.score == 100
    with pytest.raises(Exception, match="expected one of"):
        store.set_judgement("NOR", defence_section="embassy")
    store.close()
    code, out, _ = cli("--db", db, "judge", "NOR", "--tier", "none")
    assert code == 0 and "priority tier:       not set" in out


def test_a_bad_source_date_names_file_line_and_field(tmp_path):
    import shutil

    from briefpack.errors import DataError
    from briefpack.store.seed import load_sample

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "sample.yaml").write_text("# the source's date\nas_of: March 2026\n",
                                      encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load_sample(data)
    assert f"{data / 'sample.yaml'}:2 [as_of]: expected the source's date as YYYY-MM-DD" \
        in str(raised.value)


def test_rank_csv_leaves_unscored_objectives_empty(cli, tmp_path):
    import csv
    import io

    db = tmp_path / "s.db"
    Store.open(db).close()
    code, out, _ = cli("--db", db, "rank", "--format", "csv", "--today", "2026-12-01")
    rows = list(csv.DictReader(io.StringIO(out)))
    bhutan = next(r for r in rows if r["code"] == "BTN")
    assert bhutan["rank"] == "" and bhutan["overall"] == "" and bhutan["band"] == INSUFFICIENT
    assert bhutan["coverage"] == "14%" and bhutan["growth"] == ""


def test_explain_keeps_the_workings_the_brief_leaves_out(cli, tmp_path):
    db = tmp_path / "s.db"
    Store.open(db).close()
    code, out, _ = cli("--db", db, "score", "NOR", "--explain", "--today", "2026-12-01")
    assert code == 0
    assert "share of value counted by stage: delivering 1, won 1, negotiation 0.5" in out
    assert "Recent ministerial or senior military engagement: no data" in out
    assert 'serves: "We co-lead the over 50 nation Ukraine Defence Contact Group' in out


def test_word_rag_lines_carry_their_band_colour(tmp_path):
    import zipfile

    from briefpack.brief.document import Brief, Callout
    from briefpack.render.docx import render_docx

    brief = Brief(title="t", marking="OFFICIAL", blocks=(
        Callout("Strongest evidence: x.", title="Growth: 85, Green (65% measured)", kind="rag"),
        Callout("Strongest evidence: none.", title="Wider: Insufficient data (0% measured)",
                kind="rag")))
    render_docx(brief, tmp_path / "b.docx")
    with zipfile.ZipFile(tmp_path / "b.docx") as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert body.count('w:color="2E7D32"') == 2  # title and text of the Green line
    assert body.count("<w:pBdr>") == 2  # none for "Insufficient data": no band, no colour

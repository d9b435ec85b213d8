"""Where to go next (issue 21, item 6): the planner's table, chart and printable page."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

from briefpack import model
from briefpack.planning import CHART_ROWS, chart, plan
from briefpack.priorities import load_priorities
from briefpack.store import Store

TODAY = dt.date(2026, 12, 8)
PRIORITIES = load_priorities()


def fill(store: Store) -> None:
    for code, tier in (("NOR", 1), ("USA", 1), ("JPN", 2), ("DNK", 2), ("LVA", 2)):
        store.set_judgement(code, priority_tier=tier)
    for code, day, level, status in (
            ("NOR", "2026-11-25", "ministerial", "past"),
            ("USA", "2025-11-20", "ministerial", "past"),
            ("USA", "2026-10-01", "official", "past"),        # not senior: does not count
            ("JPN", "2026-02-02", "senior military", "past"),
            ("LVA", "2026-12-09", "ministerial", "planned"),
            ("FRA", "2026-07-01", "ministerial", "past")):    # no tier: never overdue
        store.save(model.Engagement(country=code, title=f"Visit to {code}", level=level,
                                    status=status, date=dt.date.fromisoformat(day)))
    store.save(model.Action(country="USA", action="Send the paper", due=dt.date(2026, 1, 1)))
    store.save(model.Action(country="USA", action="Invite", due=dt.date(2027, 1, 1)))
    store.save(model.Action(country="NOR", action="Done already", status="done"))
    store.declare_complete("DNK", "engagements", dt.date(2026, 3, 1))


def test_plan_rows_tier_time_since_actions_and_overdue(sample_store):
    fill(sample_store)
    result = plan(sample_store.country_files(), PRIORITIES, today=TODAY)
    rows = {r.code: r for r in result.rows}
    assert set(rows) == {"NOR", "USA", "JPN", "DNK", "LVA", "FRA"}  # the others: nothing
    usa = rows["USA"]
    assert (usa.tier, usa.days_since, usa.open_actions, usa.overdue_actions) == (1, 383, 2, 1)
    assert usa.overdue and usa.due_every == 180
    assert usa.since_text == "383 days (20 November 2025)"
    assert not rows["NOR"].overdue and rows["NOR"].open_actions == 0
    assert rows["JPN"].days_since == 309 and not rows["JPN"].overdue  # tier 2: 365 days
    # none recorded: overdue only where the engagements are declared complete
    assert rows["DNK"].overdue and rows["DNK"].last_senior is None
    assert not rows["LVA"].overdue and rows["LVA"].next_planned == dt.date(2026, 12, 9)
    # no tier is invented: France is listed, never overdue
    assert rows["FRA"].tier is None and not rows["FRA"].overdue
    assert [r.code for r in result.overdue] == ["USA", "DNK"]
    assert [r.code for r in result.rows][:2] == ["USA", "DNK"]  # overdue first
    assert len(plan(sample_store.country_files(), PRIORITIES, today=TODAY,
                    everyone=True).rows) > 150


def test_the_sample_store_invents_no_tier(sample_store):
    result = plan(sample_store.country_files(), PRIORITIES, today=TODAY, everyone=True)
    assert all(r.tier is None and not r.overdue for r in result.rows)


def test_chart_places_each_country_in_its_tier_row(sample_store):
    fill(sample_store)
    drawn = chart(plan(sample_store.country_files(), PRIORITIES, today=TODAY))
    points = {p.code: p for p in drawn.points}
    assert points["USA"].row == 0 and points["USA"].days == 383 and points["USA"].overdue
    assert points["JPN"].row == 1
    assert points["FRA"].row == CHART_ROWS.index("No tier set")
    assert points["DNK"].never and points["DNK"].days == drawn.x_max
    assert drawn.x_max > 383 and drawn.due == ((0, 180), (1, 365), (2, 730))


def test_cli_plan_table_json_and_printable_page(cli, seeded_db, tmp_path):
    store = Store.open(seeded_db)
    fill(store)
    store.close()
    code, out, _ = cli("--db", seeded_db, "plan", "--today", "2026-12-08")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["country", "tier"]
    assert lines[2].startswith("United States") and "OVERDUE" in lines[2]
    assert "383 days (20 November 2025)" in lines[2] and "2 (1 late)" in lines[2]
    assert "Overdue a visit: United States (tier 1), Denmark (tier 2)" in out
    latvia = next(line for line in lines if line.startswith("Latvia"))
    assert "not known" in latvia and "9 December 2026" in latvia
    code, out, _ = cli("--db", seeded_db, "plan", "--today", "2026-12-08", "--format", "json")
    data = json.loads(out)
    assert data[0]["code"] == "USA" and data[0]["overdue"] is True
    pdf = tmp_path / "plan.pdf"
    code, _, err = cli("--db", seeded_db, "plan", "--today", "2026-12-08", "--pdf", pdf)
    assert code == 0 and f"wrote {pdf}" in err
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert text.count("OFFICIAL") >= 2  # top and bottom
    assert "Where to go next" in text and "Tier 1" in text and "USA overdue" in text
    assert "United States" in text and "383 days (20 November 2025)" in text


def test_cli_plan_on_the_sample_says_no_tier_is_set(cli, seeded_db):
    code, out, _ = cli("--db", seeded_db, "plan")
    assert code == 0
    assert "No country has a priority tier yet" in out
    assert "Overdue a visit: none" in out


def test_visit_every_days_is_checked(tmp_path):
    import pytest

    from briefpack.errors import DataError
    from briefpack.paths import data_dir

    text = (data_dir() / "priorities.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "p.yaml"
    bad.write_text(text.replace("  3: 730", "  7: 730"), encoding="utf-8")
    with pytest.raises(DataError, match="unknown priority tier 7"):
        load_priorities(bad)


def test_the_app_chart_draws_every_point_and_each_tier_interval(qtbot, sample_store):
    from briefpack.app.plan_view import PlanDialog

    fill(sample_store)
    dialog = PlanDialog(plan(sample_store.country_files(), PRIORITIES, today=TODAY))
    qtbot.addWidget(dialog)
    dialog.show()
    series = dialog.chart_view.chart().series()
    points = {s.name(): s for s in series if s.name().isalpha()}
    assert set(points) == {"NOR", "USA", "JPN", "DNK", "LVA", "FRA"}
    assert points["USA"].pointLabelsFormat() == "USA overdue"
    assert points["NOR"].pointLabelsFormat() == "NOR"
    intervals = [s.name() for s in series if s.name().startswith("Tier")]
    assert intervals == ["Tier 1: a visit every 180 days", "Tier 2: a visit every 365 days",
                         "Tier 3: a visit every 730 days"]
    image = dialog.chart_view.grab().toImage()
    red = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
              if image.pixelColor(x, y).name() == "#c62828")
    assert red > 10  # the overdue points and interval marks are drawn, not just listed

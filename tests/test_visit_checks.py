"""Issue 22: visit files refuse what would print wrong (a weekday that does not match its
date, a logistics entry outside the visit), accept tour-wide outcomes and actions, give a
line for every problem and one message per mistake; a readout's dry run refuses what the
run refuses; overdue actions are flagged in ``show`` and the app."""

import datetime as dt
import json
import textwrap

import pytest

from briefpack import model, paths
from briefpack.commands.show import country_file_json, country_file_text
from briefpack.errors import DataError
from briefpack.readout import ReadoutError, apply_readout, readout_records
from briefpack.visits import day_date, final_problems, loads_visit

HEAD = """\
title: T
principal: P
start: 2027-02-14
end: 2027-02-16
"""


def _problems(sample_store, text):
    with pytest.raises(DataError) as info:
        loads_visit(text, sample_store, name="v.yaml")
    return [(p.line, p.field, p.message) for p in info.value.problems]


def test_a_day_whose_weekday_does_not_match_its_date_is_refused(sample_store):
    problems = _problems(sample_store, HEAD + textwrap.dedent("""\
        countries: [Norway]
        programme:
          - day: Friday 15 February
            time: "10:00"
            place: Oslo
            event: Call
        """))
    assert problems == [(7, "visit.programme[1].day",
                         "15 February 2027 is a Monday, not a Friday")]


def test_logistics_outside_the_visit_is_refused(sample_store):
    problems = _problems(sample_store, HEAD + textwrap.dedent("""\
        countries: [Norway]
        logistics:
          - {day: Saturday 13 February, time: "07:00", detail: Fly out}
          - {day: Sun 14 Feb, time: "09:00", detail: Arrive}
          - {day: 2027-02-17, time: "07:00", detail: Fly home}
          - {day: Day 2, detail: Free labels are not dates}
        """))
    assert problems == [
        (7, "visit.logistics[1].day",
         "13 February 2027 is before the visit starts (14–16 February 2027)"),
        (9, "visit.logistics[3].day",
         "17 February 2027 is after the visit ends (14–16 February 2027)")]


def test_day_dates_across_a_new_year_and_impossible_dates():
    start, end = dt.date(2026, 12, 30), dt.date(2027, 1, 2)
    assert day_date("Friday 1 January", start, end) == (dt.date(2027, 1, 1), "")
    assert day_date("Wed 30th Dec", start, end) == (dt.date(2026, 12, 30), "")
    assert day_date("31 February", start, end) == (None, "there is no 31 February in 2026")
    assert day_date("Arrival day", start, end) == (None, "")


TOUR = HEAD.replace("2027-02-", "2026-12-").replace("-14", "-07").replace("-16", "-09") + \
    textwrap.dedent("""\
    countries: [Norway, Denmark]
    objectives: [{text: Show JEF leadership}]
    per_country:
      - country: Norway
        objectives: [{text: Lunna House next steps}]
    outcomes:
      - {objective: 1, outcome: JEF leadership shown in both capitals}
      - {objective: 1, outcome: Next steps agreed, country: Norway}
    actions:
      - {action: Write to both ministers, owner: Private Office, due: 2026-12-20}
      - {action: Send the Lunna House plan, country: Norway}
    """)


def test_a_tour_accepts_tour_wide_outcomes_and_actions(sample_store):
    visit = loads_visit(TOUR, sample_store)
    assert [o.country for o in visit.outcomes] == ["", "NOR"]
    records = readout_records(visit, today=dt.date(2026, 12, 10))
    norway, denmark = records["NOR"], records["DNK"]
    assert norway[0].description.splitlines() == [
        "Show JEF leadership: JEF leadership shown in both capitals (achieved)",
        "Lunna House next steps: Next steps agreed (achieved)"]
    assert denmark[0].description.splitlines() == [
        "Show JEF leadership: JEF leadership shown in both capitals (achieved)"]
    assert [a.action for a in norway[1]] == ["Write to both ministers",
                                             "Send the Lunna House plan"]
    assert [a.action for a in denmark[1]] == ["Write to both ministers"]


def test_a_tour_wide_outcome_names_a_tour_wide_objective(sample_store):
    problems = _problems(sample_store, TOUR.replace("{objective: 1, outcome: JEF",
                                                    "{objective: 2, outcome: JEF"))
    assert [(f, m) for _, f, m in problems] == [
        ("visit.outcomes[1].objective", "'2' is not one of the 1 objectives for the whole "
         "visit: give its number (1, 2 …) or its text")]


def test_text_where_an_ask_belongs_names_its_line(sample_store):
    problems = _problems(sample_store, HEAD + textwrap.dedent("""\
        countries: [Norway]
        asks:
          - {ask: A, response: B}
          - just text
        """))
    assert problems == [(8, "visit.asks[2]", "expected a mapping of fields, got text")]


def test_a_misspelt_country_is_one_message(sample_store):
    problems = _problems(sample_store, HEAD + textwrap.dedent("""\
        countries: [Norway]
        per_country:
          - country: Norwya
            purpose: x
        """))
    assert len(problems) == 1
    assert problems[0][:2] == (7, "visit.per_country[1].country")
    assert "unknown country 'Norwya'" in problems[0][2]


def test_a_dry_run_refuses_a_visit_not_yet_held(sample_store, tmp_path, cli, seeded_db):
    future = TOUR.replace("2026-12-", "2027-12-")
    visit = loads_visit(future, sample_store)
    with pytest.raises(ReadoutError, match="after the visit"):
        readout_records(visit, today=dt.date(2027, 1, 1))
    path = tmp_path / "visit.yaml"
    path.write_text(future, encoding="utf-8")
    code, out, err = cli("--db", seeded_db, "readout", path, "--dry-run")
    assert code != 0 and "after the visit" in err and "engagement" not in out


def test_overdue_actions_are_flagged_in_show_and_the_app(sample_store, qtbot):
    visit = loads_visit(TOUR, sample_store)
    apply_readout(sample_store, visit, today=dt.date(2026, 12, 10), backup=False)
    cf = sample_store.country_file("NOR")
    text = country_file_text(cf, today=dt.date(2026, 12, 21))
    assert "Write to both ministers (open, OVERDUE)" in text
    assert "Send the Lunna House plan (open)" in text  # no due date: never overdue
    assert "OVERDUE" not in country_file_text(cf, today=dt.date(2026, 12, 20))
    data = country_file_json(cf, today=dt.date(2026, 12, 21))
    assert {a["action"]: a["overdue"] for a in json.loads(json.dumps(data))["actions"]} == {
        "Write to both ministers": True, "Send the Lunna House plan": False}
    from briefpack.app.country_view import summary_html
    from briefpack.app.domain import CountryStatus
    page = summary_html(cf.country, CountryStatus(None, ""), cf.actions,
                        today=dt.date(2026, 12, 21))
    assert "Overdue actions" in page and "Write to both ministers: due 20 December 2026" in page
    assert "Overdue" not in summary_html(cf.country, CountryStatus(None, ""), cf.actions,
                                         today=dt.date(2026, 12, 1))


def test_show_ends_a_biography_before_last_met(sample_store):
    sample_store.save(model.Interlocutor(
        country="NOR", name="Testa Fictionalsen", role="Fictional Minister",
        biography="Led the industrial workshare.", last_met=dt.date(2026, 3, 1)))
    text = " ".join(country_file_text(sample_store.country_file("NOR")).split())
    assert "Led the industrial workshare. Last met 1 March 2026." in text
    assert ".;" not in text


# -- final copies ----------------------------------------------------------------------------

NORWAY = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"


def _pdf_text(path):
    from pypdf import PdfReader
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_final_builds_carry_no_draft_and_the_sample_says_how(cli, seeded_db, tmp_path):
    text = NORWAY.read_text(encoding="utf-8")
    assert "final: false" in text and "version:" in text
    readme = (paths.data_dir().parent / "README.md").read_text(encoding="utf-8")
    assert "`--final`" in readme and "`final: true`" in readme and "`version`" in readme
    code, out, err = cli("--db", seeded_db, "build", NORWAY, "--final", "--format", "pdf",
                         "--out", tmp_path / "final")
    assert code == 0, err
    words = _pdf_text(next((tmp_path / "final").glob("*.pdf")))
    assert "Version: 1 (final)" in words and "DRAFT" not in words and "(draft)" not in words


@pytest.mark.parametrize("command", ["build", "pack"])
def test_a_final_build_with_placeholders_is_refused(cli, seeded_db, tmp_path, command):
    text = NORWAY.read_text(encoding="utf-8").replace(
        "uk_lead: HM Ambassador", "uk_lead: TBC").replace(
        "organisation: British Embassy Oslo\n", "organisation: \"[insert embassy]\"\n", 1)
    path = tmp_path / "visit.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = cli("--db", seeded_db, command, path, "--final", "--format", "pdf",
                         "--out", tmp_path / "out")
    assert code != 0 and not out
    assert "cannot be built as a final copy" in err
    assert "visit.programme[4].uk_lead: 'TBC'" in err
    assert "visit.contacts[2].organisation: '[insert embassy]'" in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    # final: true in the file is refused the same way; a draft builds
    path.write_text(text.replace("final: false", "final: true"), encoding="utf-8")
    code, _, err = cli("--db", seeded_db, command, path, "--format", "pdf",
                       "--out", tmp_path / "out")
    assert code != 0 and "visit.programme[4].uk_lead" in err
    path.write_text(text, encoding="utf-8")
    code, _, err = cli("--db", seeded_db, "build", path, "--format", "pdf",
                       "--out", tmp_path / "draft")
    assert code == 0, err


def test_final_is_refused_for_a_country_brief(cli, seeded_db, tmp_path):
    code, _, err = cli("--db", seeded_db, "build", "Norway", "--final", "--out", tmp_path)
    assert code != 0 and "country brief carries no DRAFT" in err


def test_unwritten_parts_and_placeholders_are_found(sample_store):
    visit = loads_visit(HEAD + "countries: [Norway]\npress_lines: [Figures to be confirmed]\n",
                        sample_store)
    assert final_problems(visit) == [
        "visit.press_lines[1]: 'to be confirmed' in 'Figures to be confirmed'",
        "visit.purpose: not written (page 1 says why the visit happens)",
        "visit.objectives: none written (page 1 lists what to achieve)",
        "visit.programme: empty"]

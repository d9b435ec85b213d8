"""Issue 13: after the visit, a readout records outcomes and actions; the next brief for
the country shows them under "Since we last met"."""

import dataclasses
import datetime as dt
import textwrap

import pytest

from briefpack import cli, model, paths
from briefpack.brief.assemble import BriefJob, assemble
from briefpack.brief.document import Table, block_text
from briefpack.priorities import load_priorities
from briefpack.readout import ReadoutError, apply_readout
from briefpack.scoring import score
from briefpack.store import Store
from briefpack.templates import load_template
from briefpack.visits import dump_visit, load_visit, loads_visit
from fixtures_briefs import section_blocks

NORWAY = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"
AFTER = dt.date(2026, 12, 1)


def _with_readout(visit):
    return dataclasses.replace(
        visit, readout_date=dt.date(2026, 11, 27),
        outcomes=(model.Outcome("1", "Agreed two new areas of co-operation (test outcome)."),
                  model.Outcome("2", "Frigate timetable reaffirmed (test outcome).",
                                status="partly achieved")),
        actions=(model.ReadoutAction("Send the draft work plan (test action)",
                                     owner="Private Office", due=dt.date(2027, 1, 15)),
                 model.ReadoutAction("Thank-you letter (test action)", owner="Private Office",
                                     status="done")))


def _country_brief(store, template="standard"):
    cf = store.country_file("NOR")
    return assemble(BriefJob(cf, score(cf, load_priorities(), today=AFTER), load_template(template),
                    today=AFTER))




def test_readout_makes_the_next_brief_show_outcomes_and_open_actions(sample_store):
    assert "Since we last met" not in _country_brief(sample_store).text()
    visit = _with_readout(load_visit(NORWAY, sample_store))
    result = apply_readout(sample_store, visit, user="tester", today=AFTER)
    assert len(result.engagements) == 1 and len(result.actions) == 2
    engagement = result.engagements[0]
    assert (engagement.date, engagement.status, engagement.level) == (
        dt.date(2026, 11, 25), "past", "ministerial")
    brief = _country_brief(sample_store)
    since = section_blocks(brief, "Since we last met")
    words = "\n".join(block_text(b) for b in since)
    assert "Secretary of State for Defence visit to Norway, 25 November 2026" in words
    assert ("Agree what Lunna House does next, from wargames through to operations: Agreed two "
            "new areas of co-operation (test outcome). (achieved)" in words)
    assert "(partly achieved)" in words
    table = next(b for b in since if isinstance(b, Table))
    assert [r[0] for r in table.rows] == ["Send the draft work plan (test action)"]
    assert table.rows[0][1:3] == ("Private Office", "15 January 2027")
    # audited, and applying it again changes nothing
    log = sample_store.audit_log(table="actions")
    assert log and all(entry["user"] == "tester" for entry in log)
    again = apply_readout(sample_store, visit, user="tester", today=AFTER)
    assert [e.id for e in again.engagements] == [engagement.id]
    assert len(sample_store.records("actions", "NOR")) == 2


def test_readout_moves_last_met_for_the_people_at_the_calls(sample_store):
    person = sample_store.save(model.Interlocutor(
        country="NOR", name="Testa Fictionalsen", role="Fictional Minister"))
    visit = load_visit(NORWAY, sample_store)
    first = dataclasses.replace(visit.programme[0], interlocutors=(
        model.Attendee(interlocutor=person.id),))
    visit = _with_readout(dataclasses.replace(visit, programme=(first, *visit.programme[1:])))
    result = apply_readout(sample_store, visit, today=AFTER)
    assert [p.name for p in result.met] == ["Testa Fictionalsen"]
    assert sample_store.get("interlocutors", person.id).last_met == dt.date(2026, 11, 25)


def test_readout_marking_counts_in_the_next_brief(sample_store):
    visit = dataclasses.replace(_with_readout(load_visit(NORWAY, sample_store)),
                                marking="OFFICIAL-SENSITIVE")
    apply_readout(sample_store, visit, today=AFTER)
    assert _country_brief(sample_store).marking.startswith("OFFICIAL-SENSITIVE")


def test_no_readout_or_a_visit_not_yet_held_is_refused(sample_store):
    visit = load_visit(NORWAY, sample_store)
    with pytest.raises(ReadoutError, match="no readout"):
        apply_readout(sample_store, visit, today=AFTER)
    with pytest.raises(ReadoutError, match="after the visit"):
        apply_readout(sample_store, _with_readout(visit), today=dt.date(2026, 11, 1))
    assert not sample_store.records("actions", "NOR")


def test_readout_fields_round_trip_and_are_checked(sample_store):
    visit = _with_readout(load_visit(NORWAY, sample_store))
    assert loads_visit(dump_visit(visit, sample_store), sample_store) == visit
    from briefpack.errors import DataError
    with pytest.raises(DataError) as err:
        loads_visit(textwrap.dedent("""\
            title: T
            principal: P
            start: 2026-01-01
            end: 2026-01-02
            countries: [Norway]
            objectives: [{text: One}]
            outcomes:
              - {objective: 3, outcome: X}
              - {objective: 1, outcome: Y, status: great}
            actions:
              - {action: Z, status: later}
            """), sample_store, name="v.yaml")
    text = str(err.value)
    assert "outcomes[1].objective" in text and "outcomes[2].status" in text
    assert "actions[1].status" in text


def test_cli_readout(tmp_path, capsys):
    db = tmp_path / "store.db"
    store = Store.open(db)
    visit = _with_readout(load_visit(NORWAY, store))
    path = tmp_path / "visit.yaml"
    path.write_text(dump_visit(visit, store), encoding="utf-8")
    store.close()
    assert cli.main(["--db", str(db), "readout", str(path), "--dry-run"]) == 0
    assert "NOR: engagement" in capsys.readouterr().out
    assert cli.main(["--db", str(db), "readout", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "Recorded 1 engagement, 2 actions."
    assert cli.main(["--db", str(db), "build", "Norway", "--out", str(tmp_path / "out"),
                     "--format", "pdf"]) == 0
    from pypdf import PdfReader
    pdf = next((tmp_path / "out").glob("*.pdf"))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "Since we last met" in text and "Send the draft work plan (test action)" in text

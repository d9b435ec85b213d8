"""Issue 22: a visit file carries the people of its calls (name, appointment, biography,
pronunciation, marking, review date). Its briefs show them as interlocutors (ceiling and
redaction apply); saving the visit or recording its readout stores them as interlocutor
records like any other."""

import datetime as dt
import textwrap

import pytest

from briefpack import model
from briefpack.errors import DataError
from briefpack.options import BuildOptions
from briefpack.pipeline import assemble_brief
from briefpack.priorities import load_priorities
from briefpack.readout import apply_readout
from briefpack.templates import load_template
from briefpack.visits import dump_visit, loads_visit

VISIT = textwrap.dedent("""\
    title: Secretary of State for Defence visit to Japan and Australia
    principal: Secretary of State for Defence
    start: 2026-11-10
    end: 2026-11-12
    countries: [Japan, Australia]
    purpose: To test people written in a visit file.
    objectives: [{text: Meet the ministers}]
    people:
      - name: Hanako Testperson
        appointment: Minister of Defense
        country: Japan
        biography: A person made up for tests; minister since 2025.
        pronunciation: HA-na-ko
        review_date: 2027-11-30
      - name: Jordan Madeup
        appointment: Deputy Secretary
        country: Australia
        marking: OFFICIAL-SENSITIVE
        biography: Made up as well.
    programme:
      - day: Tuesday 10 November
        time: "10:00"
        place: Tokyo
        event: Call on the Minister of Defense
        country: Japan
        purpose: Agree next steps.
        interlocutors: [Hanako Testperson, {role: Vice-Minister}]
      - day: Thursday 12 November
        time: "09:00"
        place: Canberra
        event: Call on the Deputy Secretary
        country: Australia
        purpose: Agree next steps.
        interlocutors: [Jordan Madeup]
    """)


def _brief(store, visit, code, **options):
    brief, _ = assemble_brief(store.country_file(code), template=load_template("standard"),
                              priorities=load_priorities(), visit=visit,
                              options=BuildOptions(today=dt.date(2026, 11, 1), **options))
    return brief


def test_people_of_the_calls_load_round_trip_and_show_in_the_brief(sample_store):
    visit = loads_visit(VISIT, sample_store)
    japan, australia = visit.people
    assert (japan.country, japan.appointment, japan.review_date) == (
        "JPN", "Minister of Defense", dt.date(2027, 11, 30))
    assert japan.marking == "OFFICIAL - PERSONAL DATA"
    assert australia.marking == "OFFICIAL-SENSITIVE - PERSONAL DATA"
    assert visit.programme[0].interlocutors == (
        model.Attendee(interlocutor=model.visit_person_id(0)),
        model.Attendee(role="Vice-Minister"))
    assert loads_visit(dump_visit(visit, sample_store), sample_store) == visit
    words = _brief(sample_store, visit, "JPN").text()
    assert "Hanako Testperson" in words and "minister since 2025" in words
    assert "HA-na-ko" in words and "Jordan Madeup" not in words
    # personal records like any other: redaction and the ceiling apply
    assert "Hanako Testperson" not in _brief(sample_store, visit, "JPN",
                                             redact_personal=True).text()
    assert "Jordan Madeup" in _brief(sample_store, visit, "AUS").text()
    assert "Jordan Madeup" not in _brief(sample_store, visit, "AUS",
                                         ceiling="OFFICIAL").text()
    # nothing was stored by building
    assert not sample_store.records("interlocutors", "JPN")


def test_saving_the_visit_stores_its_people_as_interlocutors(sample_store):
    visit = loads_visit(VISIT, sample_store)
    saved = sample_store.save_visit(visit, user="tester")
    assert saved.people == ()
    (hanako,) = sample_store.records("interlocutors", "JPN")
    assert (hanako.name, hanako.role, hanako.review_date, hanako.marking) == (
        "Hanako Testperson", "Minister of Defense", dt.date(2027, 11, 30),
        "OFFICIAL - PERSONAL DATA")
    assert saved.programme[0].interlocutors[0] == model.Attendee(interlocutor=hanako.id)
    assert sample_store.audit_log(table="interlocutors")
    # the saved visit's file names them, and loads back to the same visit
    text = dump_visit(saved, sample_store)
    assert "people:" not in text and "Hanako Testperson" in text
    assert loads_visit(text, sample_store) == saved
    # a file written again with a newer biography updates the record, never duplicates it;
    # a marking is never lowered by it
    again = loads_visit(VISIT.replace("minister since 2025", "minister since 2024")
                        .replace("    marking: OFFICIAL-SENSITIVE\n", ""), sample_store)
    sample_store.save_visit(again)
    (hanako,) = sample_store.records("interlocutors", "JPN")
    assert "since 2024" in hanako.biography
    (jordan,) = sample_store.records("interlocutors", "AUS")
    assert jordan.marking == "OFFICIAL-SENSITIVE - PERSONAL DATA"


def test_the_readout_stores_the_people_and_when_they_were_met(sample_store):
    visit = loads_visit(VISIT + "actions: [{action: Write to both ministers}]\n",
                        sample_store)
    result = apply_readout(sample_store, visit, today=dt.date(2026, 11, 20), backup=False)
    assert sorted(p.name for p in result.met) == ["Hanako Testperson", "Jordan Madeup"]
    (hanako,) = sample_store.records("interlocutors", "JPN")
    assert hanako.last_met == dt.date(2026, 11, 10)


@pytest.mark.parametrize("change, replacement, field, words", [
    ("    country: Japan\n    biography: A person", "    biography: A person",
     "visit.people[1].country", "needs the country of each person"),
    ("    pronunciation: HA-na-ko\n", "    pronunciation: HA-na-ko\n    colour: red\n",
     "visit.people[1].colour", "unknown field"),
    ("    review_date: 2027-11-30\n", "    review_date: next year\n",
     "visit.people[1].review_date", "YYYY-MM-DD"),
    ("    marking: OFFICIAL-SENSITIVE\n", "    marking: SECRET\n",
     "visit.people[2].marking", "SECRET"),
    ("interlocutors: [Jordan Madeup]", "interlocutors: [Jordan Madup]",
     "visit.programme[2].interlocutors[1]", "did you mean: Jordan Madeup"),
])
def test_people_are_checked(sample_store, change, replacement, field, words):
    assert change in VISIT
    with pytest.raises(DataError) as info:
        loads_visit(VISIT.replace(change, replacement), sample_store, name="v.yaml")
    assert any(p.field == field and words in p.message for p in info.value.problems), \
        info.value.problems

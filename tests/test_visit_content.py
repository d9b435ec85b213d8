"""Issue 13: per-country content, calls, people, team, logistics, contacts; the visit's
own marking (issue 11)."""

import dataclasses
import datetime as dt
import re
import textwrap

import pytest

from briefpack import model, paths
from briefpack.brief.assemble import BriefJob, assemble
from briefpack.brief.document import Callout, Heading, PageBreak, Table
from briefpack.brief.pack import Destination, PackJob, compose_pack
from briefpack.priorities import load_priorities
from briefpack.scoring import score
from briefpack.templates import load_template
from briefpack.visits import dump_visit, load_visit, loads_visit
from fixtures_briefs import section_blocks

TODAY = dt.date(2026, 11, 20)
VISITS = paths.data_dir() / "visits"
TOUR = VISITS / "2026-12-nordic-baltic-tour.yaml"
NORWAY = VISITS / "2026-11-norway-secretary-of-state.yaml"
#: one date style for readers: "4 December 2025", never ISO
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def priorities():
    return load_priorities()


def _brief(store, priorities, visit, code, template="standard", **options):
    cf = store.country_file(code)
    view = visit.for_country(code)
    return assemble(BriefJob(cf, score(cf, priorities, view, today=TODAY), load_template(template),
                    visit=visit, today=TODAY, **options))




def _words(blocks):
    from briefpack.brief.document import block_text
    return "\n".join(block_text(b) for b in blocks)


def test_each_country_brief_has_only_its_own_content(sample_store, priorities):
    tour = load_visit(TOUR, sample_store)
    latvia = _brief(sample_store, priorities, tour, "LVA")
    for heading in ("Summary", "Steering summary", "Points to make",
                    "Their likely asks and our response", "Press lines", "Calls"):
        words = _words(section_blocks(latvia, heading))
        assert "Lunna House" not in words and "Interstorm" not in words, heading
    assert "Drone Capability Coalition" in _words(section_blocks(latvia, "Points to make"))
    denmark = _brief(sample_store, priorities, tour, "DNK")
    assert "Interstorm" in _words(section_blocks(denmark, "Points to make"))
    assert "Lunna House" not in _words(section_blocks(denmark, "Points to make"))
    # tour-wide lines belong to the steering brief, not to any country's brief
    norway = _brief(sample_store, priorities, tour, "NOR")
    assert "Coalition of the Willing with France" not in _words(
        section_blocks(norway, "Points to make"))


def test_the_steering_brief_carries_the_tour_wide_content(sample_store, priorities):
    tour = load_visit(TOUR, sample_store)
    found = []
    for code in tour.countries:
        cf = sample_store.country_file(code)
        view = tour.for_country(code)
        card = score(cf, priorities, view, today=TODAY)
        found.append(Destination(assemble(BriefJob(cf, card, load_template("standard"), visit=tour,
                                          today=TODAY)), card))
    pack = compose_pack(PackJob(tour, found, today=TODAY))
    start = pack.blocks.index(Heading("Steering brief for the whole visit", 1, "pack-steering"))
    steering = _words(pack.blocks[start:start + 40])
    assert "Coalition of the Willing with France" in steering
    assert "Joint Expeditionary Force" in steering
    assert steering.startswith("Steering brief for the whole visit\nThe Minister for the "
                               "Armed Forces visits Norway, Denmark and Latvia")
    assert "(Serves: " in steering and not WORDING.search(steering)
    assert "Lunna House" not in steering.split("Itinerary")[0]


def test_norway_visit_brief_has_summary_calls_handling_logistics_contacts(sample_store,
                                                                         priorities):
    visit = load_visit(NORWAY, sample_store)
    brief = _brief(sample_store, priorities, visit, "NOR")
    summary = _words(section_blocks(brief, "Summary"))
    assert visit.purpose in summary
    for part in ("Three things to achieve", "Top lines", "Likely difficult ask",
                 "Watch-outs"):
        assert part in summary
    assert "Assurance that the UK will deliver its share" in summary
    # page one: the front sheet (with the marking) and the summary, then a page break
    front = brief.blocks[:brief.blocks.index(next(b for b in brief.blocks
                                                   if isinstance(b, PageBreak)))]
    assert "Protective marking: OFFICIAL" in _words(front) and "Watch-outs" in _words(front)
    calls = section_blocks(brief, "Calls")
    titles = [b.text for b in calls if isinstance(b, Heading) and b.level == 2]
    assert "Call on the Minister of Defence (Wednesday 25 November, 09:30)" in titles
    whos_who = [b for b in calls if isinstance(b, Table)]
    assert whos_who and all([c.title for c in t.columns] == ["Role"] for t in whos_who)
    assert ("Minister of Defence of Norway",) in whos_who[0].rows
    assert "Lunna House was announced" in _words(
        section_blocks(brief, "Handling notes and sensitivities"))
    logistics = _words(section_blocks(brief, "Logistics"))
    assert "Road move from Oslo to the naval base" in logistics and "Dress" in logistics
    press = section_blocks(brief, "Press lines")
    qa = next(b for b in press if isinstance(b, Table))
    assert [c.title for c in qa.columns] == ["If asked", "Answer"]
    assert qa.rows[0][0] == "What does the frigate deal mean for UK jobs?"
    contacts = _words(section_blocks(brief, "Contacts"))
    assert "British Embassy Oslo" in contacts
    assert "Defence Attaché, British Embassy Oslo" in _words(
        section_blocks(brief, "UK team and delegation"))


def test_named_interlocutors_at_a_call_carry_their_details(sample_store, priorities):
    person = sample_store.save(model.Interlocutor(
        country="NOR", name="Testa Fictionalsen", role="Fictional Minister",
        pronunciation="TES-ta fik-SHUN-al-sen", biography="A person made up for tests.",
        languages="Norwegian, English", last_met=dt.date(2025, 12, 4)))
    visit = loads_visit(textwrap.dedent("""\
        title: Test visit
        principal: Test principal
        start: 2026-11-25
        end: 2026-11-25
        countries: [Norway]
        programme:
          - day: Wednesday 25 November
            time: "09:30"
            place: Oslo
            event: Call on the minister
            purpose: To test.
            interlocutors:
              - Testa Fictionalsen
              - role: An unnamed adviser
        """), sample_store)
    assert visit.programme[0].interlocutors == (
        model.Attendee(interlocutor=person.id), model.Attendee(role="An unnamed adviser"))
    assert loads_visit(dump_visit(visit, sample_store), sample_store) == visit
    brief = _brief(sample_store, priorities, visit, "NOR")
    table = next(b for b in section_blocks(brief, "Calls") if isinstance(b, Table))
    # one line per person: the biography is the pen portrait's, under Who's who
    assert [c.title for c in table.columns] == ["Role", "Name", "Pronunciation",
                                                "Last met", "Languages"]
    assert table.rows[0] == ("Fictional Minister", "Testa Fictionalsen",
                             "TES-ta fik-SHUN-al-sen", "4 December 2025",
                             "Norwegian, English")
    assert table.rows[1][0] == "An unnamed adviser" and not any(table.rows[1][1:])
    # the person is in the Who's who too
    assert "Testa Fictionalsen" in _words(section_blocks(brief, "Who's who"))
    redacted = _brief(sample_store, priorities, visit, "NOR", redact_personal=True)
    assert "Testa Fictionalsen" not in redacted.text()


def test_every_new_field_round_trips_exactly(sample_store):
    visit = model.Visit(
        title="Round trip", principal="P", start=dt.date(2026, 1, 5),
        end=dt.date(2026, 1, 6), countries=("NOR", "DNK"), purpose="Why",
        top_lines=("Top",), sensitivities=("Careful",), marking="OFFICIAL-SENSITIVE",
        press_qa=(model.PressQuestion("Tour Q?", "Tour A."),),
        per_country=(model.CountryContent(
            country="NOR", purpose="Norway's why", objectives=(
                model.VisitObjective("Obj", ("growth",)),),
            points_to_make=("P1",), asks=(model.Ask("A", "R", difficult=True),),
            if_raised=("IR",), press_lines=("PL",), sensitivities=("S",),
            press_qa=(model.PressQuestion("Q?", "A."),),
            top_lines=("T",), marking="OFFICIAL-SENSITIVE"),),
        programme=(model.ProgrammeItem(
            "Mon", "10:00", "Oslo", "Call", country="NOR", purpose="P",
            interlocutors=(model.Attendee(role="Minister"),), points_to_make=("x",),
            asks=(model.Ask("a", "b"),), if_raised=("c",), dress="Suit"),),
        team=(model.TeamMember("Ambassador", country="NOR"), model.TeamMember("PS")),
        logistics=(model.LogisticsItem("Fly", day="Mon", time="07:00", dress="Suit"),),
        contacts=(model.Contact("Duty officer", organisation="Embassy", phone="1",
                                email="a@example.org", country="DNK"),))
    text = dump_visit(visit, sample_store)
    assert loads_visit(text, sample_store) == visit
    saved = sample_store.save_visit(visit)
    assert sample_store.visit(saved.id) == saved
    assert loads_visit(dump_visit(saved, sample_store), sample_store) == saved


def test_old_one_country_file_keeps_its_content_in_the_country_brief(sample_store,
                                                                     priorities):
    visit = load_visit(NORWAY, sample_store)
    old = dataclasses.replace(visit, per_country=(), top_lines=(), sensitivities=(),
                              purpose="")
    brief = _brief(sample_store, priorities, old, "NOR")
    assert "Lunna House is the UK's flagship" in _words(section_blocks(brief, "Points to make"))


def test_visit_content_marking_counts_and_is_withheld_above_the_ceiling(sample_store,
                                                                        priorities):
    visit = dataclasses.replace(load_visit(NORWAY, sample_store),
                                marking="OFFICIAL-SENSITIVE")
    brief = _brief(sample_store, priorities, visit, "NOR")
    assert brief.marking.startswith("OFFICIAL-SENSITIVE")
    low = _brief(sample_store, priorities, visit, "NOR", ceiling="OFFICIAL")
    assert "Lunna House is the UK's flagship" not in low.text()
    notice = next(b for b in low.blocks if isinstance(b, Callout) and "Withheld" in b.text)
    assert "Points to make" in notice.text


def test_visit_file_errors_name_the_field(sample_store):
    from briefpack.errors import DataError
    with pytest.raises(DataError) as err:
        loads_visit(textwrap.dedent("""\
            title: T
            principal: P
            start: 2026-01-01
            end: 2026-01-02
            countries: [Norway, Denmark]
            marking: SECRET
            per_country:
              - country: Latvia
              - country: Norway
              - country: Norway
            programme:
              - {day: D, time: "10:00", place: X, event: E, country: NOR,
                 interlocutors: [Nobody Known]}
            """), sample_store, name="v.yaml")
    text = str(err.value)
    assert "visit.marking" in text
    assert "per_country[1].country" in text and "not one of this visit's countries" in text
    assert "has two sections" in text
    assert "programme[1].interlocutors[1]" in text and "unknown interlocutor" in text


#: wording a PS would correct by hand: a lower-case "(serves:" beside "(Serves:", an office
#: opening a sentence without "The"
WORDING = re.compile(r"\(serves:|(?<!The )(?<!the )\b(?:Minister|Secretary of State) for "
                     r"[A-Z][\w ]*? visits ")


def test_no_rendered_text_has_doubled_stops_or_iso_dates(sample_store, priorities):
    for path in (NORWAY, TOUR):
        visit = load_visit(path, sample_store)
        for code in visit.countries:
            for template in ("standard", "pocket"):
                text = _brief(sample_store, priorities, visit, code, template).text()
                assert not re.search(r"\.\.|\.;|\.:", text), (path.name, code, template)
                assert not ISO_DATE.search(text), (path.name, code, template)
                assert not WORDING.search(text), (WORDING.search(text), code, template)
                words = len(visit.for_country(code).objectives)
                if words < 3:
                    assert "Three things to achieve" not in text, (code, words)
    for code in ("NOR", "DNK", "LVA", "FRA", "DEU", "UKR", "USA"):
        cf = sample_store.country_file(code)
        text = assemble(BriefJob(cf, score(cf, priorities, today=TODAY), load_template("standard"),
                        today=TODAY)).text()
        assert not re.search(r"\.\.|\.;|\.:", text), code
        assert not ISO_DATE.search(text), code

"""Visit files: round trips, the shipped examples, and every error a visit file can have."""

import datetime as dt
import textwrap

import pytest

from briefpack import model, paths
from briefpack.errors import DataError
from briefpack.priorities import load_priorities
from briefpack.visits import dump_visit, load_visit, loads_visit

OBJECTIVE_KEYS = [o.key for o in load_priorities().objectives]
EXAMPLES = sorted((paths.data_dir() / "visits").glob("*.yaml"))


def _people(store):
    """Two interlocutors in Norway and a namesake in Denmark."""
    saved = [store.save(model.Interlocutor(country=c, name=n, role=r))
             for c, n, r in (("NOR", "Kari Example", "Minister of Defence"),
                             ("NOR", "Ola Example", "Chief of Defence"),
                             ("DNK", "Kari Example", "Permanent Secretary"))]
    return {(p.country, p.name): p.id for p in saved}


def _visit(**changes):
    base = dict(
        title="Visit to Norway and Denmark", principal="Secretary of State for Defence",
        start=dt.date(2026, 11, 25), end=dt.date(2026, 11, 27), countries=("NOR", "DNK"),
        objectives=(model.VisitObjective("Deliver Lunna House", ("euro_atlantic", "growth")),
                    model.VisitObjective("Untagged objective")),
        points_to_make=("First point", "Second point: with a colon"),
        asks=(model.Ask("An ask", "Our response"),),
        if_raised=("A defensive line",), press_lines=("A press line",),
        programme=(model.ProgrammeItem("Day 1", "10:30", "Oslo", "Call on the Minister",
                                       "SofS", "open", "NOR"),
                   model.ProgrammeItem("Day 2", "09:00", "Copenhagen", "Round table",
                                       country="DNK")),
        template="pocket", ceiling="OFFICIAL", owning_team="Private Office",
        final=True, version="3")
    base.update(changes)
    return model.Visit(**base)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_shipped_examples_load_and_round_trip(path, sample_store):
    visit = load_visit(path, sample_store, objective_keys=OBJECTIVE_KEYS)
    assert visit.objectives and visit.points_to_make and visit.programme
    assert all(o.tags for o in visit.objectives)
    assert loads_visit(dump_visit(visit, sample_store), sample_store) == visit


def test_examples_include_norway_and_a_multi_country_tour(sample_store):
    visits = [load_visit(p, sample_store) for p in EXAMPLES]
    assert any(v.countries == ("NOR",) for v in visits)
    tour = next(v for v in visits if len(v.countries) > 1)
    assert "NOR" in tour.countries
    assert {p.country for p in tour.programme} == set(tour.countries)


def test_round_trip_is_exact_with_interlocutors_and_every_field(sample_store):
    ids = _people(sample_store)
    visit = _visit(interlocutors=(ids["NOR", "Ola Example"], ids["NOR", "Kari Example"],
                                  ids["DNK", "Kari Example"]))
    text = dump_visit(visit, sample_store)
    assert "{{" not in text and "Ola Example" in text
    assert loads_visit(text, sample_store) == visit


def test_visit_saved_in_store_round_trips_through_yaml(sample_store):
    ids = _people(sample_store)
    saved = sample_store.save_visit(_visit(interlocutors=(ids["NOR", "Ola Example"],)))
    again = loads_visit(dump_visit(saved, sample_store), sample_store)
    assert again == saved == sample_store.visit(saved.id)


def test_names_and_codes_resolve(sample_store):
    ids = _people(sample_store)
    visit = loads_visit(textwrap.dedent("""\
        title: T
        principal: P
        start: 2026-11-25
        end: 2026-11-25
        countries: [norway, dk]
        programme:
          - {day: "1", time: "10:00", place: Oslo, event: Call, country: Norway}
        interlocutors:
          - ola example
          - {name: Kari Example, country: Denmark}
        ceiling: official
        """), sample_store)
    assert visit.countries == ("NOR", "DNK")
    assert visit.programme[0].country == "NOR"
    assert visit.interlocutors == (ids["NOR", "Ola Example"], ids["DNK", "Kari Example"])
    assert visit.ceiling == "OFFICIAL"


BAD = """\
title: ""
principal: P
start: 2026-11-27
end: 2026-11-25
countries: [Norway, Narnia, NOR]
template: glossy
ceiling: SECRET
colour: blue
objectives:
  - text: Deliver
    tags: [euro_atlantic, moon]
programme:
  - day: Day 1
    time: 10:30
    place: Oslo
    event: Call
    press: maybe
interlocutors:
  - Nobody Known
"""


def test_every_error_is_reported_with_line_and_field(sample_store):
    with pytest.raises(DataError) as info:
        loads_visit(BAD, sample_store, name="bad.yaml", objective_keys=OBJECTIVE_KEYS)
    found = {(p.line, p.field.removeprefix("visit.")): p.message
             for p in info.value.problems}
    assert all(p.file == "bad.yaml" for p in info.value.problems)
    expected = {
        (1, "title"): "must not be empty",
        (4, "end"): "ends",
        (5, "countries[2]"): "unknown country 'Narnia'",
        (5, "countries[3]"): "listed twice",
        (6, "template"): "available templates: pocket, standard",
        (7, "ceiling"): "SECRET",
        (8, "colour"): "unknown field",
        (11, "objectives[1].tags"): "'moon' is not a strategy objective",
        (14, "programme[1].time"): "in quotes",
        (17, "programme[1].press"): "is not allowed; expected one of: open, closed",
        (19, "interlocutors[1]"): "unknown interlocutor 'Nobody Known'",
    }
    for key, words in expected.items():
        assert key in found, f"no problem reported at {key}: {sorted(found)}"
        assert words in found[key]
    assert len(found) == len(expected)


def test_unknown_country_suggests_close_names(sample_store):
    with pytest.raises(DataError, match=r"did you mean: Norway \(NOR\)"):
        loads_visit("title: T\nprincipal: P\nstart: 2026-01-01\nend: 2026-01-01\n"
                    "countries: Norwya\n", sample_store)


@pytest.mark.parametrize("text, field, words", [
    ("[1, 2]", "", "expected a mapping of visit fields"),
    ("title: T\n", "countries", "name at least one country"),
    ("title: T\nprincipal: P\nstart: 25/11/2026\nend: 2026-11-25\ncountries: NOR\n",
     "visit.start", "YYYY-MM-DD"),
    ("title: T\nprincipal: P\nstart: 2026-11-25\nend: 2026-11-25\n"
     "countries: [NOR, DNK]\nprogramme:\n  - {day: '1', time: '9:00', place: X, event: Y}\n",
     "visit.programme[1].country", "needs the country of each programme item"),
    ("title: T\nprincipal: P\nstart: 2026-11-25\nend: 2026-11-25\ncountries: NOR\n"
     "programme:\n  - {day: '1', time: '9:00', place: X, event: Y, country: Atlantis}\n",
     "visit.programme[1].country", "unknown country 'Atlantis'"),
    ("title: T\nprincipal: P\nstart: 2026-11-25\nend: 2026-11-25\ncountries: NOR\n"
     "asks:\n  - {ask: only half}\n", "visit.asks[1].response", "required field is missing"),
    ("title: T\nprincipal: P\nstart: 2026-11-25\nend: 2026-11-25\ncountries: NOR\n"
     "ceiling: OFFICIAL-SENSITIVE - COMMERCIAL\n", "ceiling", "classification level only"),
])
def test_single_errors(sample_store, text, field, words):
    with pytest.raises(DataError) as info:
        loads_visit(text, sample_store, name="v.yaml")
    problems = info.value.problems
    assert any(p.field == field and words in p.message for p in problems), problems


def test_programme_country_outside_the_visit_is_an_error(sample_store):
    text = ("title: T\nprincipal: P\nstart: 2026-11-25\nend: 2026-11-25\ncountries: NOR\n"
            "programme:\n  - {day: '1', time: '9:00', place: X, event: Y, country: Denmark}\n")
    with pytest.raises(DataError, match=r"not one of this visit's countries"):
        loads_visit(text, sample_store)


def test_ambiguous_interlocutor_asks_for_the_country(sample_store):
    _people(sample_store)
    text = ("title: T\nprincipal: P\nstart: 2026-11-25\nend: 2026-11-25\n"
            "countries: [NOR, DNK]\ninterlocutors: [Kari Example]\n")
    with pytest.raises(DataError, match=r"matches 2 interlocutors; give their country"):
        loads_visit(text, sample_store)


def test_misspelt_interlocutor_gets_a_suggestion(sample_store):
    _people(sample_store)
    text = ("title: T\nprincipal: P\nstart: 2026-11-25\nend: 2026-11-25\n"
            "countries: NOR\ninterlocutors: [Ola Exampel]\n")
    with pytest.raises(DataError, match=r"did you mean: Ola Example"):
        loads_visit(text, sample_store)


def test_missing_file_names_the_file(sample_store, tmp_path):
    with pytest.raises(DataError, match="nowhere.yaml.*cannot read"):
        load_visit(tmp_path / "nowhere.yaml", sample_store)

"""brief/release.py: one set of release rules for every brief, annex and pack (issue 20's
leaks at the seams: the pack's steering brief, the sensitive annex, redaction, the cover)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from briefpack import model, paths
from briefpack.brief import release
from briefpack.brief.document import Brief, Callout, Heading, KeyValue
from briefpack.brief.pack import Destination, PackJob, compose_pack
from briefpack.brief.sections.common import SENSITIVE_ANNEX_HEADING
from briefpack.pipeline import BuildOptions, assemble_brief
from briefpack.priorities import load_priorities
from briefpack.store import Store
from briefpack.templates import load_template
from briefpack.visits import load_visit

TOUR = paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml"
NORWAY_VISIT = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"
TODAY = dt.date(2026, 11, 20)
OS = "OFFICIAL-SENSITIVE"


@pytest.fixture(scope="module")
def store():
    store = Store.memory(seed=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def priorities():
    return load_priorities()


def _brief(store, priorities, visit, code="NOR", **options) -> Brief:
    options = BuildOptions(today=TODAY, author="test.user", **options)
    brief, _ = assemble_brief(store.country_file(code), template=load_template("standard"),
                              priorities=priorities, visit=visit, options=options)
    return brief


def _pack(store, priorities, visit, **options) -> Brief:
    found = []
    for code in visit.countries:
        opts = BuildOptions(today=TODAY, **options)
        brief, card = assemble_brief(store.country_file(code),
                                     template=load_template("standard"),
                                     priorities=priorities, visit=visit, options=opts)
        found.append(Destination(brief, card))
    return compose_pack(PackJob(visit, found, today=TODAY, ceiling=options.get("ceiling"),
                                sensitive_annex=options.get("sensitive_annex", False),
                                redact_personal=options.get("redact_personal", False)))


def _everything(brief: Brief) -> str:
    """Every word a reader or the file's properties may see."""
    return "\n".join((brief.text(), brief.title, brief.subject, brief.author,
                      *brief.keywords))


def _steering(pack: Brief) -> str:
    """The steering brief's words (the cover to the contents)."""
    text = []
    for block in pack.blocks:
        if isinstance(block, Heading) and block.anchor == "pack-steering":
            text = []
        text.append(block)
        if type(block).__name__ == "Contents":
            break
    return "\n".join(Brief("", "", tuple(text)).text().splitlines())


# -- the pack's steering brief reads the same rules as the briefs --------------------------

def test_an_official_sensitive_visits_itinerary_stays_out_of_an_official_pack(store,
                                                                              priorities):
    tour = load_visit(TOUR, store)
    programme = tuple(dataclasses.replace(p, event=f"ZQXEVENT{i}", place=f"ZQXPLACE{i}",
                                          uk_lead=f"ZQXLEAD{i}")
                      for i, p in enumerate(tour.programme))
    visit = dataclasses.replace(tour, marking=OS, programme=programme)
    pack = _pack(store, priorities, visit, ceiling="OFFICIAL")
    text = _everything(pack)
    assert "ZQX" not in text
    assert "The programme is left out of this pack" in _steering(pack)
    assert pack.marking == "OFFICIAL"
    # at the visit's own ceiling the same pack prints them: the check is not vacuous
    assert "ZQXEVENT0" in _everything(_pack(store, priorities, visit))


def test_a_countrys_sensitive_section_keeps_its_team_logistics_and_contacts_out(store,
                                                                                priorities):
    tour = load_visit(TOUR, store)
    per_country = tuple(dataclasses.replace(c, marking=OS) if c.country == "NOR" else c
                        for c in tour.per_country)
    visit = dataclasses.replace(
        tour, per_country=per_country,
        team=tour.team + (model.TeamMember(role="Adviser", name="ZQXMEMBER", country="NOR"),
                          model.TeamMember(role="Adviser", name="Dan Dane", country="DNK")),
        logistics=tour.logistics + (model.LogisticsItem(detail="ZQXMOVE", country="NOR"),),
        contacts=tour.contacts + (model.Contact(role="Fixer", name="ZQXCONTACT",
                                                phone="+47 ZQXPHONE", email="zqx@example.no",
                                                country="NOR"),),
        programme=tour.programme + (model.ProgrammeItem(
            day="Monday 7 December", time="23:00", place="ZQXPLACE", event="ZQXEVENT",
            country="NOR"),))
    pack = _pack(store, priorities, visit, ceiling="OFFICIAL")
    steering = _steering(pack)
    assert "ZQX" not in _everything(pack).upper()
    assert "Dan Dane" in steering  # Denmark's section is OFFICIAL: its team member shows
    withheld = [b for b in pack.blocks if isinstance(b, Callout)
                and "team, logistics and contacts for Norway" in b.text]
    assert withheld
    # Norway's own brief in the same pack withheld the same words
    norway = _brief(store, priorities, visit, ceiling="OFFICIAL")
    assert "ZQX" not in _everything(norway).upper() and norway.facts.withheld


def test_the_steering_briefs_marking_counts_the_countries_words_it_shows(store, priorities):
    tour = load_visit(TOUR, store)
    per_country = tuple(dataclasses.replace(c, marking=OS) if c.country == "NOR" else c
                        for c in tour.per_country)
    visit = dataclasses.replace(tour, per_country=per_country, team=(
        model.TeamMember(role="Adviser", name="Nora", country="NOR"),))
    assert _pack(store, priorities, visit).marking == OS


# -- the visit's title, principal and owning team --------------------------------------------

def _named_sentinels(visit: model.Visit) -> model.Visit:
    return dataclasses.replace(visit, marking=OS, title="ZQXTITLE visit",
                               principal="ZQXPRINCIPAL", owning_team="ZQXTEAM")


def test_an_official_sensitive_visits_names_stay_off_an_official_cover(store, priorities):
    visit = _named_sentinels(load_visit(TOUR, store))
    pack = _pack(store, priorities, visit, ceiling="OFFICIAL")
    assert "ZQX" not in _everything(pack)
    assert pack.title.startswith("Visit, 7") and "The principal" in pack.subject
    brief = _brief(store, priorities, visit, ceiling="OFFICIAL")
    assert "ZQX" not in _everything(brief)
    # the visit's ceiling allows them: they print
    assert "ZQXTITLE" in _brief(store, priorities, visit).title


def test_a_sensitive_annex_keeps_the_visits_names_off_the_main_body(store, priorities):
    visit = _named_sentinels(load_visit(NORWAY_VISIT, store))
    brief = _brief(store, priorities, visit, sensitive_annex=True)
    assert "ZQX" not in "\n".join((brief.title, brief.subject))
    front = next(b for b in brief.blocks if isinstance(b, KeyValue))
    assert "ZQX" not in str(front.pairs)


def test_named_visit_is_decided_by_the_visits_marking():
    visit = model.Visit(title="T", principal="P", owning_team="O", start=TODAY, end=TODAY,
                        countries=("NOR",), marking=OS)
    official = release.named_visit(visit, release.effective_ceiling(None, "OFFICIAL"))
    assert (official.title, official.principal, official.owning_team) == (
        "Visit, 20 November 2026", release.WITHHELD_PRINCIPAL, "")
    assert release.named_visit(visit, release.effective_ceiling(None, None)) is visit


# -- the sensitive annex moves the visit's words, it does not drop them -------------------

def _sensitive_visit(store) -> model.Visit:
    visit = load_visit(NORWAY_VISIT, store)
    calls = tuple(dataclasses.replace(p, purpose=f"ZQXCALL{i} {p.purpose}") if p.is_call
                  else p for i, p in enumerate(visit.programme))
    return dataclasses.replace(
        visit, marking=OS, purpose="ZQXPURPOSE", points_to_make=("ZQXPOINT",),
        asks=(model.Ask(ask="ZQXASK", response="ZQXRESPONSE"),),
        press_qa=(model.PressQuestion(question="ZQXQUESTION", answer="ZQXANSWER"),),
        programme=calls, team=(model.TeamMember(role="ZQXROLE", name="Ann"),),
        contacts=(model.Contact(role="ZQXDUTY", name="Bob"),))


WORDS = ("ZQXPURPOSE", "ZQXPOINT", "ZQXASK", "ZQXQUESTION", "ZQXCALL", "ZQXROLE", "ZQXDUTY")


def test_the_sensitive_annex_holds_the_visits_sensitive_words(store, priorities):
    brief = _brief(store, priorities, _sensitive_visit(store), sensitive_annex=True)
    text = brief.text()
    annex = text.index(f"\n{SENSITIVE_ANNEX_HEADING}\n")
    for word in WORDS:
        assert word in text[annex:], word
        assert word not in text[:annex], word
    # nothing was withheld: the front sheet says where the words went, not that they
    # were above the ceiling
    assert brief.facts.withheld == {}
    assert f"above {OS}" not in text[:annex]
    assert brief.facts.annex.get("Points to make") == 1
    assert brief.marking == OS and brief.facts.body_marking == "OFFICIAL"


def test_the_annex_holds_sensitive_actions_and_engagement_outcomes(priorities):
    store = Store.memory(seed=True)
    try:
        store.save(model.Action(country="NOR", action="ZQXACTION", owner="Desk",
                                marking=OS))
        store.save(model.Engagement(country="NOR", title="Talks", date=dt.date(2026, 10, 1),
                                    status="past", description="ZQXOUTCOME",
                                    marking=OS))
        brief = _brief(store, priorities, load_visit(NORWAY_VISIT, store),
                       sensitive_annex=True)
    finally:
        store.close()
    text = brief.text()
    annex = text.index(f"\n{SENSITIVE_ANNEX_HEADING}\n")
    assert "ZQXACTION" in text[annex:] and "ZQXOUTCOME" in text[annex:]
    assert "ZQX" not in text[:annex]


def test_without_the_annex_the_words_are_withheld_and_said_so(store, priorities):
    brief = _brief(store, priorities, _sensitive_visit(store), ceiling="OFFICIAL")
    assert not any(word in brief.text() for word in WORDS)
    assert "Points to make" in brief.facts.withheld


# -- --redact personal: every personal field of every section kind ---------------------------

def test_redaction_leaves_out_the_team_and_contacts_names_phones_and_emails(store,
                                                                            priorities):
    tour = load_visit(TOUR, store)
    visit = dataclasses.replace(
        tour,
        team=(model.TeamMember(role="Adviser", name="ZQXMEMBER", country="NOR"),
              model.TeamMember(role="Press Officer", name="ZQXPRESS")),
        contacts=(model.Contact(role="Fixer", name="ZQXCONTACT", phone="+47 1234 ZQX",
                                email="zqx@example.no", organisation="Embassy",
                                country="NOR"),))
    pack = _pack(store, priorities, visit, redact_personal=True)
    assert "ZQX" not in _everything(pack).upper()
    steering = _steering(pack)
    assert "Adviser" in steering and "Fixer" in steering and "Embassy" in steering
    brief = _brief(store, priorities, visit, redact_personal=True)
    assert "ZQX" not in _everything(brief).upper() and "Fixer" in brief.text()
    # not redacted: the names print
    assert "ZQXCONTACT" in _brief(store, priorities, visit).text()


def test_redaction_leaves_out_action_owners(priorities):
    store = Store.memory(seed=True)
    try:
        store.save(model.Action(country="NOR", action="Send the paper", owner="ZQXOWNER"))
        visit = load_visit(NORWAY_VISIT, store)
        assert "ZQXOWNER" in _brief(store, priorities, visit).text()
        brief = _brief(store, priorities, visit, redact_personal=True)
    finally:
        store.close()
    assert "ZQXOWNER" not in brief.text() and "Send the paper" in brief.text()


def test_every_personal_field_is_declared_on_the_model():
    from briefpack.brief.redaction import personal_fields
    assert personal_fields(model.TeamMember) == ("name",)
    assert personal_fields(model.Contact) == ("name", "phone", "email")
    assert personal_fields(model.Action) == ("owner",)

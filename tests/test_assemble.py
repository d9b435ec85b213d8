"""Assembling a Brief: section order, visit sections, ceilings and markings, templates."""

import dataclasses
import datetime as dt
import subprocess
import sys
import textwrap

import pytest

from briefpack import marking, model, paths
from briefpack.brief.assemble import BriefJob, assemble
from briefpack.brief.release import released_country_file
from briefpack.brief.document import Callout, Heading, KeyValue, PageBreak, Table
from briefpack.errors import BriefpackError, DataError
from briefpack.priorities import load_priorities
from briefpack.scoring import score
from briefpack.templates import SECTION_KINDS, load_template
from briefpack.visits import load_visit

TODAY = dt.date(2026, 11, 20)
STANDARD_ORDER = [
    "Summary", "Steering summary", "Points to make", "Their likely asks and our response",
    "Press lines", "Handling notes and sensitivities", "Programme", "Background", "Calls",
    "Who's who",
    "UK team and delegation", "Logistics", "Contacts", "Relationship summary",
    "Active agreements", "Alumni of UK military education",
    "Export and capability-collaboration opportunities",
    "Annex: sources and data currency",
]
#: the analyst's annex, on request: the host country's scores, at the end
SCORE_SECTIONS = ["Priority scorecard", "Annex: how this score was made"]
#: the sample store holds no interlocutor or alumni records for Norway: those sections are
#: left out and named in the sources annex instead
NO_RECORDS_NOR = {"Who's who", "Alumni of UK military education"}
VISIT_ONLY = {"Points to make", "Their likely asks and our response", "Press lines",
              "Programme", "Handling notes and sensitivities", "Calls",
              "UK team and delegation", "Logistics", "Contacts"}


@pytest.fixture(scope="module")
def priorities():
    return load_priorities()


@pytest.fixture
def norway_visit(sample_store):
    return load_visit(paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml",
                      sample_store)


def _brief(store, priorities, template="standard", visit=None, ceiling=None, code="NOR",
           scores=False):
    cf = store.country_file(code)
    # as the pipeline does: score only what the brief may show
    card = score(released_country_file(cf, visit=visit, ceiling=ceiling), priorities, visit,
                 today=TODAY)
    return assemble(BriefJob(cf, card, load_template(template), visit=visit, ceiling=ceiling,
                    today=TODAY, author="Test Author", score_annex=scores))


def _sections(brief):
    return [b.text for b in brief.blocks if isinstance(b, Heading) and b.level == 1]


def _add_sensitive_records(store):
    """A sensitive agreement, an alumnus and an interlocutor who is that alumnus."""
    agreement = store.save(model.Agreement(
        country="NOR", name="Sensitive arrangement", status="active",
        marking="OFFICIAL-SENSITIVE - COMMERCIAL"))
    alumnus = store.save(model.Alumnus(country="NOR", name="Alum Example",
                                       course="Advanced Command and Staff Course",
                                       institution="Defence Academy", year=2015))
    person = store.save(model.Interlocutor(
        country="NOR", name="Hidden Person", role="Adviser", alumnus_id=alumnus.id,
        marking="OFFICIAL-SENSITIVE - PERSONAL DATA", last_met=dt.date(2026, 3, 1)))
    return agreement, alumnus, person


def test_visit_brief_has_every_section_in_standard_order(sample_store, priorities,
                                                         norway_visit):
    brief = _brief(sample_store, priorities, visit=norway_visit)
    sections = _sections(brief)
    assert sections[0] == norway_visit.title  # the front sheet
    assert sections[1:] == [s for s in STANDARD_ORDER if s not in NO_RECORDS_NOR]
    front_end = brief.blocks.index(next(b for b in brief.blocks if isinstance(b, PageBreak)))
    # page one: the front sheet and the one-page summary
    assert _sections(dataclasses.replace(brief, blocks=brief.blocks[:front_end])) == \
        [norway_visit.title, "Summary"]
    assert brief.watermark == "DRAFT" and brief.label == "NOR"
    assert brief.author == "Test Author" and brief.language == "en-GB"
    scored = _sections(_brief(sample_store, priorities, visit=norway_visit, scores=True))
    assert scored[1:] == [s for s in STANDARD_ORDER if s not in NO_RECORDS_NOR] + \
        SCORE_SECTIONS


def test_country_brief_leaves_visit_sections_out(sample_store, priorities):
    brief = _brief(sample_store, priorities)
    assert _sections(brief)[1:] == ["Norway at a glance"] + [
        s for s in STANDARD_ORDER[1:] if s not in VISIT_ONLY | NO_RECORDS_NOR]
    assert brief.title == "Norway: country brief"
    assert brief.watermark == ""


def test_visit_with_empty_parts_leaves_those_sections_out(sample_store, priorities,
                                                          norway_visit):
    visit = dataclasses.replace(norway_visit, points_to_make=(), press_lines=(), asks=(),
                                press_qa=(),
                                if_raised=())
    sections = _sections(_brief(sample_store, priorities, visit=visit))
    assert "Points to make" not in sections and "Press lines" not in sections
    assert "Their likely asks and our response" not in sections and "Programme" in sections


def test_front_sheet_and_steering_summary(sample_store, priorities, norway_visit):
    brief = _brief(sample_store, priorities, visit=norway_visit)
    pairs = dict(next(b for b in brief.blocks if isinstance(b, KeyValue)).pairs)
    assert pairs["Principal"] == "Secretary of State for Defence"
    assert pairs["Dates"] == "25–26 November 2026"
    assert pairs["Protective marking"] == brief.marking
    text = brief.text()
    assert "Serves: Secure and resilient growth" in text
    # no score of the host country unless the analyst's annex is asked for
    assert "Scorecard at a glance" not in text and "measured" not in text
    text = _brief(sample_store, priorities, visit=norway_visit, scores=True).text()
    assert "Scorecard at a glance" in text
    for objective in load_priorities().objectives:
        assert f"{objective.label}: " in text  # one scorecard line per objective


def test_key_facts_and_tables(sample_store, priorities, norway_visit):
    brief = _brief(sample_store, priorities, visit=norway_visit)
    text = brief.text()
    for fact in ("Lunna House", "4 December 2025", "£10 billion", "4,000",
                 "13 Anti-Submarine Warfare frigates", "Call on the Minister of Defence"):
        assert fact in text
    for table in (b for b in brief.blocks if isinstance(b, Table)):
        widths = [c.width for c in table.columns]
        assert all(w > 0 for w in widths) and all(len(r) == len(widths) for r in table.rows)
    # one programme table per day, captioned with the day: a Day column would wrap it
    programme = [b for b in brief.blocks if isinstance(b, Table)
                 and [c.title for c in b.columns][:2] == ["Time", "Place"]]
    assert [t.caption for t in programme] == ["Wednesday 25 November", "Thursday 26 November"]
    assert max(programme[0].columns, key=lambda c: c.width).title == "Event"


@pytest.mark.parametrize("template", ["standard", "pocket"])
@pytest.mark.parametrize("with_visit", [True, False])
def test_no_template_syntax_left(sample_store, priorities, norway_visit, template,
                                 with_visit):
    brief = _brief(sample_store, priorities, template, norway_visit if with_visit else None)
    words = "\n".join([brief.title, brief.subject, brief.text()])
    for syntax in ("{{", "}}", "{%", "%}", "{#"):
        assert syntax not in words


def test_pocket_is_a_short_summary(sample_store, priorities, norway_visit):
    brief = _brief(sample_store, priorities, "pocket", norway_visit)
    assert _sections(brief)[1:] == ["Summary", "Programme"]
    assert brief.title.endswith("pocket brief")
    assert not any(isinstance(b, PageBreak) for b in brief.blocks)
    assert len(brief.text()) < len(_brief(sample_store, priorities, visit=norway_visit).text()) / 2


def test_overall_marking_combines_every_record_shown(sample_store, priorities):
    assert _brief(sample_store, priorities).marking == "OFFICIAL"
    _add_sensitive_records(sample_store)
    brief = _brief(sample_store, priorities)
    assert brief.marking == "OFFICIAL-SENSITIVE - PERSONAL DATA - COMMERCIAL"
    # the pocket brief lists none of them and, by default, shows no score
    assert _brief(sample_store, priorities, "pocket").marking == "OFFICIAL"
    # but a score shown derives from the sensitive agreement: it carries its marking
    assert _brief(sample_store, priorities, "pocket", scores=True).marking.startswith(
        "OFFICIAL-SENSITIVE")


def test_records_above_the_ceiling_are_withheld_and_counted(sample_store, priorities):
    agreement, alumnus, person = _add_sensitive_records(sample_store)
    brief = _brief(sample_store, priorities, ceiling="OFFICIAL")
    text = brief.text()
    assert "Sensitive arrangement" not in text and "Hidden Person" not in text
    assert brief.marking == "OFFICIAL - PERSONAL DATA"  # the OFFICIAL alumnus stays
    notice = next(b for b in brief.blocks if isinstance(b, Callout))
    assert notice.kind == "warning"
    assert notice.text.startswith("2 items were left out")
    assert "Who's who (1)" in notice.text and "Relationship summary (1)" in notice.text
    assert "Active agreements (1)" in notice.text
    # the scores come from released records only, so the scorecard withholds nothing
    assert brief.facts.withheld == {"Who's who": 1, "Relationship summary": 1,
                                       "Active agreements": 1}
    assert dict(next(b for b in brief.blocks if isinstance(b, KeyValue)).pairs)[
        "Releasable up to"] == "OFFICIAL"


def test_visit_ceiling_applies_and_the_lower_ceiling_wins(sample_store, priorities,
                                                          norway_visit):
    _add_sensitive_records(sample_store)
    low = dataclasses.replace(norway_visit, ceiling="OFFICIAL")
    assert "Sensitive arrangement" not in _brief(sample_store, priorities, visit=low).text()
    assert "Sensitive arrangement" not in _brief(
        sample_store, priorities, visit=norway_visit, ceiling="OFFICIAL").text()
    assert "Sensitive arrangement" in _brief(
        sample_store, priorities, visit=norway_visit, ceiling="OFFICIAL-SENSITIVE").text()


def test_a_ceiling_given_as_a_marking_is_a_level_alone(sample_store, priorities):
    cf = sample_store.country_file("NOR")
    with_descriptor = marking.parse("OFFICIAL-SENSITIVE - PERSONAL DATA")
    with pytest.raises(BriefpackError, match="OFFICIAL-SENSITIVE - PERSONAL DATA'.*"
                                              "classification level only"):
        released_country_file(cf, ceiling=with_descriptor)
    released = released_country_file(cf, ceiling=marking.OFFICIAL)
    assert all(marking.parse(a.marking).level == "OFFICIAL" for a in released.agreements)


def test_evidence_about_a_withheld_record_is_dropped(sample_store, priorities):
    agreement, _, _ = _add_sensitive_records(sample_store)
    cf = sample_store.country_file("NOR")
    card = score(cf, priorities, today=TODAY)  # scored on everything, on purpose
    assert any(e.record_id == agreement.id for o in card.objectives for c in o.criteria
               for e in c.evidence)
    # a score derived from a withheld record would hint at it: assembly refuses it
    with pytest.raises(BriefpackError, match="above this document's ceiling OFFICIAL"):
        assemble(BriefJob(cf, card, load_template("standard"), ceiling="OFFICIAL", today=TODAY,
                          score_annex=True))
    released = released_country_file(cf, ceiling="OFFICIAL")
    assert agreement.id not in {a.id for a in released.agreements}


def test_alumni_among_interlocutors_are_flagged(sample_store, priorities):
    _add_sensitive_records(sample_store)
    brief = _brief(sample_store, priorities)
    whos_who = next(b for b in brief.blocks if isinstance(b, Table)
                    and b.columns[0].title == "Name" and b.columns[1].title == "Role")
    row = dict(zip((c.title for c in whos_who.columns), whos_who.rows[0]))
    assert row["UK course alumnus"].startswith("Yes: Advanced Command and Staff Course")
    assert "Last met Hidden Person (Adviser): 1 March 2026" in brief.text()


def test_stale_data_is_flagged_with_refresh_date_and_author(sample_store, priorities):
    sample_store.db.execute("update agreements set updated_at = ?, updated_by = ? "
                            "where country = 'NOR'", ["2025-01-10T09:00:00+00:00", "old.hand"])
    brief = _brief(sample_store, priorities)
    annex = next(b for b in brief.blocks if isinstance(b, Table) and b.columns[0].title == "Data")
    rows = {r[0]: r for r in annex.rows}
    agreements_row = rows["Agreements"]
    assert agreements_row[2:] == ("10 January 2025", "old.hand", "Stale: 679 days old")
    # the sample's own facts date from their source, March 2026
    assert rows["Engagements"][2] == "1 March 2026"
    assert rows["Engagements"][4] == "Stale: 264 days old"


def test_assembly_is_pure(tmp_path):
    code = ("import sys, briefpack.brief.assemble, briefpack.templates;"
            "bad = [m for m in ('docx', 'reportlab', 'PySide6') if m in sys.modules];"
            "print(bad); sys.exit(bool(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# -- templates ---------------------------------------------------------------------------

def _template_dir(tmp_path, text, name="custom"):
    (tmp_path / name).mkdir()
    (tmp_path / name / "brief.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_shipped_templates_load():
    for name in ("standard", "pocket"):
        template = load_template(name)
        assert template.dir == paths.templates_dir() / name
        assert template.spec.sections[0].kind == "front_sheet"
    kinds = [s.kind for s in load_template("standard").spec.sections]
    assert kinds == list(SECTION_KINDS)  # all thirteen, in BRIEF-STANDARD order


def test_unknown_template_lists_the_available_ones():
    with pytest.raises(BriefpackError, match=r"unknown template 'glossy'; "
                                             r"available templates: .*pocket, standard"):
        load_template("glossy")
    # a name with a separator is a folder path (relative to where briefpack runs), never a
    # way out of the templates folder
    with pytest.raises(BriefpackError, match="not a template folder"):
        load_template("../standard")


def test_template_spec_problems_name_file_line_and_key(tmp_path):
    root = _template_dir(tmp_path, """\
        title: "{{ country.name }"
        base_font_size: 4
        sections:
          - kind: front_sheet
            heading: "{{ titel }}"
          - kind: agreements
            heading: Agreements
            columns: [name, colour]
            wording: {nonsense: x}
          - kind: mystery
            heading: M
          - kind: alumni
            limit: 0
            shade: blue
        """)
    with pytest.raises(DataError) as info:
        load_template("custom", root=root)
    found = {(p.line, p.field): p.message for p in info.value.problems}
    assert all(p.file.endswith("custom/brief.yaml") for p in info.value.problems)
    expected = {
        (1, "title"): "template syntax error",
        (2, "base_font_size"): "from 8 to 32",
        (5, "sections[1].heading"): "undefined name 'titel'",
        (8, "sections[2].columns[2]"): "'colour' is not a column of agreements",
        (9, "sections[2].wording.nonsense"): "not wording of agreements",
        (10, "sections[3].kind"): "'mystery' is not a section kind",
        (12, "sections[4].heading"): "required key is missing",
        (13, "sections[4].limit"): "1 or more",
        (14, "sections[4].shade"): "unknown key",
    }
    for key, words in expected.items():
        assert key in found, f"no problem at {key}: {sorted(found)}"
        assert words in found[key]


def test_undefined_attribute_at_render_names_template_and_name(tmp_path, sample_store,
                                                               priorities):
    root = _template_dir(tmp_path, """\
        title: Brief
        sections:
          - kind: front_sheet
            heading: Front
            intro: "{{ country.capital }}"
        """)
    template = load_template("custom", root=root)
    cf = sample_store.country_file("NOR")
    with pytest.raises(DataError) as info:
        assemble(BriefJob(cf, score(cf, priorities, today=TODAY), template, today=TODAY))
    problem = info.value.problems[0]
    assert problem.file.endswith("custom/brief.yaml") and problem.line == 5
    assert problem.field == "sections[1].intro" and "capital" in problem.message


def test_template_prose_runs_in_a_sandbox(tmp_path, sample_store, priorities):
    root = _template_dir(tmp_path, """\
        title: Brief
        sections:
          - kind: front_sheet
            heading: "{{ country.__class__.__mro__ }}"
        """)
    template = load_template("custom", root=root)
    cf = sample_store.country_file("NOR")
    with pytest.raises(DataError, match="custom/brief.yaml"):
        assemble(BriefJob(cf, score(cf, priorities, today=TODAY), template, today=TODAY))


def test_data_is_never_read_as_template_syntax(sample_store, priorities):
    sample_store.db["countries"].update("NOR", {"summary": "Literal {{ braces }} stay"})
    assert "Literal {{ braces }} stay" in _brief(sample_store, priorities).text()


def test_without_the_stores_record_staleness_reads_the_stores_own_limit(sample_store,
                                                                        priorities):
    """The records' own update stamps are judged against the store's stale_after_days,
    not a second copy of the default."""
    sample_store.db.execute("update agreements set updated_at = ?, updated_by = ? "
                            "where country = 'NOR'", ["2026-11-01T09:00:00+00:00", "new.hand"])
    cf = sample_store.country_file("NOR")
    card = score(cf, priorities, today=TODAY)

    def agreements_status(days: int) -> str:
        brief = assemble(BriefJob(cf, card, load_template("standard"), today=TODAY,
                                  stale_after_days=days))
        annex = next(b for b in brief.blocks
                     if isinstance(b, Table) and b.columns[0].title == "Data")
        return {r[0]: r for r in annex.rows}["Agreements"][4]

    assert agreements_status(180) == "Current"
    assert agreements_status(5).startswith("Stale")

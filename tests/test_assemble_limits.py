"""Long lists stop at the template's limit, most relevant first, and say what is left out."""

import datetime as dt

import pytest

from briefpack import model
from briefpack.brief.document import Heading, Paragraph, Table
from briefpack.pipeline import BuildOptions, assemble_brief
from briefpack.priorities import load_priorities
from briefpack.templates import load_template


@pytest.fixture
def crowded(sample_store):
    for n in range(50):
        sample_store.save(model.Alumnus(country="NOR", name=f"Alumnus {n:02d}", year=1990 + n % 30,
                                        senior=n in (7, 33), appointment=f"Post {n}"))
    for n in range(35):
        sample_store.save(model.Agreement(country="NOR", name=f"Memorandum {n:02d}",
                                          signed=dt.date(2020, 1, 1) + dt.timedelta(days=n)))
    return sample_store.country_file("NOR")


def section(brief, title):
    blocks = list(brief.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == title)
    end = next((i for i, b in enumerate(blocks[start + 1:], start + 1)
                if isinstance(b, Heading) and b.level == 1), len(blocks))
    return blocks[start + 1:end]


def build(cf, **options):
    brief, _ = assemble_brief(cf, template=load_template("standard"),
                              priorities=load_priorities(),
                              options=BuildOptions(today=dt.date(2026, 11, 25), **options))
    return brief


def test_alumni_list_the_senior_first_then_stop_at_the_limit(crowded):
    blocks = section(build(crowded), "Alumni of UK military education")
    table = next(b for b in blocks if isinstance(b, Table))
    assert len(table.rows) == 40
    assert [r[0] for r in table.rows[:2]] == ["Alumnus 07", "Alumnus 33"]  # 1997, 1993
    note = next(b for b in blocks if isinstance(b, Paragraph))
    assert note.text == ("The 40 most relevant of 50 are listed here; the other 10 are held "
                         "in the store.")


def test_agreements_list_strategic_then_newest(crowded):
    blocks = section(build(crowded), "Active agreements")
    rows = next(b for b in blocks if isinstance(b, Table)).rows
    assert rows[0][0] == "Lunna House" and rows[1][0] == "Memorandum 34"
    assert len(rows) == 30 and "of 36 are listed" in blocks[-1].text


def test_short_lists_have_no_note(sample_store):
    blocks = section(build(sample_store.country_file("NOR")), "Active agreements")
    assert not any(isinstance(b, Paragraph) for b in blocks)


def test_a_redacted_brief_counts_every_alumnus(crowded):
    blocks = section(build(crowded, redact_personal=True), "Alumni of UK military education")
    assert any("50 alumni" in b.text for b in blocks if isinstance(b, Paragraph))

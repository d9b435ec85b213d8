"""Briefs are en-GB whatever the desktop's language: dates never follow LC_TIME
(QApplication sets it from the desktop, so a brief built in the app would otherwise get
translated month names)."""

from __future__ import annotations

import datetime as dt
import locale

import pytest

from briefpack import formatting
from briefpack.brief.document import Heading, KeyValue, Paragraph, Table
from briefpack.options import BuildOptions
from briefpack.pipeline import assemble_brief
from briefpack.priorities import load_priorities
from briefpack.templates import load_template

#: non-English locales tried in turn (.ci/run generates de_DE.UTF-8)
FOREIGN = ("de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")


@pytest.fixture
def foreign_lc_time():
    """LC_TIME set to a non-English locale for the test, restored after."""
    saved = locale.setlocale(locale.LC_TIME)
    for name in FOREIGN:
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        if dt.date(2026, 12, 1).strftime("%B") != "December":
            break
    else:
        locale.setlocale(locale.LC_TIME, saved)
        pytest.skip("no non-English locale installed (.ci/run generates de_DE.UTF-8)")
    yield locale.setlocale(locale.LC_TIME)
    locale.setlocale(locale.LC_TIME, saved)


def test_month_names_are_the_english_ones():
    assert formatting.MONTHS == ENGLISH_MONTHS
    assert formatting.long_date(dt.date(2025, 12, 4)) == "4 December 2025"
    assert formatting.date_range(dt.date(2026, 2, 28), dt.date(2026, 3, 2)) == \
        "28 February – 2 March 2026"


def test_dates_stay_english_under_a_foreign_lc_time(foreign_lc_time):
    foreign = dt.date(2025, 12, 4).strftime("%B")
    assert foreign != "December"  # the locale really is foreign
    assert formatting.long_date(dt.date(2025, 12, 4)) == "4 December 2025"
    assert formatting.date_range(dt.date(2026, 3, 3), dt.date(2026, 3, 5)) == "3–5 March 2026"
    assert formatting.date_range(dt.date(2026, 2, 28), dt.date(2026, 3, 2)) == \
        "28 February – 2 March 2026"


def _texts(brief) -> list[str]:
    out = []
    for block in brief.blocks:
        if isinstance(block, (Heading, Paragraph)):
            out.append(block.text)
        elif isinstance(block, Table):
            out += [str(c) for row in block.rows for c in row]
        elif isinstance(block, KeyValue):
            out += [str(v) for pair in block.pairs for v in pair]
    return out


def test_a_brief_built_under_a_foreign_lc_time_has_english_dates(foreign_lc_time,
                                                                 sample_store):
    foreign_months = {dt.date(2026, m, 1).strftime("%B") for m in range(1, 13)}
    brief, _ = assemble_brief(sample_store.country_file("NOR"),
                              template=load_template("standard"),
                              priorities=load_priorities(),
                              options=BuildOptions(today=dt.date(2026, 12, 4)))
    text = "\n".join(_texts(brief))
    assert "4 December 2026" in text
    words = set(text.replace(",", " ").replace(".", " ").split())
    assert not words & (foreign_months - set(ENGLISH_MONTHS))

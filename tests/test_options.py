"""BuildOptions: made once, checked as made, shared by the CLI, the app and the pipeline."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from briefpack.errors import BuildError
from briefpack.options import FORMATS, BuildOptions


def test_defaults_build_every_format_here():
    options = BuildOptions()
    assert options.formats == FORMATS and options.out_dir == Path(".")
    assert options.ceiling is None and options.copy == 1 and options.duplex


def test_formats_are_normalised_once():
    assert BuildOptions(formats=[" PDF", "pdf", "Docx"]).formats == ("pdf", "docx")


@pytest.mark.parametrize(("changes", "message"), [
    ({"formats": ["odt"]}, "unknown format odt"),
    ({"formats": [" ", ""]}, r"\(none given\)"),
    ({"ceiling": "SECRET"}, "ceiling 'SECRET'"),
    ({"copy": 0}, "numbered from 1"),
    ({"personal_threshold": -1}, "0 or more"),
])
def test_bad_options_are_refused_when_made(changes, message):
    with pytest.raises(BuildError, match=message):
        BuildOptions(**changes)


def test_a_change_is_checked_again():
    with pytest.raises(BuildError, match="unknown format"):
        dataclasses.replace(BuildOptions(), formats=("odt",))


def test_ceiling_is_kept_in_canonical_form():
    assert BuildOptions(ceiling="official-sensitive").ceiling == "OFFICIAL-SENSITIVE"


def test_a_redacted_build_has_no_author():
    assert BuildOptions(author="Jo Bloggs", redact_personal=True).author == ""
    redacted = dataclasses.replace(BuildOptions(author="Jo Bloggs"), redact_personal=True)
    assert redacted.author == ""


def test_options_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        BuildOptions().copy = 2  # type: ignore[misc]


def test_dated_fixes_the_day_once():
    day = dt.date(2026, 11, 25)
    assert BuildOptions(today=day).dated().today == day
    assert BuildOptions().dated().today == dt.date.today()


def test_stem_of_a_redacted_variant():
    assert BuildOptions().stem("x") == "x"
    assert BuildOptions(redact_personal=True).stem("x") == "x-redacted"

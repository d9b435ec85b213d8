"""Only the GSCP grammar is a marking: look-alikes of SECRET and made-up caveats are refused."""

import pytest

from briefpack.marking import (
    MAX_LENGTH,
    ORGANISATIONS,
    Marking,
    MarkingError,
    NotAccreditedError,
    parse,
)


@pytest.mark.parametrize(
    "text",
    [
        "OFFICIAL - SE CRET USE ONLY",
        "OFFICIAL - SECRE T",
        "OFFICIAL - SECRE T USE ONLY",
        "OFFICIAL - 5ECRET USE ONLY",
        "OFFICIAL - S3CR3T USE ONLY",
        "OFFICIAL - TS USE ONLY",
        "OFFICIAL - COSMIC USE ONLY",
        "OFFICIAL-SENSITIVE - $ECRET",
        "OFFICIAL - T0P 5ECRET",
    ],
)
def test_look_alikes_of_secret_are_refused_as_not_accredited(text):
    with pytest.raises(NotAccreditedError, match="reads as SECRET or above.*not accredited"):
        parse(text)


@pytest.mark.parametrize("org", ["S3CR3T", "COSMIC", "TS"])
def test_look_alikes_cannot_be_built_directly(org):
    with pytest.raises(NotAccreditedError):
        Marking(use_only={org})
    with pytest.raises(NotAccreditedError):
        Marking(descriptors={org})


@pytest.mark.parametrize("text", ["OFFICIAL - ACME USE ONLY", "OFFICIAL - NATO USE ONLY",
                                  "OFFICIAL - MOD DE&S USE ONLY"])
def test_only_listed_organisations_may_restrict_use(text):
    with pytest.raises(MarkingError, match="USE ONLY is not allowed.*names one of.*MOD") as caught:
        parse(text)
    assert not isinstance(caught.value, NotAccreditedError)


@pytest.mark.parametrize("org", sorted(ORGANISATIONS))
def test_every_listed_organisation_is_accepted(org):
    assert str(parse(f"OFFICIAL - {org} USE ONLY")) == f"OFFICIAL - {org} USE ONLY"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("OFFICIAL - \u0405\u0415\u0421R\u0415\u0422", "U+0405"),  # Cyrillic look-alike letters
        ("OFFICIAL \x1b[31m", "U+001B"),
        ("OFFICIAL\x00", "U+0000"),
        ("OFFICIAL - COMMERCIAL *", "*"),
    ],
)
def test_characters_outside_the_grammar_are_refused_and_named(text, shown):
    with pytest.raises(MarkingError, match="written in the letters A-Z") as caught:
        parse(text)
    assert shown in str(caught.value)
    assert "\x1b" not in str(caught.value) and "\x00" not in str(caught.value)


def test_overlong_markings_are_refused_saying_what_is_allowed():
    text = "OFFICIAL - " + "B" * 300 + " USE ONLY"
    with pytest.raises(MarkingError, match=f"at most {MAX_LENGTH} characters") as caught:
        parse(text)
    assert "OFFICIAL or OFFICIAL-SENSITIVE" in str(caught.value)


def test_the_longest_sensible_marking_still_fits():
    text = ("OFFICIAL-SENSITIVE - RECIPIENTS ONLY - CABINET OFFICE USE ONLY - MOD USE ONLY - "
            "EMBARGOED UNTIL 2026-03-01 09:00 - PERSONAL DATA - COMMERCIAL - LOCSEN")
    assert len(text) < MAX_LENGTH
    assert str(parse(text)) == text


def test_spacing_does_not_count_towards_the_length():
    # found by hypothesis: doubled spaces made a sensible 180-character marking 201 long
    words = ("OFFICIAL SENSITIVE - RECIPIENTS ONLY - CABINET OFFICE USE ONLY - FCDO USE ONLY - "
             "EMBARGOED UNTIL 2025-01-01 00:00 - PERSONAL DATA - LEGAL PROFESSIONAL "
             "PRIVILEGE, HR/MANAGEMENT")
    assert str(parse(words.replace(" ", "  "))) == str(parse(words))
    with pytest.raises(MarkingError, match=f"at most {MAX_LENGTH} characters"):
        parse("OFFICIAL - " + " " * 5000 + "PERSONAL DATA")


def test_mark_command_refuses_a_look_alike(cli, seeded_db):
    db = seeded_db
    code, _, err = cli("--db", db, "mark", "agreements", "1", "OFFICIAL - 5ECRET USE ONLY")
    assert code == 5
    assert err.startswith("briefpack: '5ECRET' reads as SECRET") and "Traceback" not in err


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_embargo_dates_outside_1900_to_2100_are_refused(day):
    with pytest.raises(MarkingError, match="an embargo date is between 1900 and 2100"):
        parse(f"OFFICIAL - EMBARGOED UNTIL {day} 09:00")

"""Protective markings: parsing, validity, order, combination and the import rule."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefpack.marking import (
    DESCRIPTORS,
    OFFICIAL,
    OFFICIAL_SENSITIVE,
    Marking,
    MarkingError,
    NotAccreditedError,
    check_change,
    combine,
    is_lowering,
    normalise,
    parse,
    parse_ceiling,
    rank,
    with_descriptor,
)

EMBARGO = dt.datetime(2026, 3, 1, 9, 0)

# --- strategies -----------------------------------------------------------------

embargoes = st.none() | st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2030, 12, 31)
).map(lambda d: d.replace(second=0, microsecond=0))
organisations = st.frozensets(
    st.sampled_from(["MOD", "HMG", "FCDO", "CABINET OFFICE"]), max_size=2
)
descriptor_sets = st.frozensets(st.sampled_from([*DESCRIPTORS, "LOCSEN"]), max_size=3)


@st.composite
def markings(draw) -> Marking:
    if draw(st.integers(0, 4)) == 0:
        return Marking(public_release=True, embargoed_until=draw(embargoes))
    sensitive = draw(st.booleans())
    return Marking(
        sensitive=sensitive,
        recipients_only=sensitive and draw(st.booleans()),
        use_only=draw(organisations),
        embargoed_until=draw(embargoes),
        descriptors=draw(descriptor_sets),
    )


JOINS = ["-", " ", "\u2013", " \u2014 ", "\u2011"]  # between OFFICIAL and SENSITIVE
SEPARATORS = [" - ", " \u2013 ", " \u2014 ", " \u2212 ", ", "]  # between parts


@st.composite
def scruffy_spellings(draw, marking: Marking) -> str:
    """The canonical text as a person might type it: any case, any dash, odd spacing."""
    level, *rest = str(marking).split(" - ")
    text = level.replace("-", draw(st.sampled_from(JOINS)))
    for part in rest:
        text += draw(st.sampled_from(SEPARATORS)) + part
    text = "".join(c.lower() if draw(st.booleans()) else c for c in text)
    return text.replace(" ", draw(st.sampled_from([" ", "  ", "\t"])))


# --- parsing and canonical text -------------------------------------------------


@given(markings())
def test_parse_reads_back_the_canonical_text(marking):
    assert parse(str(marking)) == marking


@given(st.data())
def test_parse_tolerates_case_dashes_and_spacing(data):
    marking = data.draw(markings())
    assert parse(data.draw(scruffy_spellings(marking))) == marking


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("official", "OFFICIAL"),
        ("official sensitive", "OFFICIAL-SENSITIVE"),
        ("OFFICIAL\u2013SENSITIVE", "OFFICIAL-SENSITIVE"),
        ("Official \u2014 Sensitive", "OFFICIAL-SENSITIVE"),
        ("  OFFICIAL  -  PERSONAL DATA ", "OFFICIAL - PERSONAL DATA"),
        ("OFFICIAL PERSONAL DATA", "OFFICIAL - PERSONAL DATA"),
        (
            "official-sensitive commercial recipients only",
            "OFFICIAL-SENSITIVE - RECIPIENTS ONLY - COMMERCIAL",
        ),
        (
            "OFFICIAL-SENSITIVE - COMMERCIAL - PERSONAL DATA",
            "OFFICIAL-SENSITIVE - PERSONAL DATA - COMMERCIAL",
        ),
        ("official - hr / management", "OFFICIAL - HR/MANAGEMENT"),
        ("OFFICIAL-SENSITIVE - market-sensitive", "OFFICIAL-SENSITIVE - MARKET SENSITIVE"),
        ("OFFICIAL - mod use only - hmg use only", "OFFICIAL - HMG USE ONLY - MOD USE ONLY"),
        ("OFFICIAL - Cabinet Office use only", "OFFICIAL - CABINET OFFICE USE ONLY"),
        ("OFFICIAL - embargoed 2026-03-01T09:00", "OFFICIAL - EMBARGOED UNTIL 2026-03-01 09:00"),
        (
            "official - embargoed until 2026-3-1 9:00 - for public release",
            "OFFICIAL - FOR PUBLIC RELEASE - EMBARGOED UNTIL 2026-03-01 09:00",
        ),
        ("OFFICIAL-SENSITIVE [LOCSEN]", "OFFICIAL-SENSITIVE - LOCSEN"),
        (
            "OFFICIAL-SENSITIVE - LEGAL PROFESSIONAL PRIVILEGE - LEGAL",
            "OFFICIAL-SENSITIVE - LEGAL PROFESSIONAL PRIVILEGE - LEGAL",
        ),
    ],
)
def test_tolerant_parsing_examples(text, canonical):
    assert normalise(text) == canonical


def test_store_default_for_personal_records_parses():
    marking = parse("OFFICIAL - PERSONAL DATA")
    assert marking == Marking(descriptors={"PERSONAL DATA"})
    assert not marking.sensitive


def test_parts_of_a_full_marking():
    marking = parse(
        "OFFICIAL-SENSITIVE - RECIPIENTS ONLY - MOD USE ONLY - EMBARGOED UNTIL 2026-03-01 09:00"
        " - COMMERCIAL - LOCSEN"
    )
    assert marking.level == "OFFICIAL-SENSITIVE"
    assert marking.handling == (
        "RECIPIENTS ONLY",
        "MOD USE ONLY",
        "EMBARGOED UNTIL 2026-03-01 09:00",
    )
    assert marking.ordered_descriptors == ("COMMERCIAL", "LOCSEN")
    assert marking.embargoed_until == EMBARGO


def test_local_descriptors_are_configurable():
    with pytest.raises(MarkingError, match="'PROJECT'"):
        parse("OFFICIAL-SENSITIVE - PROJECT ALPHA")
    marking = parse("OFFICIAL-SENSITIVE - project alpha", local_descriptors={"PROJECT ALPHA"})
    assert str(marking) == "OFFICIAL-SENSITIVE - PROJECT ALPHA"
    with pytest.raises(MarkingError, match="'LOCSEN'"):
        parse("OFFICIAL - LOCSEN", local_descriptors=set())


def test_constructor_names_are_put_in_capitals():
    built = Marking(descriptors={"personal  data"}, use_only={"mod"})
    assert built == parse("OFFICIAL - MOD USE ONLY - PERSONAL DATA")


# --- refusals -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("OFFICIAL - RECIPIENTS ONLY", "RECIPIENTS ONLY cannot be used on plain OFFICIAL"),
        ("OFFICIAL-SENSITIVE - FOR PUBLIC RELEASE", "sensitive material is not for public release"),
        ("OFFICIAL - FOR PUBLIC RELEASE - PERSONAL DATA", "cannot be released to the public"),
        ("OFFICIAL - FOR PUBLIC RELEASE - COMMERCIAL", "cannot be used with COMMERCIAL"),
        ("OFFICIAL - FOR PUBLIC RELEASE - LOCSEN", "FOR PUBLIC RELEASE cannot be used with LOCSEN"),
        ("OFFICIAL - MOD USE ONLY - FOR PUBLIC RELEASE", "both public and restricted"),
        ("OFFICIAL-SENSITIVE UK EYES ONLY", "UK EYES ONLY is a national caveat"),
        ("OFFICIAL - RELEASABLE TO USA", "belong to SECRET and above only"),
        ("OFFICIAL - COMMERCIAL-SENSITIVE", "-SENSITIVE is added to OFFICIAL only"),
        ("SENSITIVE", "-SENSITIVE is added to OFFICIAL only"),
        ("OFFICIAL-SENSITIVE-SENSITIVE", "only once"),
        ("OFFICIAL - BANANA", "'BANANA' is not part of a protective marking"),
        ("OFFICIAL - PERSONAL", "'PERSONAL'.*PERSONAL DATA"),
        ("COMMERCIAL - OFFICIAL", "starts with its classification"),
        ("OFFICIAL - OFFICIAL", "one classification"),
        ("", "no marking given"),
        ("OFFICIAL - USE ONLY", "needs the organisation"),
        ("OFFICIAL - EMBARGOED", "needs a date and time"),
        ("OFFICIAL - EMBARGOED UNTIL 2026-03-01", "needs a time"),
        ("OFFICIAL - EMBARGOED UNTIL 2026-02-30 09:00", "not a real date"),
        (
            "OFFICIAL - EMBARGOED UNTIL 2026-03-01 09:00 - EMBARGOED UNTIL 2026-03-02 09:00",
            "two different times",
        ),
        ("OFFICIAL 2026-03-01", "out of place"),
    ],
)
def test_invalid_markings_are_refused_with_the_reason(text, reason):
    with pytest.raises(MarkingError, match=reason) as caught:
        parse(text)
    assert not isinstance(caught.value, NotAccreditedError)


@pytest.mark.parametrize(
    "text",
    [
        "SECRET",
        "secret",
        "Top Secret",
        "TOP SECRET",
        "top-secret",
        "TOP\u2013SECRET",
        "TOPSECRET",
        "S E C R E T",
        "SEC\u200bRET",
        "\uff33\uff25\uff23\uff32\uff25\uff34",  # full-width letters
        "SECRET UK EYES ONLY",
        "SECRET - RECIPIENTS ONLY",
        "TOP SECRET STRAP1",
        "NATO SECRET",
        "OFFICIAL - SECRET",
        "SECRET-SENSITIVE",
    ],
)
def test_secret_and_top_secret_are_refused_in_every_spelling(text):
    with pytest.raises(NotAccreditedError, match="not accredited for SECRET or TOP SECRET"):
        parse(text)
    with pytest.raises(NotAccreditedError):
        parse_ceiling(text)


def test_secret_cannot_be_built_directly_either():
    with pytest.raises(NotAccreditedError):
        Marking(classification="SECRET")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("UNCLASSIFIED", "there is no UNCLASSIFIED.*use OFFICIAL"),
        ("PROTECT", "use OFFICIAL"),
        ("PROTECT - PERSONAL", "use OFFICIAL"),
        ("RESTRICTED", "now OFFICIAL-SENSITIVE"),
        ("NATO RESTRICTED", "now OFFICIAL-SENSITIVE"),
        ("CONFIDENTIAL", "now SECRET"),
    ],
)
def test_legacy_markings_are_refused_with_the_modern_equivalent(text, hint):
    with pytest.raises(MarkingError, match=hint):
        parse(text)
    with pytest.raises(MarkingError, match=hint):
        Marking(classification=text)


def test_constructor_refuses_invalid_combinations():
    with pytest.raises(MarkingError, match="plain OFFICIAL"):
        Marking(recipients_only=True)
    with pytest.raises(MarkingError, match="cannot be used as a descriptor"):
        Marking(descriptors={"RECIPIENTS ONLY"})
    with pytest.raises(MarkingError, match="cannot be used as an organisation"):
        Marking(use_only={"LEGAL"})
    with pytest.raises(MarkingError, match="set of names"):
        Marking(descriptors="COMMERCIAL")
    with pytest.raises(MarkingError, match="to the minute"):
        Marking(embargoed_until=dt.datetime(2026, 3, 1, 9, 0, 30))


# --- order and ceilings ---------------------------------------------------------


def test_rank_and_order_of_levels():
    assert rank(OFFICIAL) == 0
    assert rank("OFFICIAL-SENSITIVE - COMMERCIAL") == 1
    assert OFFICIAL < OFFICIAL_SENSITIVE
    assert OFFICIAL_SENSITIVE > OFFICIAL
    assert not OFFICIAL_SENSITIVE <= OFFICIAL
    assert parse("OFFICIAL - PERSONAL DATA") > OFFICIAL
    # Different descriptors at the same level protect different things: neither is higher.
    commercial, personal = parse("OFFICIAL - COMMERCIAL"), parse("OFFICIAL - PERSONAL DATA")
    assert not commercial <= personal and not personal <= commercial


@pytest.mark.parametrize(
    ("marking", "ceiling", "within"),
    [
        ("OFFICIAL", "OFFICIAL", True),
        ("OFFICIAL - PERSONAL DATA", "OFFICIAL", True),
        ("OFFICIAL - MOD USE ONLY", "OFFICIAL", True),
        ("OFFICIAL", "OFFICIAL-SENSITIVE", True),
        ("OFFICIAL-SENSITIVE - RECIPIENTS ONLY - COMMERCIAL", "OFFICIAL-SENSITIVE", True),
        ("OFFICIAL-SENSITIVE", "OFFICIAL", False),
        ("OFFICIAL-SENSITIVE - LOCSEN", "official", False),
    ],
)
def test_is_within(marking, ceiling, within):
    assert parse(marking).is_within(ceiling) is within
    assert parse(marking).is_within(parse_ceiling(ceiling)) is within


def test_a_ceiling_is_a_classification_level_only():
    assert parse_ceiling("official sensitive") == OFFICIAL_SENSITIVE
    with pytest.raises(MarkingError, match="classification level only"):
        parse_ceiling("OFFICIAL - PERSONAL DATA")
    with pytest.raises(MarkingError, match="classification level only"):
        OFFICIAL.is_within(parse("OFFICIAL-SENSITIVE - COMMERCIAL"))


# --- combine --------------------------------------------------------------------


@given(markings(), markings(), markings())
def test_combine_is_associative(a, b, c):
    assert combine(combine(a, b), c) == combine(a, combine(b, c)) == combine(a, b, c)


@given(markings(), markings())
def test_combine_is_commutative(a, b):
    assert combine(a, b) == combine(b, a)


@given(markings())
def test_combine_is_idempotent(a):
    assert combine(a, a) == combine(a) == a


@given(st.lists(markings(), max_size=5))
def test_combine_never_lowers_any_part(parts):
    overall = combine(*parts)
    for part in parts:
        assert part <= overall
        assert not is_lowering(part, overall)
        assert rank(overall) >= rank(part)
        assert part.descriptors <= overall.descriptors


@given(markings(), markings(), markings())
def test_combine_is_the_least_marking_covering_its_parts(a, b, c):
    if a <= c and b <= c:
        assert combine(a, b) <= c


def test_combine_examples():
    assert combine() == OFFICIAL
    assert combine("OFFICIAL - PERSONAL DATA", "OFFICIAL-SENSITIVE - COMMERCIAL") == parse(
        "OFFICIAL-SENSITIVE - PERSONAL DATA - COMMERCIAL"
    )
    public = "OFFICIAL - FOR PUBLIC RELEASE"
    assert combine(public, public) == parse(public)
    assert combine(public, "OFFICIAL") == OFFICIAL
    assert combine(
        "OFFICIAL - EMBARGOED UNTIL 2026-03-01 09:00", "OFFICIAL - EMBARGOED UNTIL 2026-03-02 10:30"
    ).embargoed_until == dt.datetime(2026, 3, 2, 10, 30)
    assert combine("OFFICIAL - MOD USE ONLY", "OFFICIAL-SENSITIVE - RECIPIENTS ONLY") == parse(
        "OFFICIAL-SENSITIVE - RECIPIENTS ONLY - MOD USE ONLY"
    )


def test_with_descriptor():
    assert with_descriptor(OFFICIAL, "personal data") == parse("OFFICIAL - PERSONAL DATA")
    assert with_descriptor("OFFICIAL-SENSITIVE - COMMERCIAL", "LOCSEN") == parse(
        "OFFICIAL-SENSITIVE - COMMERCIAL - LOCSEN"
    )
    with pytest.raises(MarkingError, match="not a descriptor"):
        with_descriptor(OFFICIAL, "SECRETIVE")
    with pytest.raises(MarkingError, match="FOR PUBLIC RELEASE cannot be used with PERSONAL DATA"):
        with_descriptor("OFFICIAL - FOR PUBLIC RELEASE", "PERSONAL DATA")


# --- lowering and the import rule -------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "lowering"),
    [
        ("OFFICIAL", "OFFICIAL", False),
        ("OFFICIAL", "OFFICIAL-SENSITIVE", False),
        ("OFFICIAL", "OFFICIAL - PERSONAL DATA", False),
        ("OFFICIAL - FOR PUBLIC RELEASE", "OFFICIAL", False),
        (
            "OFFICIAL - EMBARGOED UNTIL 2026-03-01 09:00",
            "OFFICIAL - EMBARGOED UNTIL 2026-03-02 09:00",
            False,
        ),
        ("OFFICIAL-SENSITIVE", "OFFICIAL", True),
        ("OFFICIAL - PERSONAL DATA", "OFFICIAL", True),
        ("OFFICIAL - PERSONAL DATA", "OFFICIAL-SENSITIVE", True),
        ("OFFICIAL-SENSITIVE - RECIPIENTS ONLY", "OFFICIAL-SENSITIVE", True),
        ("OFFICIAL - MOD USE ONLY", "OFFICIAL", True),
        ("OFFICIAL", "OFFICIAL - FOR PUBLIC RELEASE", True),
        ("OFFICIAL - EMBARGOED UNTIL 2026-03-01 09:00", "OFFICIAL", True),
        (
            "OFFICIAL - EMBARGOED UNTIL 2026-03-02 09:00",
            "OFFICIAL - EMBARGOED UNTIL 2026-03-01 09:00",
            True,
        ),
    ],
)
def test_is_lowering_and_check_change(old, new, lowering):
    assert is_lowering(old, new) is lowering
    assert check_change(old, new, imported=False) == parse(new)
    if lowering:
        with pytest.raises(MarkingError, match="only the originator may lower it"):
            check_change(old, new, imported=True)
    else:
        assert check_change(old, new, imported=True) == parse(new)


@given(markings(), markings())
def test_lowering_is_the_converse_of_the_protection_order(old, new):
    assert is_lowering(old, new) is (not old <= new)
    assert not is_lowering(old, combine(old, new))

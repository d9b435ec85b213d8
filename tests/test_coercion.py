"""The coercion engine's rules, pinned once: what each kind accepts and what it refuses.

Every input path (YAML and CSV files, packets, the app's fields, the command line) goes
through these converters, so these are the rules everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefpack import coercion, model, yamlio
from briefpack.app.fields import Field, parse
from briefpack.coercion import (
    MAX_WHOLE, Context, Refused, Shape, build, choice, convert_noted, date, marking_text,
    number, shape, text, time_of_day, whole, yes_no)

ACCEPTED = [
    (whole, 12, 12),
    (whole, "12", 12),
    (whole, " 1,200 ", 1200),
    (whole, 12.0, 12),
    (whole, "-7", -7),
    (whole, MAX_WHOLE, MAX_WHOLE),
    (number, 12, 12.0),
    (number, "0.5", 0.5),
    (number, "-3", -3.0),
    (number, "1,000", 1000.0),
    (number, "1e6", 1e6),
    (number, "£800 million", 800e6),
    (number, "£2 billion", 2e9),
    (number, "£2bn", 2e9),
    (number, "250k", 250e3),
    (date, "2026-03-14", dt.date(2026, 3, 14)),
    (date, dt.date(1900, 1, 1), dt.date(1900, 1, 1)),
    (date, dt.datetime(2026, 3, 14, 9, 30), dt.date(2026, 3, 14)),
    (yes_no, True, True),
    (yes_no, "yes", True),
    (yes_no, "Y", True),
    (yes_no, "TRUE", True),
    (yes_no, "1", True),
    (yes_no, 0, False),
    (yes_no, " no ", False),
    (yes_no, "false", False),
    (text, None, ""),
    (text, "Oslo\x1b[31m", "Oslo[31m"),
    (text, "a\u202eb", "ab"),
    (text, 12, "12"),
    (text, dt.date(2026, 1, 2), "2026-01-02"),
    (time_of_day, "09:30", "09:30"),
    (time_of_day, "9:30", "09:30"),
    (time_of_day, "9.30", "09:30"),
    (time_of_day, "0930", "09:30"),
    (time_of_day, "1400", "14:00"),
    (time_of_day, "", ""),
    (marking_text, "official-sensitive", "OFFICIAL-SENSITIVE"),
]


@pytest.mark.parametrize(("convert", "value", "expected"), ACCEPTED,
                         ids=[f"{c.__name__}-{v!r}" for c, v, _ in ACCEPTED])
def test_accepted(convert, value, expected):
    assert convert(value) == expected


REFUSED = [
    (whole, "twenty", "'twenty' is not a whole number"),
    (whole, 1.5, "1.5 is not a whole number"),
    (whole, True, "True is not a whole number"),
    (whole, "²", "'²' is not a whole number"),
    (whole, "\u0661\u0662", "'١٢' is not a whole number"),
    (whole, "1e30", "'1e30' is not a whole number"),
    (whole, float("nan"), "nan is not a whole number"),
    (whole, 2**63, "9223372036854775808 is too large to be a whole number here"),
    (number, "lots", "'lots' is not a number"),
    (number, True, "True is not a number"),
    (number, "nan", "'nan' is not a number"),
    (number, float("nan"), "nan is not a finite number"),
    (number, float("-inf"), "-inf is not a finite number"),
    (number, 10**400, "1" + "0" * 56 + "… is not a finite number"),
    (number, "-£-3", "'-£-3' is not a number"),
    (date, "4 May 2020", "'4 May 2020' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14"),
    (date, "2026-13-01", "'2026-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14"),
    (date, "1066-10-14", "1066-10-14 is not a date between 1900 and 2100"),
    (date, 20260314, "20260314 is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14"),
    (yes_no, "maybe", "'maybe' is not yes or no"),
    (yes_no, 2, "2 is not yes or no"),
    (text, {"a": 1}, "expected text, got a mapping"),
    (text, True, "expected text, got true/false"),
    (time_of_day, "25:00", "'25:00' is not a time of day; write it as HH:MM on the 24-hour "
                           "clock, e.g. 09:30 or 14:00"),
    (time_of_day, "noon", "'noon' is not a time of day"),
    (time_of_day, ":30", "':30' is not a time of day"),
    (marking_text, "SECRET", "briefpack is not accredited for SECRET"),
]


@pytest.mark.parametrize(("convert", "value", "message"), REFUSED,
                         ids=[f"{c.__name__}-{v!r}"[:40] for c, v, _ in REFUSED])
def test_refused(convert, value, message):
    with pytest.raises(Refused) as caught:
        convert(value)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(("convert", "value", "low", "high", "message"), [
    (whole, -1, 0, None, "-1 is out of range: expected 0 or more"),
    (whole, "2200", 1900, 2100, "2200 is out of range: expected 1900 to 2100"),
    (number, 150, 0, 100, "150 is out of range: expected 0 to 100"),
    (number, "-£5", 0, None, "-5 is out of range: expected 0 or more"),
    (number, 101.5, None, 100, "101.5 is out of range: expected 100 or less"),
])
def test_bounds(convert, value, low, high, message):
    with pytest.raises(Refused, match=f"^{message}$"):
        convert(value, low, high)
    assert convert(low if low is not None else high, low, high) in (low, high)


def test_choices_match_whatever_the_case():
    assert choice("ACTIVE", ("active", "lapsed")) == "active"
    with pytest.raises(Refused, match="^'gone' is not allowed; expected one of: active, lapsed$"):
        choice("gone", ("active", "lapsed"))


def test_the_named_bounds_hold_in_files():
    assert coercion.BOUNDS["year"] == (1900, 2100)
    assert coercion.BOUNDS["value_gbp"] == (0, None)


@dataclass(frozen=True)
class Part:
    name: str
    when: dt.date | None = None


@dataclass(frozen=True)
class Whole:
    title: str
    jobs: int | None = None
    parts: tuple[Part, ...] = ()
    tags: tuple[str, ...] = ()
    main: Part | None = None


def test_shape_is_worked_out_once_per_annotation():
    assert shape(int | None) == Shape("int", optional=True)
    assert shape(tuple[Part, ...]) == Shape("tuple", item=Shape("dataclass", cls=Part))
    assert shape(tuple[str, ...]).item == Shape("str")
    assert shape(dt.date) == Shape("date")
    assert shape(int | str).kind == "any"


def test_build_walks_nested_dataclasses_and_names_every_problem():
    data = yamlio.loads(
        "title: Visit\njobs: -2\nparts:\n  - name: a\n    when: 4 May\n  - name: b\n"
        "tags: solo\nmain: {name: c, when: 2026-01-02}\ncolour: blue\n", "w.yaml")
    ctx = Context("w.yaml")
    assert build(Whole, data, ctx, "whole") is None
    assert [str(p) for p in ctx.problems] == [  # in the order of the file
        "w.yaml:2 [whole.jobs]: -2 is out of range: expected 0 or more",
        "w.yaml:5 [whole.parts[1].when]: '4 May' is not a date; write it as YYYY-MM-DD, "
        "e.g. 2026-03-14",
        "w.yaml:9 [whole.colour]: unknown field 'colour'; expected one of: title, jobs, "
        "parts, tags, main",
    ]
    del data["colour"], data["jobs"], data["parts"][0]["when"]
    ctx = Context("w.yaml")
    built = build(Whole, data, ctx, "whole")
    assert not ctx.problems
    assert built == Whole("Visit", None, (Part("a"), Part("b")), ("solo",),
                          Part("c", dt.date(2026, 1, 2)))


def test_yamlio_keeps_the_names_callers_import():
    assert yamlio.build is build and yamlio.coerce is coercion.coerce
    assert yamlio.Context is Context and yamlio.whole_number(" 7 ") == 7
    assert math.isinf(coercion.parse_amount(10**400))


# -- the app and the files apply the same rules ------------------------------------------

def _declared(cls: type, name: str):
    """The converter a model field declares, as a file's value meets it in build()."""
    convert = {f.name: f for f in dataclasses.fields(cls)}[name].metadata["convert"]
    return lambda value, ctx: convert_noted(convert, value, ctx, 1, name)


def _annotated(hint, name: str):
    """A field's annotation (and its named bounds), as a file's value meets it in build()."""
    return lambda value, ctx: coercion.coerce(value, hint, ctx, 1, name,
                                              bounds=coercion.BOUNDS.get(name))


#: (app field, how a file's value of the same field is read) for each shared kind
SHARED_KINDS = [
    (Field("jobs", "UK jobs", "int"), _annotated(int | None, "jobs")),
    (Field("year", "Year", "int"), _annotated(int | None, "year")),
    (Field("value_gbp", "Value (£)", "money"), _annotated(float | None, "value_gbp")),
    (Field("signed", "Signed", "date"), _annotated(dt.date | None, "signed")),
    (Field("strategic", "Strategic", "bool"), _annotated(bool, "strategic")),
    (Field("name", "Name"), _annotated(str, "name")),
    (Field("time", "Time", "time"), _declared(model.ProgrammeItem, "time")),
    (Field("status", "Status", "choice", model.AGREEMENT_STATUSES),
     _declared(model.Agreement, "status")),
    (Field("stage", "Stage", "choice", model.EXPORT_STAGES),
     _declared(model.ExportOpportunity, "stage")),
]

TYPED = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["yes", "No", "Y", "1", "0", "true", "maybe", "1,200", "£800 million",
                     "-5", "2026-02-30", "1899-12-31", "2026-03-14", "1e6", "nan", "inf",
                     "12.0", "²", "9223372036854775808", " 42 ", "£2bn", "0930", "9.30",
                     "24:00", "Active", "WON", "lost ", "a\u202eb"]),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.floats(allow_nan=True).map(str),
    st.dates().map(dt.date.isoformat),
).filter(lambda typed: typed.strip() != "")


@pytest.mark.parametrize(("field", "from_file"), SHARED_KINDS,
                         ids=[f.name for f, _ in SHARED_KINDS])
@settings(max_examples=300, deadline=None)
@given(typed=TYPED)
def test_the_app_and_the_files_accept_and_refuse_the_same_values(field, from_file, typed):
    ctx = Context("f.yaml")
    read = from_file(typed, ctx)
    try:
        from_app = parse(field, typed)
    except ValueError as exc:
        assert ctx.problems, f"the app refused {typed!r}, a file accepts it"
        if typed == typed.strip():  # the app shows what was typed without its spaces
            wording = ctx.problems[0].message
            if field.kind == "date":  # the app names the forms a person may type
                wording = wording.replace("YYYY-MM-DD, e.g. 2026-03-14",
                                          "31/12/2025, 31 Dec 2025 or 2025-12-31")
            assert str(exc) == f"{field.title}: {wording}."
    else:
        if field.kind == "date" and ctx.problems:  # a person may type 31/12/2025 too
            assert typed.strip() != from_app.isoformat() and "-" not in typed[:4]
            return
        assert not ctx.problems, f"the app accepted {typed!r}, a file refuses it"
        assert from_app == (read.strip() if field.kind == "text" else read)


def test_the_model_declares_its_choices_and_times_once():
    ctx = Context("f.yaml")
    agreement = build(model.Agreement, yamlio.loads("country: NOR\nname: X\nstatus: Active\n"),
                      ctx, "agreements[1]")
    item = build(model.ProgrammeItem, yamlio.loads(
        "day: '1'\ntime: '9.30'\nplace: X\nevent: Y\npress: OPEN\n"), ctx, "programme[1]")
    assert not ctx.problems
    assert agreement.status == "active" and (item.time, item.press) == ("09:30", "open")
    assert build(model.ProgrammeItem, yamlio.loads(
        "day: '1'\ntime: '25:00'\nplace: X\nevent: Y\npress: maybe\n"), ctx, "p") is None
    assert [str(p) for p in ctx.problems] == [
        "f.yaml:2 [p.time]: '25:00' is not a time of day; write it as HH:MM on the 24-hour "
        "clock, e.g. 09:30 or 14:00",
        "f.yaml:5 [p.press]: 'maybe' is not allowed; expected one of: open, closed"]


def test_a_tuple_field_s_choices_hold_for_each_item():
    ctx = Context("f.yaml")
    text = "code: NOR\nname: Norway\nregion: euro-atlantic\nmemberships:\n  - nato\n  - JEF\n"
    country = build(model.Country, yamlio.loads(text), ctx, "country")
    assert not ctx.problems
    assert (country.region, country.memberships) == ("Euro-Atlantic", ("NATO", "JEF"))
    assert build(model.Country, yamlio.loads(text.replace("- JEF", "- NATTO")), ctx,
                 "country") is None
    assert [str(p) for p in ctx.problems] == [
        "f.yaml:6 [country.memberships[2]]: 'NATTO' is not allowed; expected one of: "
        + ", ".join(model.FORMATS)]


def test_the_app_names_the_field_in_the_shared_wording():
    with pytest.raises(ValueError) as caught:
        parse(Field("start", "Start", "date"), "2026-13-01")
    assert str(caught.value) == ("Start: '2026-13-01' is not a date; write it as 31/12/2025, "
                                 "31 Dec 2025 or 2025-12-31.")
    with pytest.raises(ValueError, match=r"^Value \(£\): -5 is out of range: expected 0 or more"):
        parse(Field("value_gbp", "Value (£)", "money"), "-5")
    assert parse(Field("value_gbp", "Value (£)", "money"), "£2.5 million") == 2.5e6
    assert parse(Field("status", "Status", "choice", ("active", "lapsed")), "Active") == "active"
    assert parse(Field("name", "Name"), "Kari\u202e Nordmann ") == "Kari Nordmann"


def test_field_value_reads_one_field_as_build_does():
    assert coercion.field_value(model.Country, "priority_tier", None) is None
    assert coercion.field_value(model.Country, "priority_tier", "2") == 2
    assert coercion.field_value(model.Country, "defence_section", "Resident") == "resident"
    assert coercion.field_value(model.Country, "memberships", ["nato"]) == ("NATO",)
    with pytest.raises(Refused, match="^5 is out of range: expected 1 to 4$"):
        coercion.field_value(model.Country, "priority_tier", 5)
    with pytest.raises(Refused, match="^'embassy' is not allowed; expected one of: resident"):
        coercion.field_value(model.Country, "defence_section", "embassy")


def test_a_template_s_limits_and_flags_follow_the_same_rules():
    from briefpack import paths
    from briefpack.errors import DataError
    from briefpack.templates import parse_spec

    text = (paths.templates_dir() / "standard" / "brief.yaml").read_text(encoding="utf-8")
    assert "    limit: 15\n" in text
    with pytest.raises(DataError) as caught:
        parse_spec(yamlio.loads(text.replace("    limit: 15\n", "    limit: 0\n"
                                             "    page_break_after: maybe\n", 1), "b.yaml"),
                   "b.yaml")
    assert [p.message for p in caught.value.problems] == [
        "0 is out of range: expected 1 or more", "'maybe' is not yes or no"]
    spec, _ = parse_spec(yamlio.loads(text.replace("    limit: 15\n", "    limit: '15'\n"
                                                   "    page_break_after: yes\n", 1),
                                      "b.yaml"), "b.yaml")
    assert any(s.limit == 15 and s.page_break_after for s in spec.sections)

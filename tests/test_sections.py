"""The section kinds' one registry: every kind a template may name has its gather and build."""

from __future__ import annotations

import dataclasses

from briefpack.brief.sections import KINDS
from briefpack.brief.sections.common import Kind
from briefpack.templates import SECTION_KINDS


def test_the_registry_holds_exactly_the_template_kinds():
    assert set(KINDS) == set(SECTION_KINDS)


def test_every_kind_has_both_halves():
    for key, kind in KINDS.items():
        assert isinstance(kind, Kind), key
        assert callable(kind.gather) and callable(kind.build), key


def test_a_records_kind_payload_says_what_it_lists():
    """A kind left out when it has no records reads its payload's ``listed``."""
    from briefpack.brief.sections import people, relationship
    from briefpack.brief.sections.common import RecordsPayload
    for payload in (RecordsPayload, people.WhosWhoPayload):
        assert "listed" in {f.name for f in dataclasses.fields(payload)}
    assert {k for k, kind in KINDS.items() if kind.lists_records} == {
        "whos_who", "agreements", "alumni", "exports"}
    assert relationship.KINDS["agreements"].annexable


def test_a_columns_title_is_the_models_field_title():
    """A field's title ("What it commits") is declared once, on the model's field, and
    the section kinds' columns read it."""
    import pytest

    from briefpack import model
    assert model.field_title(model.Agreement, "commits") == "What it commits"
    assert model.field_title(model.ExportOpportunity, "next_milestone") == "Next milestone"
    with pytest.raises(KeyError):
        model.field_title(model.Agreement, "nothing")
    records = {"agreements": model.Agreement, "alumni": model.Alumnus,
               "exports": model.ExportOpportunity, "whos_who": model.Interlocutor,
               "since_last_met": model.Action, "programme": model.ProgrammeItem,
               "team": model.TeamMember, "logistics": model.LogisticsItem,
               "contacts": model.Contact}
    for kind, record in records.items():
        names = {f.name for f in dataclasses.fields(record)}
        for key, column in SECTION_KINDS[kind].columns.items():
            if key in names:
                assert column.title == model.field_title(record, key), (kind, key)

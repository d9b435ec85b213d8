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

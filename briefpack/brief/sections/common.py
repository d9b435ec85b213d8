"""What every section kind shares: the writer that renders prose and builds tables once
the records and the marking are settled, the payload and registry types, and the small
helpers the builders use.

A section kind is a pair: ``gather`` (pass one: which records the section shows, through
the scope's release rules, as a typed payload; None leaves the section out) and ``build``
(pass two: the payload as blocks). Each family of kinds lives in its own module of this
package beside its payloads; ``sections.KINDS`` maps every kind to its pair.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ... import marking, model
from ...formatting import long_date, month_year, number
from ...scoring import Scorecard
from ...templates import SECTION_KINDS, Section, Template
from ..document import Block, Bullets, Callout, Column, Paragraph, Table
from ..release import Listed, Scope

SENSITIVE_ANNEX_HEADING = "Annex: OFFICIAL-SENSITIVE material"
EMPTY_TEXT = "None recorded."

P = TypeVar("P")


@dataclass(frozen=True)
class Kind(Generic[P]):
    """One section kind's two halves: what it gathers, and how it is built."""

    gather: Callable[[Section, Scope, int, Scorecard], P | None]
    build: Callable[[Writer, Section, P], list[Block]]
    #: the section lists records and says nothing else: with none to list (and none
    #: withheld) it is left out, and the sources annex names it
    lists_records: bool = False
    #: the section's records may move to the sensitive annex
    annexable: bool = False


@dataclass(frozen=True)
class Nothing:
    """The payload of a section that gathers nothing (its builder reads the writer)."""


def nothing(section: Section, scope: Scope, index: int, scorecard: Scorecard) -> Nothing:
    return Nothing()


@dataclass
class Annex:
    """The sensitive annex: its own scope and scorecard, and the sections it holds."""

    scope: Scope
    scorecard: Any
    #: (section index, section, payload) of each section with annex material
    sections: list[tuple[int, Section, Any]]


def by_relevance(table: str, records: Iterable[Any]) -> list[Any]:
    """Most relevant first, as the table's spec orders them."""
    return sorted(records, key=model.TABLES[table].relevance)


@dataclass
class Writer:
    """Renders prose and builds blocks once the records and the marking are settled."""

    template: Template
    scope: Scope
    scorecard: Any
    today: dt.date
    #: the whole document's marking, annex included
    overall: marking.Marking
    #: the effective ceiling (the annex's, with a sensitive annex)
    ceiling: marking.Marking
    #: whether page one says the ceiling: only when it restricts (a releasable variant)
    explicit_ceiling: bool
    #: the main body's marking
    body_marking: marking.Marking
    annex: Annex | None = None
    headings: dict[int, str] = field(default_factory=dict)
    #: headings of the sections left out because they had no records to list
    no_records: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # the title, principal and owning team as this document may name them
        scope, visit = self.scope, self.scope.named_visit()
        self.context = {
            "country": scope.cf.country, "visit": visit, "scorecard": self.scorecard,
            "today": self.today, "marking": str(self.overall), "ceiling": str(self.ceiling),
            "withheld": self.withheld_total(), "data_as_of": self.data_as_of(),
            "destination": scope.cf.country.name,
            "principal": visit.principal if visit else "",
        }

    def render(self, source: str, where: str) -> str:
        return self.template.render(source, where, self.context).strip()

    def prose(self, source: str, where: str) -> list[Block]:
        """Paragraphs split on blank lines; a paragraph of "- " lines becomes bullets."""
        text = self.render(source, where) if source else ""
        blocks: list[Block] = []
        for chunk in text.split("\n\n"):
            lines = [line.strip() for line in chunk.splitlines() if line.strip()]
            if not lines:
                continue
            if all(line.startswith("- ") for line in lines):
                blocks.append(Bullets(tuple(line[2:].strip() for line in lines)))
            else:
                blocks.append(Paragraph(" ".join(lines)))
        return blocks

    def empty_text(self, section: Section) -> str:
        return self.render(section.empty, f"{section.where}.empty") or EMPTY_TEXT

    def table(self, section: Section, rows: Iterable[dict[str, str]]) -> Table:
        return section_table(section.kind, rows, [(c.key, c.title) for c in section.columns],
                             empty_text=self.empty_text(section))

    # -- what the front sheet and annex need to know about the whole brief

    def withheld_total(self) -> int:
        return len(set().union(*self.scope.withheld.values()))

    def withheld_by_section(self) -> dict[str, int]:
        return self.by_heading(self.scope.withheld)

    def annex_by_section(self) -> dict[str, int]:
        if self.annex is None:
            return {}
        return self.by_heading({i: self.annex.scope.shown_at[i]
                                for i, s, _ in self.annex.sections if s.kind != "sources"})

    def by_heading(self, keys_by_index: dict[int, set]) -> dict[str, int]:
        return {self.headings.get(i, str(i)): len(keys)
                for i, keys in sorted(keys_by_index.items()) if keys}

    def personal_records(self) -> int:
        """How many personal records the brief shows by name (none once redacted)."""
        if self.scope.redact_personal:
            return 0
        annex = self.annex.scope.personal_shown() if self.annex else 0
        return self.scope.personal_shown() + annex

    def notices(self, section: Section | None) -> list[Block]:
        """What the front sheet says about withheld, annexed and redacted material."""
        title = section.word("withheld_title") if section else "Items withheld"
        return [*self.withheld_notice(title), *self.annex_notice(), *self.redaction_notice()]

    def withheld_notice(self, title: str) -> list[Block]:
        total = self.withheld_total()
        if not total:
            return []
        parts = [f"{heading} ({count})" for heading, count in self.withheld_by_section().items()]
        items = "item was" if total == 1 else "items were"
        text = (f"{total} {items} left out of this brief because they are marked above "
                f"{self.ceiling}. Withheld from: " + "; ".join(parts) + ".")
        return [Callout(text, title=title, kind="warning")]

    def annex_notice(self) -> list[Block]:
        """Says the annex exists and what it holds, never what it says."""
        held = self.annex_by_section()
        annex = self.annex
        if not held or annex is None:
            return []
        total = len(set().union(*(annex.scope.shown_at[i]
                                  for i, s, _ in annex.sections if s.kind != "sources")))
        parts = "; ".join(f"{heading} ({count})" for heading, count in held.items())
        items = "item" if total == 1 else "items"
        text = (f"{SENSITIVE_ANNEX_HEADING}, at the end of this brief, holds {total} "
                f"{items} marked above {self.scope.ceiling}, from: {parts}. The main body "
                f"is marked {self.body_marking}; the brief as a whole, annex included, "
                f"is {self.overall}.")
        return [Callout(text, title=SENSITIVE_ANNEX_HEADING, kind="note")]

    def redaction_notice(self) -> list[Block]:
        if not self.scope.redact_personal:
            return []
        text = ("Personal data is left out of this version: alumni are given as counts "
                "and interlocutors by role only; people's names, phone numbers and email "
                "addresses are left out.")
        left_out = self.by_heading(self.scope.left_out)
        if left_out:
            total = len(set().union(*self.scope.left_out.values()))
            parts = "; ".join(f"{heading} ({count})" for heading, count in left_out.items())
            items = "other item holding" if total == 1 else "other items holding"
            text += f" {total} {items} personal data left out from: {parts}."
        return [Callout(text, title="Personal data left out", kind="note")]

    def data_as_of(self) -> dt.date | None:
        """How current the brief's data is: the oldest refresh of a section it shows (the
        store's record, which for sample data is its source's date); without that record,
        the newest record's own date."""
        oldest = self.oldest_refresh()
        if oldest is not None and oldest.refreshed_at is not None:
            return oldest.refreshed_at.date()
        dates = [day_of(r.updated_at) for table, records in self.scope.shown.items()
                 if table != "visit" for r in records.values()]
        return max((d for d in dates if d), default=None)

    def stale_sections(self) -> tuple[str, ...]:
        """"Agreements (282 days)": each section the brief shows whose data is stale."""
        sections = {"country" if table == "countries" else table
                    for table, records in self.scope.shown.items() if records}
        return tuple(f"{model.COUNTRY_LABEL if name == 'country' else model.TABLES[name].label}"
                     + (f" ({c.age_days} days)" if c.age_days else "")
                     for name, c in sorted(self.scope.currency.items())
                     if name in sections and c.stale
                     and (name == "country" or name in model.TABLES))

    def oldest_refresh(self) -> model.SectionCurrency | None:
        sections = {"country" if table == "countries" else table
                    for table, records in self.scope.shown.items() if records}
        refreshed = [(c.refreshed_at, c) for name, c in self.scope.currency.items()
                     if name in sections and c.refreshed_at is not None]
        return min(refreshed, key=lambda pair: pair[0])[1] if refreshed else None

    def data_as_of_text(self) -> str:
        """"March 2026 (sample data: source dated March 2026)": how current the data is,
        as precise as its source (the sample's is dated to the month), and never who
        refreshed it (a login name is a person's, not a source). Whether it is stale is for
        the person building the brief (build warnings, the app, the sources annex), not for
        the principal's page one."""
        day = self.context["data_as_of"]
        if day is None:
            return ""
        oldest = self.oldest_refresh()
        if oldest is None:
            return long_date(day)
        by = oldest.refreshed_by
        source = by.startswith(model.SAMPLE_REFRESHED_BY)
        # the sample's source is dated to the month: "March 2026", not "1 March 2026"
        notes = [by] if source else []
        shown = month_year(day) if source else long_date(day)
        return shown + (f" ({'; '.join(notes)})" if notes else "")



def section_table(kind: str, rows: Iterable[dict[str, str]],
                  columns: Sequence[tuple[str, str]] | None = None, *,
                  empty_text: str = EMPTY_TEXT) -> Table:
    """A table of section kind ``kind``: ``columns`` (key, title; default: all the kind's,
    as it titles them) less those no row fills (they only squeeze the rest), each as wide
    and aligned as the kind says; decided here so the .docx and the .pdf carry the same
    columns."""
    rows = list(rows)
    kinds = SECTION_KINDS[kind].columns
    if columns is None:
        columns = [(key, c.title) for key, c in kinds.items()]
    shown = [(key, title) for key, title in columns
             if any(row.get(key) for row in rows)] or columns
    return Table(tuple(Column(title, kinds[key].width, kinds[key].align)
                       for key, title in shown),
                 tuple(tuple(row.get(key, "") for key, _ in shown) for row in rows),
                 empty_text=empty_text)


def day_of(stamp: str) -> dt.date | None:
    if not stamp:
        return None
    try:
        return dt.datetime.fromisoformat(stamp).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(stamp[:10])
        except ValueError:
            return None


def more_note(section: Section, listed: Any) -> list[Block]:
    """A note that the list stops at the section's limit, saying how much is left out."""
    more = getattr(listed, "more", 0)
    if not more:
        return []
    text = section.word("more").replace("{listed}", number(len(listed)))
    return [Paragraph(text.replace("{more}", number(more)).replace(
        "{total}", number(len(listed) + more)), "small")]


def limited(items: Iterable[Any], section: Section) -> list[Any]:
    items = list(items)
    return items[: section.limit] if section.limit else items


@dataclass(frozen=True)
class RecordsPayload:
    """The records a table section lists (``listed.more``: how many more it could)."""

    listed: Listed


def gather_table(table: str, pick: Callable[[model.CountryFile], list]
                 ) -> Callable[[Section, Scope, int, Scorecard], RecordsPayload]:
    """The gather of a section listing one table's records, most relevant first."""
    def gather(section: Section, scope: Scope, index: int,
               scorecard: Scorecard) -> RecordsPayload:
        # a redacted brief counts every alumnus, whatever the limit: a count names no one
        counted = scope.redact_personal and model.is_personal_table(table)
        return RecordsPayload(scope.release(table, by_relevance(table, pick(scope.cf)), index,
                                            limit=None if counted else section.limit))
    return gather

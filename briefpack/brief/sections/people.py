"""The sections about people: who's who (the interlocutors) and the UK course alumni.

Both are personal data: a redacted variant names interlocutors by role only and counts
the alumni.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ... import model
from ...formatting import long_date
from ...scoring import Scorecard
from ...templates import SECTION_KINDS, Section
from .. import redaction
from ..document import Block, Bullets, Column, Heading, Paragraph, Table
from ..release import Listed, Scope
from .common import Kind, RecordsPayload, Writer, by_relevance, gather_table, more_note


@dataclass(frozen=True)
class WhosWhoPayload:
    #: the interlocutors the section lists
    listed: Listed
    #: their UK course alumni records the brief may show, by id
    alumni: dict[Any, model.Alumnus]


def gather_whos_who(section: Section, scope: Scope, index: int,
                    scorecard: Scorecard) -> WhosWhoPayload:
    people = scope.interlocutors()
    if scope.visit is None:  # a visit's interlocutors keep the order the visit gives them
        people = by_relevance("interlocutors", people)
    listed = scope.release("interlocutors", people, index, limit=section.limit)
    linked = [a for a in scope.cf.alumni if a.id in {p.alumnus_id for p in listed}]
    # an annex's interlocutor keeps an OFFICIAL alumni record the main body also shows
    alumni = {a.id: a for a in scope.release("alumni", linked, index, below_floor=True)}
    return WhosWhoPayload(listed, alumni)


def build_whos_who(w: Writer, section: Section, payload: WhosWhoPayload) -> list[Block]:
    people, alumni = payload.listed, payload.alumni
    if w.scope.redact_personal:
        return _roles_only(w, section, people) + more_note(section, people)

    def alumnus(person: model.Interlocutor) -> str:
        a = alumni.get(person.alumnus_id)
        if a is None:
            return section.word("not_alumnus")
        detail = ", ".join(x for x in (a.course, a.institution, str(a.year or "")) if x)
        return f"Yes: {detail}" if detail else "Yes"

    table = w.table(section, ({"name": p.name, "role": p.role, "biography": p.biography,
                               "pronunciation": p.pronunciation,
                               "last_met": long_date(p.last_met),
                               "languages": p.languages, "alumnus": alumnus(p)}
                              for p in people))
    portraits = [block for p in people
                 for block in _pen_portrait(w, section, p, alumni.get(p.alumnus_id))]
    return [table, *more_note(section, people), *portraits]


def _pen_portrait(w: Writer, section: Section, person: model.Interlocutor,
                  alumnus: model.Alumnus | None) -> list[Block]:
    """A person in prose: name and appointment as a heading line, the biography, how to
    say the name, when last met, the UK course they took, then the points for them (those
    of the visit's calls they attend). Nothing for a person with nothing more to say than
    the table's line."""
    points = tuple(dict.fromkeys(
        point for call in (w.scope.visit.programme if w.scope.visit else ())
        if any(a.interlocutor == person.id for a in call.interlocutors)
        for point in call.points_to_make))
    lines = [_sentence(person.biography),
             _sentence(f"{section.word('pronunciation')} {person.pronunciation}"
                       if person.pronunciation else ""),
             _sentence(f"Works in {person.languages}" if person.languages else ""),
             _sentence(f"{section.word('last_met')} {long_date(person.last_met)}"
                       if person.last_met else "")]
    if alumnus is not None:
        detail = ", ".join(x for x in (alumnus.course, alumnus.institution,
                                       str(alumnus.year or "")) if x)
        lines.append(_sentence(f"{section.word('alumnus')}" + (f": {detail}" if detail
                                                               else "")))
    lines = [line for line in lines if line]
    if not (person.biography.strip() or points):
        return []
    title = person.name + (f", {person.role}" if person.role else "")
    blocks: list[Block] = [Heading(title, 2), Paragraph(" ".join(lines))]
    if points:
        blocks += [Paragraph(f"{section.word('points')}:"), Bullets(points)]
    return blocks


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _roles_only(w: Writer, section: Section, people: list) -> list[Block]:
    """Who's who in a redacted brief: each interlocutor's role, nothing else."""
    title = next((c.title for c in section.columns if c.key == "role"),
                 SECTION_KINDS["whos_who"].columns["role"].title)
    note = Paragraph("Interlocutors are listed by role only: names, biographies and "
                     "other personal details are left out of this version.", "small")
    table = Table((Column(title),), tuple((redaction.role_of(p),) for p in people),
                  empty_text=w.empty_text(section))
    return [note, table]


def build_alumni(w: Writer, section: Section, payload: RecordsPayload) -> list[Block]:
    records = payload.listed
    if w.scope.redact_personal:
        # counted in full, whatever the section's limit: a count names no one
        return [Paragraph(redaction.alumni_summary(records) if records
                          else w.empty_text(section))]
    return [w.table(section, ({"name": a.name, "course": a.course,
                               "institution": a.institution, "year": str(a.year or ""),
                               "appointment": a.appointment}
                              for a in records)), *more_note(section, records)]


KINDS: dict[str, Kind[Any]] = {
    "whos_who": Kind(gather_whos_who, build_whos_who, lists_records=True, annexable=True),
    "alumni": Kind(gather_table("alumni", lambda cf: cf.alumni), build_alumni,
                   lists_records=True, annexable=True),
}

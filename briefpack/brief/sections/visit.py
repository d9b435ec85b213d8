"""The visit's own sections: points to make, asks, press lines, handling, the programme, the
calls, and the UK team, logistics and contacts.

They show the visit's words, which count as one record at the marking of the visit's
content for this country (``Scope.visit_words``): above the ceiling they are withheld;
above the main body's ceiling they move to a sensitive annex. A redacted brief shows the
team and contacts without their personal fields (names, phones, emails).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ... import model
from ...formatting import long_date
from ...scoring import Scorecard
from ...templates import Section
from .. import redaction
from ..document import Block, Bullets, Heading, KeyValue, Paragraph
from ..release import Scope
from .common import Kind, Writer, limited


P = TypeVar("P")


@dataclass(frozen=True)
class VisitItems:
    """One of the visit's lists (points, handling notes, programme, team …)."""

    items: tuple[Any, ...]


@dataclass(frozen=True)
class AsksPayload:
    asks: tuple[model.Ask, ...]
    if_raised: tuple[str, ...]


@dataclass(frozen=True)
class PressPayload:
    lines: tuple[str, ...]
    questions: tuple[model.PressQuestion, ...]


@dataclass(frozen=True)
class CallsPayload:
    calls: list[model.ProgrammeItem]
    #: the interlocutors at the calls that the brief may show, by id
    people: dict[Any, model.Interlocutor]


def _words(scope: Scope, index: int, *parts: tuple) -> bool:
    """Whether a section showing these of the visit's lists is shown: not when they are
    empty, nor when the visit's words may not be shown."""
    return any(parts) and scope.visit_words(index)


def _visit_lists(payload: Callable[..., P], *attributes: str
                 ) -> Callable[[Section, Scope, int, Scorecard], P | None]:
    """The gather of a section showing these of the visit's lists, as ``payload``."""
    def gather(section: Section, scope: Scope, index: int, scorecard: Scorecard) -> P | None:
        parts = tuple(scope.visit_items(getattr(scope.visit, a)) for a in attributes)
        return payload(*parts) if _words(scope, index, *parts) else None
    return gather


def gather_calls(section: Section, scope: Scope, index: int,
                 scorecard: Scorecard) -> CallsPayload | None:
    calls = [p for p in (scope.visit.programme if scope.visit else ()) if p.is_call]
    if not calls or not scope.visit_words(index):
        return None
    linked = {a.interlocutor for c in calls for a in c.interlocutors if a.interlocutor}
    # calls moved to a sensitive annex keep the OFFICIAL interlocutors the body also shows
    people = scope.release("interlocutors", [p for p in scope.cf.interlocutors
                                              if p.id in linked], index, below_floor=True)
    return CallsPayload(calls, {p.id: p for p in people})


def build_bullets(w: Writer, section: Section, payload: VisitItems) -> list[Block]:
    return [Bullets(tuple(limited(payload.items, section)))]


def build_press(w: Writer, section: Section, payload: PressPayload) -> list[Block]:
    """Press lines, then the reactive questions and answers."""
    lines, questions = payload.lines, payload.questions
    blocks: list[Block] = [Bullets(tuple(limited(lines, section)))] if lines else []
    if questions:
        blocks += [Heading(section.word("reactive_heading"), 2),
                   w.table(section, ({"question": q.question, "answer": q.answer}
                                     for q in limited(questions, section)))]
    return blocks


def build_asks(w: Writer, section: Section, payload: AsksPayload) -> list[Block]:
    asks, if_raised = payload.asks, payload.if_raised
    blocks: list[Block] = []
    if asks:
        blocks.append(w.table(section, ({"ask": a.ask, "response": a.response}
                                        for a in limited(asks, section))))
    if if_raised:
        blocks.append(Heading(section.word("if_raised_heading"), 2))
        blocks.append(Bullets(tuple(limited(if_raised, section))))
    return blocks


def build_programme(w: Writer, section: Section, payload: VisitItems) -> list[Block]:
    press = {"open": section.word("press_open"), "closed": section.word("press_closed")}
    rows = [{"day": p.day, "time": p.time, "place": p.place, "event": p.event,
             "uk_lead": p.uk_lead, "press": press.get(p.press, p.press)}
            for p in payload.items]
    return by_day(w, section, rows)


def by_day(w: Writer, section: Section, rows: list[dict[str, str]]) -> list[Block]:
    """One table per day, captioned with the day (a narrow day column would wrap it)."""
    if not any(c.key == "day" for c in section.columns):
        return [w.table(section, rows)]
    shown = dataclasses.replace(section, columns=tuple(c for c in section.columns
                                                       if c.key != "day"))
    days: dict[str, list] = {}
    for row in rows:
        days.setdefault(row["day"], []).append(row)
    return [dataclasses.replace(w.table(shown, day_rows), caption=day)
            for day, day_rows in days.items()]


def build_calls(w: Writer, section: Section, payload: CallsPayload) -> list[Block]:
    """One brief per call: where, who, why, what to say and what they will ask."""
    code = w.scope.cf.country.code
    press = {"open": section.word("press_open"), "closed": section.word("press_closed")}
    blocks: list[Block] = []
    for n, call in enumerate(payload.calls, start=1):
        when = ", ".join(x for x in (call.day, call.time) if x)
        blocks.append(Heading(f"{call.event} ({when})" if when else call.event, 2,
                              anchor=f"{code}-call-{n}"))
        pairs = ((section.word("place"), call.place), (section.word("uk_lead"), call.uk_lead),
                 (section.word("press"), press.get(call.press, call.press)),
                 (section.word("dress"), call.dress))
        blocks.append(KeyValue(tuple((k, v) for k, v in pairs if v)))
        if call.purpose:
            blocks += [Heading(section.word("purpose"), 3), Paragraph(call.purpose)]
        if call.interlocutors:
            blocks += [Heading(section.word("whos_who"), 3),
                       w.table(section, _attendee_rows(w, call, payload.people))]
        if call.points_to_make:
            blocks += [Heading(section.word("points"), 3), Bullets(call.points_to_make)]
        if call.asks:
            blocks += [Heading(section.word("asks"), 3)]
            blocks += [Bullets(tuple(f"{a.ask} {section.word('response')}: {a.response}"
                                     for a in call.asks))]
        if call.if_raised:
            blocks += [Heading(section.word("if_raised"), 3), Bullets(call.if_raised)]
    return blocks


def _attendee_rows(w: Writer, call: model.ProgrammeItem,
                   people: dict[Any, model.Interlocutor]) -> list[dict[str, str]]:
    rows = []
    for attendee in call.interlocutors:
        person = people.get(attendee.interlocutor) if attendee.interlocutor else None
        if person is None or w.scope.redact_personal:
            role = attendee.role or (redaction.role_of(person) if person else "")
            if attendee.interlocutor and person is None:
                continue  # withheld or left out: the front sheet says so
            rows.append({"role": role})
            continue
        rows.append({"role": attendee.role or person.role, "name": person.name,
                     "pronunciation": person.pronunciation, "biography": person.biography,
                     "last_met": long_date(person.last_met), "languages": person.languages})
    return rows


def build_team(w: Writer, section: Section, payload: VisitItems) -> list[Block]:
    country = w.scope.cf.country
    rows = [{"role": m.role, "name": m.name,
             "where": country.name if m.country == country.code
             else m.country or section.word("whole_visit")} for m in payload.items]
    return [w.table(section, rows)]


def build_logistics(w: Writer, section: Section, payload: VisitItems) -> list[Block]:
    rows = [{"day": i.day, "time": i.time, "detail": i.detail, "dress": i.dress}
            for i in payload.items]
    return by_day(w, section, rows)


def build_contacts(w: Writer, section: Section, payload: VisitItems) -> list[Block]:
    rows = [{"role": c.role, "name": c.name, "organisation": c.organisation,
             "phone": c.phone, "email": c.email} for c in payload.items]
    return [w.table(section, rows)]


#: every kind here shows the visit's words: with a sensitive annex, words above the main
#: body's ceiling move to the annex
KINDS: dict[str, Kind[Any]] = {
    "points_to_make": Kind(_visit_lists(VisitItems, "points_to_make"), build_bullets,
                           annexable=True),
    "asks": Kind(_visit_lists(AsksPayload, "asks", "if_raised"), build_asks, annexable=True),
    "press_lines": Kind(_visit_lists(PressPayload, "press_lines", "press_qa"), build_press,
                        annexable=True),
    "handling": Kind(_visit_lists(VisitItems, "sensitivities"), build_bullets, annexable=True),
    "programme": Kind(_visit_lists(VisitItems, "programme"), build_programme, annexable=True),
    "calls": Kind(gather_calls, build_calls, annexable=True),
    "team": Kind(_visit_lists(VisitItems, "team"), build_team, annexable=True),
    "logistics": Kind(_visit_lists(VisitItems, "logistics"), build_logistics, annexable=True),
    "contacts": Kind(_visit_lists(VisitItems, "contacts"), build_contacts, annexable=True),
}

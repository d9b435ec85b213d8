"""After the visit: the readout's outcomes and actions written into the store.

``apply_readout`` turns a visit's readout into records, in one audited transaction:
for each country, a dated engagement whose description lists the outcomes against each
objective; each agreed action as an action record (owner, due date, status); and "last
met" on every interlocutor named at the visit's calls. Applying the same readout again
updates those records rather than adding more. The next brief for the country shows them
as "Since we last met".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from . import marking, model
from .errors import BriefpackError
from .formatting import long_date
from .store import Store
from .store.backups import backup_file
from .visits import objective_text, outcome_objectives

#: principal titles that make a visit ministerial or senior military (else official)
_MINISTERIAL = ("minister", "secretary of state", "prime minister")
_SENIOR_MILITARY = ("chief", "general", "admiral", "air marshal", "commander")


class ReadoutError(BriefpackError):
    """A readout that cannot be applied (nothing to record, a visit not yet over)."""


@dataclass(frozen=True)
class ReadoutResult:
    engagements: tuple[model.Engagement, ...]
    actions: tuple[model.Action, ...]
    #: interlocutors whose "last met" moved to the visit's date
    met: tuple[model.Interlocutor, ...]

    def summary(self) -> str:
        tables = model.TABLES
        parts = [tables["engagements"].counted(len(self.engagements)),
                 tables["actions"].counted(len(self.actions))]
        if self.met:
            parts.append("last met updated for "
                         + tables["interlocutors"].counted(len(self.met)))
        return "Recorded " + ", ".join(parts) + "."


def readout_records(visit: model.Visit, *, today: dt.date | None = None,
                    ) -> dict[str, tuple[model.Engagement, list[model.Action]]]:
    """Country code -> the engagement and actions the readout makes (not yet stored).

    Tour-wide outcomes and actions (no country, on a visit to several countries) go into
    every country's records. A visit that has not started yet (on ``today``) is refused:
    a dry run refuses what the run refuses.
    """
    today = today or dt.date.today()
    if visit.start > today:
        raise ReadoutError(f"the visit {visit.title!r} starts on {visit.start.isoformat()}: "
                           "a readout records what happened, after the visit")
    if not visit.outcomes and not visit.actions:
        raise ReadoutError(f"the visit {visit.title!r} has no readout: add its outcomes "
                           "(against each objective) and actions to the visit file")
    day = visit.readout_date or visit.end
    single = visit.countries[0] if len(visit.countries) == 1 else ""
    out = {}
    for code in visit.countries:
        view = visit.for_country(code)
        words = str(marking.combine(*view.content_markings()))
        outcomes = [o for o in visit.outcomes if (o.country or single or code) == code]
        lines = [f"{(objective_text(o, outcome_objectives(visit, o)) or o.objective)}"
                 .rstrip(".") + f": {o.outcome} ({o.status})" for o in outcomes]
        title = visit.title if single else f"{visit.title}: {code}"
        engagement = model.Engagement(
            country=code, title=title, date=visit.start, kind="visit",
            level=_level(visit.principal), status="past", description="\n".join(lines),
            marking=words, source=f"Readout of the visit, {long_date(day)}")
        actions = [model.Action(country=code, action=a.action, owner=a.owner, due=a.due,
                                status=a.status, raised_at=title, marking=words,
                                source=engagement.source)
                   for a in visit.actions if (a.country or single or code) == code]
        out[code] = engagement, actions
    return out


def apply_readout(store: Store, visit: model.Visit, *, user: str | None = None,
                  today: dt.date | None = None, backup: bool = True) -> ReadoutResult:
    """Write the visit's readout into the store in one transaction (see the module),
    after backing the store up."""
    planned = readout_records(visit, today=today)
    if backup and store.path:
        backup_file(store.path, reason="before readout")
    engagements, actions, met = [], [], []
    with store.transaction():
        visit = store.store_people(visit, user=user)  # the people the visit file wrote
        for engagement, new_actions in planned.values():
            engagements.append(_upsert(store, engagement, ("title", "date"), user))
            actions += [_upsert(store, a, ("action",), user) for a in new_actions]
        for person_id in visit.interlocutor_ids():
            person = store.get("interlocutors", person_id)
            if person.last_met is None or person.last_met < visit.start:
                met.append(store.save(dataclasses.replace(person, last_met=visit.start),
                                      user=user))
    return ReadoutResult(tuple(engagements), tuple(actions), tuple(met))


def _upsert(store: Store, record, key: tuple[str, ...], user: str | None):
    """Save ``record``, updating the country's record with the same ``key`` if there is one."""
    table = model.TABLES["engagements" if isinstance(record, model.Engagement) else "actions"]
    same = [r for r in store.records(table.name, record.country)
            if all(getattr(r, k) == getattr(record, k) for k in key)]
    if same:
        kept = same[0]
        # a record's marking may be raised here but never lowered
        level = str(marking.combine(kept.marking, record.marking))
        record = dataclasses.replace(record, id=kept.id, marking=level, origin=kept.origin)
    return store.save(record, user=user)


def _level(principal: str) -> str:
    text = principal.casefold()
    if any(word in text for word in _MINISTERIAL):
        return "ministerial"
    if any(word in text for word in _SENIOR_MILITARY):
        return "senior military"
    return "official"

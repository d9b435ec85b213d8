"""After the visit: the readout's outcomes and actions written into the store.

``apply_readout`` turns a visit's readout into records, in one audited transaction:
for each country, a dated engagement whose description lists the outcomes against each
objective; each agreed action as an action record (owner, due date, status); and "last
met" on every interlocutor named at the visit's calls. Applying the same readout again
updates those records rather than adding more: each is named by the visit and a key (an
action's key or words; the country's engagement), never matched by its words to another
visit's records, and what the user changed in the store since the last run (an action
marked done, a new owner) or deleted is kept. The next brief for the country shows them as
"Since we last met".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from . import marking, model
from .errors import BriefpackError
from .formatting import long_date
from .store import Store
from .store import readout_links
from .store.backups import backup_file
from .store.changes import Conflict, FieldEdit, RecordEdit, apply_changes, same, stored
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
    #: fields of the readout's records the user changed since the last run: kept
    kept: tuple[Conflict, ...] = ()
    #: records of the readout the user deleted since the last run: left deleted
    left_deleted: int = 0

    def summary(self) -> str:
        tables = model.TABLES
        parts = [tables["engagements"].counted(len(self.engagements)),
                 tables["actions"].counted(len(self.actions))]
        if self.met:
            parts.append("last met updated for "
                         + tables["interlocutors"].counted(len(self.met)))
        text = "Recorded " + ", ".join(parts) + "."
        if self.kept:
            fields = ", ".join(f"{c.label}: {c.field.replace('_', ' ')}" for c in self.kept)
            text += (f" Kept {len(self.kept)} value(s) changed in the store since the last "
                     f"readout ({fields}).")
        if self.left_deleted:
            text += f" Left {self.left_deleted} deleted record(s) deleted."
        return text


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
                   for a in visit.actions if _goes_to(a, code, visit)]
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
    writer = _Writer(store, visit_ref(visit), user,
                     also=visit_ref(dataclasses.replace(visit, id=None)))
    with store.transaction():
        visit = store.store_people(visit, user=user)  # the people the visit file wrote
        for code, (engagement, new_actions) in planned.items():
            engagements.append(writer.write(engagement, ENGAGEMENT_KEY))
            keys = [action_key(a) for a in visit.actions if _goes_to(a, code, visit)]
            actions += [writer.write(a, key) for a, key in zip(new_actions, keys, strict=True)]
            # the readout is the newest source of the country's engagements and actions
            store.mark_refreshed(code, ("engagements", "actions"), user=user,
                                 at=(visit.readout_date or visit.end).isoformat(),
                                 newer_only=True)
        for person_id in visit.interlocutor_ids():
            person = store.get("interlocutors", person_id)
            if person.last_met is None or person.last_met < visit.start:
                met.append(store.save(dataclasses.replace(person, last_met=visit.start),
                                      user=user))
    return ReadoutResult(tuple(r for r in engagements if r is not None),
                         tuple(r for r in actions if r is not None), tuple(met),
                         kept=tuple(writer.kept), left_deleted=writer.left_deleted)


#: the key of the engagement a readout writes for each of the visit's countries
ENGAGEMENT_KEY = "engagement"
#: the fields a readout writes, per table (the marking is only ever raised, apart)
_WRITTEN = {"engagements": ("title", "date", "kind", "level", "status", "description",
                            "source"),
            "actions": ("action", "owner", "due", "status", "raised_at", "source")}


def visit_ref(visit: model.Visit) -> str:
    """What names the visit to its readout's records: its id in the store, else its start
    and title (a visit file never saved in the store)."""
    if visit.id is not None:
        return f"visit {visit.id}"
    return f"{visit.start.isoformat()} {visit.title}"


def action_key(action: model.ReadoutAction) -> str:
    """What names an action within its visit: its key, else its words (case and spacing
    aside)."""
    return action.key.strip() or "words: " + " ".join(action.action.casefold().split())


def _goes_to(item: model.ReadoutAction, code: str, visit: model.Visit) -> bool:
    single = visit.countries[0] if len(visit.countries) == 1 else ""
    return (item.country or single or code) == code


class _Writer:
    """Writes a readout's records: each found by the visit and its key (never by its words
    in another visit's records), updated field by field as a change set whose loaded
    values are those the readout last wrote, so what the user changed since is kept."""

    def __init__(self, store: Store, visit: str, user: str | None, also: str = ""):
        self.store, self.visit, self.user = store, visit, user
        #: another name of the same visit (its start and title, for a saved visit whose
        #: file was read out before it was saved): its links are taken over
        self.also = also if also != visit else ""
        #: fields the user changed since the last readout, kept as they are
        self.kept: list[Conflict] = []
        #: records the user deleted since the last readout, left deleted
        self.left_deleted = 0

    def write(self, record: Any, key: str) -> Any:
        table = "engagements" if isinstance(record, model.Engagement) else "actions"
        fields = _WRITTEN[table]
        link = readout_links.find(self.store, type(record), self.visit, record.country,
                                  table, key)
        if link is None and self.also:
            link = readout_links.find(self.store, type(record), self.also, record.country,
                                      table, key)
        if link is None:
            saved = self._first(record, table)
        elif link.record_id is None or stored(self.store, table, link.record_id) is None:
            self.left_deleted += 1
            return None
        else:
            saved = self._again(record, table, link)
        readout_links.remember(self.store, dataclasses.replace(record, id=saved.id),
                               self.visit, table, key, fields)
        return saved

    def _first(self, record: Any, table: str) -> Any:
        """The first time this visit writes this record: a record an older briefpack's
        readout wrote for the same visit (same words, same visit title) is taken over as it
        is; otherwise a new record."""
        linked = readout_links.linked_ids(self.store, table, record.country)
        key = ("title", "date") if table == "engagements" else ("action", "raised_at")
        older = next((r for r in self.store.records(table, record.country)
                      if r.id not in linked
                      and all(getattr(r, k) == getattr(record, k) for k in key)), None)
        if older is None:
            return self.store.save(record, user=self.user)
        return self._raise_marking(older, record)

    def _again(self, record: Any, table: str, link: readout_links.Link) -> Any:
        edits = tuple(FieldEdit(name, link.written[name], getattr(record, name))
                      for name in _WRITTEN[table]
                      if name in link.written and not same(link.written[name],
                                                           getattr(record, name)))
        if edits:
            result = apply_changes(self.store, [RecordEdit(table, link.record_id, edits)],
                                   user=self.user)
            self.kept += result.conflicts
        return self._raise_marking(self.store.get(table, link.record_id), record)

    def _raise_marking(self, kept: Any, record: Any) -> Any:
        # a record's marking may be raised here but never lowered
        level = str(marking.combine(kept.marking, record.marking))
        if level == kept.marking:
            return kept
        return self.store.save(dataclasses.replace(kept, marking=level), user=self.user)


def _level(principal: str) -> str:
    text = principal.casefold()
    if any(word in text for word in _MINISTERIAL):
        return "ministerial"
    if any(word in text for word in _SENIOR_MILITARY):
        return "senior military"
    return "official"

"""Plain-text and JSON views of one country's records, for ``briefpack show``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from .. import model
from ..formatting import long_date, money


def _date(value: dt.date | None) -> str:
    return long_date(value) or "date not recorded"


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _wrap(text: str, indent: str = "    ", first: str | None = None) -> list[str]:
    return textwrap.wrap(text, width=96, initial_indent=indent if first is None else first,
                         subsequent_indent=indent) or []


#: per table: a record's heading and detail lines in the text view
_DESCRIBE: dict[str, Callable[[Any], tuple[str, str]]] = {
    "agreements": lambda a: (
        f"{a.name} ({a.kind}), " + (f"announced {_date(a.announced)}"
                                    if a.announced and not a.signed
                                    else f"signed {_date(a.signed)}") + f", {a.status}",
        _join(a.commits, money(a.value_gbp), f"{a.jobs:,} jobs" if a.jobs else "")),
    "export_opportunities": lambda e: (
        f"{e.programme}: {e.stage}",
        _join(e.company, money(e.value_gbp),
              f"quantity {e.quantity:,}" if e.quantity else "",
              f"{e.jobs:,} UK jobs" if e.jobs else "", e.next_milestone, e.lead)),
    "engagements": lambda g: (
        f"{g.title} ({g.status}, {g.level})" + (f", {_date(g.date)}" if g.date else ""),
        g.description),
    "alumni": lambda a: (
        a.name, _join(a.appointment, a.course, a.institution, str(a.year or ""))),
    "interlocutors": lambda i: (
        f"{i.name}, {i.role}" if i.role else i.name,
        _sentences(i.biography, f"Last met {_date(i.last_met)}" if i.last_met else "")),
    "actions": lambda a: (
        f"{a.action} ({a.status})",
        _join(a.owner, f"due {_date(a.due)}" if a.due else "", a.raised_at)),
}


def _sentences(*parts: str) -> str:
    """Parts as sentences, each ending in one full stop."""
    return " ".join(p if p.endswith((".", "!", "?")) else p + "."
                    for p in (p.strip() for p in parts) if p)


def _by_key(spec: model.TableSpec) -> Callable[[Any], tuple[str, str]]:
    """A table without its own description: its natural key."""
    return lambda r: (", ".join(str(getattr(r, k)) for k in spec.natural_key), "")


def country_file_text(cf: model.CountryFile,
                      currency: Sequence[model.SectionCurrency] = (), *,
                      today: dt.date | None = None) -> str:
    c = cf.country
    today = today or dt.date.today()
    lines = [f"{c.name} ({c.code}) — {c.region}", "=" * 60]
    lines.append(f"Marking: {c.marking}")
    lines.append(f"Memberships and formats: {', '.join(c.memberships) or 'none recorded'}")
    if c.co_leads:
        lines.append(f"Co-leads with the UK: {', '.join(c.co_leads)}")
    lines.append(f"UK defence section: {c.defence_section}")
    if c.priority_tier:
        lines.append(f"Priority tier: {c.priority_tier}")
    lines.append(f"Source: {c.source}")
    if c.summary:
        lines += ["", "Relationship summary"]
        for fact in c.summary.splitlines():
            lines += _wrap(fact, "    ", "  - ")

    def section(title: str, records: list, describe) -> None:
        lines.extend(["", f"{title} ({len(records)})"])
        if not records:
            lines.append("  none recorded")
        for r in records:
            head, detail = describe(r)
            if isinstance(r, model.Action) and r.overdue(today):
                head = head.removesuffix(")") + ", OVERDUE)"
            lines.append(f"  - {head}  [{r.marking}]")
            if detail:
                lines.extend(_wrap(detail))

    for table, spec in model.TABLES.items():
        section(spec.title, spec.records(cf), _DESCRIBE.get(table, _by_key(spec)))
    if currency:
        lines += ["", "Data currency"]
        for part in currency:
            when = (f"refreshed {long_date(part.refreshed_at.date())} by {part.refreshed_by}"
                    if part.refreshed_at else "never refreshed")
            flag = f"  STALE ({part.age_days} days)" if part.stale and part.age_days else (
                "  STALE" if part.stale else "")
            lines.append(f"  - {part.section}: {when}{flag}")
    return "\n".join(lines)


def _jsonable(record: Any) -> dict:
    out = dataclasses.asdict(record)
    for k, v in out.items():
        if isinstance(v, (dt.date, dt.datetime)):
            out[k] = v.isoformat()
        elif isinstance(v, tuple):
            out[k] = list(v)
    return out


def country_file_json(cf: model.CountryFile,
                      currency: Sequence[model.SectionCurrency] = (), *,
                      today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    out = {
        "currency": [_jsonable(c) for c in currency],
        "country": _jsonable(cf.country),
        **{table: [_jsonable(r) for r in spec.records(cf)]
           for table, spec in model.TABLES.items()},
    }
    for action, record in zip(cf.actions, out["actions"], strict=True):
        record["overdue"] = action.overdue(today)
    return out

"""Where to go next: the planner's view across countries.

For each country: the user's priority tier (theirs to set: nothing here invents one), the
time since its last ministerial or senior military engagement, and its open actions; and
who is overdue a visit, by the tier's ``visit_every_days`` in the priorities file. Pure
functions: ``today`` is passed in. ``briefpack plan``, the app's Plan view and the
printable plan page all read a ``Plan``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from . import model
from .priorities import Priorities

#: the engagements that count as a senior visit
SENIOR_LEVELS = ("ministerial", "senior military")


@dataclass(frozen=True)
class PlanRow:
    code: str
    name: str
    region: str
    #: the user's priority tier, None when not set
    tier: int | None
    #: the latest past, dated ministerial or senior military engagement
    last_senior: dt.date | None
    last_title: str
    #: days from it to today; None when there has been none (recorded with a date)
    days_since: int | None
    #: the next planned senior engagement, if one is recorded
    next_planned: dt.date | None
    open_actions: int
    #: open actions past their due date
    overdue_actions: int
    #: days within which the tier should see a visit; None: no rule for this tier (or none)
    due_every: int | None
    #: a visit is overdue: the tier's days have passed since the last one (or there has been
    #: none, in engagements declared complete: elsewhere none recorded is not known)
    overdue: bool
    #: the markings of the records behind the row
    markings: tuple[str, ...] = ()

    @property
    def since_text(self) -> str:
        """"214 days (12 May 2026)" or "none recorded"."""
        from .formatting import long_date

        if self.last_senior is None:
            return "none recorded"
        return f"{self.days_since} days ({long_date(self.last_senior)})"


@dataclass(frozen=True)
class Plan:
    today: dt.date
    rows: tuple[PlanRow, ...]
    visit_every_days: tuple[tuple[int, int], ...] = ()

    @property
    def overdue(self) -> tuple[PlanRow, ...]:
        return tuple(r for r in self.rows if r.overdue)


def plan(country_files: Iterable[model.CountryFile], priorities: Priorities, *,
         today: dt.date | None = None, everyone: bool = False) -> Plan:
    """The planner's rows: every country with a tier, a senior engagement or an open action
    (``everyone``: all countries), overdue first, then by tier and time since."""
    today = today or dt.date.today()
    every = dict(priorities.visit_every_days)
    rows = [row for cf in country_files
            if (row := plan_row(cf, every, today)) and (everyone or _of_interest(row))]
    rows.sort(key=_order)
    return Plan(today, tuple(rows), priorities.visit_every_days)


def plan_row(cf: model.CountryFile, every: dict[int, int], today: dt.date) -> PlanRow:
    senior = [(e.date, e) for e in cf.engagements
              if e.level in SENIOR_LEVELS and e.date is not None]
    past = [(day, e.id or 0, e) for day, e in senior if e.status == "past" and day <= today]
    upcoming = min((day for day, e in senior if e.status == "planned" and day >= today),
                   default=None)
    latest = max(past, key=lambda t: t[:2], default=None)
    last = latest[2] if latest else None
    open_ = [a for a in cf.actions if a.status == "open"]
    late = [a for a in open_ if a.due is not None and a.due < today]
    tier = None if cf.country_withheld else cf.country.priority_tier
    due = every.get(tier) if tier is not None else None
    days = (today - latest[0]).days if latest else None
    # none recorded is overdue only where the engagements are declared complete
    overdue = due is not None and (days > due if days is not None
                                   else "engagements" in cf.complete)
    markings = tuple(dict.fromkeys([cf.country.marking, *(e.marking for _, e in senior),
                                    *(a.marking for a in open_)]))
    return PlanRow(code=cf.country.code, name=cf.country.name, region=cf.country.region,
                   tier=tier, last_senior=latest[0] if latest else None,
                   last_title=last.title if last else "", days_since=days,
                   next_planned=upcoming, open_actions=len(open_),
                   overdue_actions=len(late), due_every=due, overdue=overdue,
                   markings=markings)


def _of_interest(row: PlanRow) -> bool:
    return row.tier is not None or row.last_senior is not None or row.open_actions > 0 \
        or row.next_planned is not None


def _order(row: PlanRow) -> tuple:
    since = row.days_since if row.days_since is not None else 10 ** 6
    return (not row.overdue, row.tier if row.tier is not None else 9, -since, row.name)


# -- the chart the app and the printable page draw ------------------------------------------

#: the chart's rows, top to bottom: tiers 1-4, then countries without a tier
CHART_ROWS = ("Tier 1", "Tier 2", "Tier 3", "Tier 4", "No tier set")


@dataclass(frozen=True)
class ChartPoint:
    code: str
    #: 0-based row in CHART_ROWS
    row: int
    #: days since the last senior engagement; ``never`` ones sit at the chart's right edge
    days: float
    never: bool
    overdue: bool
    open_actions: int
    #: how many points before it sit at the same place: drawn that many steps lower
    stacked: int = 0


@dataclass(frozen=True)
class Chart:
    """What to draw, decided once: points, the x range, and each tier's visit interval."""

    points: tuple[ChartPoint, ...]
    x_max: float
    #: (row, days): the tier's visit_every_days, drawn as a mark on its row
    due: tuple[tuple[int, int], ...]
    title: str = "Days since the last ministerial or senior military engagement, by tier"


def chart(plan_: Plan) -> Chart:
    """The planner's chart: each country at its days since a senior engagement (x) in its
    tier's row (y); overdue ones marked; those never visited at the right edge."""
    dated = [r.days_since for r in plan_.rows if r.days_since is not None]
    due = [d for _, d in plan_.visit_every_days]
    x_max = float(max([*dated, *due, 365]) * 1.1)
    points = tuple(ChartPoint(
        code=r.code, row=r.tier - 1 if r.tier is not None else len(CHART_ROWS) - 1,
        days=float(r.days_since) if r.days_since is not None else x_max,
        never=r.days_since is None, overdue=r.overdue, open_actions=r.open_actions)
        for r in plan_.rows)
    seen: dict[tuple[int, int], int] = {}
    stacked = []
    for p in points:  # points within 2% of the width of each other in a row: one below
        place = (p.row, round(50 * p.days / x_max))
        stacked.append(dataclasses.replace(p, stacked=seen.get(place, 0)))
        seen[place] = seen.get(place, 0) + 1
    return Chart(tuple(stacked), x_max, tuple((tier - 1, days)
                                              for tier, days in plan_.visit_every_days))

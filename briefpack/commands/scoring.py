"""Commands for the priority scorecard: ``score`` (one country) and ``rank`` (every country)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys

from ..formatting import long_date
from .argtypes import add_format_option, iso_date, whole_number


def cmd_score(ctx) -> int:
    """Score one country against the priorities: each objective with its RAG band, overall.
    With --visit (a visit file or a stored visit's id): how the visit serves the strategy in
    each of its countries and calls, through which live opportunities, and what it leaves
    on the table; with a country too, that country's scorecard for the visit as well."""
    from ..errors import UsageError
    from ..scoring import score, score_visit, unknown_tags

    priorities = _priorities(ctx)
    visit = _visit(ctx, priorities) if ctx.args.visit is not None else None
    if ctx.args.country is None and visit is None:
        raise UsageError("name a country to score, or a visit with --visit VISIT.yaml")
    if visit is not None:
        for problem in unknown_tags(visit, priorities):
            print(f"briefpack: warning: {problem}", file=sys.stderr)
    today = _today(ctx)
    card = None
    codes = visit.countries if visit is not None else ()
    if ctx.args.country is not None:
        country = ctx.store.resolve_country(ctx.args.country)
        if visit is not None and country.code not in visit.countries:
            raise UsageError(f"the visit {visit.title!r} does not go to {country.name}; "
                                 f"it goes to: {', '.join(visit.countries)}")
        card = score(ctx.store.country_file(country.code), priorities, visit and
                     visit.for_country(country.code), today=today)
        codes = (country.code,)
    impact = None
    if visit is not None:
        impact = score_visit(visit, [ctx.store.country_file(c) for c in codes], priorities,
                             today=today)
    if ctx.args.format == "json":
        data: dict | None = {"visit": dataclasses.asdict(impact) if impact else None,
                             "scorecard": dataclasses.asdict(card) if card else None}
        if impact is None or card is None:  # one of them: as it always was, on its own
            shown = card if card is not None else impact
            assert shown is not None
            data = dataclasses.asdict(shown)
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return 0
    lines: list[str] = []
    if card is not None:
        lines += scorecard_text(card, explain=ctx.args.explain, source=priorities.source,
                                today=today)
    if impact is not None:
        lines += ([""] if lines else []) + impact_text(impact, priorities)
    print("\n".join(lines))
    return 0


def _visit(ctx, priorities):
    """The visit --visit names: a stored visit's id, or a visit file."""

    from ..visits import load_visit

    given = ctx.args.visit
    if isinstance(given, int):
        return ctx.store.visit(given)
    return load_visit(given, ctx.store,
                      objective_keys=[o.key for o in priorities.objectives])


def visit_argument(text: str) -> int | str:
    """--visit: a visit file, or (all digits, and no such file) a stored visit's id."""
    from pathlib import Path

    if text.strip().isdigit() and not Path(text).exists():
        return whole_number(1)(text)
    return text


def impact_text(impact, priorities) -> list[str]:
    """How a visit serves the strategy, as lines of plain text: per country, the objectives
    it serves and through what, its calls, and what it leaves on the table."""
    short = {o.key: o.short for o in priorities.objectives}
    head = f"{impact.title}: how the visit serves the strategy"
    lines = [head, "=" * len(head)]
    for country in impact.countries:
        lines += ["", f"{country.name} ({country.code})"]
        for served in country.serves:
            lines.append(f"  Serves {served.label}")
            lines += [f"    by the visit's objective: {text}" for text in served.by]
            lines += [f"    through: {_opportunity(o)}" for o in served.through]
            if not served.through:
                lines.append("    through: no live opportunity in the store that the visit "
                             "mentions")
        if country.unserved:
            lines.append("  Serves none of: " + "; ".join(country.unserved))
        for call in country.calls:
            lines.append(f"  Call: {call.label}")
            lines += [f"    raises: {_opportunity(o)}" for o in call.opportunities]
            if not call.opportunities:
                lines.append("    raises no live opportunity in the store")
        if country.left_on_table:
            lines.append("  Left on the table. You could also raise:")
            lines += [f"    - {_opportunity(o)} (serves "
                      f"{', '.join(short.get(k, k) for k in o.objectives)})"
                      for o in country.left_on_table]
        else:
            lines.append("  Left on the table: nothing. The visit mentions every live "
                         "opportunity in the store that serves a priority objective.")
    return lines


def _opportunity(o) -> str:
    return o.text


def _files_in_region(ctx) -> list:
    """Every country's file, or those of the region --region names (any case)."""
    from ..errors import UsageError
    from ..model import REGIONS
    from ..priorities import region_named

    files = ctx.store.country_files()
    if ctx.args.region:
        region = region_named(ctx.args.region)
        if region is None:
            raise UsageError(f"unknown region {ctx.args.region!r}; expected one of: "
                             + ", ".join(REGIONS))
        files = [cf for cf in files if cf.country.region == region]
    return files


def cmd_rank(ctx) -> int:
    """Rank every country against the priorities, best first."""
    from .output import emit_table
    from ..scoring import numbered, rank

    priorities = _priorities(ctx)
    files = _files_in_region(ctx)
    cards = rank(files, priorities, today=_today(ctx))[: ctx.args.top]
    regions = {cf.country.code: cf.country.region for cf in files}
    rows = [rank_row(card, place, regions[card.country_code], ctx.args.format)
            for place, card in numbered(cards)]
    emit_table(rows, ctx.args.format)
    return 0


def cmd_judge(ctx) -> int:
    """Set (or show) the judgements the user makes about a country: its priority tier and
    its UK defence section. The sample data sets none of them; each change is audited."""
    country = ctx.store.resolve_country(ctx.args.country)
    values = {}
    if ctx.args.tier is not None:
        values["priority_tier"] = None if ctx.args.tier == "none" else int(ctx.args.tier)
    if ctx.args.defence_section is not None:
        values["defence_section"] = ctx.args.defence_section
    if values:
        country = ctx.store.set_judgement(country.code, **values)
    if ctx.args.format == "json":
        import json

        print(json.dumps({"code": country.code, "name": country.name,
                          "priority_tier": country.priority_tier,
                          "defence_section": None if country.defence_section == "unknown"
                          else country.defence_section, "changed": sorted(values)},
                         indent=2, ensure_ascii=False))
        return 0
    tier = country.priority_tier if country.priority_tier is not None else "not set"
    section = country.defence_section if country.defence_section != "unknown" else "not set"
    print(f"{country.name} ({country.code})")
    print(f"  priority tier:       {tier}")
    print(f"  UK defence section:  {section}")
    return 0


def cmd_complete(ctx) -> int:
    """Declare a section of a country complete as of a date (or withdraw that), or list
    the sections declared complete. Only in a section declared complete does "none
    recorded" count as none when scoring; elsewhere it is no data. Each change is audited."""
    from ..errors import UsageError
    from ..model import COMPLETE_SECTIONS

    country = ctx.store.resolve_country(ctx.args.country)
    section = ctx.args.section
    if section is not None:
        named = _section_named(section)
        if named is None:
            raise UsageError(f"unknown section {section!r}; expected one of: "
                                 + ", ".join(COMPLETE_SECTIONS))
        as_of = None if ctx.args.withdraw else (ctx.args.as_of or _today(ctx))
        ctx.store.declare_complete(country.code, named, as_of)
    elif ctx.args.withdraw or ctx.args.as_of:
        raise UsageError("name the section to declare complete or withdraw, e.g. "
                             "'complete NOR agreements --as-of 2026-03-01'")
    declared = ctx.store.completeness(country.code)
    if not declared:
        print(f"no section of {country.name} is declared complete")
    for name, as_of in declared.items():
        print(f"{name}: complete as of {long_date(as_of)}")
    return 0


def cmd_plan(ctx) -> int:
    """Where to go next: each country's priority tier (yours to set with 'judge'; none is
    invented), the time since its last ministerial or senior military engagement, its open
    actions, and who is overdue a visit by the tier's visit_every_days in the priorities
    file. Overdue first. --pdf writes a printable page with the table and a chart."""
    from .output import emit_table
    from ..planning import plan

    priorities = _priorities(ctx)
    files = _files_in_region(ctx)
    result = plan(files, priorities, today=_today(ctx), everyone=ctx.args.all)
    if ctx.args.pdf:
        from ..render.plan_page import render_plan_page

        out = render_plan_page(result, ctx.args.pdf)
        print(f"briefpack: wrote {out}", file=sys.stderr)
    rows = [plan_table_row(r, ctx.args.format) for r in result.rows]
    emit_table(rows, ctx.args.format)
    if ctx.args.format == "table":
        overdue = result.overdue
        print("\nOverdue a visit: " + (", ".join(f"{r.name} (tier {r.tier})" for r in overdue)
                                       if overdue else "none"), flush=True)
        if not any(r.tier is not None for r in result.rows):
            print("No country has a priority tier yet: set yours with "
                  "'briefpack judge COUNTRY --tier N'.")
    return 0


def plan_table_row(row, fmt: str) -> dict:
    from ..formatting import long_date

    if fmt == "json":
        return {"code": row.code, "country": row.name, "region": row.region,
                "tier": row.tier, "last_senior_engagement": row.last_senior,
                "last_title": row.last_title, "days_since": row.days_since,
                "next_planned": row.next_planned, "open_actions": row.open_actions,
                "overdue_actions": row.overdue_actions, "visit_every_days": row.due_every,
                "overdue": row.overdue}
    return {"country": row.name, "tier": row.tier if row.tier is not None else "not set",
            "last senior engagement": row.since_text,
            "next planned": long_date(row.next_planned) or "",
            "open actions": row.open_actions
            if not row.overdue_actions else f"{row.open_actions} ({row.overdue_actions} late)",
            "visit every": f"{row.due_every} days" if row.due_every else "",
            "overdue": "OVERDUE" if row.overdue else
            ("not known" if row.due_every and row.last_senior is None else "")}


def _section_named(text: str) -> str | None:
    from ..model import table_named

    if text.strip().lower() in ("country", "countries", "country facts"):
        return "country"
    spec = table_named(text)
    return spec.name if spec else None


def rank_row(card, place: int | None, region: str, fmt: str) -> dict:
    """One country's row of ``rank``: numbered only when its data is sufficient
    (``scoring.numbered``); coverage beside every score, and an objective with too little
    data shows no number."""
    from ..scoring import percent, whole

    row = {"rank": place, "code": card.country_code,
           "country": card.country_name, "region": region}
    if fmt == "json":
        return row | {"overall": round(card.overall, 1), "band": card.band,
                      "coverage": round(card.coverage, 3),
                      "objectives": {o.key: {"score": round(o.score, 1), "band": o.band,
                                             "coverage": round(o.coverage, 3)}
                                     for o in card.objectives}}
    row |= {"overall": whole(card.overall) if card.sufficient else None, "band": card.band,
            "coverage": percent(card.coverage)}
    # too little measured: a dash to read in a table, an empty cell in a spreadsheet
    unscored = "\u2013" if fmt == "table" else None
    return row | {o.key: whole(o.score) if o.sufficient else unscored for o in card.objectives}


def scorecard_text(card, *, explain: bool = False, source: str = "",
                   today: dt.date | None = None) -> list[str]:
    """A scorecard as lines of plain text (band words, never colour alone)."""
    head = f"{card.country_name} ({card.country_code})"
    if card.visit_title:
        head += f", for the visit: {card.visit_title}"
    lines = [head, "=" * len(head)]
    if source or today:
        lines.append("Scored against " + (source or "the priorities")
                     + (f" on {long_date(today)}" if today else ""))
    lines += [card.overall_line(),
              "(coverage: the share of the criteria's weight the store holds data for; "
              "unknown is not counted as zero)", ""]
    for objective in card.objectives:
        lines.append(card.summary_line(objective) + f"   [weight {objective.weight:g}]")
        for text in objective.served_by:
            lines.append(f"    served by the visit objective: {text}")
        if explain:
            lines += _explain(objective)
    if card.unserved:
        lines += ["", "Objectives this visit leaves unserved: " + "; ".join(card.unserved)]
    return lines


def _explain(objective) -> list[str]:
    lines = []
    for c in objective.criteria:
        result = f"{c.score_text()} of 100" if c.measured else c.status
        lines.append(f"  - {c.label}: {result}   [weight {c.weight:g}]")
        lines.append(f"      {c.detail}")
        if c.serves:
            lines.append(f"      serves: \"{c.serves}\"")
        for e in c.evidence:
            lines.append(f"      +{e.points:5.1f}  {e.text}")
    lines.append("")
    return lines


def _priorities(ctx):
    from ..priorities import load_priorities

    return load_priorities(ctx.args.priorities)


def _today(ctx) -> dt.date:
    return ctx.args.today or dt.date.today()


def register(sub) -> None:
    p = sub.add_parser("score", help="score one country against the strategy's priorities",
                       description=cmd_score.__doc__)
    p.add_argument("country", nargs="?",
                   help="name, alpha-2 or alpha-3 code, any case (may be left out with --visit)")
    add_format_option(p, "text", "json")
    p.add_argument("--explain", action="store_true",
                   help="show each criterion, what was measured and the evidence behind it")
    p.add_argument("--visit", metavar="VISIT", type=visit_argument,
                   help="a visit file (or a stored visit's id): which objectives the visit "
                   "serves in each country and call, through which live opportunities, and "
                   "what it leaves on the table")
    p.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD",
                   help="score as of this date (default: today)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("judge", help="set a country's priority tier or defence section "
                       "(judgements the user makes; audited)", description=cmd_judge.__doc__)
    p.add_argument("country", help="name, alpha-2 or alpha-3 code, any case")
    p.add_argument("--tier", choices=("1", "2", "3", "4", "none"),
                   help="priority tier in the international prioritisation (none: not set)")
    p.add_argument("--defence-section", choices=("resident", "non-resident", "none", "unknown"),
                   help="the UK defence section in the country (unknown: not set)")
    add_format_option(p, "text", "json")
    p.set_defaults(func=cmd_judge)

    p = sub.add_parser("complete", help="declare a section of a country complete as of a "
                       "date (audited), or list those declared", description=cmd_complete.__doc__)
    p.add_argument("country", help="name, alpha-2 or alpha-3 code, any case")
    p.add_argument("section", nargs="?",
                   help="country (its facts, e.g. co-leads) or a table: agreements, alumni, "
                   "exports, engagements, interlocutors, actions; none: list the declarations")
    p.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD",
                   help="complete as of this date (default: today)")
    p.add_argument("--withdraw", action="store_true",
                   help="the section is no longer declared complete")
    p.set_defaults(func=cmd_complete)

    p = sub.add_parser("plan", help="where to go next: tier, time since the last senior "
                       "engagement, open actions, who is overdue a visit",
                       description=cmd_plan.__doc__)
    p.add_argument("--all", action="store_true",
                   help="every country, not only those with a tier, engagement or action")
    p.add_argument("--region", help="only this region (e.g. 'Euro-Atlantic', 'Africa')")
    add_format_option(p, "table", "json", "csv")
    p.add_argument("--pdf", metavar="FILE.pdf",
                   help="also write a printable page: the table and a chart")
    p.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD",
                   help="plan as of this date (default: today)")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("rank", help="rank every country against the priorities, best first",
                       description=cmd_rank.__doc__)
    p.add_argument("--region", help="only this region (e.g. 'Euro-Atlantic', 'Africa')")
    p.add_argument("--top", type=whole_number(1), metavar="N", help="show only the first N")
    add_format_option(p, "table", "json", "csv")
    p.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD",
                   help="score as of this date (default: today)")
    p.set_defaults(func=cmd_rank)

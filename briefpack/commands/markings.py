"""Commands for protective markings and personal data: ``mark`` and ``review-due``."""

from __future__ import annotations

import dataclasses
import datetime as dt

from .argtypes import add_format_option, iso_date


def cmd_mark(ctx) -> int:
    """Set one record's protective marking (raising is allowed; lowering an import is not)."""
    store = ctx.store
    table = ctx.args.table
    key = ctx.args.id if table == "countries" else _record_id(ctx.args.id)
    record = store.country(key) if table == "countries" else store.get(table, key)
    saved = store.save(dataclasses.replace(record, marking=ctx.args.marking), action="mark")
    print(f"{table} {key}: {record.marking} -> {saved.marking}")
    return 0


def _record_id(text: str) -> int:
    from ..errors import UsageError

    from ..coercion import MAX_WHOLE, whole_number

    value = whole_number(text.strip())
    if value is None or not 1 <= value <= MAX_WHOLE:
        raise UsageError(f"a record id is a whole number from 1 to {MAX_WHOLE:,}, "
                             f"not {text!r}")
    return value


def cmd_review_due(ctx) -> int:
    """List personal records (alumni, interlocutors) past their review date."""
    from .output import emit_table
    from ..formatting import long_date
    from ..store.rows import TABLE_OF

    today = ctx.args.today or dt.date.today()
    rows = [{"table": TABLE_OF[type(r)],
             "id": r.id, "country": r.country, "name": r.name,
             "review_date": r.review_date.isoformat() if r.review_date else "never set"}
            for r in ctx.store.personal_records_due(today)]
    emit_table(rows, ctx.args.format)
    if ctx.args.format == "table":
        print(f"\n{len(rows)} personal record(s) due for review on {long_date(today)}")
    return 0


def register(sub) -> None:
    from ..model import TABLES

    p = sub.add_parser("mark", help="set a record's protective marking",
                       description=cmd_mark.__doc__)
    p.add_argument("table", choices=("countries", *TABLES), help="the record's table")
    p.add_argument("id", help="the record's id (a country code for countries)")
    p.add_argument("marking", help='e.g. "OFFICIAL-SENSITIVE - COMMERCIAL"')
    p.set_defaults(func=cmd_mark)

    p = sub.add_parser("review-due", help="personal records past their review date",
                       description=cmd_review_due.__doc__)
    p.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD",
                   help="review as of this date")
    add_format_option(p, "table", "json", "csv")
    p.set_defaults(func=cmd_review_due)

"""Data refresh: export/import country packets, import sheets, backups, history, currency."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from .argtypes import add_format_option, whole_number

EXIT_OK, EXIT_ERROR = 0, 1
_SYMBOL = {"added": "+", "changed": "~", "removed": "-"}


def register(subparsers) -> None:
    p = subparsers.add_parser("export", help="write a country's data packet (YAML or JSON)",
                              description=cmd_export.__doc__)
    p.add_argument("country", help="name, alpha-2 or alpha-3 code")
    p.add_argument("--out", metavar="FILE",
                   help="file to write: JSON if its name ends in .json, else YAML "
                        "(default: standard output)")
    p.add_argument("--json", action="store_true",
                   help="write JSON, one record per line, instead of YAML (for standard "
                        "output, or a file not named .json)")
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("import", help="check, show and apply a country data packet",
                              description=cmd_import.__doc__)
    p.add_argument("file", help="a packet written by 'briefpack export' (.yaml or .json; "
                                "- reads it from standard input)")
    _import_options(p)
    # accepted from older scripts: an edited packet needs nothing extra now
    p.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_import)

    p = subparsers.add_parser("import-csv", help="import a section kept in a spreadsheet",
                              description=cmd_import_csv.__doc__)
    p.add_argument("table", help="alumni, exports (export_opportunities), agreements, "
                                 "engagements or interlocutors")
    p.add_argument("file", help="a CSV file (UTF-8; commas or semicolons)")
    p.add_argument("--country", help="the country every row is about (if no country column)")
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help="read COLUMN into FIELD; 'COLUMN=' ignores the column (repeatable)")
    _import_options(p)
    p.set_defaults(func=cmd_import_csv)

    p = subparsers.add_parser("backups", help="list the store's backups, newest first",
                              description=cmd_backups.__doc__)
    add_format_option(p, "table", "json", "csv")
    p.set_defaults(func=cmd_backups)

    p = subparsers.add_parser("restore", help="restore the store from a backup",
                              description=cmd_restore.__doc__)
    p.add_argument("name", help="a backup's name as 'briefpack backups' lists it")
    p.set_defaults(func=cmd_restore)

    p = subparsers.add_parser("history", help="the audit log of one country",
                              description=cmd_history.__doc__)
    p.add_argument("country", help="name, alpha-2 or alpha-3 code")
    p.add_argument("--since", metavar="DATE", help="only changes on or after YYYY-MM-DD")
    add_format_option(p, "table", "json", "csv")
    p.set_defaults(func=cmd_history)

    p = subparsers.add_parser("currency", help="when each section of a country was refreshed",
                              description=cmd_currency.__doc__)
    p.add_argument("country", help="name, alpha-2 or alpha-3 code")
    p.add_argument("--max-age", type=whole_number(1), metavar="DAYS",
                   help="older than this is stale (default: the store's setting, 180)")
    add_format_option(p, "table", "json", "csv")
    p.set_defaults(func=cmd_currency)


def _import_options(p) -> None:
    p.add_argument("--dry-run", action="store_true", help="show the changes; change nothing")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: the changes and the outcome as one JSON object on standard "
                        "output, for scripts (default: text)")
    p.add_argument("--prefer", choices=("theirs", "mine"),
                   help="settle every conflict: take the incoming values or keep this store's")


# -- commands -------------------------------------------------------------------------------

def cmd_export(ctx) -> int:
    """Write one country's packet: every record with its marking, the store revision it
    was taken from and a SHA-256 checksum. Send it to the defence section to refresh.
    YAML reads and hand-edits best; JSON (--out NAME.json: one record per line) reads
    several times faster, for large packets and data made by other programs."""
    from pathlib import Path

    from ..errors import UsageError
    from ..store.packets import export_packet, packet_form, write_packet

    args = ctx.args
    code = ctx.store.resolve_country(args.country).code
    if args.out:
        out = Path(args.out)
        if args.json and out.suffix.lower() in (".yaml", ".yml"):
            raise UsageError(f"{out}: --json writes JSON, but the name ends in "
                                 f"{out.suffix}: name it {out.stem}.json, or leave out --json")
        form = "json" if args.json else packet_form(out)
        path = write_packet(ctx.store, code, out, form=form)
        print(f"wrote {path}", file=sys.stderr)
    else:
        with ctx.store.transaction():  # audited only once it is written out
            sys.stdout.write(export_packet(ctx.store, code,
                                           form="json" if args.json else "yaml"))
            sys.stdout.flush()
    return EXIT_OK


def cmd_import(ctx) -> int:
    """Check a packet, YAML or JSON (every problem is listed with file, line and field),
    show what it would add, change and remove, then apply it in one transaction after a
    backup.
    Records changed here since the packet was exported are conflicts: settle them with
    --prefer. A packet can never lower a marking. A packet edited by hand after export is
    normal: it is said so, with who exported it (and noted in the audit log), and the
    changes listed are the check."""
    from ..store.packets import plan_import, read_packet

    packet = read_packet(ctx.args.file)
    provenance = packet.provenance()
    if ctx.args.format == "text":
        print(f"{Path(packet.source).name if ctx.args.file != '-' else packet.source}: "
              f"{provenance}")
    return _review_and_apply(ctx, plan_import(ctx.store, packet), provenance=provenance)


def cmd_import_csv(ctx) -> int:
    """Import a section kept in a spreadsheet (e.g. alumni, export opportunities). The
    sheet holds the whole section for each of its countries: rows are matched by id or
    by name (programme and company for exports), missing records are removed."""
    from ..store.csv_import import parse_map, plan_csv

    args = ctx.args
    country = ctx.store.resolve_country(args.country).code if args.country else None
    plan = plan_csv(ctx.store, args.file, args.table, country=country,
                    mapping=parse_map(args.map))
    return _review_and_apply(ctx, plan)


def _review_and_apply(ctx, plan, *, provenance: str = "") -> int:
    from ..store.diff import UnsettledConflicts, apply_steps
    from .terminal import follow

    args = ctx.args
    if args.format == "json":
        return _apply_as_json(ctx, plan, provenance)
    for line in describe_plan(plan):
        print(line)
    if args.dry_run:
        print("dry run: nothing was changed")
        return EXIT_OK
    if plan.conflicts and not args.prefer:
        print(f"briefpack: {UnsettledConflicts([c.conflict_key for c in plan.conflicts])}",
              file=sys.stderr)
        return EXIT_ERROR
    print("backing up the store and applying…", flush=True)
    summary = follow(apply_steps(ctx.store, plan, prefer=args.prefer))
    print(f"applied: {summary.added} added, {summary.changed} changed, {summary.removed} "
          f"removed" + (f", {summary.kept_mine} conflicts kept as here" if summary.kept_mine
                        else ""))
    if summary.backup:
        print(f"backup of the store before the import: {summary.backup.name}")
    return EXIT_OK


def _apply_as_json(ctx, plan, provenance: str) -> int:
    """``_review_and_apply`` for scripts: the plan, then what was done, as one object."""
    import json

    from ..store.diff import UnsettledConflicts, apply_steps
    from .terminal import follow

    args = ctx.args
    report: dict = {
        "source": plan.source, "provenance": provenance or None, "counts": plan.counts(),
        "changes": [{"kind": c.kind, "table": c.table, "country": c.country, "id": c.key,
                     "label": c.label, "conflict": c.conflict,
                     "fields": [f.field for f in c.fields]} for c in plan.changes],
        "warnings": list(plan.warnings), "dry_run": bool(args.dry_run), "applied": False,
        "summary": None}
    code = EXIT_OK
    if plan.conflicts and not args.prefer and not args.dry_run:
        print(f"briefpack: {UnsettledConflicts([c.conflict_key for c in plan.conflicts])}",
              file=sys.stderr)
        code = EXIT_ERROR
    elif not args.dry_run:
        summary = follow(apply_steps(ctx.store, plan, prefer=args.prefer))
        report["applied"] = True
        report["summary"] = {"added": summary.added, "changed": summary.changed,
                             "removed": summary.removed, "kept_mine": summary.kept_mine,
                             "backup": summary.backup.name if summary.backup else None,
                             "warnings": list(summary.warnings)}
    print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return code


def describe_plan(plan) -> list[str]:
    """The plan as text: one line per record, one indented line per changed field."""
    lines = []
    for code, sections in plan.sections.items():
        counts = {k: sum(1 for c in plan.changes if c.country == code and c.kind == k)
                  for k in _SYMBOL}
        conflicts = sum(1 for c in plan.conflicts if c.country == code)
        lines.append(f"{code}: " + ", ".join(f"{n} {k}" for k, n in counts.items())
                     + f", {conflicts} conflict(s)" + f" [sections: {', '.join(sections)}]")
    if plan.is_empty:
        lines.append("no changes: the store already holds this data")
    for c in plan.changes:
        key = "new" if c.key is None else c.key
        flag = "  CONFLICT: changed here since the export" if c.conflict else ""
        lines.append(f"{_SYMBOL[c.kind]} {c.table} {key} {c.label!r}{flag}")
        lines += [f"    {f.field}: {_show(f.before)} -> {_show(f.after)}" for f in c.fields]
    return lines


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…'"


def cmd_backups(ctx) -> int:
    """List the backups kept beside the store (made before every import and restore)."""
    from .output import emit_table
    from ..store.backups import list_backups

    rows = [{"name": p.name, "size_kb": round(p.stat().st_size / 1024),
             "made": dt.datetime.fromtimestamp(p.stat().st_mtime).isoformat(" ", "seconds")}
            for p in list_backups(ctx.db_path)]
    emit_table(rows, ctx.args.format)
    return EXIT_OK


def cmd_restore(ctx) -> int:
    """Put a backup back: the current store is backed up first, then replaced with the
    backup's content using SQLite's online backup API."""
    from ..store.backups import restore

    safety = restore(ctx.store, ctx.args.name)
    print(f"restored {ctx.args.name}; the store as it was is kept as {safety.name}")
    return EXIT_OK


def cmd_history(ctx) -> int:
    """Every change to a country and its records: when, who, what, field, before, after."""
    from .output import emit_table
    from ..errors import UsageError

    since = ctx.args.since
    if since:
        from ..coercion import Refused, date

        try:
            since = date(since).isoformat()
        except Refused as exc:
            raise UsageError(f"--since: {exc}") from None
    code = ctx.store.resolve_country(ctx.args.country).code
    rows = [{"at": e["at"], "user": e["user"], "action": e["action"], "table": e["table_name"],
             "record": e["record_id"], "field": e["field"], "before": e["before"],
             "after": e["after"], "note": e["note"]}
            for e in ctx.store.history(code, since=since)]
    emit_table(rows, ctx.args.format)
    return EXIT_OK


def cmd_currency(ctx) -> int:
    """When each section of a country's data was last refreshed, by whom, and if stale."""
    from .output import emit_table

    code = ctx.store.resolve_country(ctx.args.country).code
    rows = [{"section": s.section,
             "refreshed": s.refreshed_at.date().isoformat() if s.refreshed_at else "never",
             "by": s.refreshed_by, "age_days": s.age_days,
             "stale": "STALE" if s.stale else ""}
            for s in ctx.store.currency(code, max_age_days=ctx.args.max_age)]
    emit_table(rows, ctx.args.format)
    return EXIT_OK


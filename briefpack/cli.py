"""The command line: parse, call the store/pipeline, print. Nothing clever lives here."""

from __future__ import annotations

import argparse
import csv
import json
import signal
import sqlite3
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from . import __version__, model, paths
from .commands.argtypes import add_format_option
from .errors import BriefpackError, UnknownCountry
from .store import Store
from .store.store import failure as store_failure
from .textsafe import PrintableStream, csv_rows, printable

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class Context:
    """What every command gets: the parsed options and a lazily opened store."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._store: Store | None = None

    @property
    def db_path(self) -> Path:
        return Path(self.args.db) if self.args.db else paths.default_db_path()

    @property
    def store(self) -> Store:
        """The store; only the default one is created (and filled) on first use: a store
        named with --db or BRIEFPACK_DB must exist already (``init`` makes it)."""
        if self._store is None:
            self._store = Store.open(self.db_path, create=not paths.db_path_is_chosen(
                self.args.db))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


# -- output helpers ---------------------------------------------------------------

def emit_table(rows: list[dict], fmt: str, out=None) -> None:
    """Print rows as an aligned text table, JSON or CSV."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(rows, out, indent=2, ensure_ascii=False, default=str)
        out.write("\n")
        return
    if not rows:
        if fmt == "table":
            out.write("(none)\n")
        return
    headers = list(rows[0])
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=headers, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_rows(rows))
        return
    cells = [[_cell(r[h]) for h in headers] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for c in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(c, widths)).rstrip() + "\n")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return printable(", ".join(map(str, value)))
    return printable(str(value))



# -- commands ---------------------------------------------------------------------

def cmd_init(ctx: Context) -> int:
    """Create the store (filled from the sample data unless --empty). With --force, replace
    an existing store's content: it is backed up first and its audit log is kept."""
    path = ctx.db_path
    if path.exists() and path.is_file() and path.stat().st_size:
        if not ctx.args.force:
            print(f"briefpack: a store already exists at {path}; use --force to replace it "
                  "(it is backed up first)", file=sys.stderr)
            return EXIT_ERROR
        from .store.backups import reinitialise

        store = Store.open(path, create=False)
        try:
            saved = reinitialise(store, seed=not ctx.args.empty)
        finally:
            store.close()
        print(f"backed up the old store to {saved}")
    store = Store.open(path, seed=not ctx.args.empty)
    n = len(store.countries())
    store.close()
    print(f"created {'an empty' if ctx.args.empty else 'a'} store at {path} ({n} countries)")
    return EXIT_OK


def cmd_countries(ctx: Context) -> int:
    """List countries, optionally of one region."""
    region = _region(ctx.args.region) if ctx.args.region else None
    rows = [{"code": c.code, "name": c.name, "region": c.region, "tier": c.priority_tier,
             "memberships": list(c.memberships), "defence_section": c.defence_section}
            for c in ctx.store.countries(region)]
    emit_table(rows, ctx.args.format)
    return EXIT_OK


def _region(text: str) -> str:
    for r in model.REGIONS:
        if r.casefold() == text.casefold() or r.split()[0].casefold() == text.casefold():
            return r
    raise BriefpackError(f"unknown region {text!r}; expected one of: " + ", ".join(model.REGIONS))


def cmd_show(ctx: Context) -> int:
    """Show everything the store holds about one country."""
    from .show import country_file_json, country_file_text

    country = ctx.store.resolve_country(ctx.args.country)
    cf = ctx.store.country_file(country.code)
    currency = ctx.store.currency(country.code)
    if ctx.args.format == "json":
        print(json.dumps(country_file_json(cf, currency), indent=2, ensure_ascii=False))
    else:
        print(country_file_text(cf, currency))
    return EXIT_OK


# -- parser -----------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefpack",
        description="Assemble engagement briefs and printed packs for ministerial and "
                    "senior military visits abroad, offline.",
    )
    parser.add_argument("--version", action="version", version=f"briefpack {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help="the store to use (default: $BRIEFPACK_DB or the user data dir)")
    parser.add_argument("--priorities", metavar="FILE",
                        help="priorities YAML to score against (default: data/priorities.yaml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("init", help="create the store, filled from the sample data",
                       description=cmd_init.__doc__)
    p.add_argument("--empty", action="store_true", help="create it with no data")
    p.add_argument("--force", action="store_true",
                   help="replace an existing store (backed up first)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("countries", help="list countries", description=cmd_countries.__doc__)
    p.add_argument("--region", help="only this region (e.g. 'Euro-Atlantic', 'Africa')")
    add_format_option(p, "table", "json", "csv")
    p.set_defaults(func=cmd_countries)

    p = sub.add_parser("show", help="show one country's records", description=cmd_show.__doc__)
    p.add_argument("country", help="name, alpha-2 or alpha-3 code, any case")
    add_format_option(p, "text", "json")
    p.set_defaults(func=cmd_show)

    for group in command_groups():
        group.register(sub)
    return parser


def command_groups() -> list:
    """The modules in briefpack.commands, each adding its sub-commands with register()."""
    from . import commands

    return commands.GROUPS


class Terminated(BaseException):
    """SIGTERM, raised like Ctrl-C so every clean-up (workers, temporary files) runs."""


def _terminate(signum, frame) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(args)
    stdout, sys.stdout = sys.stdout, PrintableStream(sys.stdout)
    # (not the desktop app: Qt's event loop would get the exception in some random slot)
    in_main_thread = (threading.current_thread() is threading.main_thread()
                      and args.command != "gui")
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        return args.func(ctx)
    except UnknownCountry as exc:
        print(f"briefpack: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except BriefpackError as exc:
        print(f"briefpack: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except sqlite3.Error as exc:  # the store failed under a command: one line, no traceback
        print(f"briefpack: {printable(str(store_failure(ctx.db_path, exc)))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("briefpack: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("briefpack: stopped (terminated)", file=sys.stderr)
        return 128 + signal.SIGTERM
    finally:
        sys.stdout = stdout
        ctx.close()
        if in_main_thread:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


if __name__ == "__main__":
    raise SystemExit(main())

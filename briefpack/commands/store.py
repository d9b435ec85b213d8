"""The store and what it holds: ``briefpack init``, ``countries`` and ``show``."""

from __future__ import annotations

import json
import sys

from .argtypes import add_format_option

EXIT_OK, EXIT_ERROR = 0, 1


def register(subparsers) -> None:
    p = subparsers.add_parser("init", help="create the store, filled from the sample data",
                              description=cmd_init.__doc__)
    p.add_argument("--empty", action="store_true", help="create it with no data")
    p.add_argument("--force", action="store_true",
                   help="replace an existing store (backed up first)")
    p.set_defaults(func=cmd_init)

    p = subparsers.add_parser("countries", help="list countries",
                              description=cmd_countries.__doc__)
    p.add_argument("--region", help="only this region (e.g. 'Euro-Atlantic', 'Africa')")
    add_format_option(p, "table", "json", "csv")
    p.set_defaults(func=cmd_countries)

    p = subparsers.add_parser("show", help="show one country's records",
                              description=cmd_show.__doc__)
    p.add_argument("country", help="name, alpha-2 or alpha-3 code, any case")
    add_format_option(p, "text", "json")
    p.set_defaults(func=cmd_show)


def cmd_init(ctx) -> int:
    """Create the store (filled from the sample data unless --empty). With --force, replace
    an existing store's content: it is backed up first and its audit log is kept."""
    from ..store import Store

    path = ctx.db_path
    if path.exists() and path.is_file() and path.stat().st_size:
        if not ctx.args.force:
            print(f"briefpack: a store already exists at {path}; use --force to replace it "
                  "(it is backed up first)", file=sys.stderr)
            return EXIT_ERROR
        from ..store.backups import reinitialise

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


def cmd_countries(ctx) -> int:
    """List countries, optionally of one region."""
    from .output import emit_table

    region = _region(ctx.args.region) if ctx.args.region else None
    rows = [{"code": c.code, "name": c.name, "region": c.region, "tier": c.priority_tier,
             "memberships": list(c.memberships), "defence_section": c.defence_section}
            for c in ctx.store.countries(region)]
    emit_table(rows, ctx.args.format)
    return EXIT_OK


def _region(text: str) -> str:
    from ..errors import UsageError
    from ..model import REGIONS

    for r in REGIONS:
        if r.casefold() == text.casefold() or r.split()[0].casefold() == text.casefold():
            return r
    raise UsageError(f"unknown region {text!r}; expected one of: " + ", ".join(REGIONS))


def cmd_show(ctx) -> int:
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

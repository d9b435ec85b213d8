"""``briefpack readout VISIT.yaml``: record what a visit achieved, after it."""

from __future__ import annotations


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "readout", help="record a visit's outcomes and actions in the store",
        description=cmd_readout.__doc__)
    p.add_argument("visit", metavar="VISIT.yaml",
                   help="the visit file, with its outcomes and actions filled in")
    p.add_argument("--dry-run", action="store_true",
                   help="say what would be recorded, change nothing")
    p.set_defaults(func=cmd_readout)


def cmd_readout(ctx) -> int:
    """Record a visit's readout: for each country, a dated engagement listing the outcomes
    against each objective; each action (owner, due date, status); and "last met" for the
    interlocutors named at its calls. The store is backed up first and every change is
    audited. Running it again updates the same records. The next brief for each country
    shows the outcomes and open actions under "Since we last met".
    """
    from ..readout import apply_readout, readout_records
    from ..store.store import current_user
    from ..visits import load_visit

    visit = load_visit(ctx.args.visit, ctx.store)
    if ctx.args.dry_run:
        for code, (engagement, actions) in readout_records(visit).items():
            print(f"{code}: engagement {engagement.title!r} on {engagement.date}"
                  f" with {len(engagement.description.splitlines())} outcome(s); "
                  f"{len(actions)} action(s)")
        return 0
    result = apply_readout(ctx.store, visit, user=current_user())
    print(result.summary())
    return 0

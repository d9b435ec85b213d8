"""``briefpack gui``: open the desktop app."""

from __future__ import annotations


def cmd_gui(ctx) -> int:
    """Open the desktop app on the store (the one given by --db, else the usual one)."""
    from ..app import main  # PySide6 loads only here, never for other commands

    argv = []
    if ctx.args.db:
        argv += ["--db", str(ctx.args.db)]
    if getattr(ctx.args, "priorities", None):
        argv += ["--priorities", str(ctx.args.priorities)]
    return main(argv)


def register(subparsers) -> None:
    p = subparsers.add_parser("gui", help="open the desktop app", description=cmd_gui.__doc__)
    p.set_defaults(func=cmd_gui)

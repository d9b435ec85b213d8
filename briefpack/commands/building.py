"""``briefpack build``: a country brief or a visit's briefs, as .docx and .pdf."""

from __future__ import annotations

import sys
from pathlib import Path

VISIT_SUFFIXES = (".yaml", ".yml")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "build", help="build a brief for a country or a visit file",
        description=cmd_build.__doc__)
    p.add_argument("target", metavar="COUNTRY|VISIT.yaml",
                   help="a country (name or code) for a country brief, or a visit file")
    p.add_argument("--format", default="docx,pdf", metavar="LIST",
                   help="formats to write, comma separated (default: docx,pdf)")
    p.add_argument("--template", metavar="NAME",
                   help="brief template (default: the visit's, else standard)")
    p.add_argument("--out", default=".", metavar="DIR",
                   help="folder to write to (default: the current folder)")
    p.add_argument("--ceiling", metavar="MARKING",
                   help="leave out records marked above this (OFFICIAL or OFFICIAL-SENSITIVE)")
    p.set_defaults(func=cmd_build)


def cmd_build(ctx) -> int:
    """Build a brief for a country, or one per country of a visit file, and print the paths.

    Records marked above the ceiling (the visit's, or --ceiling if lower) are left out and
    counted on the front sheet. Nothing is written unless every file is complete.
    """
    from ..pipeline import build
    from ..store.store import current_user

    args = ctx.args
    priorities = _priorities(ctx)
    visit = None
    country = args.target
    if _is_visit_file(args.target):
        from ..visits import load_visit

        keys = [o.key for o in priorities.objectives]
        visit = load_visit(args.target, ctx.store, objective_keys=keys)
        country = None
    steps = build(ctx.store, country=country, visit=visit, formats=args.format.split(","),
                  template=args.template, out_dir=Path(args.out), ceiling=args.ceiling,
                  priorities=priorities, author=current_user())
    show = sys.stderr.isatty()
    result = None
    try:
        for progress in steps:
            if show:
                _progress_line(progress)
            result = progress.result or result
    finally:
        if show:
            sys.stderr.write("\n")
    for path in result.outputs:
        print(path)
    return 0


def _is_visit_file(target: str) -> bool:
    return target.lower().endswith(VISIT_SUFFIXES) or Path(target).is_file()


def _priorities(ctx):
    from ..priorities import load_priorities

    return load_priorities(ctx.args.priorities)


def _progress_line(progress) -> None:
    width = 24
    filled = width * progress.step // max(progress.total, 1)
    bar = "#" * filled + "-" * (width - filled)
    sys.stderr.write(f"\r[{bar}] {progress.step}/{progress.total} {progress.message}"[:100]
                     .ljust(100))
    sys.stderr.flush()

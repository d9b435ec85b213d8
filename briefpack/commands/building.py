"""``briefpack build`` (a country brief or a visit's briefs) and ``briefpack pack`` (one
printed pack for a visit), as .docx and .pdf."""

from __future__ import annotations

from pathlib import Path

from ..brief.redaction import PERSONAL_DATA_WARNING_THRESHOLD as PERSONAL_THRESHOLD
from .argtypes import add_format_option, whole_number
from .terminal import follow

VISIT_SUFFIXES = (".yaml", ".yml")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "build", help="build a brief for a country or a visit file",
        description=cmd_build.__doc__)
    p.add_argument("target", metavar="COUNTRY|VISIT.yaml",
                   help="a country (name or code) for a country brief, or a visit file")
    _add_output_options(p, template_default="the visit's, else standard")
    _add_content_options(p)
    p.add_argument("--personal-threshold", type=whole_number(0), default=PERSONAL_THRESHOLD,
                   metavar="N",
                   help="warn when a brief shows more than N personal records "
                        f"(default: {PERSONAL_THRESHOLD})")
    p.set_defaults(func=cmd_build)

    p = subparsers.add_parser(
        "pack", help="build one printed pack for a visit to several countries",
        description=cmd_pack.__doc__)
    p.add_argument("visit", metavar="VISIT.yaml", help="the visit file")
    _add_output_options(p, template_default="the visit's")
    p.add_argument("--large-print", action="store_true",
                   help="set the body text at 14 pt for the principal")
    p.add_argument("--no-duplex", dest="duplex", action="store_false",
                   help="for one-sided printing: no blank pages before each country")
    p.add_argument("--copy", type=whole_number(1), default=1, metavar="N",
                   help="the copy number printed on the cover (default: 1)")
    _add_content_options(p)
    p.set_defaults(func=cmd_pack)

    p = subparsers.add_parser("templates", help="list the brief templates and where each is",
                              description=cmd_templates.__doc__)
    add_format_option(p, "table", "json")
    p.set_defaults(func=cmd_templates)


def cmd_templates(ctx) -> int:
    """The templates build and pack can use, with where each comes from: yours (in your
    user data folder, kept across upgrades) before briefpack's own. --template also takes
    the path of a template folder."""
    import json

    from .. import paths
    from ..templates import listed_templates

    found = listed_templates()
    if ctx.args.format == "json":
        print(json.dumps([{"name": name, "from": origin, "folder": str(folder)}
                          for name, origin, folder in found], indent=2, ensure_ascii=False))
        return 0
    chosen: set[str] = set()
    for name, origin, folder in found:
        hidden = " (hidden by yours)" if name in chosen else ""
        chosen.add(name)
        print(f"{name:<16} {origin:<9} {folder}{hidden}")
    print(f"your templates folder: {paths.user_templates_dir()} (copy a folder above there "
          "and change it)")
    return 0


def _add_output_options(p, *, template_default: str) -> None:
    """What to write, where, from which template and up to which ceiling: build and pack
    alike."""
    p.add_argument("--format", default="docx,pdf", metavar="LIST",
                   help="formats to write, comma separated (default: docx,pdf)")
    p.add_argument("--template", metavar="NAME|FOLDER",
                   help="brief template, by name ('briefpack templates' lists them) or the "
                        f"path of a template folder (default: {template_default})")
    p.add_argument("--out", default=".", metavar="DIR",
                   help="folder to write to (default: the current folder)")
    p.add_argument("--ceiling", metavar="MARKING",
                   help="leave out records marked above this (OFFICIAL or OFFICIAL-SENSITIVE)")


def _add_content_options(p) -> None:
    p.add_argument("--final", action="store_true",
                   help="the final copy: no DRAFT mark, whatever the visit file says; "
                        "refused while anything in the visit is still TBC or unwritten")
    p.add_argument("--sensitive-annex", action="store_true",
                   help="move OFFICIAL-SENSITIVE material into an annex at the end of each "
                        "brief, so the main body holds only OFFICIAL material")
    p.add_argument("--score-annex", action="store_true",
                   help="add the analyst's annex: the host country's scorecard, the pack's "
                        "comparison table and how each score was made (by default a brief "
                        "grades no host country)")
    p.add_argument("--redact", choices=["personal"], metavar="personal",
                   help="'personal': leave personal data out (alumni as counts, "
                        "interlocutors by role) and clear the author; files end -redacted")


def cmd_build(ctx) -> int:
    """Build a brief for a country, or one per country of a visit file, and print the paths.

    Records marked above the ceiling (the visit's, or --ceiling if lower) are left out and
    counted on the front sheet. Nothing is written unless every file is complete.
    Warnings (e.g. a brief gathering much personal data) go to stderr.
    """
    from ..pipeline import build

    args = ctx.args
    priorities = _priorities(ctx)
    visit = None
    country = args.target
    if _is_visit_file(args.target):
        from ..visits import load_visit

        keys = [o.key for o in priorities.objectives]
        visit = load_visit(args.target, ctx.store, objective_keys=keys)
        country = None
    options = _options(args, personal_threshold=args.personal_threshold)
    return _follow(build(ctx.store, options, country=country, visit=visit,
                         priorities=priorities))


def _follow(steps) -> int:
    """Drive a build to the end, then print the paths it wrote."""
    for path in follow(steps).outputs:
        print(path)
    return 0


def cmd_pack(ctx) -> int:
    """Build one pack for a visit: cover, steering brief for the whole visit, contents,
    then each country's brief (its one-page summary first), each country starting on a
    right-hand page when printed on both sides; print the paths.

    The pack carries the combined marking of its briefs on every page, and DRAFT until
    the visit is marked final. Nothing is written unless every file is complete.
    """
    from ..pipeline import build_pack
    from ..visits import load_visit

    args = ctx.args
    priorities = _priorities(ctx)
    visit = load_visit(args.visit, ctx.store,
                       objective_keys=[o.key for o in priorities.objectives])
    options = _options(args, copy=args.copy, large_print=args.large_print,
                       duplex=args.duplex)
    return _follow(build_pack(ctx.db_path, options, visit=visit, priorities=priorities))


def _options(args, **only_some):
    """The build options the command line gives; options only one command has as keywords."""
    from ..options import BuildOptions
    from ..store.store import current_user

    return BuildOptions(formats=args.format.split(","), template=args.template,
                        out_dir=Path(args.out), ceiling=args.ceiling,
                        sensitive_annex=args.sensitive_annex, score_annex=args.score_annex,
                        redact_personal=args.redact == "personal", author=current_user(),
                        final=args.final, **only_some)



def _is_visit_file(target: str) -> bool:
    return target.lower().endswith(VISIT_SUFFIXES) or Path(target).is_file()


def _priorities(ctx):
    from ..priorities import load_priorities

    return load_priorities(ctx.args.priorities)



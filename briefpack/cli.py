"""The command line: parse, call the store/pipeline, print. Nothing clever lives here:
the commands are in ``briefpack.commands``, one module per feature, and print through
``commands.output``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Collection, Sequence

from . import __version__
from .exitcodes import EXIT_CODES

# `briefpack --help` imports no more than it prints (tests/test_cli.py): what a command
# needs to run (sqlite3, pathlib, the error classes) is imported once one is parsed.
TYPE_CHECKING = False
if TYPE_CHECKING:  # the store (sqlite-utils) is imported by the commands that open it
    from pathlib import Path

    from .store import Store

EXIT_OK, EXIT_IO, EXIT_INTERRUPTED = 0, 4, 130


class Context:
    """What every command gets: the parsed options and a lazily opened store."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._store: Store | None = None

    @property
    def db_path(self) -> Path:
        from pathlib import Path

        from . import paths

        return Path(self.args.db) if self.args.db else paths.default_db_path()

    @property
    def store(self) -> Store:
        """The store; only the default one is created (and filled) on first use: a store
        named with --db or BRIEFPACK_DB must exist already (``init`` makes it)."""
        if self._store is None:
            from . import paths
            from .store import Store

            self._store = Store.open(self.db_path, create=not paths.db_path_is_chosen(
                self.args.db))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


# -- parser -----------------------------------------------------------------------

def build_parser(load: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with ``load`` only those command modules' sub-commands in full
    (the rest named with their help line, so ``briefpack --help`` imports none of them)."""
    parser = argparse.ArgumentParser(
        prog="briefpack",
        description="Assemble engagement briefs and printed packs for ministerial and "
                    "senior military visits abroad, offline.",
        epilog="exit codes:\n" + "\n".join(f"  {code:<4}{meaning}"
                                            for code, meaning in EXIT_CODES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"briefpack {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help="the store to use (default: $BRIEFPACK_DB or the user data dir)")
    parser.add_argument("--priorities", metavar="FILE",
                        help="priorities YAML to score against (default: data/priorities.yaml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    for module, commands in COMMANDS.items():
        if load is None or module in load:
            importlib.import_module(f"{__package__}.commands.{module}").register(sub)
        else:  # named in the top-level help only: its module loads when it is asked for
            for name, help_text in commands.items():
                sub.add_parser(name, help=help_text, add_help=False)
    return parser


#: Every sub-command, by the module in briefpack.commands that adds it with register(),
#: in the order of the top-level help, with its help line: ``briefpack --help`` needs no
#: command module (tests/test_cli.py checks this table against the modules' own).
COMMANDS: dict[str, dict[str, str]] = {
    "store": {
        "init": "create the store, filled from the sample data",
        "countries": "list countries",
        "show": "show one country's records",
    },
    "markings": {
        "mark": "set a record's protective marking",
        "review-due": "personal records past their review date",
    },
    "scoring": {
        "score": "score one country against the strategy's priorities",
        "judge": "set a country's priority tier or defence section (judgements the user "
                 "makes; audited)",
        "complete": "declare a section of a country complete as of a date (audited), or "
                    "list those declared",
        "plan": "where to go next: tier, time since the last senior engagement, open "
                "actions, who is overdue a visit",
        "rank": "rank every country against the priorities, best first",
    },
    "building": {
        "build": "build a brief for a country or a visit file",
        "pack": "build one printed pack for a visit to several countries",
        "templates": "list the brief templates and where each is",
    },
    "readout": {
        "readout": "record a visit's outcomes and actions in the store",
    },
    "gui": {
        "gui": "open the desktop app",
    },
    "data": {
        "export": "write a country's data packet (YAML or JSON)",
        "import": "check, show and apply a country data packet",
        "import-csv": "import a section kept in a spreadsheet",
        "backups": "list the store's backups, newest first",
        "restore": "restore the store from a backup",
        "history": "the audit log of one country",
        "currency": "when each section of a country was refreshed",
    },
}

_GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--priorities")


def command_module(argv: Sequence[str]) -> str | None:
    """The module of the sub-command ``argv`` names (the first word that is neither an
    option nor a global option's value), or None when it names none we know."""
    words = iter(argv)
    for word in words:
        if word == "--":
            word = next(words, "")
        elif word.startswith("-"):
            if "=" not in word and len(word) > 2 and any(
                    opt.startswith(word) for opt in _GLOBAL_OPTIONS_WITH_VALUE):
                next(words, None)  # its value
            continue
        return next((module for module, commands in COMMANDS.items() if word in commands),
                    None)
    return None


def command_groups() -> list:
    """The modules in briefpack.commands, each adding its sub-commands with register()."""
    return [importlib.import_module(f"{__package__}.commands.{module}") for module in COMMANDS]


def _run(ctx: Context) -> int:
    from .processes import STOP, Terminated

    try:
        return ctx.args.func(ctx)
    except Exception:
        if STOP.is_set():  # a library turned the Terminated into another error
            raise Terminated from None
        raise


def utf8_streams() -> None:
    """Standard output and error in UTF-8 when they go to a file or a pipe, whatever the
    locale (a Windows code page would fail on "é" or write a packet ``import`` refuses); a
    terminal keeps its own encoding, with what it cannot show escaped rather than fatal."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            tty = stream.isatty()
        except (OSError, ValueError):
            tty = False
        if tty:
            reconfigure(errors="backslashreplace")
        else:
            reconfigure(encoding="utf-8", errors="strict")


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):  # (a no-op elsewhere: processes is not imported for it)
        from .processes import freeze_support

        freeze_support()
    utf8_streams()
    argv = sys.argv[1:] if argv is None else list(argv)
    module = command_module(argv)
    args = build_parser(load=() if module is None else (module,)).parse_args(argv)
    if not hasattr(args, "func"):  # a command line command_module() read otherwise
        args = build_parser().parse_args(argv)
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run the parsed command: its errors printed as one line, its exit code returned."""
    import signal
    import sqlite3
    import threading

    from . import paths
    from .errors import BriefpackError
    from .processes import STOP, Terminated, on_sigterm
    from .textsafe import PrintableStream, printable

    ctx = Context(args)
    stdout, sys.stdout = sys.stdout, PrintableStream(sys.stdout)
    # (not the desktop app: Qt's event loop would get the exception in some random slot)
    in_main_thread = (threading.current_thread() is threading.main_thread()
                      and args.command != "gui")
    STOP.clear()
    previous = signal.signal(signal.SIGTERM, on_sigterm) if in_main_thread else None

    store_path = ctx.db_path
    paths.use_store(store_path)  # no input or output path of the command may be it
    try:
        return _run(ctx)
    except BriefpackError as exc:
        print(f"briefpack: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.Error as exc:  # the store failed under a command: one line, no traceback
        from .store.store import failure as store_failure

        print(f"briefpack: {printable(str(store_failure(ctx.db_path, exc)))}", file=sys.stderr)
        return EXIT_IO
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a full disk, a file that cannot be written: one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"briefpack: {printable(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return EXIT_IO
    except KeyboardInterrupt:
        print("briefpack: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("briefpack: stopped (terminated)", file=sys.stderr)
        return 128 + signal.SIGTERM
    finally:
        sys.stdout = stdout
        ctx.close()
        paths.done_with_store(store_path)
        if in_main_thread:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
            STOP.clear()


if __name__ == "__main__":
    raise SystemExit(main())

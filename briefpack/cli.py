"""The command line: parse, call the store/pipeline, print. Nothing clever lives here:
the commands are in ``briefpack.commands``, one module per feature, and print through
``commands.output``."""

from __future__ import annotations

import argparse
import signal
import sqlite3
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import EXIT_CODES, BriefpackError
from .processes import STOP, Terminated, freeze_support, on_sigterm
from .textsafe import PrintableStream, printable

if TYPE_CHECKING:  # the store (sqlite-utils) is imported by the commands that open it
    from .store import Store

EXIT_OK, EXIT_IO, EXIT_INTERRUPTED = 0, 4, 130


class Context:
    """What every command gets: the parsed options and a lazily opened store."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._store: Store | None = None

    @property
    def db_path(self) -> Path:
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

def build_parser() -> argparse.ArgumentParser:
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

    for group in command_groups():
        group.register(sub)
    return parser


def command_groups() -> list:
    """The modules in briefpack.commands, each adding its sub-commands with register()."""
    from . import commands

    return commands.GROUPS


def _run(ctx: Context) -> int:
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
    freeze_support()
    utf8_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(args)
    stdout, sys.stdout = sys.stdout, PrintableStream(sys.stdout)
    # (not the desktop app: Qt's event loop would get the exception in some random slot)
    in_main_thread = (threading.current_thread() is threading.main_thread()
                      and args.command != "gui")
    STOP.clear()
    previous = signal.signal(signal.SIGTERM, on_sigterm) if in_main_thread else None
    from . import paths

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

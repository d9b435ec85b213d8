"""Processes: whether one still runs (to tell a live writer's temporary file from one a
killed process left behind), and stopping this one cleanly on SIGTERM."""

from __future__ import annotations

import re
import threading
from pathlib import Path


def alive(pid: int) -> bool:
    """True if process ``pid`` exists (on this machine) and has not ended.

    psutil asks the platform (``OpenProcess`` on Windows, where ``os.kill(pid, 0)`` would
    send Ctrl+C to a console group instead of probing); a zombie has ended."""
    import psutil

    if pid <= 0:
        return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # someone else's process: it exists
        return True
    except psutil.Error:
        return True  # cannot tell: assume it runs, so nothing of it is removed


def remove_orphans(folder: Path, glob: str, name: re.Pattern[str]) -> None:
    """Remove the temporary files in ``folder`` (those matching ``glob`` whose whole name
    matches ``name``) that a killed process left: ``name``'s group ``pid`` is the writer's
    process, and it no longer runs."""
    for path in folder.glob(glob):
        found = name.fullmatch(path.name)
        if found and not alive(int(found["pid"])):
            path.unlink(missing_ok=True)


def freeze_support() -> None:
    """In a frozen (bundled) program, let a worker process started by ``spawn`` run its
    task instead of the program's own command line; a no-op everywhere else. Every entry
    point calls it first."""
    import sys

    if not getattr(sys, "frozen", False):
        return
    import multiprocessing

    # multiprocessing starts its resource tracker with this process's -W options, and the
    # bundle recognises the tracker only if it holds the same options: a frozen program
    # does not read them itself (see quiet_resource_tracker)
    if f"-W{_QUIET_TRACKER}" in sys.argv[1:-2]:
        quiet_resource_tracker()
    multiprocessing.freeze_support()


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM): raised like Ctrl-C, so every clean-up
    (worker processes, temporary files) runs."""


#: set when SIGTERM arrives; long work checks it between steps, because a library with a
#: bare ``except:`` can swallow the Terminated raised in the middle of its code
STOP = threading.Event()


def on_sigterm(signum, frame) -> None:
    """SIGTERM handler: note the request and raise Terminated (once: a second signal must
    not break the clean-up under way)."""
    if STOP.is_set():
        return
    STOP.set()
    raise Terminated


def stop_if_asked() -> None:
    """Raise Terminated if the process was asked to stop."""
    if STOP.is_set():
        raise Terminated


#: multiprocessing's resource tracker, a helper process, frees the semaphores of worker
#: queues when this process is killed with SIGKILL, and warns about each "leaked" one on the
#: user's terminal; it starts with this process's -W options, so this silences it there
_QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


def quiet_resource_tracker() -> None:
    """Call before the first worker pool or queue: no clean-up warnings after a kill -9."""
    import sys
    import warnings

    if _QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(_QUIET_TRACKER)
        warnings.filterwarnings("ignore", category=UserWarning,
                                module="multiprocessing.resource_tracker")

"""Whether a process still runs: used to tell a live writer's temporary file from one a
killed process left behind."""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """True if process ``pid`` exists (on this machine)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:
        return True  # cannot tell: assume it runs, so nothing of it is removed
    return True

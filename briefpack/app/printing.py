"""Printing a brief or pack: the PDF itself goes to the system's printing.

On Linux and macOS the print command (``lp``, else ``lpr``) is handed the file with the
printer, copies, pages and sides chosen; on Windows the default PDF application's print
action prints it. Nothing is turned into images: the printer gets the PDF's own text and
fonts. A PDF laid out for two-sided printing says so (its ``/Duplex`` viewer preference),
and is printed two-sided unless the user chooses otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefpackError

#: how long the print command may take to accept the job
TIMEOUT_SECONDS = 60
_DUPLEX = re.compile(rb"/Duplex\s*/(\w+)")


class PrintError(BriefpackError):
    """The system would not take the print job."""


@dataclass(frozen=True)
class PrintJob:
    path: Path
    #: the job's name in the print queue ("Norway brief", not a temporary file's)
    title: str
    two_sided: bool = False
    #: "" for the default printer
    printer: str = ""
    copies: int = 1
    #: pages to print, e.g. "3-7"; "" for all
    pages: str = ""


def laid_out_two_sided(path: Path) -> bool:
    """Whether the PDF asks to be printed on both sides (its /Duplex viewer preference)."""
    try:
        found = _DUPLEX.search(path.read_bytes())
    except OSError:
        return False
    return found is not None and found.group(1).startswith(b"Duplex")


def command(job: PrintJob, which: Callable[[str], str | None] = shutil.which
            ) -> list[str] | None:
    """The print command for ``job`` (lp, else lpr), or None if neither is installed."""
    sides = "sides=two-sided-long-edge" if job.two_sided else "sides=one-sided"
    lp = which("lp")
    if lp:
        args = [lp, "-t", job.title, "-n", str(job.copies), "-o", sides]
        args += ["-d", job.printer] if job.printer else []
        args += ["-o", f"page-ranges={job.pages}"] if job.pages else []
        return args + ["--", str(job.path)]
    lpr = which("lpr")
    if lpr:
        args = [lpr, "-T", job.title, f"-#{job.copies}", "-o", sides]
        args += ["-P", job.printer] if job.printer else []
        args += ["-o", f"page-ranges={job.pages}"] if job.pages else []
        return args + [str(job.path)]
    return None


def send(job: PrintJob) -> str:
    """Hand the PDF to the system's printing (runs in a worker); what the spooler said."""
    if not job.path.is_file():
        raise PrintError(f"{job.path} is no longer there to print")
    if sys.platform == "win32":
        try:
            os.startfile(str(job.path), "print")  # the default PDF application prints it
        except OSError as exc:
            raise PrintError(f"no application would print {job.path.name}: {exc}") from None
        return "Sent to the default PDF application to print."
    args = command(job)
    if args is None:
        raise PrintError("this computer has no print command (lp or lpr): open the PDF and "
                         "print it from the PDF viewer")
    try:
        done = subprocess.run(args, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=TIMEOUT_SECONDS,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintError(f"the print command did not take the job: {exc}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip() or f"exit code {done.returncode}"
        raise PrintError(f"the printer refused {job.path.name}: {said}")
    return done.stdout.strip() or "Sent to the printer."

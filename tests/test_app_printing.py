"""Printing hands the PDF itself to the system's print command (no page images), two-sided
when the PDF was laid out for it; the PDF says so in its /Duplex viewer preference."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtPrintSupport import QPrintDialog  # noqa: E402

from briefpack.app import printing  # noqa: E402
from briefpack.app.printing import PrintJob  # noqa: E402
from briefpack.render.pdf import render_pdf  # noqa: E402

from fixtures_app import errors, store_path  # noqa: E402,F401  (fixtures)
from fixtures_briefs import sample_brief  # noqa: E402
from test_app_daily import pick, window  # noqa: E402,F401  (fixture)

WAIT_MS = 20000

FAKE_LP = """#!{python}
import os, shutil, sys
# a print command that records what it is given: its arguments and the file itself
out = os.environ["FAKE_LP_OUT"]
with open(os.path.join(out, "args.txt"), "w", encoding="utf-8") as f:
    f.write("\\n".join(sys.argv[1:]))
shutil.copyfile(sys.argv[-1], os.path.join(out, "spooled.pdf"))
print("request id is office-42 (1 file(s))")
"""


@pytest.fixture
def fake_lp(tmp_path, monkeypatch) -> Path:
    """A fake ``lp`` first on PATH; the folder where it leaves what it was given."""
    if sys.platform == "win32":
        pytest.skip("Windows prints through the PDF application, not lp")
    bin_dir, out = tmp_path / "bin", tmp_path / "spool"
    bin_dir.mkdir()
    out.mkdir()
    lp = bin_dir / "lp"
    lp.write_text(FAKE_LP.format(python=sys.executable), encoding="utf-8")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LP_OUT", str(out))
    return out


def test_the_pdf_says_whether_it_was_laid_out_two_sided(tmp_path):
    for duplex in (True, False):
        path = tmp_path / f"brief-{duplex}.pdf"
        render_pdf(sample_brief(rows=0.1), path, duplex=duplex)
        assert printing.laid_out_two_sided(path) is duplex
        assert (b"/DuplexFlipLongEdge" if duplex else b"/Simplex") in path.read_bytes()


def test_the_print_command_carries_printer_copies_pages_and_sides(tmp_path):
    job = PrintJob(tmp_path / "pack.pdf", "Nordic pack", two_sided=True, printer="office",
                   copies=2, pages="3-7")
    found = {"lp": "/usr/bin/lp", "lpr": "/usr/bin/lpr"}
    assert printing.command(job, found.get) == [
        "/usr/bin/lp", "-t", "Nordic pack", "-n", "2", "-o", "sides=two-sided-long-edge",
        "-d", "office", "-o", "page-ranges=3-7", "--", str(job.path)]
    only_lpr = {"lpr": "/usr/bin/lpr"}
    assert printing.command(PrintJob(job.path, "Brief"), only_lpr.get) == [
        "/usr/bin/lpr", "-T", "Brief", "-#1", "-o", "sides=one-sided", str(job.path)]
    assert printing.command(job, {}.get) is None


def test_printing_the_preview_spools_the_pdf_itself_two_sided(qtbot, window, errors,
                                                              fake_lp, monkeypatch):
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Accepted)
    with qtbot.waitSignal(window.preview.refreshed, timeout=WAIT_MS):
        pick(qtbot, window, "NOR")
    window.print_action.trigger()
    qtbot.waitUntil(lambda: "Sent" in window.preview.status.text(), timeout=WAIT_MS)
    args = (fake_lp / "args.txt").read_text(encoding="utf-8").splitlines()
    assert "sides=two-sided-long-edge" in args  # the brief is laid out for both sides
    assert args[args.index("-t") + 1].endswith("Norway brief")
    assert (fake_lp / "spooled.pdf").read_bytes() == window.preview.pdf_path.read_bytes()
    assert "office-42" in window.preview.status.text() and not errors


def test_a_refused_print_is_shown(qtbot, window, errors, tmp_path, monkeypatch):
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Accepted)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lp = bin_dir / "lp"
    lp.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n",
                  encoding="utf-8")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    pdf = tmp_path / "pack.pdf"
    render_pdf(sample_brief(rows=0.1), pdf, duplex=False)
    window.preview.print_dialog(pdf, "Nordic pack")
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert errors[-1][0] == "Cannot print" and "does not exist" in errors[-1][1]

"""Killing a real `briefpack pack` ends its workers and leaves nothing in --out; what a
killed -9 build could not remove, the next build into the folder does."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefpack.pipeline import PARALLEL_FROM

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ["Norway", "Denmark", "Latvia", "France", "Germany", "Poland", "Estonia",
             "Lithuania", "Sweden", "Finland"]

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="reads the process table from /proc")


@pytest.fixture
def visit(tmp_path) -> Path:
    assert len(COUNTRIES) >= PARALLEL_FROM  # so the pack runs in worker processes
    path = tmp_path / "tour.yaml"
    path.write_text("title: Tour of ten partners\nprincipal: Minister for the Armed Forces\n"
                    "start: 2026-12-07\nend: 2026-12-12\ntemplate: standard\n"
                    f"countries: [{', '.join(COUNTRIES)}]\n", encoding="utf-8")
    return path


def children(pid: int) -> set[int]:
    """Every live descendant of ``pid``."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        kids = {p for p, pp in parents.items() if pp == parent}
        found |= kids
        todo += kids
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob(".*")) if out.exists() else []


def rendering(out: Path) -> list[str]:
    """The hidden files a build is rendering into."""
    return [name for name in hidden(out) if name.endswith((".docx", ".pdf"))]


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "sig"), [
    ("render", signal.SIGTERM), ("render", signal.SIGINT), ("render", signal.SIGKILL),
    ("assemble", signal.SIGKILL)], ids=["term-render", "int-render", "kill-render",
                                        "kill-assemble"])
def test_killing_a_pack_ends_its_workers_and_removes_its_files(seeded_db, visit, tmp_path,
                                                               stage, sig):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefpack", "--db", str(seeded_db), "pack", str(visit),
         "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    workers: set[int] = set()
    try:
        def reached() -> bool:
            workers.update(children(proc.pid))
            assert proc.poll() is None, "the pack finished before it could be killed"
            # the render stage: the workers are writing the hidden files
            return bool(workers) and (stage == "assemble" or bool(rendering(out)))

        wait_until(reached, 60, f"the {stage} stage")
        proc.send_signal(sig)
        code = proc.wait(timeout=30)
        wait_until(lambda: not any(alive(p) for p in workers), 15,
                   "the workers to end after their parent")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        err = proc.stderr.read()
        proc.stderr.close()
    # multiprocessing's resource tracker outlives a killed parent: it must not warn
    assert "leaked semaphore" not in err, err
    if sig != signal.SIGKILL:  # (a worker still starting when its parent is killed -9
        # cannot read its start-up data, and Python says so before our code runs)
        assert "Traceback" not in err
        assert code == 128 + sig, err
    assert hidden(out) == [], "a hidden copy of the document was left behind"
    assert not out.exists() or list(out.iterdir()) == []


def test_a_finished_pack_leaves_only_its_outputs(seeded_db, tmp_path):
    """The same pack, not killed: both files, nothing hidden (guards the test above)."""
    out = tmp_path / "out"
    visit = tmp_path / "v.yaml"
    visit.write_text("title: Two\nprincipal: Minister\nstart: 2026-12-07\nend: 2026-12-08\n"
                     "template: standard\ncountries: [Norway, Denmark]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "briefpack", "--db", str(seeded_db), "pack",
                           str(visit), "--out", str(out), "--format", "pdf"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert [p.suffix for p in out.iterdir()] == [".pdf"]
    shutil.rmtree(out)


@pytest.mark.slow
def test_the_next_build_removes_what_a_killed_build_left(seeded_db, tmp_path):
    """kill -9 of a build rendering in its own process leaves its hidden file: nothing
    can remove it then. The next build into that folder does; a live build's it keeps."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefpack", "--db", str(seeded_db), "build", "NOR",
         "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        wait_until(lambda: rendering(out) or proc.poll() is not None, 60, "a hidden file")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert rendering(out), "the build finished before it was killed"
    live = out / f".2026-01-01-NOR-standard~briefpack-{os.getpid()}-0123abcd.pdf"
    live.write_bytes(b"a live build's file")
    mine = out / ".notes-2026-0123abcd.pdf"  # the user's own: not briefpack's
    mine.write_bytes(b"kept")
    done = subprocess.run([sys.executable, "-m", "briefpack", "--db", str(seeded_db), "build",
                           "NOR", "--out", str(out), "--format", "pdf"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert hidden(out) == sorted([live.name, mine.name])
    assert [p.suffix for p in out.iterdir() if not p.name.startswith(".")] == [".pdf"]


@pytest.mark.slow
def test_terminating_a_build_removes_its_files(seeded_db, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefpack", "--db", str(seeded_db), "build", "NOR",
         "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        wait_until(lambda: rendering(out) or proc.poll() is not None, 60, "a hidden file")
        assert proc.poll() is None, "the build finished before it could be stopped"
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        err = proc.stderr.read()
        proc.stderr.close()
    assert code == 128 + signal.SIGTERM and "Traceback" not in err, err
    assert not out.exists() or list(out.iterdir()) == []


def test_sigterm_inside_a_library_that_swallows_it_still_stops_cleanly(cli, seeded_db,
                                                                       tmp_path, monkeypatch):
    """Some libraries have a bare ``except:`` (reportlab's open_for_read does): a SIGTERM
    landing there is swallowed, and the build must still stop, leaving nothing behind."""
    import briefpack.render.pdf as pdf

    real = pdf.render_pdf

    def swallowing(*args, **kwargs):
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the handler runs here and its Terminated is swallowed
        except BaseException:  # noqa: BLE001 - this is the library being modelled
            pass
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", swallowing)
    out = tmp_path / "out"
    code, _, err = cli("--db", seeded_db, "build", "NOR", "--out", out, "--format", "pdf")
    assert code == 128 + signal.SIGTERM and "stopped" in err and "Traceback" not in err
    assert not out.exists()

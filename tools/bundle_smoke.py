"""Use a built desktop bundle as a user would: make a store, build a brief, build a pack of
eight countries (in worker processes), and open the app (offscreen).

    python tools/bundle_smoke.py dist/briefpack

Exits non-zero, saying what failed, if any of it does not work.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EIGHT = """\
title: Bundle check tour
principal: Minister for the Armed Forces
start: 2026-12-07
end: 2026-12-15
countries: [Norway, Denmark, Latvia, Estonia, Lithuania, Finland, Sweden, Poland]
owning_team: Private Office
purpose: >-
  To check that a bundled briefpack builds a pack of eight countries.
"""


def run(exe: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run([str(exe), *args], capture_output=True, env=env, timeout=600,
                          encoding="utf-8", errors="replace")
    if done.returncode != 0 or "Traceback" in done.stderr:
        raise SystemExit(f"bundle smoke: `{exe.name} {' '.join(args)}` failed "
                         f"({done.returncode}):\n{done.stderr}")
    return done.stdout


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes()[:4] for p in folder.iterdir() if not p.name.startswith(".")}


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else "dist/briefpack").resolve()
    suffix = ".exe" if os.name == "nt" else ""
    cli, gui = bundle / f"briefpack{suffix}", bundle / f"briefpack-gui{suffix}"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "BRIEFPACK_USER": "bundle.check", "QT_QPA_PLATFORM": "offscreen",
               "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "config")}
        db = str(work / "store.db")
        started = time.monotonic()
        run(cli, "--db", db, "init", env=env)
        run(cli, "--db", db, "build", "Norway", "--out", str(work / "brief"), env=env)
        brief = outputs(work / "brief")
        if sorted(brief.values()) != [b"%PDF", b"PK\x03\x04"]:
            raise SystemExit(f"bundle smoke: the brief is not a .docx and a .pdf: {brief}")
        visit = work / "eight.yaml"
        visit.write_text(EIGHT, encoding="utf-8")
        run(cli, "--db", db, "pack", str(visit), "--out", str(work / "pack"), env=env)
        pack = outputs(work / "pack")
        if sorted(pack.values()) != [b"%PDF", b"PK\x03\x04"]:
            raise SystemExit(f"bundle smoke: the pack is not a .docx and a .pdf: {pack}")
        print(f"bundle smoke: store, brief and 8-country pack in "
              f"{time.monotonic() - started:.1f} s")
        app = subprocess.Popen([str(gui), "--db", db], env=env, stderr=subprocess.PIPE,
                               encoding="utf-8", errors="replace")
        try:
            app.wait(timeout=10)  # the app runs until closed: still running is good news
        except subprocess.TimeoutExpired:
            app.terminate()
            _, err = app.communicate(timeout=30)
            if "Traceback" in err:
                raise SystemExit(f"bundle smoke: the app failed:\n{err}") from None
            print("bundle smoke: the app opened and ran for 10 s")
            return 0
        err = app.stderr.read() if app.stderr else ""
        raise SystemExit(f"bundle smoke: the app closed at once ({app.returncode}):\n{err}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Hostile inputs just under the size limit cost bounded memory and time (issue 20).

    python benchmarks/bench_hostile_inputs.py [--mb 31]

Target: every input a little under the size limit (32 MB) fails or succeeds within
500 MB of memory and 10 s, in a briefpack process of its own (the figures are that child's
peak resident memory, its wall time and its CPU time from resource.getrusage: on a
machine shared with other work the CPU time is the one that says what the input costs).
POSIX only (``resource``). The inputs are the
shapes that cost most per byte: a YAML visit file and a YAML packet of tiny list items, a
flow list, a long mapping, a JSON packet of tiny objects, a CSV sheet of empty cells, and
one very long text (few items, so it is parsed: the case that must succeed or fail on its
own merits).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMORY_TARGET_MB, TIME_TARGET_S = 500, 10.0

#: the child: run the CLI, then print its own peak memory in MB: VmHWM on Linux (the peak
#: of this program alone: getrusage's ru_maxrss also counts what the parent held when it
#: forked), else resource.getrusage (kilobytes elsewhere, bytes on macOS)
_CHILD = """
import resource, sys
from briefpack.cli import main
code = main(sys.argv[1:])
try:
    with open('/proc/self/status', encoding='ascii') as status:
        peak = next(int(l.split()[1]) // 1024 for l in status if l.startswith('VmHWM:'))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = peak // (1024 * 1024) if sys.platform == 'darwin' else peak // 1024
print(f"PEAK {peak}", file=sys.stderr)
sys.exit(code)
"""


def shapes(size: int) -> dict[str, tuple[str, list[str]]]:
    """name -> (file content, the command reading it; FILE stands for the file)."""
    header = ("packet: briefpack-country-packet\nschema: 1\ncountry: NOR\n"
              "sections:\n  agreements:\n")
    return {
        "visit YAML, tiny list items": (
            "title: x\nobjectives:\n" + "- a\n" * ((size - 30) // 4), ["build", "FILE"]),
        "visit YAML, flow list": (
            "title: x\nobjectives: [" + "a," * ((size - 30) // 2) + "a]\n",
            ["readout", "FILE"]),
        "priorities YAML, long mapping": (
            "".join(f"k{i}: 1\n" for i in range(size // 11)), ["--priorities", "FILE",
                                                               "rank"]),
        "packet YAML, tiny records": (
            header + "  - {name: a}\n" * ((size - len(header)) // 15), ["import", "FILE"]),
        "packet JSON, tiny objects": (
            '{"packet": "briefpack-country-packet", "sections": {"agreements": ['
            + '{"name":"a"},' * ((size - 100) // 13) + '{"name":"a"}]}}', ["import", "FILE"]),
        "CSV sheet, empty cells": (
            "name,course,year\n" + ",,\n" * ((size - 20) // 3),
            ["import-csv", "alumni", "FILE", "--country", "NOR"]),
        "packet YAML, one long text": (
            header + "  - name: '" + "x" * (size - len(header) - 30) + "'\n",
            ["import", "FILE", "--dry-run"]),
    }


def under_the_item_limit() -> dict[str, tuple[str, list[str]]]:
    """The same shapes with just fewer items than their limit (yamlio.MAX_ITEMS for
    packets and sheets, MAX_FILE_ITEMS for visit files): these are parsed."""
    from briefpack.yamlio import MAX_FILE_ITEMS, MAX_ITEMS

    n, small = MAX_ITEMS - 1000, MAX_FILE_ITEMS - 100
    header = ("packet: briefpack-country-packet\nschema: 1\ncountry: NOR\n"
              "sections:\n  agreements:\n")
    return {
        "visit YAML, tiny list items, under the item limit": (
            "title: x\nobjectives:\n" + "- a\n" * small, ["build", "FILE"]),
        "visit YAML, flow list, under the item limit": (
            "title: x\nobjectives: [" + "a," * small + "a]\n", ["readout", "FILE"]),
        "packet YAML, tiny records, under the item limit": (
            header + "  - {name: a}\n" * (n // 3), ["import", "FILE", "--dry-run"]),
        "packet JSON, tiny objects, under the item limit": (
            '{"packet": "briefpack-country-packet", "sections": {"agreements": ['
            + '{"name":"a"},' * (n // 3) + '{"name":"a"}]}}', ["import", "FILE"]),
        "CSV sheet, under the item limit": (
            "name,course,year\n" + "".join(f"n{i},c,2001\n" for i in range(n // 3)),
            ["import-csv", "alumni", "FILE", "--country", "NOR", "--dry-run"]),
    }


def run(db: Path, path: Path, command: list[str]) -> tuple[float, float, int, int, str]:
    argv = ["--db", str(db), *[str(path) if a == "FILE" else a for a in command]]
    if argv[2] == "--priorities":  # a global option: before the command
        argv = ["--db", str(db), "--priorities", str(path), *argv[4:]]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, *argv], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = next((int(line.split()[1]) for line in done.stderr.splitlines()
                 if line.startswith("PEAK ")), -1)
    said = next((line for line in done.stderr.splitlines() if line.startswith("briefpack:")),
                done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "")
    return wall, cpu, peak, done.returncode, said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=31.0, help="input size (default 31 MB)")
    args = parser.parse_args()
    from briefpack.store import Store

    missed = 0
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "store.db"
        Store.open(db).close()
        cases = {**shapes(int(args.mb * 1024 * 1024)), **under_the_item_limit()}
        for name, (text, command) in cases.items():
            suffix = ".csv" if "CSV" in name else ".json" if "JSON" in name else ".yaml"
            path = Path(folder) / f"input{suffix}"
            path.write_text(text, encoding="utf-8")
            del text
            wall, cpu, peak, code, said = run(db, path, command)
            ok = peak <= MEMORY_TARGET_MB and min(wall, cpu) <= TIME_TARGET_S
            missed += not ok
            print(f"{name} ({path.stat().st_size / 1024 / 1024:.1f} MB, "
                  f"{command[0]}): {wall:.2f} s ({cpu:.2f} s of CPU), {peak} MB peak, "
                  f"exit {code} "
                  f"[target <= {MEMORY_TARGET_MB} MB and {TIME_TARGET_S:g} s: "
                  f"{'met' if ok else 'MISSED'}] {said[:110]}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

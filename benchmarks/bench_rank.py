"""Measure `briefpack rank` scoring time against its targets.

    python benchmarks/bench_rank.py [--store PATH] [--repeat 5]

Reading the store and scoring are timed apart; the targets are for scoring (the best of
``--repeat`` runs): under 200 ms on the sample store, under 1 s on a department-scale store
(made by make_store.py into a temporary folder unless --store names one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.make_store import make_store  # noqa: E402
from briefpack.priorities import load_priorities  # noqa: E402
from briefpack.scoring import rank  # noqa: E402
from briefpack.store import Store  # noqa: E402

TODAY = dt.date(2026, 4, 1)


def best_of(repeat: int, work) -> tuple[float, object]:
    """The fastest of ``repeat`` runs in milliseconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best, result


def measure(label: str, store: Store, target_ms: float, repeat: int) -> bool:
    priorities = load_priorities()
    read_ms, files = best_of(repeat, store.country_files)
    score_ms, cards = best_of(repeat, lambda: rank(files, priorities, today=TODAY))
    records = sum(len(cf.agreements) + len(cf.alumni) + len(cf.export_opportunities)
                  + len(cf.engagements)
                  + len(cf.interlocutors) for cf in files)
    ok = score_ms < target_ms
    print(f"rank, {label}: {score_ms:.0f} ms (target < {target_ms:.0f} ms) "
          f"{'OK' if ok else 'TOO SLOW'}; {len(files)} countries, {records:,} records; "
          f"reading the store {read_ms:.0f} ms; top: "
          + ", ".join(c.country_code for c in cards[:5]))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time rank() against its targets.")
    parser.add_argument("--store", type=Path, help="a department-scale store to use "
                        "(default: make one with make_store.py in a temporary folder)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (default: 5)")
    args = parser.parse_args(argv)

    sample = Store.memory(seed=True)
    ok = measure("sample store", sample, 200, args.repeat)
    sample.close()

    with tempfile.TemporaryDirectory() as folder:
        path = args.store
        if path is None:
            started = time.perf_counter()
            path = make_store(Path(folder) / "full.db")
            made = time.perf_counter() - started
            print(f"make_store, department scale: {made:.1f} s (target < 10 s) "
                  f"{'OK' if made < 10 else 'TOO SLOW'}")
        full = Store.open(path, create=False)
        ok &= measure("department-scale store", full, 1000, args.repeat)
        full.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

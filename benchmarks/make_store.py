"""Write a synthetic store at department scale, for benchmarks.

Every country of data/countries.yaml (names from pycountry, regions and memberships from the
shipped index) with 20,000 alumni, 2,000 agreements, 3,000 export opportunities, 5,000
engagements and 2,000 interlocutors at scale 1.0. Names are obviously synthetic
("Synthetic Alumnus 00017"), every record's source is "synthetic", and the same seed always
gives the same store.

    python benchmarks/make_store.py PATH [--scale 1.0] [--seed 2026]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

import pycountry

if __package__ in (None, ""):  # run as a script: make `briefpack` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefpack import model, paths, yamlio  # noqa: E402
from briefpack.store import Store  # noqa: E402
from briefpack.store.rows import to_row  # noqa: E402

COUNTS = {"alumni": 20_000, "agreements": 2_000, "export_opportunities": 3_000,
          "engagements": 5_000, "interlocutors": 2_000}
SOURCE = "synthetic"
STAMP = {"updated_at": "2026-03-01T00:00:00+00:00", "updated_by": "benchmarks/make_store.py",
         "origin": "import"}
EPOCH = dt.date(2026, 3, 1)
AGREEMENT_KINDS = ("strategic agreement", "defence co-operation agreement", "industrial agreement",
                   "capability partnership", "memorandum of understanding", "nuclear agreement")
ENGAGEMENT_KINDS = ("visit", "talks", "exercise", "training", "forum", "ship visit")
COURSES = (("Royal College of Defence Studies", "RCDS"), ("Defence Academy", "ACSC"),
           ("Royal Military Academy Sandhurst", "Commissioning Course"),
           ("Britannia Royal Naval College Dartmouth", "International Fleet Course"),
           ("Royal Air Force Cranwell", "Initial Officer Training"))


def make_store(path: Path | str, scale: float = 1.0, *, seed: int = 2026) -> Path:
    """Write the synthetic store to ``path`` (replacing any file there); return the path."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    countries = _countries(rng)
    store = Store.open(path, seed=False)
    try:
        with store.transaction():
            store.db["countries"].insert_all(to_row(c) for c in countries)
            # a few countries hold most records, as in life: weight by a long-tailed draw
            codes = [c.code for c in countries]
            weights = [rng.paretovariate(1.2) for _ in codes]
            for table, count in COUNTS.items():
                rows = (_row(table, i, rng.choices(codes, weights)[0], rng)
                        for i in range(1, max(1, round(count * scale)) + 1))
                store.db[table].insert_all(rows, batch_size=1000)
    finally:
        store.close()
    return path


def _countries(rng: random.Random) -> list[model.Country]:
    """Countries of the shipped index, named from pycountry."""
    index = yamlio.load(paths.data_dir() / "countries.yaml")
    out = []
    for entry in index:
        iso = pycountry.countries.get(alpha_3=entry["code"])
        if iso is None:
            continue
        memberships = tuple(entry.get("memberships") or ())
        section = entry.get("defence_section") or "unknown"
        if section == "unknown":
            section = rng.choice(("resident", "resident", "non-resident", "none"))
        out.append(model.Country(
            code=iso.alpha_3, alpha2=iso.alpha_2, name=getattr(iso, "common_name", iso.name),
            region=entry["region"], memberships=memberships, defence_section=section,
            priority_tier=entry.get("priority_tier"), source=SOURCE, **STAMP))
    return out


def _date(rng: random.Random, back_days: int, ahead_days: int = 0) -> dt.date:
    return EPOCH + dt.timedelta(days=rng.randint(-back_days, ahead_days))


def _row(table: str, n: int, code: str, rng: random.Random) -> dict:
    """One synthetic record as a store row."""
    common = {"id": n, "country": code, "source": SOURCE, **STAMP}
    if table == "alumni":
        institution, course = rng.choice(COURSES)
        record = model.Alumnus(name=f"Synthetic Alumnus {n:05d}", course=course,
                               institution=institution, year=rng.randint(1985, 2025),
                               appointment=f"Synthetic Appointment {n:05d}",
                               senior=rng.random() < 0.15,
                               review_date=_date(rng, 365, 730), **common)
    elif table == "agreements":
        kind = rng.choice(AGREEMENT_KINDS)
        record = model.Agreement(
            name=f"Synthetic Agreement {n:05d}", kind=kind, signed=_date(rng, 20 * 365),
            status=rng.choices(("active", "planned", "expired"), (6, 1, 2))[0],
            strategic=kind == "strategic agreement",
            value_gbp=rng.choice((None, rng.randint(1, 2000) * 1e6)),
            jobs=rng.choice((None, rng.randint(10, 3000))), **common)
    elif table == "export_opportunities":
        record = model.ExportOpportunity(
            programme=f"Synthetic Programme {n:05d}", company=f"Synthetic Company {n % 97:02d}",
            value_gbp=rng.randint(1, 5000) * 1e6, quantity=rng.randint(1, 40),
            jobs=rng.randint(0, 4000), stage=rng.choice(model.EXPORT_STAGES), **common)
    elif table == "engagements":
        status = "planned" if rng.random() < 0.1 else "past"
        when = _date(rng, 6 * 365) if status == "past" else _date(rng, -1, 365)
        record = model.Engagement(
            title=f"Synthetic Engagement {n:05d}", date=when, kind=rng.choice(ENGAGEMENT_KINDS),
            level=rng.choice(model.ENGAGEMENT_LEVELS), status=status, **common)
    else:
        record = model.Interlocutor(name=f"Synthetic Interlocutor {n:05d}",
                                    role=f"Synthetic Role {n:05d}",
                                    last_met=rng.choice((None, _date(rng, 3 * 365))),
                                    review_date=_date(rng, 365, 730), **common)
    return to_row(record)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="where to write the store (replaced)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every record count by this (default: 1.0)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    make_store(args.path, args.scale, seed=args.seed)
    seconds = time.perf_counter() - started
    print(f"wrote {args.path} at scale {args.scale:g} in {seconds:.1f} s (target < 10 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

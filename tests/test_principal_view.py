"""What the principal sees (issue 21, item 5): no score of the host country by default; how
the visit serves the strategy in words; the scores an analyst's annex built on request."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefpack import model
from briefpack.brief.document import Bullets, Heading, Paragraph
from briefpack.options import BuildOptions
from briefpack.pipeline import build, build_pack, run
from briefpack.store import Store

ROOT = Path(__file__).resolve().parent.parent
NORWAY = ROOT / "data" / "visits" / "2026-11-norway-secretary-of-state.yaml"
TOUR = ROOT / "data" / "visits" / "2026-12-nordic-baltic-tour.yaml"
TODAY = dt.date(2026, 11, 20)
GRADES = re.compile(r"\b(Green|Amber|Red)\b|measured\)|Insufficient data|Scorecard|"
                    r"Priority score|how this score was made", re.IGNORECASE)


def _visit(db, path):
    from briefpack.visits import load_visit

    store = Store.open(db)
    try:
        return load_visit(path, store)
    finally:
        store.close()


def _brief(db, tmp_path, **options):
    result = run(build(db, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out",
                                        today=TODAY, **options), visit=_visit(db, NORWAY)))
    return result.briefs[0], result.outputs[0]


def _pack(db, tmp_path, **options):
    result = run(build_pack(db, BuildOptions(formats=("pdf",), out_dir=tmp_path / "pack",
                                             today=TODAY, **options), visit=_visit(db, TOUR)))
    return result.briefs[0], result.outputs[0]


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def test_the_norway_brief_grades_no_host_and_says_how_the_visit_serves(seeded_db, tmp_path):
    brief, pdf = _brief(seeded_db, tmp_path)
    text = brief.text()
    assert not GRADES.search(text), GRADES.search(text)
    headings = [b.text for b in brief.blocks if isinstance(b, Heading)]
    assert "How this visit serves the strategy" in headings
    at = headings.index("How this visit serves the strategy")
    serves = next(b for b in brief.blocks[[i for i, b in enumerate(brief.blocks)
                                           if isinstance(b, Heading)][at]:]
                  if isinstance(b, Bullets))
    growth = next(line for line in serves.items if line.startswith("Secure and resilient"))
    assert "This visit: objective 2." in growth
    assert "Anti-Submarine Warfare frigates" in growth and "(as of 1 March 2026)" in growth
    assert "Lunna House, announced 4 December 2025" in growth
    # the pages that held the scores are gone: at least three fewer than with the annex
    _, scored = _brief(seeded_db, tmp_path / "scored", score_annex=True)
    assert _pages(pdf) <= _pages(scored) - 3


def test_the_analysts_annex_is_built_on_request_at_the_end(seeded_db, tmp_path):
    brief, pdf = _brief(seeded_db, tmp_path, score_annex=True)
    headings = [b.text for b in brief.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings[-2:] == ["Priority scorecard", "Annex: how this score was made"]
    assert "Scorecard at a glance" in [b.text for b in brief.blocks if isinstance(b, Heading)]
    plain, plain_pdf = _brief(seeded_db, tmp_path / "plain")
    assert _pages(pdf) > _pages(plain_pdf)


def test_the_pack_carries_no_score_unless_asked(seeded_db, tmp_path):
    pack, pdf = _pack(seeded_db, tmp_path)
    text = pack.text()
    assert not GRADES.search(text), GRADES.search(text)
    assert text.count("How this visit serves the strategy") == 3  # one per destination
    scored, scored_pdf = _pack(seeded_db, tmp_path / "scored", score_annex=True)
    assert "Scorecard comparison" in scored.text() and "Priority score" in scored.text()
    assert _pages(scored_pdf) > _pages(pdf)


def test_the_brief_says_what_the_visit_leaves_on_the_table(seeded_db, tmp_path):
    store = Store.open(seeded_db)
    store.save(model.ExportOpportunity(country="NOR", programme="Sea Venom missiles",
                                       value_gbp=2e9, stage="negotiation"))
    store.save(model.Agreement(country="NOR", name="Secret accord", kind="strategic agreement",
                               strategic=True, marking="OFFICIAL-SENSITIVE"))
    store.close()
    brief, _ = _brief(seeded_db, tmp_path, ceiling="OFFICIAL")
    raise_ = [b.text for b in brief.blocks if isinstance(b, Paragraph)
              and b.text.startswith("You could also raise")]
    assert len(raise_) == 1
    assert raise_[0].startswith("You could also raise: Sea Venom missiles, negotiation, £2 "
                                "billion (as of ")
    # a record above the ceiling is never offered
    assert "Secret accord" not in brief.text()


def test_cli_build_and_pack_take_score_annex(cli, seeded_db, tmp_path):
    code, out, _ = cli("--db", seeded_db, "build", NORWAY, "--format", "pdf", "--out",
                       tmp_path / "a", "--score-annex")
    assert code == 0
    text = _pdf_text(Path(out.split()[0]))
    assert "Priority scorecard" in text
    code, out, _ = cli("--db", seeded_db, "build", NORWAY, "--format", "pdf", "--out",
                       tmp_path / "b")
    assert "Priority scorecard" not in _pdf_text(Path(out.split()[0]))


def _pdf_text(pdf: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("checked", [False, True])
def test_the_app_check_box_asks_for_the_annex(qtbot, checked):
    from PySide6.QtGui import QUndoStack

    from briefpack.app.visit_planner import VisitPlanner

    planner = VisitPlanner(QUndoStack())
    qtbot.addWidget(planner)
    planner.scores.setChecked(checked)
    assert planner.build_options().score_annex is checked

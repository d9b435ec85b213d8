"""Issue 11: a country record marked above the ceiling leaks nothing derived from it.

Norway's own record is raised to OFFICIAL-SENSITIVE and given a sentinel co-lead, a
sentinel fact and a priority tier. Briefs and packs at OFFICIAL, with or without the
sensitive annex, must show none of its memberships, co-leads, tier or anything derived
(the scorecard, the steering summary, the pack's comparison, bookmarks, metadata).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile

import pytest
from pypdf import PdfReader

from briefpack.options import BuildOptions
from briefpack.pipeline import build, build_pack, run
from briefpack.store import Store
from briefpack.visits import load_visit

from briefpack import paths

SENTINEL = "Sentinel Coalition Zq7731"
TODAY = dt.date(2026, 11, 20)
#: words only the country record (or a score derived from it) could have put there
DERIVED = (SENTINEL, "Sentinel fact", "Priority tier 1", "priority tier 1", "Member of NATO",
           "Member of JEF", "Co-leads the", "Maritime Capability Coalition with the UK")


@pytest.fixture
def planted(tmp_path):
    db = tmp_path / "s.db"
    store = Store.open(db)
    norway = store.country("NOR")
    store.save(dataclasses.replace(
        norway, co_leads=(*norway.co_leads, SENTINEL),
        summary=norway.summary + "\nSentinel fact: only for OFFICIAL-SENSITIVE readers.",
        marking="OFFICIAL-SENSITIVE"), user="tester")
    store.set_judgement("NOR", priority_tier=1, user="tester")
    store.close()
    return db


def _pdf_words(path) -> str:
    reader = PdfReader(path)
    text = " ".join(page.extract_text() for page in reader.pages)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())

    def outline(items) -> str:
        return " ".join(outline(i) if isinstance(i, list) else i.title for i in items)

    return " ".join(f"{text} {meta} {outline(reader.outline)}".split())


def _docx_words(path) -> str:
    with zipfile.ZipFile(path) as z:
        return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                        if n.endswith(".xml"))


def _words(outputs) -> str:
    return " ".join(_pdf_words(p) if p.suffix == ".pdf" else _docx_words(p) for p in outputs)


@pytest.mark.parametrize("annex", [False, True], ids=["ceiling", "ceiling+annex"])
def test_brief_at_official_shows_nothing_derived_from_the_country_record(planted, tmp_path,
                                                                        annex):
    # with the analyst's annex, whose scores would derive from the country record
    options = BuildOptions(formats=("pdf", "docx"), out_dir=tmp_path / "out", today=TODAY,
                           ceiling="OFFICIAL", sensitive_annex=annex, score_annex=True)
    result = run(build(planted, options, country="NOR"))
    (brief,) = result.briefs
    assert brief.marking == "OFFICIAL"
    words = _words(result.outputs)
    for derived in DERIVED:
        assert derived not in words, derived
    assert "country's own record is marked above" in brief.text()  # said, not shown


def test_the_annex_alone_shows_the_country_record(planted, tmp_path):
    options = BuildOptions(formats=("pdf",), out_dir=tmp_path / "out", today=TODAY,
                           sensitive_annex=True)
    result = run(build(planted, options, country="NOR"))
    (brief,) = result.briefs
    assert brief.marking.startswith("OFFICIAL-SENSITIVE")
    assert brief.facts.body_marking == "OFFICIAL"
    body, _, annex = brief.text().partition("Annex: OFFICIAL-SENSITIVE material")
    assert SENTINEL in annex and SENTINEL not in body


def test_scores_derived_from_the_country_record_carry_its_marking(planted, tmp_path):
    options = BuildOptions(formats=("pdf",), out_dir=tmp_path / "out", today=TODAY)
    result = run(build(planted, options, country="NOR"))
    (brief,) = result.briefs
    assert brief.marking.startswith("OFFICIAL-SENSITIVE")


def test_pack_at_official_shows_nothing_derived_from_the_country_record(planted, tmp_path):
    store = Store.open(planted)
    visit = load_visit(paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml", store)
    store.close()
    options = BuildOptions(formats=("pdf", "docx"), out_dir=tmp_path / "out", today=TODAY,
                           ceiling="OFFICIAL")
    result = run(build_pack(planted, options, visit=visit, workers=1))
    words = _words(result.outputs)
    # Denmark and Latvia are NATO allies in their own right: only Norway's words count
    for derived in (SENTINEL, "Sentinel fact", "Priority tier 1", "priority tier 1",
                    "Co-leads the Maritime Capability Coalition"):
        assert derived not in words, derived
    assert all(b.marking.startswith("OFFICIAL") and "SENSITIVE" not in b.marking
               for b in result.briefs)

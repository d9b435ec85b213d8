"""Packs take the same content options as briefs: redaction and the sensitive annex."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from briefpack import model
from briefpack.pipeline import BuildOptions, build_pack, run
from briefpack.store import Store
from briefpack.visits import load_visit
from test_ceiling_e2e import places

TOUR = (Path(__file__).resolve().parent.parent / "data" / "visits"
        / "2026-12-nordic-baltic-tour.yaml")
PERSON = "Sentinel Alumnus Qx7"
SECRETISH = "SENTINEL-SENSITIVE-PACK-Zq4"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "store.db"
    store = Store.open(path)
    store.save(model.Alumnus(country="NOR", name=PERSON, appointment="Chief of Defence",
                             senior=True))
    store.save(model.Agreement(country="DNK", name=SECRETISH, marking="OFFICIAL-SENSITIVE"))
    visit = load_visit(TOUR, store)
    store.close()
    return path, visit


def pack_files(planted, out, **options):
    path, visit = planted
    options = BuildOptions(out_dir=out, author="test.user", **options)
    return list(run(build_pack(path, options, visit=visit)).outputs)


def test_redacted_pack_leaves_people_and_the_author_out(planted, tmp_path):
    plain = pack_files(planted, tmp_path / "plain")
    assert places(plain, PERSON), "the sentinel must be findable in the plain pack"
    redacted = pack_files(planted, tmp_path / "redacted", redact_personal=True)
    assert all(p.stem.endswith("-redacted") for p in redacted)
    assert places(redacted, PERSON) == []
    assert places(redacted, "test.user") == []
    pdf = next(p for p in redacted if p.suffix == ".pdf")
    assert not PdfReader(pdf).metadata.get("/Author")


def test_sensitive_annex_keeps_sensitive_content_after_the_annex_heading(planted, tmp_path):
    files = pack_files(planted, tmp_path / "annex", sensitive_annex=True, formats=("pdf",))
    reader = PdfReader(files[0])
    pages = [page.extract_text() for page in reader.pages]
    hits = [i for i, text in enumerate(pages) if SECRETISH in text]
    annex = [i for i, text in enumerate(pages) if "Annex: OFFICIAL-SENSITIVE material" in text]
    assert hits and annex and min(hits) >= min(annex)

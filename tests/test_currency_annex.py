"""The brief's data-currency annex reads the store's refresh records."""

import datetime as dt

from pypdf import PdfReader

from briefpack.pipeline import BuildOptions, build, run
from briefpack.store import Store


def annex_text(db, tmp_path, today):
    result = run(build(db, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out", today=today),
                       country="NOR"))
    reader = PdfReader(result.outputs[0])
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text.split("Annex: sources and data currency")[-1]


def test_annex_shows_who_refreshed_each_section_and_flags_stale_ones(tmp_path):
    db = tmp_path / "s.db"
    store = Store.open(db)
    store.mark_refreshed("NOR", ["agreements"], user="defence.section.oslo",
                         at="2026-01-10T09:00:00+00:00")
    store.close()
    text = annex_text(db, tmp_path, dt.date(2026, 11, 25))
    assert "defence.section.oslo" in text and "10 January 2026" in text
    assert "Stale: 319 days old" in text
    # the sections the sample filled carry its source's date, not the store's creation
    assert "1 March 2026" in text and "Stale: 269 days old" in text


def test_store_wide_stale_age_is_configurable(tmp_path):
    db = tmp_path / "s.db"
    store = Store.open(db)
    store.mark_refreshed("NOR", ["agreements"], user="x", at="2026-09-01T09:00:00+00:00")
    store.set_stale_after_days(30)
    store.close()
    assert "Stale: 85 days old" in annex_text(db, tmp_path, dt.date(2026, 11, 25))

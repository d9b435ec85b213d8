"""Issue 22: a country's background in prose, written and refreshed by its defence section,
with its own date and marking: held in the store, carried by packets, shown and edited in
the app's country view."""

import datetime as dt

from briefpack import model
from briefpack.store.packets import apply_import, export_packet, parse_packet, plan_import


def test_the_sample_holds_a_dated_background_for_norway(sample_store):
    (background,) = sample_store.records("backgrounds", "NOR")
    assert background.date == dt.date(2026, 3, 1)
    assert background.marking == "OFFICIAL" and "Strategy" in background.source
    paragraphs = background.text.split("\n\n")
    assert len(paragraphs) == 2 and paragraphs[0].startswith("Norway is a NATO ally")
    assert "backgrounds" in {s.section for s in sample_store.currency("NOR")}


def test_a_background_has_its_own_marking_and_travels_in_packets(sample_store):
    saved = sample_store.save(model.Background(
        country="FRA", text="First paragraph.\n\nSecond paragraph.",
        date=dt.date(2026, 11, 1), marking="OFFICIAL-SENSITIVE"), user="section")
    assert sample_store.get("backgrounds", saved.id).marking == "OFFICIAL-SENSITIVE"
    text = export_packet(sample_store, "FRA")
    assert "backgrounds:" in text and "Second paragraph." in text

    def newer(packet_text):
        return packet_text.replace("Second paragraph.", "Second paragraph, refreshed.")

    plan = plan_import(sample_store, parse_packet(newer(text)))
    assert [(c.kind, c.table) for c in plan.changes] == [("changed", "backgrounds")]
    apply_import(sample_store, plan, user="importer")
    (background,) = sample_store.records("backgrounds", "FRA")
    assert background.text.endswith("refreshed.")
    assert background.marking == "OFFICIAL-SENSITIVE"


def test_the_app_shows_the_latest_background_and_a_tab_to_edit_it(sample_store, qtbot):
    from PySide6.QtGui import QUndoStack

    from briefpack.app.country_view import CountryView, summary_html
    from briefpack.app.domain import CountryStatus

    older = model.Background(country="NOR", text="An older text.", date=dt.date(2025, 1, 1))
    sample_store.save(older)
    cf = sample_store.country_file("NOR")
    page = summary_html(cf.country, CountryStatus(None, ""), cf.actions, cf.backgrounds)
    assert "Background (as of 1 March 2026; OFFICIAL)" in page
    assert "<p>Norway is a NATO ally" in page and "An older text." not in page
    view = CountryView(QUndoStack())
    qtbot.addWidget(view)
    view.show_country(cf)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert "Background (2)" in titles

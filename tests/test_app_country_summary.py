"""The country summary tab speaks the user's words, not the store's table names."""

from briefpack import model
from briefpack.app.country_view import summary_html
from briefpack.app.domain import CountryStatus


def test_the_stale_warning_names_sections_by_their_labels(qtbot):
    status = CountryStatus(None, "", ("country", "export_opportunities", "engagements"), "")
    page = summary_html(model.Country(code="NOR", name="Norway"), status)
    assert "Warning: stale data</b> in country facts, export opportunities, engagements." \
        in page
    assert "export_opportunities" not in page


def test_no_stale_warning_when_every_section_is_current(qtbot):
    page = summary_html(model.Country(code="NOR", name="Norway"), CountryStatus(None, ""))
    assert "stale" not in page

"""Issue 22: the brief a private secretary hands over unedited. Pen portraits in prose
(who's who stays one line per person), the defence section's background after the
programme, overdue actions flagged, page one saying only how current the data is (its
staleness a build warning), and a visit written from the README alone (Japan and
Australia) building as a brief and a pack."""

import dataclasses
import datetime as dt
from pathlib import Path

from briefpack import model, paths
from briefpack.brief.document import Heading, Paragraph, Table, block_text
from briefpack.options import BuildOptions
from briefpack.pipeline import assemble_brief, build, build_pack, run
from briefpack.priorities import load_priorities
from briefpack.readout import apply_readout
from briefpack.templates import load_template
from briefpack.visits import load_visit
from fixtures_briefs import section_blocks

HERE = Path(__file__).parent
README_VISIT = HERE / "visit_japan_australia.yaml"
NORWAY = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"
TODAY = dt.date(2026, 11, 1)


def _brief(store, code, visit=None, today=TODAY, **options):
    brief, _ = assemble_brief(store.country_file(code), template=load_template("standard"),
                              priorities=load_priorities(), visit=visit,
                              options=BuildOptions(today=today, **options),
                              currency=store.currency(code))
    return brief


def _words(blocks):
    return "\n".join(block_text(b) for b in blocks)


def test_pen_portraits_are_prose_and_whos_who_one_line_a_person(sample_store):
    visit = load_visit(README_VISIT, sample_store)
    brief = _brief(sample_store, "JPN", visit)
    blocks = section_blocks(brief, "Who's who")
    table = next(b for b in blocks if isinstance(b, Table))
    assert [c.title for c in table.columns] == ["Name", "Role", "Pronunciation",
                                                "UK course alumnus"]
    assert "Biography" not in [c.title for c in table.columns]
    heading = blocks.index(Heading("Hanako Exampleson, Minister of Defense", 2))
    prose = blocks[heading + 1]
    assert isinstance(prose, Paragraph)
    assert prose.text.startswith("An invented minister for tests")
    assert "Pronounced ha-NA-ko. Works in Japanese, English." in prose.text
    assert _words(blocks[heading + 2:heading + 4]) == (
        "Points for them:\nThe UK is committed to GCAP with Japan and Italy.")
    # redacted: roles only, no portrait
    redacted = _words(section_blocks(_brief(sample_store, "JPN", visit,
                                            redact_personal=True), "Who's who"))
    assert "Hanako" not in redacted and "invented minister" not in redacted


def test_the_background_follows_the_programme_or_says_once_there_is_none(sample_store):
    visit = load_visit(NORWAY, sample_store)
    brief = _brief(sample_store, "NOR", visit)
    headings = [b.text for b in brief.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings.index("Background") == headings.index("Programme") + 1
    words = _words(section_blocks(brief, "Background"))
    assert words.startswith("Norway is a NATO ally")
    assert "As of 1 March 2026. Source: Defence Diplomacy Strategy 2026" in words
    # above the ceiling: withheld and counted like any record
    (held,) = sample_store.records("backgrounds", "NOR")
    sample_store.save(dataclasses.replace(held, marking="OFFICIAL-SENSITIVE"))
    releasable = _brief(sample_store, "NOR", visit, ceiling="OFFICIAL")
    assert "NATO ally" not in _words(section_blocks(releasable, "Background"))
    assert releasable.facts.withheld.get("Background") == 1
    # none held: one line says so, nothing padded
    none = _words(section_blocks(_brief(sample_store, "DNK"), "Background"))
    assert none == "No background is held for Denmark: ask the defence section for one."


def test_overdue_actions_are_flagged_in_since_we_last_met(sample_store):
    visit = dataclasses.replace(load_visit(NORWAY, sample_store), actions=(
        model.ReadoutAction("Send the work plan", owner="Private Office",
                            due=dt.date(2026, 12, 1)),))
    apply_readout(sample_store, visit, today=dt.date(2026, 11, 27), backup=False)
    late = section_blocks(_brief(sample_store, "NOR", today=dt.date(2026, 12, 7)),
                          "Since we last met")
    table = next(b for b in late if isinstance(b, Table))
    assert table.rows[0][0] == "Send the work plan" and "open, overdue" in table.rows[0]
    early = section_blocks(_brief(sample_store, "NOR", today=dt.date(2026, 11, 30)),
                           "Since we last met")
    assert "overdue" not in _words(early)


def test_page_one_says_how_current_and_the_build_warns_of_stale_data(sample_store,
                                                                     tmp_path):
    brief = _brief(sample_store, "NOR", today=dt.date(2026, 12, 7))
    front = _words(brief.blocks[:6])
    assert "Data as of: March 2026 (sample data: source dated March 2026)" in front
    assert "stale" not in brief.text().split("Annex: sources")[0].lower()
    result = run(build(sample_store, BuildOptions(formats=["docx"], out_dir=tmp_path,
                                                  today=dt.date(2026, 12, 7)),
                       country="NOR"))
    (warning,) = [w for w in result.warnings if "stale" in w]
    assert warning.startswith("The NOR brief shows stale data: ")
    assert "Country facts (281 days)" in warning and "Ask the defence section" in warning


def test_the_visit_written_from_the_readme_builds_a_brief_and_a_pack(sample_store,
                                                                    tmp_path):
    visit = load_visit(README_VISIT, sample_store)
    assert visit.countries == ("JPN", "AUS") and len(visit.people) == 2
    options = BuildOptions(out_dir=tmp_path, today=TODAY, formats=["pdf", "docx"])
    briefs = run(build(sample_store, options, visit=visit))
    assert sorted(p.name for p in briefs.outputs) == [
        "2026-11-09-AUS-standard.docx", "2026-11-09-AUS-standard.pdf",
        "2026-11-09-JPN-standard.docx", "2026-11-09-JPN-standard.pdf"]
    japan = briefs.briefs[0].text()
    assert "Hanako Exampleson, Minister of Defense" in japan and "Sam Madeup" not in japan
    assert "Version: 2 (draft)" in japan
    pack = run(build_pack(sample_store, dataclasses.replace(options, out_dir=tmp_path / "p"),
                          visit=visit))
    assert sorted(p.suffix for p in pack.outputs) == [".docx", ".pdf"]
    assert not sample_store.records("interlocutors", "JPN")  # stored on save or readout


def _pdf_sizes(path):
    from pypdf import PdfReader
    sizes = {}
    for page in PdfReader(path).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                sizes.setdefault(round(size * (tm[3] or 1) * (cm[3] or 1), 1), text.strip())
        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_page_lines_are_as_large_as_the_text(tmp_path):
    from briefpack.brief.document import Brief
    from briefpack.render.pdf import render_pdf

    brief = Brief(title="T", marking="OFFICIAL", base_font_size=14,
                  blocks=(Heading("Large print"), Paragraph("Body text.")))
    render_pdf(brief, tmp_path / "large.pdf")
    sizes = _pdf_sizes(tmp_path / "large.pdf")
    assert min(sizes) >= 14, sizes
    render_pdf(dataclasses.replace(brief, base_font_size=12), tmp_path / "normal.pdf")
    assert min(_pdf_sizes(tmp_path / "normal.pdf")) < 12  # the standard page line is small


def test_japanese_prints_in_a_fallback_font_and_arabic_is_a_named_warning(sample_store,
                                                                         tmp_path):
    from pypdf import PdfReader

    from briefpack.render.pdf.style import cjk_font

    text = README_VISIT.read_text(encoding="utf-8").replace(
        "(防衛大臣).", "(防衛大臣); her ministry: وزارة.")
    path = tmp_path / "visit.yaml"
    path.write_text(text, encoding="utf-8")
    visit = load_visit(path, sample_store)
    result = run(build(sample_store, BuildOptions(out_dir=tmp_path / "out", today=TODAY,
                                                  formats=["pdf"]), visit=visit))
    (warning,) = [w for w in result.warnings if "cannot print" in w]
    assert warning.startswith("The JPN brief's PDF cannot print 5 characters")
    assert "Who's who: و ز ا ر ة" in warning
    pdf = next(p for p in result.outputs if p.name.endswith("JPN-standard.pdf"))
    words = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    if cjk_font() is None:  # no CJK font on this computer: named in the warning instead
        assert "防" in warning
    else:
        assert "防衛大臣" in words and "防" not in warning


def test_an_agreement_is_dated_as_its_source_says(sample_store):
    from briefpack.brief.sections.relationship import when_agreed

    table = next(b for b in section_blocks(_brief(sample_store, "NOR"), "Active agreements")
                 if isinstance(b, Table))
    assert [c.title for c in table.columns][:3] == ["Name", "Type", "Date"]
    assert table.rows[0][2] == "announced 4 December 2025"  # Lunna House: not signed
    signed = model.Agreement(country="FRA", name="X", signed=dt.date(2025, 7, 10))
    assert when_agreed(signed) == "signed 10 July 2025"

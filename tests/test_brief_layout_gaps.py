"""What a reader sees of gaps in the data: no empty columns, no empty sections, no
wrapped day names. Checked in the Brief model and read back from the .docx and the .pdf."""

import re

import pytest

from briefpack import cli, model, paths

docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")

NORWAY_VISIT = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"
TOUR = paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml"
EMPTY_SHELL = re.compile(r"No (interlocutors|active agreements|alumni|opportunities) recorded")


def _build(store, tmp_path, capsys, *argv):
    db = store.backup_to(tmp_path / "store.db")
    out = tmp_path / "out"
    assert cli.main(["--db", str(db), *argv, "--out", str(out)]) == 0
    written = capsys.readouterr().out.split()
    return (next(p for p in written if p.endswith(".docx")),
            next(p for p in written if p.endswith(".pdf")))


def _docx_headers(path):
    """The header row of every table in the .docx."""
    return [[c.text for c in t.rows[0].cells] for t in docx.Document(path).tables]


def _docx_text(path):
    document = docx.Document(path)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_lines(path):
    return [line.strip() for page in pypdf.PdfReader(path).pages
            for line in (page.extract_text() or "").splitlines()]


def _header_of(headers, column):
    return next(h for h in headers if column in h)


def test_columns_no_row_fills_are_left_out_of_both_outputs(sample_store, tmp_path, capsys):
    word, pdf = _build(sample_store, tmp_path, capsys, "build", str(NORWAY_VISIT))
    headers = _docx_headers(word)
    agreements = _header_of(headers, "What it commits")
    exports = _header_of(headers, "Programme")
    assert "Value" not in agreements and "UK jobs" not in agreements
    assert not {"UK company", "Next milestone", "Lead"} & set(exports)
    assert "Stage" in exports  # the columns with data stay
    text = " ".join(_pdf_lines(pdf))
    # the PDF carries the same header rows
    assert " ".join(agreements) + " Lunna House" in text
    assert " ".join(exports) + " Anti-Submarine Warfare frigates" in text


def test_a_column_one_row_fills_is_kept(sample_store, tmp_path, capsys):
    sample_store.save(model.Agreement(country="NOR", name="Fictional test arrangement",
                                      status="active", value_gbp=1_000_000, jobs=12))
    word, pdf = _build(sample_store, tmp_path, capsys, "build", str(NORWAY_VISIT))
    agreements = _header_of(_docx_headers(word), "What it commits")
    assert "Value" in agreements and "UK jobs" in agreements
    assert " ".join(agreements) in " ".join(_pdf_lines(pdf))


def test_logistics_are_grouped_by_day_with_the_day_on_one_line(sample_store, tmp_path,
                                                                capsys):
    word, pdf = _build(sample_store, tmp_path, capsys, "build", str(NORWAY_VISIT))
    headers = _docx_headers(word)
    assert not any("Day" in h for h in headers)  # no narrow Day column anywhere
    logistics = [h for h in headers if "Move or timing" in h]
    assert len(logistics) == 2  # one table per day of the visit
    lines = _pdf_lines(pdf)
    assert lines.count("Wednesday 25 November") >= 2  # programme and logistics captions
    assert "Wednesday 25" not in lines and "Wednesday" not in lines  # never wrapped
    assert "Wednesday 25 November" in _docx_text(word)


def test_no_empty_whos_who_when_the_calls_name_the_roles(sample_store, tmp_path, capsys):
    word, pdf = _build(sample_store, tmp_path, capsys, "build", str(NORWAY_VISIT))
    for text in (_docx_text(word), " ".join(_pdf_lines(pdf))):
        assert not EMPTY_SHELL.search(text)
        assert "Minister of Defence of Norway" in text  # the call's who's who
        assert ("Left out because there are no records to show: Who's who; "
                "Alumni of UK military education.") in " ".join(text.split())
    headings = [p.text for p in docx.Document(word).paragraphs
                if p.style.name == "Heading 1"]
    assert "Who's who" not in headings and "Calls" in headings


def test_whos_who_stays_when_there_are_interlocutors(sample_store, tmp_path, capsys):
    sample_store.save(model.Interlocutor(country="NOR", name="Testa Fictionalsen",
                                         role="Fictional Minister"))
    word, _ = _build(sample_store, tmp_path, capsys, "build", "NOR")
    headings = [p.text for p in docx.Document(word).paragraphs
                if p.style.name == "Heading 1"]
    assert "Who's who" in headings
    assert "Left out because there are no records to show: Alumni" in " ".join(
        _docx_text(word).split())


def test_pack_has_no_empty_record_sections(sample_store, tmp_path, capsys):
    word, pdf = _build(sample_store, tmp_path, capsys, "pack", str(TOUR))
    pdf_text = " ".join(" ".join(_pdf_lines(pdf)).split())
    for text in (_docx_text(word), pdf_text):
        assert not EMPTY_SHELL.search(text)
    # Latvia has none of these: each country's sources annex names them once
    assert pdf_text.count("Left out because there are no records to show: Who's who; "
                          "Active agreements;") == 2

"""Hostile text: control and bidi characters, huge words and titles, broken CSV quotes,
and CSV output a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io

import pytest

from briefpack import model, paths, textsafe
from briefpack.errors import DataError
from briefpack.store import Store
from briefpack.store.csv_import import plan_csv
from briefpack.visits import load_visit

NORWAY_VISIT = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"
NASTY = "Bad\x00 \x1b[2J\x1b]0;pwned\x07name \u202eexe.txt\u2066x\u2069\x85"


@pytest.fixture
def db(sample_store, tmp_path):
    return sample_store.backup_to(tmp_path / "store.db")


def test_clean_drops_control_and_bidi_characters_but_keeps_lines_and_tabs():
    assert textsafe.clean(NASTY) == "Bad [2J]0;pwnedname exe.txtx"
    assert textsafe.clean("one\r\ntwo\rthree\tfour\n") == "one\ntwo\nthree\tfour\n"
    assert textsafe.clean("Zoë – Ł") == "Zoë – Ł"


def test_printable_shows_controls_as_escapes():
    shown = textsafe.printable(NASTY)
    assert "\x1b" not in shown and "\x00" not in shown and "\u202e" not in shown
    assert "\\x1b[2J" in shown and "\\u202e" in shown and "\\x00" in shown


def test_shorten_cuts_with_an_ellipsis():
    assert textsafe.shorten("short", 10) == "short"
    assert textsafe.shorten("word " * 100, 50).endswith("word…")
    assert len(textsafe.shorten("W" * 300, 50)) == 50


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1+1", "'+1+1"),
     ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("Norway", "Norway"),
     (-5, -5), (None, None)],
)
def test_csv_cells_that_look_like_formulas_are_neutralised(value, cell):
    assert textsafe.csv_cell(value) == cell


def test_control_characters_in_a_visit_file_are_stripped_on_the_way_in(sample_store, tmp_path):
    text = NORWAY_VISIT.read_text().replace(
        "title: Secretary of State for Defence visit to Norway",
        'title: "Visit \\e[31mto\\0 Norway \\u202eevil"')
    path = tmp_path / "visit.yaml"
    path.write_text(text)
    visit = load_visit(path, sample_store)
    assert visit.title == "Visit [31mto Norway evil"


def test_control_characters_in_a_sheet_are_stripped_on_the_way_in(sample_store, tmp_path):
    path = tmp_path / "alumni.csv"
    path.write_text(f"name,course\n{NASTY},ACSC\n", encoding="utf-8")
    plan = plan_csv(sample_store, path, "alumni", country="NOR")
    added, = plan.of_kind("added")
    assert added.record.name == textsafe.clean(NASTY)


def test_saving_a_record_strips_control_characters(sample_store):
    saved = sample_store.save(model.Alumnus(country="NOR", name=NASTY, course="A\x1bB"))
    assert saved.name == textsafe.clean(NASTY) and saved.course == "AB"


def _raw_name(db, text: str) -> None:
    """Put text in the store behind briefpack's back (as an older version might have)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE countries SET name = ? WHERE code = 'NOR'", [text])


@pytest.mark.parametrize("argv", [("show", "NOR"), ("countries",), ("countries", "--format",
                                                                     "csv")])
def test_control_characters_already_stored_are_never_printed_raw(cli, db, argv):
    _raw_name(db, "Nor\x1b[2Jway\u202e")
    code, out, err = cli("--db", db, *argv)
    assert code == 0, err
    assert "\x1b" not in out and "\u202e" not in out
    assert "Nor\\x1b[2Jway\\u202e" in out


def test_error_messages_never_print_control_characters(cli, db, tmp_path):
    path = tmp_path / "bad\x1b[2J.yaml"
    path.write_text("a: [1\n")
    code, _, err = cli("--db", db, "import", path)
    assert code == 3 and "\x1b" not in err and "bad\\x1b[2J.yaml" in err


@pytest.mark.parametrize("fmt_args", [("countries",), ("rank",), ("history", "NOR"),
                                      ("review-due", "--today", "2026-01-01"), ("backups",),
                                      ("currency", "NOR")])
def test_every_csv_output_neutralises_formulas(cli, db, fmt_args):
    store = Store.open(db)
    country = store.country("NOR")
    store.save(model.Country(**{**country.__dict__, "name": "=cmd|' /C calc'!A0"}))
    store.save(model.Alumnus(country="NOR", name="@SUM(1+1)*cmd"))
    store.close()
    code, out, err = cli("--db", db, *fmt_args, "--format", "csv")
    assert code == 0, err
    for row in csv.reader(io.StringIO(out)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), (fmt_args, cell)
    if fmt_args[0] in ("countries", "rank"):
        assert "'=cmd|' /C calc'!A0" in out


def test_an_unterminated_csv_quote_is_an_error_not_one_giant_name(cli, db, tmp_path):
    path = tmp_path / "alumni.csv"
    path.write_text('name,course,year\nAnne,ACSC,2010\n"Bob,ACSC,2012\nCarol,ACSC,2014\n')
    before = Store.open(db).revision()
    code, out, err = cli("--db", db, "import-csv", "alumni", path, "--country", "NOR")
    assert code == 3 and "Traceback" not in err
    assert err == (f"briefpack: {path}:3 [row 3]: a quoted cell starting in this row is never "
                   'closed (a " is missing), so the rest of the file would become one cell\n')
    assert Store.open(db).revision() == before


def test_a_stray_quote_inside_a_cell_is_named(sample_store, tmp_path):
    path = tmp_path / "alumni.csv"
    path.write_text('name,course\n"Al"ice,ACSC\n')
    with pytest.raises(DataError, match=r"alumni.csv:2 \[row 2\]: a quote .* in the middle"):
        plan_csv(sample_store, path, "alumni", country="NOR")


def test_a_huge_title_and_an_unbroken_word_lay_out(cli, db, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    text = NORWAY_VISIT.read_text()
    text = text.replace("title: Secretary of State for Defence visit to Norway",
                        "title: '" + "Longtitle " * 500 + "'")
    text = text.replace("A year after the UK", "W" * 300 + " A year after the UK")
    text = text.replace("principal: Secretary of State for Defence", "principal: " + "P" * 300)
    path = tmp_path / "long.yaml"
    path.write_text(text)
    out = tmp_path / "out"
    code, stdout, err = cli("--db", db, "build", path, "--out", out)
    assert code == 0, err
    pdf, = out.glob("*.pdf")
    reader = pypdf.PdfReader(pdf)
    words = "".join(page.extract_text() for page in reader.pages)
    assert words.count("W") >= 300 and words.count("P") >= 300
    docx, = out.glob("*.docx")
    assert docx.stat().st_size > 0


def test_a_control_character_in_a_sheet_still_matches_the_stored_record(sample_store,
                                                                         tmp_path):
    sample_store.save(model.Alumnus(country="NOR", name="Kari Nordmann", course="ACSC"))
    path = tmp_path / "alumni.csv"
    path.write_text("name,course\nKari Nordmann\x08,HCSC\n")
    plan = plan_csv(sample_store, path, "alumni", country="NOR")
    changed, = plan.changes
    assert changed.kind == "changed" and changed.label == "Kari Nordmann"

"""End to end: ``briefpack build`` writes a .docx and a .pdf that say the same things."""

import datetime as dt
import errno
import re
import sys
import threading

import pytest

from briefpack import cli, paths, pipeline
from briefpack.pipeline import BuildError, BuildOptions, build, run

pytest.importorskip("briefpack.render.docx")
pytest.importorskip("briefpack.render.pdf")
docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")

NORWAY_VISIT = paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml"
TOUR = paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml"
SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#")


@pytest.fixture
def db(sample_store, tmp_path):
    return sample_store.backup_to(tmp_path / "store.db")


def _docx_text(path):
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return headings, "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(path):
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]
    return pages, " ".join(" ".join(pages).split())


def _in_order(text, headings):
    at = 0
    for heading in headings:
        found = text.find(" ".join(heading.split()), at)
        if found < 0:
            return False
        at = found + len(heading)
    return True


def test_build_country_writes_both_formats_with_the_same_sections(db, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["--db", str(db), "build", "NOR", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    stamp = dt.date.today().isoformat()
    assert printed == [str(out / f"{stamp}-NOR-standard.docx"),
                       str(out / f"{stamp}-NOR-standard.pdf")]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.rsplit("/", 1)[1] for p in printed)

    headings, docx_text = _docx_text(printed[0])
    pages, pdf_text = _pdf_text(printed[1])
    assert headings[0] == "Norway: country brief"
    assert "Relationship summary" in headings and "Points to make" not in headings
    assert _in_order(pdf_text, headings)
    assert len(pages) >= 2 and "Steering summary" not in pages[0]  # front sheet: one page
    for text in (docx_text, pdf_text):
        for fact in ("Lunna House", "4 December 2025", "£10 billion",
                     "4,000", "Anti-Submarine Warfare frigates", "OFFICIAL"):
            assert fact in text, fact
        assert not SYNTAX.search(text)


def test_build_visit_file_pdf_only(db, tmp_path, capsys):
    out = tmp_path / "visit"
    code = cli.main(["--db", str(db), "build", str(NORWAY_VISIT), "--out", str(out),
                     "--format", "pdf", "--template", "pocket"])
    assert code == 0
    written = capsys.readouterr().out.split()
    assert written == [str(out / "2026-11-25-NOR-pocket.pdf")]
    pages, text = _pdf_text(written[0])
    # A5: the one-page summary, then the programme the principal carries
    assert len(pages) <= 3
    assert _in_order(text, ["Summary", "Three things to achieve", "Programme"])
    assert "Secretary of State for Defence" in text and not SYNTAX.search(text)


def test_build_multi_country_visit_makes_one_brief_per_country(db, tmp_path, capsys):
    assert cli.main(["--db", str(db), "build", str(TOUR), "--out", str(tmp_path),
                     "--format", "docx"]) == 0
    names = [p.rsplit("/", 1)[1] for p in capsys.readouterr().out.split()]
    assert names == [f"2026-12-07-{c}-standard.docx" for c in ("NOR", "DNK", "LVA")]
    headings, text = _docx_text(tmp_path / names[2])
    assert "Riga" in text and "Oslo" not in text  # each brief has its own programme


def test_renderer_failure_leaves_no_file(db, tmp_path, monkeypatch, capsys):
    def half_then_fail(brief, out_path, **_options):
        out_path.write_bytes(b"%PDF-1.4 half a file")
        raise RuntimeError("renderer crashed")

    fake = type("FakeModule", (), {"render_pdf": staticmethod(half_then_fail)})
    monkeypatch.setitem(pipeline.RENDERERS, "pdf", ("fake_pdf_renderer", "render_pdf"))
    monkeypatch.setitem(sys.modules, "fake_pdf_renderer", fake)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RuntimeError, match="renderer crashed"):
        cli.main(["--db", str(db), "build", "NOR", "--out", str(out)])
    assert list(out.iterdir()) == []  # neither the .docx done first nor the half .pdf


def test_a_full_disk_mid_render_is_a_clear_error_naming_the_file(db, tmp_path, monkeypatch):
    def fill_the_disk(brief, out_path, **_options):
        out_path.write_bytes(b"%PDF-1.4 half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    fake = type("FakeModule", (), {"render_pdf": staticmethod(fill_the_disk)})
    monkeypatch.setitem(pipeline.RENDERERS, "pdf", ("fake_pdf_renderer", "render_pdf"))
    monkeypatch.setitem(sys.modules, "fake_pdf_renderer", fake)
    out = tmp_path / "out"
    options = BuildOptions(out_dir=out, formats=["pdf"], today=dt.date(2026, 11, 20))
    with pytest.raises(BuildError, match=r"cannot write .*-NOR-standard\.pdf: No space left"):
        run(build(db, options, country="NOR"))
    assert not out.exists()  # the folder it made is gone again, the half file with it


def test_unwritable_folder_is_a_clear_error_and_leaves_nothing(db, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = cli.main(["--db", str(db), "build", "NOR", "--out", str(blocker / "briefs")])
    err = capsys.readouterr().err
    assert code != 0
    assert f"cannot write to the output folder {blocker / 'briefs'}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "store.db"]


def test_read_only_folder(db, tmp_path, capsys):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        assert cli.main(["--db", str(db), "build", "NOR", "--out", str(out)]) != 0
        assert "cannot write to the output folder" in capsys.readouterr().err
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o700)


def test_stopping_between_steps_leaves_nothing(sample_store, tmp_path):
    out = tmp_path / "new" / "folder"
    steps = build(sample_store, BuildOptions(out_dir=out), country="NOR")
    for progress in steps:
        if progress.message.endswith(".pdf"):  # the .docx is already rendered
            break
    steps.close()
    assert not (tmp_path / "new").exists()


def test_progress_steps_count_up_to_the_result(sample_store, tmp_path):
    seen = list(build(sample_store, BuildOptions(out_dir=tmp_path, today=dt.date(2026, 11, 25)),
                      country="norway"))
    # each step once as it begins; a render's news repeats its step with a detail
    assert [p.step for p in seen if p.detail is None] == list(range(1, seen[0].total + 1))
    assert [p.step for p in seen] == sorted(p.step for p in seen)
    assert [p.done for p in seen] == sorted(p.done for p in seen) and seen[-1].done == 1.0
    assert {p.message for p in seen if p.detail} <= {p.message for p in seen if not p.detail}
    assert all(p.result is None for p in seen[:-1])
    outputs = seen[-1].result.outputs
    assert [p.name for p in outputs] == ["2026-11-25-NOR-standard.docx",
                                         "2026-11-25-NOR-standard.pdf"]
    assert seen[-1].result.briefs[0].label == "NOR"


def test_build_in_a_worker_thread_from_a_store_path(db, tmp_path):
    results = []
    worker = threading.Thread(target=lambda: results.append(
        run(build(db, BuildOptions(formats=["docx"], out_dir=tmp_path), country="NOR"))))
    worker.start()
    worker.join(timeout=60)
    assert [p.suffix for p in results[0].outputs] == [".docx"]


@pytest.mark.parametrize("args, words, code", [
    (["NOR", "--format", "odt"], "unknown format odt; expected: docx, pdf", 2),
    (["NOR", "--template", "glossy"], "available templates: ", 2),
    (["NOR", "--ceiling", "SECRET"], "not accredited", 5),
    (["Narnia"], "unknown country 'Narnia'", 2),
    (["missing-visit.yaml"], "missing-visit.yaml: cannot read", 3),
])
def test_bad_requests_are_clear_errors(db, tmp_path, capsys, args, words, code):
    out = tmp_path / "out"
    assert cli.main(["--db", str(db), "build", *args, "--out", str(out)]) == code
    assert words in capsys.readouterr().err
    assert not out.exists()


def test_ceiling_withholds_and_says_so_in_both_formats(db, tmp_path, capsys):
    from briefpack import model
    from briefpack.store import Store

    store = Store.open(db)
    store.save(model.Agreement(country="NOR", name="Sensitive arrangement", status="active",
                               marking="OFFICIAL-SENSITIVE"))
    store.close()
    assert cli.main(["--db", str(db), "build", "NOR", "--out", str(tmp_path / "o"),
                     "--ceiling", "OFFICIAL"]) == 0
    docx_path, pdf_path = capsys.readouterr().out.split()
    for text in (_docx_text(docx_path)[1], _pdf_text(pdf_path)[1]):
        assert "Sensitive arrangement" not in text
        assert "1 item was left out of this brief" in " ".join(text.split())


def test_build_needs_exactly_one_of_country_and_visit(sample_store, tmp_path):
    with pytest.raises(BuildError, match="either a country or a visit"):
        run(build(sample_store, BuildOptions(out_dir=tmp_path)))
    with pytest.raises(BuildError, match="unknown format"):
        run(build(sample_store, BuildOptions(formats=[" ", ""], out_dir=tmp_path), country="NOR"))
    assert list(tmp_path.iterdir()) == []


def test_progress_line_on_a_terminal(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.main(["--db", str(db), "build", "NOR", "--out", str(tmp_path),
                     "--format", "docx"]) == 0
    err = capsys.readouterr().err
    assert "\r[" in err and "Writing" in err and err.endswith("\n")

"""The Word file's properties name the configured author, never the login, and say it
was never printed."""

from __future__ import annotations

import zipfile


def test_author_is_the_configured_user_and_nothing_claims_a_print(cli, seeded_db, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("BRIEFPACK_USER", "ana.lyst")
    code, _, err = cli("--db", seeded_db, "build", "Norway", "--format", "docx",
                       "--out", tmp_path)
    assert code == 0, err
    (docx,) = tmp_path.glob("*.docx")
    core = zipfile.ZipFile(docx).read("docProps/core.xml").decode("utf-8")
    assert "<dc:creator>ana.lyst</dc:creator>" in core
    assert "<cp:lastModifiedBy>ana.lyst</cp:lastModifiedBy>" in core
    assert "lastPrinted" not in core


def test_an_output_open_elsewhere_leaves_every_output_as_it_was(cli, seeded_db, tmp_path,
                                                                 monkeypatch):
    """On Windows a file open in Acrobat cannot be replaced: the build names it and replaces
    nothing, rather than leaving a new .docx beside an old .pdf."""
    import os

    code, _, err = cli("--db", seeded_db, "build", "Norway", "--out", tmp_path)
    assert code == 0, err
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    (pdf,) = tmp_path.glob("*.pdf")
    real_open = os.open

    def locked(path, flags, *args):
        if os.fspath(path) == os.fspath(pdf) and flags & os.O_RDWR:
            raise PermissionError(13, "Access is denied", os.fspath(path))
        return real_open(path, flags, *args)

    monkeypatch.setenv("BRIEFPACK_USER", "someone.else")  # so a rebuild would differ
    monkeypatch.setattr(os, "open", locked)
    code, _, err = cli("--db", seeded_db, "build", "Norway", "--out", tmp_path)
    assert code == 4
    assert pdf.name in err and "close it" in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before

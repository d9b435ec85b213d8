"""Exit codes: a script can tell a typo from bad data, a write failure and a refusal."""

from __future__ import annotations

import re
from pathlib import Path

from briefpack.errors import EXIT_CODES

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_lists_every_exit_code_as_the_code_means_it():
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", README.read_text("utf-8"), re.M))
    assert {int(code): text.replace("`", "") for code, text in rows.items()} == EXIT_CODES



def test_help_epilog_names_each_code(capsys):
    from briefpack.cli import build_parser

    text = build_parser().format_help()
    for code in EXIT_CODES:
        assert re.search(rf"^  {code} +\S", text, re.M), code


def test_an_unknown_country_is_usage(cli, seeded_db):
    code, _, err = cli("--db", seeded_db, "show", "Narnia")
    assert code == 2 and "unknown country" in err


def test_a_bad_packet_is_a_data_error(cli, seeded_db, tmp_path):
    packet = tmp_path / "bad.yaml"
    packet.write_text("packet: 1\ncountry: NOR\nagreements: [{name: x, signed: 2025-13-04}]\n",
                      encoding="utf-8")
    code, _, err = cli("--db", seeded_db, "import", packet)
    assert code == 3 and "bad.yaml" in err


def test_a_write_failure_is_an_io_error(cli, seeded_db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = cli("--db", seeded_db, "build", "Norway", "--out", blocker / "out")
    assert code == 4 and "cannot write" in err


def test_a_secret_marking_is_refused(cli, seeded_db):
    code, _, err = cli("--db", seeded_db, "mark", "agreements", "1", "SECRET")
    assert code == 5 and "SECRET" in err

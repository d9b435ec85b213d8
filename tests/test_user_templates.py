"""The user's own templates: looked up before briefpack's, or given as a folder path."""

from __future__ import annotations

import json
import shutil

import pytest

from briefpack import paths
from briefpack.errors import UsageError
from briefpack.templates import load_template, template_folder


def _copy_standard(dest):
    shutil.copytree(paths.templates_dir() / "standard", dest)
    return dest


def test_a_template_in_the_user_folder_is_found_and_listed(cli, seeded_db, tmp_path):
    mine = _copy_standard(paths.user_templates_dir() / "mytpl")
    assert load_template("mytpl").dir == mine
    code, out, err = cli("--db", seeded_db, "templates", "--format", "json")
    assert code == 0, err
    listed = {(t["name"], t["from"]) for t in json.loads(out)}
    assert ("mytpl", "yours") in listed and ("standard", "built-in") in listed
    code, _, err = cli("--db", seeded_db, "build", "Norway", "--template", "mytpl",
                       "--format", "docx", "--out", tmp_path / "out")
    assert code == 0, err
    (docx,) = (tmp_path / "out").glob("*.docx")
    assert docx.name.endswith("-NOR-mytpl.docx")


def test_the_user_folder_wins_over_a_built_in_of_the_same_name(cli, seeded_db):
    mine = _copy_standard(paths.user_templates_dir() / "standard")
    assert load_template("standard").dir == mine
    code, out, _ = cli("--db", seeded_db, "templates")
    assert code == 0 and "(hidden by yours)" in out


def test_a_template_given_as_a_folder_path(tmp_path, monkeypatch):
    _copy_standard(tmp_path / "tpl")
    monkeypatch.chdir(tmp_path)
    assert load_template("./tpl").dir == (tmp_path / "tpl").resolve()
    with pytest.raises(UsageError, match="not a template folder"):
        template_folder("./nowhere")


def test_an_unknown_name_lists_every_template(tmp_path):
    _copy_standard(paths.user_templates_dir() / "mytpl")
    with pytest.raises(UsageError, match="available templates: .*mytpl.*standard"):
        load_template("glossy")

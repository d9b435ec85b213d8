"""The main window's rooms: its action table is complete and consistent, the controllers
reach the store through domain, and printing a pack follows what the build said it wrote."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402

from briefpack.app import actions, dialogs as dialogs_module  # noqa: E402
from briefpack.pipeline import BuildResult  # noqa: E402

from fixtures_app import errors, store_path  # noqa: E402,F401  (fixtures)
from test_app_daily import window  # noqa: E402,F401  (fixture)

APP = Path(actions.__file__).resolve().parent


def test_the_action_table_declares_every_action_once_and_menus_name_only_those():
    declared = set(actions.WindowActions.__annotations__)
    made = [spec.name for spec in actions.ACTIONS]
    assert len(made) == len(set(made))
    assert declared == set(made) | {"form_action"}  # the form's comes from its dock
    listed = [e for _, entries in actions.MENUS for e in entries if isinstance(e, str)]
    listed += [name for name in actions.TOOLBAR if name]
    assert set(listed) <= declared
    assert declared - set(listed) == set()  # every action is in a menu


def test_the_window_has_every_action_and_no_key_does_two_things(window):
    seen: dict[str, str] = {}
    for name in actions.WindowActions.__annotations__:
        action = getattr(window, name)
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in seen, f"{text} is both {seen[text]} and {name}"
            seen[text] = name
    assert window.next_pane_action.shortcuts()[0].toString() == "F6"
    # the toolbar says what its buttons do, beside their icons
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon


def test_no_controller_or_the_window_calls_the_store_itself():
    """Only domain (the app's one door) calls the Store's methods; the window and its
    controllers hold the store and pass it on (``.path`` and ``close`` apart)."""
    allowed = {"path", "close"}
    for name in ("main_window", "build_runner", "visit_session", "data_menu",
                 "placement"):
        tree = ast.parse((APP / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                    and node.value.attr == "store" and node.attr not in allowed:
                raise AssertionError(f"{name}.py:{node.lineno} uses store.{node.attr}")


def test_print_pack_prints_the_pack_the_build_named(window, errors, tmp_path, monkeypatch):
    printed = []
    monkeypatch.setattr(window.preview, "print_dialog",
                        lambda path=None, name="": printed.append(path))
    monkeypatch.setattr(dialogs_module.BuildDoneDialog, "exec", lambda self: 0)
    # a file named like a pack is not a pack the app built
    lookalike = tmp_path / "2026-12-07-NOR-pack-standard.pdf"
    lookalike.write_bytes(b"%PDF-1.4\n")
    window.settings.add_recent("builds", str(lookalike))
    window.print_pack_action.trigger()
    assert printed == [] and errors[-1][0] == "No pack to print yet"
    pack = tmp_path / "tour.pdf"  # named as the build chose
    pack.write_bytes(b"%PDF-1.4\n")
    window.builds._finished(BuildResult((tmp_path / "tour.docx", pack), (), pack_pdf=pack))
    window.print_pack_action.trigger()
    assert printed == [pack]

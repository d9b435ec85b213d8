"""The app exports and imports JSON packets: Data → Export country packet offers both forms,
and a JSON packet goes through the import wizard like a YAML one."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtWidgets import QDialog  # noqa: E402

from briefpack.app import domain  # noqa: E402
from briefpack.app.data_dialogs import PacketSaveDialog  # noqa: E402
from briefpack.store import Store  # noqa: E402
from briefpack.store.packets import checksum, format_packet, read_packet  # noqa: E402

from test_app_import import (  # noqa: E402,F401  (window, _seeded_db are fixtures)
    WAIT_MS, _seeded_db, apply, check_file, click_forward, show, window)

YAML, JSON = domain.PACKET_FILTERS


def export_through_the_dialog(qtbot, window, monkeypatch, name=None, chosen=None):
    """Data → Export country packet, where the user picks the file type ``chosen`` and
    then (if given) types ``name``; the dialog as shown."""
    shown = []

    def exec_(dialog):
        shown.append(dialog)
        if chosen is not None:
            dialog.selectNameFilter(chosen)
            dialog.filterSelected.emit(chosen)
        if name is not None:
            dialog.selectFile(str(name))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PacketSaveDialog, "exec", exec_)
    window.export_packet_action.trigger()
    qtbot.waitUntil(lambda: "Exported the packet" in window.message.text(), timeout=WAIT_MS)
    return shown[0]


def exported_with(qtbot, window, monkeypatch, tmp_path, **fields):
    """Norway exported through the dialog to nor.json (the type left at YAML: the name's
    suffix decides), then its first agreement edited: (path, text)."""
    show(qtbot, window, "NOR")
    path = tmp_path / "nor.json"
    export_through_the_dialog(qtbot, window, monkeypatch, name=path)
    data = json.loads(path.read_text())
    data["sections"]["agreements"][0].update(fields)
    data["checksum"] = checksum(data)
    text = format_packet(data, "json")
    path.write_text(text, encoding="utf-8")
    return path, text


def test_the_export_dialog_offers_yaml_and_json_and_writes_the_chosen_form(
        qtbot, window, monkeypatch):
    show(qtbot, window, "NOR")
    window.settings.output_folder.mkdir(parents=True, exist_ok=True)
    dialog = export_through_the_dialog(qtbot, window, monkeypatch, chosen=JSON)
    assert dialog.nameFilters() == ["YAML packet (*.yaml)", "JSON packet (*.json)"]
    written = window.settings.output_folder / "NOR-packet.json"  # the suggestion, retyped
    assert written.read_text().startswith('{\n  "packet": "briefpack country packet",')
    assert str(written) in window.message.text()
    packet = read_packet(written)
    assert packet.country == "NOR" and packet.checksum_ok

    export_through_the_dialog(qtbot, window, monkeypatch)  # YAML unless JSON is chosen
    assert read_packet(written.with_suffix(".yaml")).checksum_ok
    assert written.with_suffix(".yaml").read_text().startswith("packet: briefpack")


def test_choosing_a_file_type_sets_the_suffix_of_the_name(qtbot, tmp_path):
    dialog = PacketSaveDialog(None, "Export", tmp_path / "NOR-packet.yaml")
    qtbot.addWidget(dialog)
    assert dialog.chosen() == tmp_path / "NOR-packet.yaml"
    for chosen, suffix in ((JSON, ".json"), (YAML, ".yaml")):
        dialog.selectNameFilter(chosen)
        dialog.filterSelected.emit(chosen)
        assert dialog.chosen() == tmp_path / f"NOR-packet{suffix}"
    dialog.selectNameFilter(JSON)
    dialog.filterSelected.emit(JSON)
    dialog.selectFile("for the section")  # no suffix typed: the chosen type's
    assert dialog.chosen() == tmp_path / "for the section.json"


def test_a_name_ending_in_a_packet_suffix_is_kept_whatever_type_is_chosen(tmp_path):
    assert domain.packet_path(tmp_path / "a.yaml", JSON) == tmp_path / "a.yaml"
    assert domain.packet_path(tmp_path / "a.JSON", YAML) == tmp_path / "a.JSON"
    assert domain.packet_path(tmp_path / "a", YAML) == tmp_path / "a.yaml"
    assert domain.packet_path(tmp_path / "a.v2", JSON) == tmp_path / "a.v2.json"


def test_a_json_packet_dropped_on_the_window_imports_through_the_wizard(
        qtbot, window, monkeypatch, tmp_path):
    path, _ = exported_with(qtbot, window, monkeypatch, tmp_path, jobs=4321)

    assert domain.dropped_file_kind(path) == domain.PACKET
    window.open_file(path)
    wizard = window.data_menu.import_wizard
    assert wizard is not None and wizard.source_page.path.text() == str(path)
    assert not wizard.source_page.is_sheet()
    wizard.source_page.path.clear()
    check_file(qtbot, wizard, path)
    assert "No problems found" in wizard.check_page.status.text()
    click_forward(qtbot, wizard)
    summary = apply(qtbot, wizard)
    assert (summary.added, summary.changed, summary.removed) == (0, 1, 0)
    assert 4321 in [a.jobs for a in window.country_view.models["agreements"].records()]
    store = Store.open(window.store.path, create=False)
    assert 4321 in [a.jobs for a in store.records("agreements", "NOR")]
    store.close()
    click_forward(qtbot, wizard)  # Finish


def test_a_bad_json_packet_shows_its_line_and_field_in_the_wizard(
        qtbot, window, monkeypatch, tmp_path):
    path, text = exported_with(qtbot, window, monkeypatch, tmp_path, jobs="lots")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if '"jobs": "lots"' in t)

    window.import_data_action.trigger()
    wizard = window.data_menu.import_wizard
    check_file(qtbot, wizard, path)
    page = wizard.check_page
    item = page.problems.topLevelItem(0)
    assert (item.text(0), item.text(1), item.text(2)) == ("nor.json", str(line),
                                                          "agreements[1].jobs")
    assert "'lots'" in item.text(3) and "whole number" in item.text(3)
    assert not page.isComplete()
    wizard.reject()

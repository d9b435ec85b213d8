"""The app exports and imports JSON packets: Data → Export country packet offers both forms,
and a JSON packet goes through the import wizard like a YAML one."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from briefpack.app import domain, main_window as main_window_module  # noqa: E402
from briefpack.store import Store  # noqa: E402
from briefpack.store.packets import checksum, format_packet, read_packet  # noqa: E402

from test_app_import import (  # noqa: E402,F401  (window, _seeded_db are fixtures)
    WAIT_MS, _seeded_db, apply, check_file, click_forward, show, window)


def export_through_the_dialog(qtbot, window, monkeypatch, name, chosen):
    offered = []

    def save_dialog(parent, caption, suggested, filters):
        offered.append(filters)
        return str(name), chosen

    monkeypatch.setattr(main_window_module.QFileDialog, "getSaveFileName", save_dialog)
    window.export_packet_action.trigger()
    qtbot.waitUntil(lambda: "Exported the packet" in window.message.text(), timeout=WAIT_MS)
    return offered


def exported_with(qtbot, window, monkeypatch, tmp_path, **fields):
    """Norway exported through the dialog to nor.json (whatever type is chosen, the name's
    suffix decides), then its first agreement edited: (path, text)."""
    show(qtbot, window, "NOR")
    path = tmp_path / "nor.json"
    export_through_the_dialog(qtbot, window, monkeypatch, path, "YAML packet (*.yaml)")
    data = json.loads(path.read_text())
    data["sections"]["agreements"][0].update(fields)
    data["checksum"] = checksum(data)
    text = format_packet(data, "json")
    path.write_text(text, encoding="utf-8")
    return path, text


def test_the_export_dialog_offers_yaml_and_json_and_writes_the_chosen_form(
        qtbot, window, monkeypatch, tmp_path):
    show(qtbot, window, "NOR")
    offered = export_through_the_dialog(qtbot, window, monkeypatch, tmp_path / "NOR-packet",
                                        "JSON packet (*.json)")
    assert offered == ["YAML packet (*.yaml);;JSON packet (*.json)"]
    written = tmp_path / "NOR-packet.json"
    assert written.read_text().startswith('{\n  "packet": "briefpack country packet",')
    assert str(written) in window.message.text()
    packet = read_packet(written)
    assert packet.country == "NOR" and packet.checksum_ok


def test_a_name_ending_in_a_packet_suffix_is_kept_whatever_type_is_chosen(tmp_path):
    assert domain.packet_path(tmp_path / "a.yaml", "JSON packet (*.json)") == tmp_path / "a.yaml"
    assert domain.packet_path(tmp_path / "a.JSON", "YAML packet (*.yaml)") == tmp_path / "a.JSON"
    assert domain.packet_path(tmp_path / "a", "YAML packet (*.yaml)") == tmp_path / "a.yaml"
    assert domain.packet_path(tmp_path / "a.v2", "JSON packet (*.json)") == tmp_path / "a.v2.json"


def test_a_json_packet_dropped_on_the_window_imports_through_the_wizard(
        qtbot, window, monkeypatch, tmp_path):
    path, _ = exported_with(qtbot, window, monkeypatch, tmp_path, jobs=4321)

    assert domain.dropped_file_kind(path) == domain.PACKET
    window.open_file(path)
    wizard = window.import_wizard
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
    wizard = window.import_wizard
    check_file(qtbot, wizard, path)
    page = wizard.check_page
    item = page.problems.topLevelItem(0)
    assert (item.text(0), item.text(1), item.text(2)) == ("nor.json", str(line),
                                                          "agreements[1].jobs")
    assert "'lots'" in item.text(3) and "whole number" in item.text(3)
    assert not page.isComplete()
    wizard.reject()

"""Record tables and the record form: long text, dates, refused input kept with its reason,
column show/hide, Delete, and the validation the planner and settings do."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import QDate, Qt  # noqa: E402
from PySide6.QtWidgets import QPlainTextEdit  # noqa: E402

from briefpack.app.date_field import DateField  # noqa: E402

from briefpack.app.dialogs import SettingsDialog, SettingsValues  # noqa: E402
from briefpack.app.fields import Field, parse  # noqa: E402
from briefpack.store import Store  # noqa: E402

from test_app_daily import errors, pick, store_path, window  # noqa: E402,F401

WAIT_MS = 20000


def select_row(win, table_name: str, row: int):
    table = win.country_view.tables[table_name]
    win.country_view.tabs.setCurrentWidget(table)
    table.view.setCurrentIndex(table.table.index(row, 0))
    return table


def test_form_shows_the_selected_row_with_multiline_text_and_a_date_picker(qtbot, window):
    pick(qtbot, window, "NOR")
    table = select_row(window, "agreements", 0)
    form = window.record_form
    assert form.model is table.table and form.row == 0
    assert isinstance(form.editors["commits"], QPlainTextEdit)
    assert isinstance(form.editors["signed"], DateField)
    record = table.table.record(0)
    assert form.editors["name"].text() == record.name
    assert form.typed(table.table.FIELDS[table.table.COL_COMMITS]) == (record.commits or "")


def test_form_edits_are_undoable_and_long_text_keeps_its_lines(qtbot, window):
    pick(qtbot, window, "NOR")
    table = select_row(window, "engagements", 0)
    form = window.record_form
    box = form.editors["description"]
    box.setPlainText("First line.\nSecond line.")
    form.apply_all()
    assert table.table.record(0).description == "First line.\nSecond line."
    assert window.isWindowModified()
    window.undo_action.trigger()
    assert table.table.record(0).description != "First line.\nSecond line."
    assert not window.isWindowModified()


def test_form_date_picker_sets_and_clears_a_date(qtbot, window):
    pick(qtbot, window, "NOR")
    table = select_row(window, "agreements", 0)
    form = window.record_form
    picker = form.editors["signed"]
    picker.setDate(QDate(2025, 12, 4))
    assert form.apply_all() == {}
    assert table.table.record(0).signed == dt.date(2025, 12, 4)
    picker.setDate(QDate())
    assert picker.text() == "" and picker.edit.placeholderText() == "not set"
    form.apply_all()
    assert table.table.record(0).signed is None


def test_refused_input_keeps_what_was_typed_beside_its_reason(qtbot, window):
    pick(qtbot, window, "NOR")
    table = select_row(window, "agreements", 0)
    form = window.record_form
    before = table.table.record(0)
    form.editors["jobs"].setText("lots")
    form.editors["name"].setText("Renamed")
    errors = form.apply_all()
    assert "not a whole number" in errors["jobs"]
    assert table.table.record(0) == before  # nothing half-applied
    assert form.editors["jobs"].text() == "lots"
    assert form.errors["jobs"].isVisibleTo(form) and "lots" in form.errors["jobs"].text()
    # in the table: the refusal appears in the form with the typed text, and stays
    window.record_dock.hide()
    assert not table.table.setData(table.table.index(0, table.table.COL_SIGNED), "31/13/2025")
    assert window.record_dock.isVisibleTo(window)
    assert form.editors["signed"].text() == "31/13/2025"
    assert "31/12/2025" in table.message.text()
    qtbot.wait(50)
    assert table.message.isVisibleTo(table)


def test_delete_key_deletes_the_selected_row(qtbot, window):
    pick(qtbot, window, "NOR")
    table = select_row(window, "agreements", 0)
    count = table.table.rowCount()
    assert count
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_Delete)
    assert table.table.rowCount() == count - 1
    window.undo_action.trigger()
    assert table.table.rowCount() == count


def test_columns_can_be_hidden_and_shown_and_are_remembered(qtbot, window, store_path):
    pick(qtbot, window, "NOR")
    table = window.country_view.tables["agreements"]
    menu = table.column_menu()
    jobs = [a for a in menu.actions() if a.text() == "UK jobs"][0]
    jobs.setChecked(False)
    assert table.view.isColumnHidden(table.table.COL_JOBS)
    assert table.hidden_columns() == ["jobs"]
    window.close()
    assert window.settings.value("columns/Agreements") == "jobs"


def test_programme_refuses_a_bad_time_and_an_unknown_country(window):
    programme = window.planner.programme
    programme.add_row()
    assert not programme.setData(programme.index(0, programme.COL_TIME), "25:99")
    assert programme.setData(programme.index(0, programme.COL_TIME), "9.30")
    assert programme.record(0).time == "09:30"
    messages = []
    programme.invalid.connect(messages.append)
    assert not programme.setData(programme.index(0, programme.COL_COUNTRY), "Narnia")
    assert not programme.setData(programme.index(0, programme.COL_COUNTRY), "Norway")
    assert "did you mean NOR" in messages[-1]
    assert programme.setData(programme.index(0, programme.COL_COUNTRY), "nor")
    assert programme.record(0).country == "NOR"


def test_time_fields_read_common_spellings():
    field = Field("time", "Time", "time")
    assert parse(field, "0930") == "09:30" and parse(field, "14:00") == "14:00"
    with pytest.raises(ValueError, match="24-hour"):
        parse(field, "24:61")


def test_end_before_start_is_flagged_as_it_happens(window):
    planner = window.planner
    planner.end.setDate(planner.start.date().addDays(-2))
    assert planner.date_problem.isVisibleTo(planner)
    planner.end.setDate(planner.start.date().addDays(2))
    assert not planner.date_problem.isVisibleTo(planner)


def test_settings_refuse_an_empty_name_and_an_unwritable_folder(qtbot, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    dialog = SettingsDialog(SettingsValues("", blocker / "out"))
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() == 0
    text = dialog.problem.text()
    assert "Give your name" in text and "is a file, not a folder" in text
    dialog.author.setText("Jo Bloggs")
    dialog.folder.setText(str(tmp_path / "briefs"))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted



def test_rich_visit_survives_the_planner_and_each_part_is_editable(qtbot, window,
                                                                    store_path):
    from briefpack import paths

    window.visits.import_file(paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml")
    planner = window.planner
    imported = planner.draft()
    assert imported.per_country and imported.team and imported.contacts
    assert any(item.is_call for item in imported.programme)
    assert window.save()
    reopened = Store.open(store_path, create=False)
    stored = reopened.visit(planner.visit_id)
    reopened.close()
    for name in ("per_country", "team", "contacts", "logistics", "top_lines",
                 "sensitivities", "purpose", "marking", "programme", "asks"):
        assert getattr(stored, name) == getattr(imported, name), name
    assert not planner.dirty

    # the per-country section of Denmark
    planner.sections.show_country("DNK")
    editor = planner.sections.editors["DNK"]
    editor.lists["top_lines"].setPlainText("Thank Denmark for the F-35 support.\nSecond.")
    section = planner.draft().content_for("DNK")
    assert section.top_lines[0] == "Thank Denmark for the F-35 support."
    assert planner.dirty
    # a call in the programme: its points are lines in the record form
    window.centre.setCurrentIndex(1)
    planner.tabs.setCurrentIndex(4)
    table = planner.tabs.currentWidget()
    row = next(i for i, item in enumerate(planner.programme.records()) if item.is_call)
    table.view.setCurrentIndex(planner.programme.index(row, 0))
    form = window.record_form
    assert form.model is planner.programme and form.row == row
    form.editors["points_to_make"].setPlainText("First point\n\nSecond point")
    assert form.apply_all() == {}
    assert planner.programme.record(row).points_to_make == ("First point", "Second point")
    # team members may name one of the visit's countries, or none
    planner.team.add_row()
    last = planner.team.rowCount() - 1
    assert planner.team.setData(planner.team.index(last, 0), "Press officer")
    assert not planner.team.setData(planner.team.index(last, 2), "Narnia")
    assert planner.team.setData(planner.team.index(last, 2), "lva")
    assert planner.draft().team[-1] == type(planner.draft().team[-1])(
        role="Press officer", country="LVA")


def test_readout_is_edited_and_written_to_the_store(qtbot, window, store_path, errors):
    import dataclasses

    from briefpack import model, paths

    window.visits.import_file(
        paths.data_dir() / "visits" / "2026-11-norway-secretary-of-state.yaml")
    planner = window.planner
    # the readout records what happened: move the visit into the past
    planner.start.setDate(QDate(2026, 1, 5))
    planner.end.setDate(QDate(2026, 1, 6))
    planner.outcomes.add_row(model.Outcome(objective="1", outcome="Agreed next steps",
                                           country="NOR"))
    planner.readout_actions.add_row(model.ReadoutAction(action="Send the draft MOU",
                                                        owner="Private Office",
                                                        country="NOR"))
    planner.readout_date.setDate(QDate(2026, 1, 7))
    draft = planner.draft()
    assert draft.readout_date == dt.date(2026, 1, 7) and len(draft.outcomes) == 1
    worker = window.data_menu.apply_readout()
    assert worker is not None, errors
    qtbot.waitUntil(lambda: window.message.text().startswith("Readout written"),
                    timeout=WAIT_MS)
    reader = Store.open(store_path, create=False)
    assert any(a.action == "Send the draft MOU" for a in reader.records("actions", "NOR"))
    assert reader.visit(planner.visit_id).outcomes == draft.outcomes
    reader.close()
    assert dataclasses.replace(planner.draft(), updated_at="", updated_by="").actions


def test_form_follows_the_table_in_use_where_a_tab_holds_several(qtbot, window):
    from briefpack import paths

    window.visits.import_file(paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml")
    planner = window.planner
    planner.tabs.setCurrentIndex(planner.tabs.count() - 2)  # Team: team, logistics, contacts
    tables = list(planner.tabs.currentWidget().findChildren(type(
        window.country_view.tables["agreements"])))
    contacts = next(t for t in tables if t.table is planner.contacts)
    contacts.view.setFocus()
    window._focus_moved(None, contacts.view)
    contacts.view.setCurrentIndex(planner.contacts.index(0, 0))
    assert window.record_form.model is planner.contacts and window.record_form.row == 0
    # a country section's tables (made when the visit loaded) too
    planner.tabs.setCurrentWidget(planner.sections)
    editor = planner.sections.editors["NOR"]
    window._focus_moved(None, editor.ask_table.view)
    assert window.record_form.model is editor.asks


def test_every_table_model_adds_a_blank_record_of_its_own_kind(qtbot):
    from briefpack.app import table_models, visit_models

    for module in (table_models, visit_models):
        for cls in vars(module).values():
            if not (isinstance(cls, type) and issubclass(cls, table_models.DataclassTableModel)
                    and cls.FIELDS):
                continue
            table = cls(country="NOR") if issubclass(cls, table_models.CountryRecordsModel) \
                else cls()
            record = table.new_record()
            assert type(record) is cls.RECORD
            assert all(getattr(record, f.name) in ("", None, (), False)
                       for f in cls.FIELDS if f.required and f.kind != "marking")
            if isinstance(table, table_models.CountryRecordsModel):
                assert record.country == "NOR"

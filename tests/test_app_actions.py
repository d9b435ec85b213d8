"""The app's menus do what the CLI does: packets, backups and restore, history, review due,
ranking with coverage, markings; Help; printing; the preview's pages and zoom."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from PySide6.QtWidgets import QDialog, QMessageBox  # noqa: E402

from briefpack.app import data_dialogs, domain, main_window as main_window_module  # noqa: E402
from briefpack.app.data_dialogs import (  # noqa: E402
    BackupsDialog, HistoryDialog, RankDialog, ReviewDueDialog,
)
from briefpack.store import Store  # noqa: E402

from test_app_daily import errors, pick, store_path, window  # noqa: E402,F401

WAIT_MS = 20000


def answer(monkeypatch, cls, code, capture=None):
    """Make ``cls.exec`` return ``code`` at once, remembering the dialog shown."""
    def exec_(self):
        if capture is not None:
            capture.append(self)
        return code

    monkeypatch.setattr(cls, "exec", exec_)


def test_export_packet_writes_a_packet_the_import_reads(qtbot, window, tmp_path):
    from briefpack.store.packets import read_packet

    pick(qtbot, window, "NOR")
    target = tmp_path / "NOR-packet.yaml"
    # a fast job: wait for its result, not a signal
    window.data_menu.export_packet_to("NOR", target)
    qtbot.waitUntil(lambda: "Exported the packet" in window.message.text(), timeout=WAIT_MS)
    packet = read_packet(target)
    assert packet.country == "NOR" or "NOR" in str(target.read_text())
    assert "Exported the packet" in window.message.text()


def test_backup_then_restore_puts_the_data_back(qtbot, window, monkeypatch, store_path):
    pick(qtbot, window, "NOR")
    shown = []
    answer(monkeypatch, BackupsDialog, BackupsDialog.BACK_UP, shown)
    window.backups_action.trigger()
    qtbot.waitUntil(lambda: "Backed up the store" in window.message.text(), timeout=WAIT_MS)
    backups = [p for p in (store_path.parent / "backups").iterdir() if p.suffix == ".db"]
    assert len(backups) == 1

    agreements = window.country_view.models["agreements"]
    name = agreements.record(0).name
    agreements.setData(agreements.index(0, agreements.COL_NAME), "Changed after the backup")
    assert window.save()

    monkeypatch.setattr(BackupsDialog, "chosen", lambda self: backups[0].name)
    answer(monkeypatch, BackupsDialog, BackupsDialog.RESTORE, shown)
    monkeypatch.setattr(main_window_module.QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.backups_action.trigger()
    qtbot.waitUntil(lambda: window.message.text().startswith("Restored"), timeout=WAIT_MS)
    assert shown[-1].items.rowCount() >= 1
    reader = Store.open(store_path, create=False)
    names = [a.name for a in reader.records("agreements", "NOR")]
    assert name in names and "Changed after the backup" not in names
    assert any(e["action"] == "restore" for e in reader.audit_log())
    reader.close()


def test_history_lists_changes_and_filters(qtbot, window, monkeypatch):
    pick(qtbot, window, "NOR")
    agreements = window.country_view.models["agreements"]
    agreements.setData(agreements.index(0, agreements.COL_JOBS), "4242")
    assert window.save()
    domain.set_country_marking(window.store, "NOR", "OFFICIAL-SENSITIVE", user="Jo Bloggs")
    shown = []
    answer(monkeypatch, HistoryDialog, 0, shown)
    window.history_action.trigger()
    dialog = shown[0]
    assert dialog.items.rowCount() >= 1
    dialog.filter.setText("4242")
    assert dialog.proxy.rowCount() == 1
    row = data_dialogs.selected_row(dialog.view) or dialog.proxy.index(0, 0).data(
        Qt.ItemDataRole.UserRole)
    assert row["after"] == "4242" and row["user"] == "Jo Bloggs"
    dialog.filter.clear()
    actions = [dialog.action.itemData(i) for i in range(dialog.action.count())]
    assert "" in actions and "edit" in actions
    # the action filter and the typed filter together; the count says what is shown
    total = dialog.items.rowCount()
    dialog.action.setCurrentIndex(actions.index("edit"))
    edits = dialog.proxy.rowCount()
    assert 1 <= edits < total
    assert dialog.count.text() == f"{edits} of {total} rows"
    dialog.filter.setText("4242")
    assert dialog.proxy.rowCount() == 1 and dialog.count.text() == f"1 of {total} rows"
    dialog.filter.clear()
    dialog.action.setCurrentIndex(0)
    assert dialog.count.text() == f"{total} rows"


def test_review_due_lists_personal_records_and_shows_one(qtbot, window, monkeypatch):
    shown = []
    answer(monkeypatch, ReviewDueDialog, 0, shown)
    window.review_due_action.trigger()
    rows = shown[0].items.rowCount()
    from briefpack.app import domain
    assert rows == len(domain.review_due(window.store))
    if rows:
        first = shown[0].items.item(0, 0).data(Qt.ItemDataRole.UserRole)
        window.data_menu.show_record(first["country"], first["table"], first["id"])
        qtbot.waitUntil(lambda: window.country_view.country_file is not None
                        and window.country_view.country_file.country.code == first["country"],
                        timeout=WAIT_MS)


def test_rank_shows_coverage_and_sets_insufficient_data_apart(qtbot, window, monkeypatch):
    shown = []
    answer(monkeypatch, RankDialog, 0, shown)
    window.rank_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS * 2)
    dialog = shown[0]
    assert dialog.items.rowCount() == 193
    rows = [dialog.items.item(r, 0).data(Qt.ItemDataRole.UserRole)
            for r in range(dialog.items.rowCount())]
    assert all(row["coverage"].endswith("%") for row in rows)
    insufficient = [i for i, row in enumerate(rows) if row["band"] == "Insufficient data"]
    assert all(rows[i]["score"] == "—" and rows[i]["rank"] == "" for i in insufficient)
    # numbered as the CLI numbers them: 1, 2, 3 … for those with enough data only
    numbered = [row["rank"] for row in rows if row["band"] != "Insufficient data"]
    assert numbered == list(range(1, len(numbered) + 1))
    if insufficient:  # listed after every country with enough data
        assert insufficient == list(range(insufficient[0], len(rows)))


def test_set_marking_of_a_record_is_an_undoable_edit(qtbot, window, monkeypatch):
    pick(qtbot, window, "NOR")
    table = window.country_view.tables["agreements"]
    window.country_view.tabs.setCurrentWidget(table)
    table.view.setCurrentIndex(table.table.index(0, 0))
    monkeypatch.setattr(data_dialogs.MarkingDialog, "exec",
                        lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(data_dialogs.MarkingDialog, "value",
                        lambda self: "OFFICIAL-SENSITIVE - COMMERCIAL")
    window.mark_action.trigger()
    assert table.table.record(0).marking == "OFFICIAL-SENSITIVE - COMMERCIAL"
    window.undo_action.trigger()
    assert table.table.record(0).marking != "OFFICIAL-SENSITIVE - COMMERCIAL"


def test_set_marking_of_the_country_is_saved_and_audited(qtbot, window, monkeypatch,
                                                         store_path):
    pick(qtbot, window, "NOR")
    window.country_view.tabs.setCurrentIndex(0)
    monkeypatch.setattr(data_dialogs.MarkingDialog, "exec",
                        lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(data_dialogs.MarkingDialog, "value", lambda self: "OFFICIAL-SENSITIVE")
    window.mark_action.trigger()
    reader = Store.open(store_path, create=False)
    assert reader.country("NOR").marking == "OFFICIAL-SENSITIVE"
    assert any(e["action"] == "mark" for e in reader.audit_log(table="countries"))
    reader.close()


def test_marking_dialog_refuses_a_bad_marking(qtbot):
    dialog = data_dialogs.MarkingDialog("a record", "OFFICIAL")
    qtbot.addWidget(dialog)
    dialog.marking.setCurrentText("TOP SECRET")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problem.text()


def test_help_has_about_guide_and_every_shortcut(window):
    dialog = window.show_help(0)
    about = dialog.about.toPlainText()
    from briefpack import __version__

    assert __version__ in about and str(window.store.path) in about
    assert "SIL Open Font License" in about and "Liberation Sans" in about
    assert "Ctrl+B" in dialog.guide.toPlainText()
    keys = [dialog.shortcuts.item(r, 1).text() for r in range(dialog.shortcuts.rowCount())]
    assert "Ctrl+B" in keys and "Esc" in keys and "F6" in ", ".join(keys)
    assert dialog.tabs.currentIndex() == 0
    dialog.close()


def test_print_pack_without_a_pack_says_so(window, errors):
    window.builds.last_build = []
    window.print_pack_action.trigger()
    assert errors[-1][0] == "No pack to print yet"


def test_preview_pages_and_zoom(qtbot, window):
    with qtbot.waitSignal(window.preview.refreshed, timeout=WAIT_MS):
        pick(qtbot, window, "NOR")
    preview = window.preview
    pages = preview.document.pageCount()
    assert pages > 1 and preview.pages.text() == f"of {pages}"
    preview.go_to_page(1)
    assert preview.current_page() == 1 and preview.page.value() == 2
    preview.page.setValue(1)
    assert preview.current_page() == 0
    preview.zoom(1.25)
    first = preview.view.zoomFactor()
    preview.zoom(1.25)
    assert preview.view.zoomFactor() == pytest.approx(first * 1.25)
    assert preview.zoom_label.text().endswith("%")
    preview.fit_width()
    assert preview.zoom_label.text() == "Fit width"
    assert preview.document_name == "Norway brief"


def test_preview_country_of_a_multi_country_visit_can_be_chosen(qtbot, window):
    from briefpack import paths

    window.visits.import_file(paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml")
    assert window.preview_country_row.isVisibleTo(window)
    assert window.preview_country.count() == 3
    window.preview_country.setCurrentIndex(2)
    country_file, visit = window.focus()
    assert country_file.country.code == "LVA" and visit is not None
    qtbot.waitUntil(lambda: window.scorecard.card is not None
                    and window.scorecard.card.country_code == "LVA", timeout=WAIT_MS)


def drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QEvent.Type.Drop)
    window.dropEvent(event)


def test_dropping_a_visit_file_opens_it_in_the_planner(window):
    from briefpack import paths

    drop(window, paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml")
    assert window.planner.countries() == ("NOR", "DNK", "LVA")
    assert window.planner.dirty


def test_dropping_a_packet_or_sheet_opens_the_import_wizard(qtbot, window, tmp_path):
    packet = tmp_path / "NOR-packet.yaml"
    window.data_menu.export_packet_to("NOR", packet)
    qtbot.waitUntil(lambda: "Exported the packet" in window.message.text(), timeout=WAIT_MS)
    drop(window, packet)
    wizard = window.data_menu.import_wizard
    assert wizard is not None and wizard.source_page.path.text() == str(packet)
    assert not wizard.source_page.is_sheet()
    wizard.reject()
    sheet = tmp_path / "alumni.csv"
    sheet.write_text("name,course\nA. Person,HCSC\n")
    drop(window, sheet)
    assert window.data_menu.import_wizard.source_page.is_sheet()
    window.data_menu.import_wizard.reject()


def test_dropping_something_else_says_what_is_accepted(window, errors, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    drop(window, other)
    assert errors[-1][0] == "Cannot open the file" and "CSV" in errors[-1][1]


def test_visits_can_be_duplicated_renamed_deleted_and_searched(qtbot, window, store_path):
    from briefpack import paths
    from briefpack.app.dialogs import OpenVisitDialog

    window.visits.import_file(paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml")
    assert window.save()
    first = window.planner.visit_id
    window.visits.manage(OpenVisitDialog.DUPLICATE, first)
    visits = window.store.visits()
    copy = next(v for v in visits if v.id != first)
    assert copy.title.endswith("(copy)") and copy.per_country == window.store.visit(
        first).per_country
    window.visits.manage(OpenVisitDialog.RENAME, copy.id, "Baltic follow-up")
    assert window.store.visit(copy.id).title == "Baltic follow-up"
    dialog = OpenVisitDialog(window.store.visits())
    qtbot.addWidget(dialog)
    dialog.search.setText("follow-up")
    assert dialog.chosen_id() == copy.id
    assert sum(not dialog.list.item(i).isHidden() for i in range(dialog.list.count())) == 1
    window.visits.manage(OpenVisitDialog.DELETE, copy.id)
    assert [v.id for v in window.store.visits()] == [first]
    reader = Store.open(store_path, create=False)
    assert any(e["action"] == "delete" and e["table_name"] == "visits"
               for e in reader.audit_log())
    reader.close()


def test_visit_countries_can_be_reordered(window):
    from briefpack import paths

    window.visits.import_file(paths.data_dir() / "visits" / "2026-12-nordic-baltic-tour.yaml")
    planner = window.planner
    planner.country_list.setCurrentRow(2)
    planner.move_country(-1)
    assert planner.countries() == ("NOR", "LVA", "DNK")
    assert window.preview_country.itemData(1) == "LVA"
    planner.move_country(-1)
    planner.move_country(-1)  # already first: stays
    assert planner.countries() == ("LVA", "NOR", "DNK")


def test_scorecard_says_how_much_was_measured(qtbot, window):
    pick(qtbot, window, "NOR")
    qtbot.waitUntil(lambda: window.scorecard.card is not None, timeout=WAIT_MS)
    title = window.scorecard.title.text()
    assert "measured" in title
    item = window.scorecard.tree.topLevelItem(0)
    assert "measured" in item.toolTip(0)
    scores = [item.child(i).text(1) for i in range(item.childCount())]
    assert all(s.isdigit() or s in ("no data", "not applicable", "") for s in scores)


def test_rank_dialog_keeps_the_ranking_order(qtbot):
    rows = [{"rank": n, "country": f"C{n}", "code": "X", "score": 1, "band": "Green",
             "coverage": "90%"} for n in range(1, 12)]
    dialog = RankDialog(rows)
    qtbot.addWidget(dialog)
    shown = [dialog.proxy.index(r, 0).data() for r in range(dialog.proxy.rowCount())]
    assert shown == [str(n) for n in range(1, 12)]


def test_tables_sort_numbers_as_numbers(qtbot):
    rows = [{"name": f"b{n}", "size_kb": n} for n in (9, 10, 100)]
    dialog = BackupsDialog(rows)
    qtbot.addWidget(dialog)
    first = [dialog.proxy.index(r, 0).data() for r in range(3)]
    assert first == ["b9", "b10", "b100"]  # in the order given until a header is clicked
    dialog.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert [dialog.proxy.index(r, 2).data() for r in range(3)] == ["9", "10", "100"]


def test_set_judgements_saves_tier_and_defence_section_audited(qtbot, window, monkeypatch,
                                                               store_path):
    pick(qtbot, window, "NOR")
    monkeypatch.setattr(data_dialogs.JudgementDialog, "exec",
                        lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(data_dialogs.JudgementDialog, "values",
                        lambda self: {"priority_tier": 1, "defence_section": "resident"})
    window.judge_action.trigger()
    reader = Store.open(store_path, create=False)
    norway = reader.country("NOR")
    assert (norway.priority_tier, norway.defence_section) == (1, "resident")
    assert any(e["action"] == "judge" for e in reader.audit_log(table="countries"))
    reader.close()


def test_judgement_dialog_starts_from_not_set_and_offers_every_tier(qtbot):
    dialog = data_dialogs.JudgementDialog("Norway", None, "unknown")
    qtbot.addWidget(dialog)
    assert dialog.values() == {"priority_tier": None, "defence_section": "unknown"}
    dialog.tier.setCurrentIndex(dialog.tier.findData(3))
    assert dialog.values()["priority_tier"] == 3


def test_where_to_go_next_shows_a_chart_and_the_table(qtbot, window, monkeypatch, store_path):
    from briefpack.app.plan_view import PlanDialog

    store = Store.open(store_path)
    store.set_judgement("USA", priority_tier=1)
    store.close()
    shown = []
    answer(monkeypatch, PlanDialog, 0, shown)
    window.plan_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS * 2)
    dialog = shown[0]
    names = [dialog.items.item(r, 0).text() for r in range(dialog.items.rowCount())]
    assert names[0] == "United States"
    chart = dialog.chart_view.chart()
    codes = [s.name() for s in chart.series() if s.name().isalpha()]
    assert "USA" in codes
    assert chart.title().startswith("Days since the last ministerial")


def test_sections_declared_complete_in_the_app_are_audited(qtbot, window, monkeypatch):
    import datetime as dt

    from briefpack.app.scorecard_panel import CompletenessDialog

    pick(qtbot, window, "NOR")
    chosen = []

    def exec_(self):
        chosen.append(self)
        check, when = self.rows["agreements"]
        check.setChecked(True)
        from PySide6.QtCore import QDate
        when.setDate(QDate(2026, 3, 1))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CompletenessDialog, "exec", exec_)
    window.complete_action.trigger()
    assert chosen and window.store.completeness("NOR") == {"agreements": dt.date(2026, 3, 1)}
    assert any(e["action"] == "complete" for e in window.store.history("NOR"))

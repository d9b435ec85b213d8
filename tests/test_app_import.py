"""The import wizard (file → validation → review → apply → summary) and the planner's
redaction and sensitive-annex options, driven as a user would, offscreen."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest
import yaml

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QCheckBox, QMessageBox, QStyleOptionViewItem, QWizard,
)

from briefpack import model  # noqa: E402
from briefpack.app import import_wizard as import_wizard_module  # noqa: E402
from briefpack.app import dialogs as dialogs_module, main_window as main_window_module  # noqa: E402
from briefpack.app.build_worker import Jobs  # noqa: E402
from briefpack.app.import_wizard import ImportWizard  # noqa: E402
from briefpack.app.review_tree import ReviewModel  # noqa: E402
from briefpack.app.main_window import MainWindow  # noqa: E402
from briefpack.app.settings import AppSettings  # noqa: E402
from briefpack.store import Store  # noqa: E402
from briefpack.store.packets import _dump, checksum, export_packet  # noqa: E402

WAIT_MS = 20000


# -- a small store on disk and the wizard on it --------------------------------------------

@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "s.db"
    store = Store.open(path, seed=False)
    store.save(model.Country(code="FRA", name="France", memberships=("NATO",)), user="setup")
    store.save(model.Agreement(country="FRA", name="Lancaster House", status="active",
                               signed=dt.date(2010, 11, 2)), user="setup")
    store.save(model.Agreement(country="FRA", name="Northwood Declaration",
                               marking="OFFICIAL-SENSITIVE"), user="setup")
    store.save(model.Alumnus(country="FRA", name="Camille Martin", course="ACSC", year=2012),
               user="setup")
    store.close()
    return path


@pytest.fixture
def wizard(qtbot, db):
    store = Store.open(db, create=False)
    countries = store.countries()
    store.close()
    jobs = Jobs()
    wiz = ImportWizard(db, countries, jobs, user="Jo Bloggs")
    qtbot.addWidget(wiz)
    wiz.show()
    yield wiz
    jobs.wait()


def packet(db: Path, tmp_path: Path, edit=None, name: str = "fra.yaml") -> Path:
    """France's packet exported from the store, after ``edit(data)`` (checksum redone)."""
    store = Store.open(db, create=False)
    text = export_packet(store, "FRA", user="exporter")
    store.close()
    if edit is not None:
        data = yaml.safe_load(text)
        edit(data)
        data["checksum"] = checksum(data)
        text = _dump(data)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def forward(wizard: ImportWizard):
    page = wizard.currentPage()
    if page.isFinalPage():
        return wizard.button(QWizard.WizardButton.FinishButton)
    which = (QWizard.WizardButton.CommitButton if page.isCommitPage()
             else QWizard.WizardButton.NextButton)
    return wizard.button(which)


def click_forward(qtbot, wizard: ImportWizard) -> None:
    button = forward(wizard)
    assert button.isEnabled() and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def check_file(qtbot, wizard: ImportWizard, path: Path) -> None:
    """Choose ``path`` on the first page and wait for the validation report."""
    if not wizard.source_page.path.text():
        assert not forward(wizard).isEnabled()  # no file yet
    wizard.source_page.path.setText(str(path))
    click_forward(qtbot, wizard)
    assert wizard.currentPage() is wizard.check_page
    qtbot.waitUntil(lambda: not wizard.check_page.running, timeout=WAIT_MS)


def apply(qtbot, wizard: ImportWizard):
    """Apply from the review page; the ImportSummary the wizard announced."""
    with qtbot.waitSignal(wizard.imported, timeout=WAIT_MS) as imported:
        click_forward(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=WAIT_MS)
    return imported.args[0]


def rows(model_: ReviewModel, parent=None) -> list:
    """The review tree as nested (texts, children) tuples."""
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    out = []
    for row in range(model_.rowCount(parent)):
        texts = tuple(model_.index(row, col, parent).data() or ""
                      for col in range(model_.columnCount()))
        out.append((texts, rows(model_, model_.index(row, 0, parent))))
    return out


# -- a valid packet ----------------------------------------------------------------------------

def test_one_edited_field_is_shown_exactly_and_applied(qtbot, wizard, db, tmp_path, monkeypatch):
    path = packet(db, tmp_path, lambda d: d["sections"]["agreements"][0].update(
        status="expired"))
    check_file(qtbot, wizard, path)
    assert wizard.check_page.isComplete()
    assert "No problems found" in wizard.check_page.status.text()
    assert wizard.check_page.problems.isHidden()
    click_forward(qtbot, wizard)

    review = wizard.review_page
    assert rows(review.model) == [
        (("France (FRA) — 1 change", "", "", ""), [
            (("Agreements — 1 changed", "", "", ""), [
                (("Changed: Lancaster House", "", "", ""), [
                    (("Status", "", "active", "expired"), []),
                ]),
            ]),
        ]),
    ]
    assert review.progress_note.text() == "No conflicts."
    summary = apply(qtbot, wizard)

    store = Store.open(db, create=False)
    agreement = [a for a in store.records("agreements", "FRA") if a.name == "Lancaster House"][0]
    assert agreement.status == "expired" and agreement.updated_by == "Jo Bloggs"
    log = store.audit_log(table="agreements", record_id=agreement.id)
    assert any(e["field"] == "status" and e["before"] == "active" and e["after"] == "expired"
               and e["user"] == "Jo Bloggs" for e in log)
    store.close()

    assert (summary.added, summary.changed, summary.removed) == (0, 1, 0)
    assert summary.backup.is_file() and summary.backup.parent == db.parent / "backups"
    page = wizard.summary_page
    assert "Added 0, changed 1 and removed 0" in page.counts.text()
    assert summary.backup.name in page.backup.text()
    assert wizard.button(wizard.WizardButton.FinishButton).isDefault()
    assert not page.open_backups.isDefault()
    opened = []
    monkeypatch.setattr(import_wizard_module.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(page.open_backups, Qt.MouseButton.LeftButton)
    assert opened == [str(summary.backup.parent)]


def test_a_packet_edited_by_hand_says_so_and_who_exported_it(qtbot, wizard, db, tmp_path):
    text = packet(db, tmp_path).read_text(encoding="utf-8")
    path = tmp_path / "fra-edited.yaml"
    path.write_text(text.replace("Lancaster House", "Lancaster Gate", 1), encoding="utf-8")
    assert not wizard.source_page.findChildren(QCheckBox)  # nothing to force
    check_file(qtbot, wizard, path)
    status = wizard.check_page.status.text()
    assert wizard.check_page.isComplete(), status
    assert "edited after export; exported by exporter on " in status
    assert "--force" not in status and "Warning" not in status
    click_forward(qtbot, wizard)
    summary = apply(qtbot, wizard)
    assert summary.changed == 1
    assert not any("--force" in w for w in summary.warnings)
    # a packet as exported says who exported it, and nothing about edits
    wizard.restart()
    check_file(qtbot, wizard, packet(db, tmp_path, name="fra-again.yaml"))
    assert "is as it was exported by exporter on " in wizard.check_page.status.text()


# -- an invalid packet -------------------------------------------------------------------------

def test_invalid_packet_lists_every_problem_with_its_line_and_cannot_go_on(qtbot, wizard, db,
                                                                          tmp_path):
    def edit(data):
        data["sections"]["agreements"][0]["signed"] = "4 May 2020"
        data["sections"]["alumni"][0]["year"] = "nineteen"

    path = packet(db, tmp_path, edit, name="broken.yaml")
    lines = path.read_text().splitlines()
    signed_line = lines.index("    signed: 4 May 2020") + 1
    year_line = lines.index("    year: nineteen") + 1
    check_file(qtbot, wizard, path)

    page = wizard.check_page
    found = [tuple(page.problems.topLevelItem(i).text(c) for c in range(4))
             for i in range(page.problems.topLevelItemCount())]
    assert [(f, line, field) for f, line, field, _ in found] == [
        ("broken.yaml", str(signed_line), "agreements[1].signed"),
        ("broken.yaml", str(year_line), "alumni[1].year")]
    assert "YYYY-MM-DD" in found[0][3]
    assert page.status.text().startswith("2 problems must be fixed")
    assert not page.isComplete() and not forward(wizard).isEnabled()
    wizard.next()  # even asked directly, the wizard stays put
    assert wizard.currentPage() is page


def test_a_file_that_is_not_a_packet_shows_the_exact_reason(qtbot, wizard, tmp_path):
    path = tmp_path / "notes.yaml"
    path.write_text("- just\n- a list\n")
    check_file(qtbot, wizard, path)
    item = wizard.check_page.problems.topLevelItem(0)
    assert item.text(1) == "1" and "expected a briefpack country packet" in item.text(3)
    assert not forward(wizard).isEnabled()


# -- conflicts ---------------------------------------------------------------------------------

@pytest.fixture
def conflicted(db, tmp_path):
    """A packet renaming an agreement that was also edited here after the export."""
    path = packet(db, tmp_path, lambda d: d["sections"]["agreements"][0].update(
        name="Lancaster House 2"))
    store = Store.open(db, create=False)
    mine = [a for a in store.records("agreements", "FRA") if a.name == "Lancaster House"][0]
    store.save(model.Agreement(**{**mine.__dict__, "commits": "local edit"}), user="me")
    store.close()
    return path, mine.id


@pytest.mark.parametrize("choice, expected, kept", [
    ("mine", ("Lancaster House", "local edit"), 1),
    ("theirs", ("Lancaster House 2", ""), 0),
])
def test_a_conflict_must_be_settled_and_the_choice_is_honoured(qtbot, wizard, db, conflicted,
                                                               choice, expected, kept):
    path, agreement_id = conflicted
    check_file(qtbot, wizard, path)
    click_forward(qtbot, wizard)
    review = wizard.review_page
    key = f"agreements:{agreement_id}"
    assert [c.conflict_key for c in review.model.conflicts] == [key]
    cell = review.model.index_of(key, ReviewModel.COL_CHOICE)
    assert cell.data() == "Choose…"
    assert review.progress_note.text() == "1 of 1 conflict(s) still need a choice."
    assert not forward(wizard).isEnabled()
    wizard.next()
    assert wizard.currentPage() is review

    # as the user does: the drop-down in the choice cell
    delegate = review.tree.itemDelegateForColumn(ReviewModel.COL_CHOICE)
    editor = delegate.createEditor(review.tree.viewport(), QStyleOptionViewItem(), cell)
    editor.setCurrentIndex(editor.findData(choice))
    delegate.setModelData(editor, review.model, cell)
    assert cell.data() == {"mine": "Keep mine", "theirs": "Take theirs"}[choice]
    assert forward(wizard).isEnabled()
    summary = apply(qtbot, wizard)

    assert summary.kept_mine == kept
    store = Store.open(db, create=False)
    agreement = store.get("agreements", agreement_id)
    store.close()
    assert (agreement.name, agreement.commits) == expected


def test_one_choice_for_all_conflicts(qtbot, wizard, conflicted):
    path, agreement_id = conflicted
    check_file(qtbot, wizard, path)
    click_forward(qtbot, wizard)
    review = wizard.review_page
    qtbot.mouseClick(review.take_all, Qt.MouseButton.LeftButton)
    assert review.model.choices == {f"agreements:{agreement_id}": "theirs"}
    assert review.progress_note.text() == "All 1 conflict(s) settled."
    assert forward(wizard).isEnabled()


def test_a_store_changed_during_review_imports_nothing_and_says_why(qtbot, wizard, db,
                                                                  tmp_path):
    path = packet(db, tmp_path, lambda d: d["sections"]["agreements"][0].update(jobs=12))
    check_file(qtbot, wizard, path)
    click_forward(qtbot, wizard)
    store = Store.open(db, create=False)
    store.save(model.Agreement(country="FRA", name="Meanwhile"), user="me")
    store.close()
    click_forward(qtbot, wizard)
    page = wizard.apply_page
    qtbot.waitUntil(lambda: not page.running, timeout=WAIT_MS)
    assert wizard.currentPage() is page and not page.isComplete()
    assert "Nothing was imported" in page.status.text()
    assert "changed since this import was checked" in page.status.text()
    assert wizard.button(QWizard.WizardButton.CancelButton).isEnabled()


def test_cancel_while_applying_rolls_the_import_back(qtbot, wizard, db, tmp_path,
                                                    monkeypatch):
    """Imports run as Progress steps like builds: Cancel stops between steps, and what was
    written so far is undone (one transaction)."""
    def edit(data):
        data["sections"]["agreements"][0]["jobs"] = 12
        data["sections"]["alumni"][0]["year"] = 2014
    path = packet(db, tmp_path, edit)
    real, gate = import_wizard_module.domain.import_steps, threading.Event()

    def held(*args, **kwargs):
        with contextlib.closing(real(*args, **kwargs)) as steps:
            for progress in steps:
                if progress.message.startswith("Writing alumni"):
                    gate.wait(WAIT_MS / 1000)  # agreements are written, not yet committed
                yield progress
    monkeypatch.setattr(import_wizard_module.domain, "import_steps", held)
    check_file(qtbot, wizard, path)
    click_forward(qtbot, wizard)  # to the review
    click_forward(qtbot, wizard)  # apply
    page = wizard.apply_page
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    assert page.running and cancel.isEnabled()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not page.running, timeout=WAIT_MS)
    assert wizard.isVisible() and wizard.currentPage() is page and not page.done
    assert page.status.text().startswith("Import cancelled: nothing was imported")
    store = Store.open(db, create=False)
    try:
        assert [a.jobs for a in store.records("agreements", "FRA")] == [None, None]
        assert [a.year for a in store.records("alumni", "FRA")] == [2012]
        assert not any(e["action"] == "import" for e in store.audit_log(limit=None))
    finally:
        store.close()
    cancel.click()  # now it closes
    assert not wizard.isVisible()


# -- spreadsheets ----------------------------------------------------------------------------------

def test_csv_sheet_with_its_section_and_country(qtbot, wizard, db, tmp_path):
    sheet = tmp_path / "alumni.csv"
    sheet.write_text("name,course,year\nCamille Martin,HCSC,2012\nLouis Petit,ICSC,2019\n",
                     encoding="utf-8")
    source = wizard.source_page
    source.path.setText(str(sheet))
    assert source.sheet_choice.isChecked() and source.table.isVisible()
    assert source.table.currentData() == "alumni"  # from the file's name

    # without a country the sheet cannot be read: the page says so
    check_file(qtbot, wizard, sheet)
    [problem] = [wizard.check_page.problems.topLevelItem(0)]
    assert problem.text(2) == "country" and "no country column" in problem.text(3)
    wizard.back()
    source.country.setCurrentIndex(source.country.findData("FRA"))
    click_forward(qtbot, wizard)
    qtbot.waitUntil(lambda: not wizard.check_page.running, timeout=WAIT_MS)
    click_forward(qtbot, wizard)

    tree = rows(wizard.review_page.model)
    [(country, [(section, records)])] = tree
    # never refreshed from a sheet: every record edited here since is a conflict
    assert section[0] == "Alumni — 1 added, 1 changed, 1 conflict(s)"
    assert (("Changed: Camille Martin  ⚠ conflict", "Choose…", "", ""),
            [(("Course", "", "ACSC", "HCSC"), [])]) in records
    assert (("Added: Louis Petit", "", "", ""), []) in records
    assert not forward(wizard).isEnabled()
    qtbot.mouseClick(wizard.review_page.take_all, Qt.MouseButton.LeftButton)
    summary = apply(qtbot, wizard)
    assert (summary.added, summary.changed) == (1, 1)
    store = Store.open(db, create=False)
    assert sorted((a.name, a.course) for a in store.records("alumni", "FRA")) == [
        ("Camille Martin", "HCSC"), ("Louis Petit", "ICSC")]
    store.close()


# -- in the main window: Data → Import packet, and the build options -----------------------------

@pytest.fixture(scope="session")
def _seeded_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seeded-import") / "sample.db"
    store = Store.open(path)
    store.save(model.Agreement(country="NOR", name="Sensitive cooperation note",
                               marking="OFFICIAL-SENSITIVE"), user="setup")
    store.close()
    return path


@pytest.fixture
def window(qtbot, _seeded_db, tmp_path, monkeypatch):
    path = tmp_path / "sample.db"
    shutil.copy(_seeded_db, path)
    monkeypatch.setattr(dialogs_module, "show_error",
                        lambda parent, title, message: pytest.fail(f"{title}: {message}"))
    monkeypatch.setattr(dialogs_module, "ask_unsaved",
                        lambda parent, what: QMessageBox.StandardButton.Discard)
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.output_folder = tmp_path / "out"
    settings.author = "Jo Bloggs"
    win = MainWindow(Store.open(path), settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.priorities is not None, timeout=WAIT_MS)
    yield win
    win.jobs.wait()


def show(qtbot, win: MainWindow, code: str) -> None:
    assert win.browser.select(code)
    qtbot.waitUntil(lambda: win.country_view.country_file is not None
                    and win.country_view.country_file.country.code == code, timeout=WAIT_MS)


def test_data_menu_imports_and_the_views_follow(qtbot, window, tmp_path):
    assert window.import_data_action.shortcut().toString() == "Ctrl+I"
    data_menu = [m for m in window.menuBar().actions() if m.text() == "&Data"][0].menu()
    assert window.import_data_action in data_menu.actions()
    show(qtbot, window, "NOR")
    text = export_packet(window.store, "NOR")
    data = yaml.safe_load(text)
    data["sections"]["agreements"][0]["jobs"] = 4321
    data["checksum"] = checksum(data)
    path = tmp_path / "nor.yaml"
    path.write_text(_dump(data), encoding="utf-8")

    window.import_data_action.trigger()
    wizard = window.data_menu.import_wizard
    assert wizard is not None and wizard.isVisible()
    check_file(qtbot, wizard, path)
    click_forward(qtbot, wizard)
    apply(qtbot, wizard)
    shown = window.country_view.models["agreements"].records()
    assert 4321 in [a.jobs for a in shown]
    assert window.message.text().startswith("Imported: 0 added, 1 changed")
    window.jobs.wait()  # the scores worked out again do not write over what the import did
    qtbot.wait(200)
    assert window.message.text().startswith("Imported: 0 added, 1 changed")
    click_forward(qtbot, wizard)  # Finish
    assert not wizard.isVisible()


def build_and_wait(qtbot, window: MainWindow, monkeypatch):
    """Build the brief in view through the window's worker; the BuildResult."""
    results = []
    finished = window.builds._finished
    # wrapped before the build starts: a fast worker may finish before a later connect
    monkeypatch.setattr(window.builds, "_finished",
                        lambda result: results.append(result) or finished(result))
    window.builds.build_brief()
    qtbot.waitUntil(lambda: window.builds.worker is None, timeout=WAIT_MS)
    assert len(results) == 1
    return results[0]


def test_redaction_option_writes_the_redacted_variant(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(dialogs_module.BuildDoneDialog, "exec", lambda self: 0)
    show(qtbot, window, "NOR")
    redact = window.planner.redact
    assert redact.isVisibleTo(window.planner)
    assert redact.text() == "Leave personal data out (redacted variant)"
    redact.setChecked(True)
    assert not window.planner.dirty  # a build option, not part of the visit
    result = build_and_wait(qtbot, window, monkeypatch)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 2 and all(n.rsplit(".", 1)[0].endswith("-redacted") for n in names)
    assert result.briefs[0].facts.redacted is True


def test_annex_option_moves_sensitive_material_and_the_preview_follows(qtbot, window,
                                                                     monkeypatch):
    monkeypatch.setattr(dialogs_module.BuildDoneDialog, "exec", lambda self: 0)
    asked = []
    real = main_window_module.domain.render_preview
    monkeypatch.setattr(main_window_module.domain, "render_preview",
                        lambda *a: asked.append(a[-1]) or real(*a))
    with qtbot.waitSignal(window.preview.refreshed, timeout=WAIT_MS):
        show(qtbot, window, "NOR")
    annex = window.planner.annex
    assert annex.text() == "Put OFFICIAL-SENSITIVE material in an annex"
    with qtbot.waitSignal(window.preview.refreshed, timeout=WAIT_MS):
        annex.setChecked(True)
    assert asked[-1].sensitive_annex is True and asked[-1].redact_personal is False
    result = build_and_wait(qtbot, window, monkeypatch)
    assert sum(result.briefs[0].facts.annex.values()) >= 1
    annex.setChecked(False)
    plain = build_and_wait(qtbot, window, monkeypatch)
    assert not plain.briefs[0].facts.annex


def test_no_format_ticked_is_refused_before_any_work(qtbot, window, monkeypatch):
    errors = []
    monkeypatch.setattr(dialogs_module, "show_error",
                        lambda parent, title, message: errors.append(message))
    show(qtbot, window, "NOR")
    for box in window.planner.format_boxes.values():
        box.setChecked(False)
    window.builds.build_brief()
    assert window.builds.worker is None
    assert errors == ["choose at least one format (PDF or Word) on the Visit tab"]
    # a preview is a PDF whatever is ticked
    assert window.planner.build_options(preview=True).formats == ("pdf",)

"""The app can build whatever the CLI can: every BuildOptions field has a control in the
build dialog, and the choices are kept per visit and used by Build brief and Build pack."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtWidgets import QDialog  # noqa: E402

from briefpack import model  # noqa: E402
from briefpack.app import build_dialog  # noqa: E402
from briefpack.app.build_dialog import BuildDialog  # noqa: E402
from briefpack.options import BuildOptions  # noqa: E402

from fixtures_app import errors, store_path  # noqa: E402,F401  (fixtures)
from test_app_daily import pick, window  # noqa: E402,F401  (fixture)

#: for each BuildOptions field, a value other than its default. A field added to
#: BuildOptions fails here until it has a value, and then until the dialog carries it.
NOT_DEFAULT = {
    "formats": ("docx",), "template": "standard", "out_dir": Path("/tmp/briefs"),
    "ceiling": "OFFICIAL", "sensitive_annex": True, "score_annex": True,
    "redact_personal": True,
    "personal_threshold": 7, "today": dt.date(2026, 1, 31), "author": "Jo Bloggs",
    "final": True, "large_print": True, "duplex": False, "copy": 3,
}


def _options_with(name: str) -> BuildOptions:
    value = NOT_DEFAULT[name]
    return BuildOptions(**{name: value})


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(BuildOptions)])
def test_every_build_option_has_a_control_that_carries_it(qtbot, name):
    assert name in NOT_DEFAULT, f"BuildOptions.{name} is new: give it a control in the " \
                                "build dialog and a value here"
    options = _options_with(name)
    assert getattr(options, name) != getattr(BuildOptions(), name)
    dialog = BuildDialog(options, ["standard", "brief-note"])
    qtbot.addWidget(dialog)
    assert dialog.controls[name].isVisibleTo(dialog) or not dialog.isVisible()
    assert dialog.controls[name].parentWidget() is not None
    assert getattr(dialog.options(), name) == getattr(options, name)
    # and what it carries is kept (as text in the settings) and read back
    kept = build_dialog.from_text(build_dialog.to_text(options), BuildOptions())
    assert getattr(kept, name) == getattr(options, name)


def test_the_controls_set_the_options(qtbot):
    dialog = BuildDialog(BuildOptions(), ["standard"])
    qtbot.addWidget(dialog)
    dialog.large_print.setChecked(True)
    dialog.duplex.setChecked(False)
    dialog.copy.setValue(4)
    dialog.ceiling.setCurrentIndex(dialog.ceiling.findData("OFFICIAL"))
    dialog.format_boxes["docx"].setChecked(False)
    chosen = dialog.options()
    assert (chosen.large_print, chosen.duplex, chosen.copy, chosen.ceiling, chosen.formats) \
        == (True, False, 4, "OFFICIAL", ("pdf",))
    for box in dialog.format_boxes.values():
        box.setChecked(False)
    dialog.accept()  # no format: refused in the dialog's own words
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.chosen is None
    assert "format" in dialog.problem.text()


def _save_visit(window, title: str) -> int:
    window.visits.new()
    window.planner.title.setText(title)
    window.planner.principal.setText("Secretary of State for Defence")
    assert window.visits.save(), window.message.text()
    return window.planner.visit_id


def test_options_are_kept_per_visit_and_used_by_the_build(qtbot, window, errors,
                                                          monkeypatch):
    pick(qtbot, window, "NOR")
    first = _save_visit(window, "First visit")

    def choose(dialog):
        dialog.large_print.setChecked(True)
        dialog.copy.setValue(5)
        dialog.ceiling.setCurrentIndex(dialog.ceiling.findData("OFFICIAL"))
        dialog.redact.setChecked(True)
        dialog._finish(QDialog.DialogCode.Accepted.value)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(BuildDialog, "exec", choose)
    window.build_options_action.trigger()
    assert window.planner.redact.isChecked()  # the Visit tab's quick control follows
    requests = []
    monkeypatch.setattr(window.builds, "start", requests.append)
    window.builds.build_brief()
    chosen = requests[-1].options
    assert (chosen.large_print, chosen.copy, chosen.ceiling, chosen.redact_personal) \
        == (True, 5, "OFFICIAL", True)

    second = _save_visit(window, "Second visit")
    assert not window.planner.redact.isChecked()
    window.builds.build_brief()
    assert requests[-1].options.copy == 1 and requests[-1].options.ceiling is None

    assert window.visits.open_id(first)
    assert window.planner.redact.isChecked()
    window.builds.build_brief()
    assert requests[-1].options.copy == 5 and requests[-1].options.large_print
    assert second != first and not errors
    assert isinstance(window.store.visit(first), model.Visit)


def test_the_build_dialog_fits_the_smallest_screens(qtbot):
    from briefpack.app.screen_fit import FRAME, SMALL_SCREENS

    dialog = BuildDialog(BuildOptions(), ["standard", "brief-note"])
    qtbot.addWidget(dialog)
    dialog.show()
    least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    size = dialog.size()
    for screen in SMALL_SCREENS:
        room = screen - FRAME
        assert least.width() <= room.width() and least.height() <= room.height(), least
        assert size.width() <= room.width() and size.height() <= room.height(), size

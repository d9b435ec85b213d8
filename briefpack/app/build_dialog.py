"""Build options: every field of ``BuildOptions`` as a control, and the choices remembered
per visit (as text in the app's settings)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from ..errors import BuildError
from ..options import BuildOptions
from .palette import style_for

#: format -> its label, in the order the checkboxes show
FORMAT_LABELS = {"pdf": "PDF (.pdf)", "docx": "Word (.docx)"}
#: ceilings the dialog offers (a visit's own ceiling still applies: the lower one wins)
CEILINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
REDACT_TEXT = "Leave personal data out (redacted variant)"


class BuildDialog(QDialog):
    """Shows ``options``; ``chosen`` holds the options the user settled on.

    ``controls`` maps each BuildOptions field to the widget that sets it."""

    BUILD_BRIEF, BUILD_PACK = 10, 11

    def __init__(self, options: BuildOptions, templates: list[str], parent=None, *,
                 visit_template: str = "standard", pack_possible: bool = True):
        super().__init__(parent)
        self.setWindowTitle("Build options")
        self.chosen: BuildOptions | None = None
        self.format_boxes: dict[str, QCheckBox] = {}
        formats = QWidget(self)
        row = QHBoxLayout(formats)
        row.setContentsMargins(0, 0, 0, 0)
        for key, label in FORMAT_LABELS.items():
            box = QCheckBox(label, formats)
            box.setAccessibleName(f"Write {label}")
            box.setChecked(key in options.formats)
            self.format_boxes[key] = box
            row.addWidget(box)
        row.addStretch(1)
        self.template = QComboBox(self)
        self.template.setAccessibleName("Template")
        self.template.addItem(f"The visit's ({visit_template})", None)
        for name in templates:
            self.template.addItem(name, name)
        self._choose(self.template, options.template)
        self.out_dir = QLineEdit(str(options.out_dir), self)
        self.out_dir.setAccessibleName("Output folder")
        browse = QPushButton("Choose…", self)
        browse.setAccessibleName("Choose the output folder")
        browse.clicked.connect(self._browse)
        folder = QWidget(self)
        folder_row = QHBoxLayout(folder)
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.out_dir, 1)
        folder_row.addWidget(browse)
        self.ceiling = QComboBox(self)
        self.ceiling.setAccessibleName("Marking ceiling")
        self.ceiling.setToolTip("Nothing marked above this goes into the brief (the visit's "
                                "own ceiling applies too: the lower one wins)")
        self.ceiling.addItem("The visit's, else none", None)
        for level in CEILINGS:
            self.ceiling.addItem(level, level)
        self._choose(self.ceiling, options.ceiling)
        self.annex = QCheckBox("OFFICIAL-SENSITIVE material in an annex", self)
        self.annex.setChecked(options.sensitive_annex)
        self.scores = QCheckBox("Add the analyst's annex (the host's scores)", self)
        self.scores.setToolTip("The scorecard, the pack's comparison table and how each "
                               "score was made; by default a brief grades no host country")
        self.scores.setChecked(options.score_annex)
        self.redact = QCheckBox(REDACT_TEXT, self)
        self.redact.setChecked(options.redact_personal)
        self.threshold = QSpinBox(self)
        self.threshold.setAccessibleName("Personal records before a warning")
        self.threshold.setRange(0, 100000)
        self.threshold.setValue(options.personal_threshold)
        self.threshold.setSuffix(" personal records")
        self.dated = QCheckBox("As of", self)
        self.dated.setAccessibleName("Build as of another date")
        self.today = QDateEdit(self)
        self.today.setAccessibleName("Date the briefs are built as of")
        self.today.setCalendarPopup(True)
        self.today.setDisplayFormat("dd/MM/yyyy")
        day = options.today or dt.date.today()
        self.today.setDate(QDate(day.year, day.month, day.day))
        self.dated.setChecked(options.today is not None)
        self.today.setEnabled(self.dated.isChecked())
        self.dated.toggled.connect(self.today.setEnabled)
        date = QWidget(self)
        date_row = QHBoxLayout(date)
        date_row.setContentsMargins(0, 0, 0, 0)
        date_row.addWidget(self.dated)
        date_row.addWidget(self.today)
        date_row.addStretch(1)
        self.author = QLineEdit(options.author, self)
        self.author.setAccessibleName("Author")
        self.author.setEnabled(not options.redact_personal)
        self.redact.toggled.connect(lambda on: self.author.setEnabled(not on))
        self.final = QCheckBox("Final copy (no DRAFT mark), whatever the visit says", self)
        self.final.setToolTip("Refused while the visit still has placeholders (TBC, XXX …) "
                              "or no purpose, objectives or programme")
        self.final.setChecked(options.final)
        self.large_print = QCheckBox("Large print", self)
        self.large_print.setChecked(options.large_print)
        self.duplex = QCheckBox("Two-sided: each country starts on a right-hand page", self)
        self.duplex.setChecked(options.duplex)
        self.copy = QSpinBox(self)
        self.copy.setAccessibleName("Copy number")
        self.copy.setRange(1, 9999)
        self.copy.setValue(options.copy)
        self.controls: dict[str, QWidget] = {
            "formats": formats, "template": self.template, "out_dir": folder,
            "ceiling": self.ceiling, "sensitive_annex": self.annex,
            "score_annex": self.scores,
            "redact_personal": self.redact, "personal_threshold": self.threshold,
            "today": date, "author": self.author, "final": self.final,
            "large_print": self.large_print,
            "duplex": self.duplex, "copy": self.copy}

        brief = QGroupBox("Briefs and packs", self)
        form = QFormLayout(brief)
        form.addRow("Formats", formats)
        form.addRow("Template", self.template)
        form.addRow("Output folder", folder)
        form.addRow("Marking ceiling", self.ceiling)
        annexes = QWidget(self)  # one row: the dialog fits the smallest screens
        annexes_row = QHBoxLayout(annexes)
        annexes_row.setContentsMargins(0, 0, 0, 0)
        annexes_row.addWidget(self.annex)
        annexes_row.addWidget(self.scores)
        form.addRow("Annexes", annexes)
        form.addRow("", self.redact)
        form.addRow("Warn above", self.threshold)
        form.addRow("Date", date)
        form.addRow("Author", self.author)
        form.addRow("", self.final)
        pack = QGroupBox("Packs", self)
        pack_form = QFormLayout(pack)
        pack_form.addRow("", self.large_print)
        pack_form.addRow("", self.duplex)
        pack_form.addRow("Copy number", self.copy)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(style_for("error", bold=False))
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for text, code, enabled in (("Build &brief", self.BUILD_BRIEF, True),
                                    ("Build &pack", self.BUILD_PACK, pack_possible)):
            button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.setEnabled(enabled)
            button.clicked.connect(lambda _=False, c=code: self._finish(c))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Kept for this visit; Build brief (Ctrl+B) and Build pack "
                                "(Ctrl+Shift+B) use them.", self))
        layout.addWidget(brief)
        layout.addWidget(pack)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    @staticmethod
    def _choose(combo: QComboBox, value: str | None) -> None:
        index = combo.findData(value)
        if index < 0 and value is not None:
            combo.addItem(value, value)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Output folder", self.out_dir.text())
        if folder:
            self.out_dir.setText(folder)

    def options(self) -> BuildOptions:
        """The options shown; BuildError when they cannot be built with."""
        date = self.today.date()
        return BuildOptions(
            formats=tuple(k for k, box in self.format_boxes.items() if box.isChecked()),
            template=self.template.currentData(),
            out_dir=Path(self.out_dir.text().strip() or "."),
            ceiling=self.ceiling.currentData(),
            sensitive_annex=self.annex.isChecked(),
            score_annex=self.scores.isChecked(),
            redact_personal=self.redact.isChecked(),
            personal_threshold=self.threshold.value(),
            today=dt.date(date.year(), date.month(), date.day()) if self.dated.isChecked()
            else None,
            author=self.author.text().strip(),
            final=self.final.isChecked(),
            large_print=self.large_print.isChecked(),
            duplex=self.duplex.isChecked(),
            copy=self.copy.value())

    def _finish(self, code: int) -> None:
        try:
            self.chosen = self.options()
        except BuildError as exc:
            self.problem.setText(f"Cannot build with these options: {exc}")
            self.problem.show()
            return
        self.done(code)

    def accept(self) -> None:
        self._finish(QDialog.DialogCode.Accepted.value)


# -- remembered choices ------------------------------------------------------------------------


def to_text(options: BuildOptions) -> str:
    """The options as JSON text (to keep in the settings)."""
    def plain(value: Any) -> Any:
        if isinstance(value, Path):
            return str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, tuple):
            return list(value)
        return value

    return json.dumps({f.name: plain(getattr(options, f.name))
                       for f in dataclasses.fields(BuildOptions)}, sort_keys=True)


def from_text(text: str, base: BuildOptions) -> BuildOptions:
    """Options read back from ``to_text``'s text over ``base``; ``base`` if unreadable
    (a field that has gone is ignored, a new one keeps ``base``'s value)."""
    try:
        data = json.loads(text)
        names = {f.name for f in dataclasses.fields(BuildOptions)}
        values = {k: v for k, v in data.items() if k in names}
        if "out_dir" in values:
            values["out_dir"] = Path(values["out_dir"])
        if values.get("today"):
            values["today"] = dt.date.fromisoformat(values["today"])
        if "formats" in values:
            values["formats"] = tuple(values["formats"])
        return dataclasses.replace(base, **values)
    except (ValueError, TypeError, AttributeError, BuildError):
        return base

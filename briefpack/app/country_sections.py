"""The visit's per-country sections: what the visit says about each of its countries.

One editor per country (kept while the country stays on the visit, so its undo history
stays valid); only that country's brief shows its section."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QScrollArea,
    QStackedWidget, QVBoxLayout, QWidget,
)

from .. import model
from .record_form import MARKINGS
from .record_table import RecordTable
from .table_models import AsksModel, ObjectivesModel

#: (CountryContent list, label, hint) edited as one line per item
LINE_LISTS = (
    ("top_lines", "Top lines", "The two or three things to get across, one per line."),
    ("points_to_make", "Points to make", "One per line."),
    ("if_raised", "If raised", "Defensive lines, one per line."),
    ("press_lines", "Press lines", "What may be said publicly, one per line."),
    ("sensitivities", "Handling and sensitivities", "What to avoid, one per line."),
)


def lines_of(box: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in box.toPlainText().splitlines() if line.strip())


class CountryContentEditor(QWidget):
    """Edits one CountryContent; ``content()`` returns it as entered."""

    changed = Signal()

    def __init__(self, code: str, name: str, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.code = code
        #: the section as loaded: fields this editor does not show are carried over from it
        self._loaded = model.CountryContent(country=code)
        self.purpose = QPlainTextEdit(self)
        self.purpose.setAccessibleName(f"{name}: purpose of the stop")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setMaximumHeight(70)
        self.marking = QComboBox(self)
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        self.marking.setAccessibleName(f"{name}: marking of this section")
        self.marking.setToolTip("The protective marking of what this section says")
        self.lists: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        # labels above their boxes: the boxes get the pane's whole width
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow("Purpose", self.purpose)
        form.addRow("Marking", self.marking)
        for key, label, hint in LINE_LISTS:
            box = QPlainTextEdit(self)
            box.setAccessibleName(f"{name}: {label}")
            box.setPlaceholderText(hint)
            box.setTabChangesFocus(True)
            box.setMaximumHeight(80)
            box.textChanged.connect(self.changed)
            self.lists[key] = box
            form.addRow(label, box)
        self.objectives = ObjectivesModel(undo_stack, self)
        self.asks = AsksModel(undo_stack, self)
        self.objective_table = RecordTable(self.objectives, f"{name}: objectives", self)
        self.ask_table = RecordTable(self.asks, f"{name}: asks and responses", self)
        for table in (self.objective_table, self.ask_table):
            table.setMinimumHeight(150)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Objectives for this stop</b>", self))
        layout.addWidget(self.objective_table)
        layout.addWidget(QLabel("<b>Their asks and our responses here</b>", self))
        layout.addWidget(self.ask_table)
        self.purpose.textChanged.connect(self.changed)
        self.marking.currentTextChanged.connect(self.changed)
        self.objectives.edited.connect(self.changed)
        self.asks.edited.connect(self.changed)

    def load(self, content: model.CountryContent) -> None:
        self._loaded = content
        self.purpose.setPlainText(content.purpose)
        if self.marking.findText(content.marking) < 0:
            self.marking.addItem(content.marking)
        self.marking.setCurrentText(content.marking)
        for key, box in self.lists.items():
            box.setPlainText("\n".join(getattr(content, key)))
        self.objectives.set_rows(list(content.objectives))
        self.asks.set_rows(list(content.asks))

    def content(self) -> model.CountryContent:
        lines = {key: lines_of(box) for key, box in self.lists.items()}
        return dataclasses.replace(
            self._loaded, country=self.code, purpose=self.purpose.toPlainText().strip(),
            objectives=tuple(self.objectives.records()), asks=tuple(self.asks.records()),
            marking=self.marking.currentText().strip() or model.DEFAULT_MARKING,
            top_lines=lines["top_lines"], points_to_make=lines["points_to_make"],
            if_raised=lines["if_raised"], press_lines=lines["press_lines"],
            sensitivities=lines["sensitivities"])

    def is_empty(self) -> bool:
        content = self.content()
        return content == model.CountryContent(country=self.code, marking=content.marking)


class CountrySections(QWidget):
    """A country chooser over one editor per country of the visit."""

    changed = Signal()

    def __init__(self, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.editors: dict[str, CountryContentEditor] = {}
        #: sections of countries no longer on the visit: kept, in case one comes back
        self._set_aside: dict[str, model.CountryContent] = {}
        self.chooser = QComboBox(self)
        self.chooser.setAccessibleName("Country whose section is shown")
        self.stack = QStackedWidget(self)
        self.chooser.currentIndexChanged.connect(self.stack.setCurrentIndex)
        self.empty = QLabel("Add countries to the visit (Visit tab) to write what the visit "
                            "says about each of them.", self)
        self.empty.setWordWrap(True)
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Country section")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields take the focus, not it
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.stack)
        top = QHBoxLayout()
        top.addWidget(QLabel("Country", self))
        top.addWidget(self.chooser, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)

    def set_countries(self, codes: tuple[str, ...], names: dict[str, str]) -> None:
        """One editor per country, in the visit's order (sections of removed ones kept)."""
        for code in [c for c in self.editors if c not in codes]:
            editor = self.editors.pop(code)
            self._set_aside[code] = editor.content()
            self.stack.removeWidget(editor)
            editor.deleteLater()
        for code in codes:
            if code not in self.editors:
                editor = CountryContentEditor(code, names.get(code, code), self.undo_stack,
                                              self)
                editor.load(self._set_aside.pop(code, model.CountryContent(country=code)))
                editor.changed.connect(self.changed)
                self.editors[code] = editor
        current = self.chooser.currentData()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for code in codes:
            self.stack.removeWidget(self.editors[code])
        for code in codes:
            self.chooser.addItem(f"{names.get(code, code)} ({code})", code)
            self.stack.addWidget(self.editors[code])
        self.chooser.blockSignals(False)
        index = self.chooser.findData(current) if current else 0
        self.chooser.setCurrentIndex(max(index, 0))
        self.stack.setCurrentIndex(max(index, 0))
        self.empty.setVisible(not codes)

    def load(self, sections: tuple[model.CountryContent, ...]) -> None:
        self._set_aside = {c.country: c for c in sections if c.country not in self.editors}
        for content in sections:
            if content.country in self.editors:
                self.editors[content.country].load(content)
        for code, editor in self.editors.items():
            if not any(c.country == code for c in sections):
                editor.load(model.CountryContent(country=code))

    def sections(self) -> tuple[model.CountryContent, ...]:
        """The sections with something in them, in the visit's order."""
        return tuple(self.editors[self.chooser.itemData(i)].content()
                     for i in range(self.chooser.count())
                     if not self.editors[self.chooser.itemData(i)].is_empty())

    def show_country(self, code: str) -> None:
        index = self.chooser.findData(code)
        if index >= 0:
            self.chooser.setCurrentIndex(index)

"""The visit planner: everything a brief needs to know about one visit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy,
    QSplitter, QTabWidget, QVBoxLayout, QWidget,
)

from .. import marking, model
from .country_sections import CountrySections, lines_of
from ..errors import BuildError
from ..options import BuildOptions
from .palette import style_for
from .date_field import DateField
from .focus import order_tabs_as_laid_out, quiet_tab_arrows
from .record_form import MARKINGS
from .record_table import RecordTable
from .table_models import AsksModel, DataclassTableModel, ObjectivesModel, ProgrammeModel
from .visit_models import (
    ContactsModel, LogisticsModel, OutcomesModel, ReadoutActionsModel, TeamModel,
)

CEILINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
FORMATS = (("pdf", "PDF (.pdf)"), ("docx", "Word (.docx)"))


class VisitPlanner(QWidget):
    """Edits one visit. ``visit()`` returns it, or raises ValueError listing what is missing."""

    #: anything about the visit changed
    changed = Signal()
    #: the visit's countries changed (codes, in order): the window supplies their people
    countries_changed = Signal(tuple)

    def __init__(self, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.visit_id: int | None = None
        self._stamp = ("", "")
        self._loading = False
        #: the visit as loaded or saved; the plan is dirty while it differs from this
        self._baseline: model.Visit | None = None
        #: unsaved although unchanged since loading (e.g. imported from a file)
        self._unsaved_source = False
        self._names: dict[str, str] = {}
        self._loaded = model.Visit(title="", principal="", start=dt.date.today(),
                                   end=dt.date.today(), countries=())

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Visit plan")
        quiet_tab_arrows(self.tabs)
        self.tabs.addTab(self._scroll(self._details_tab(), "Visit details"), "Visit")
        self.objectives = ObjectivesModel(undo_stack, self)
        self.tabs.addTab(RecordTable(self.objectives, "Objectives", self), "Objectives")
        self.tabs.addTab(self._scroll(self._messages_tab(), "Messages"), "Messages")
        self.asks = AsksModel(undo_stack, self)
        self.tabs.addTab(RecordTable(self.asks, "Asks and responses", self), "Asks")
        self.programme = ProgrammeModel(undo_stack, self)
        self.tabs.addTab(RecordTable(self.programme, "Programme", self), "Programme")
        self.tabs.addTab(self._people_tab(), "Who's who")
        self.sections = CountrySections(undo_stack, self)
        self.sections.changed.connect(self._on_changed)
        self.tabs.addTab(self.sections, "Countries")
        self.team = TeamModel(undo_stack, self)
        self.logistics = LogisticsModel(undo_stack, self)
        self.contacts = ContactsModel(undo_stack, self)
        self.tabs.addTab(self._scroll(self._practicalities_tab(),
                                      "Team, logistics and contacts"), "Team")
        self.outcomes = OutcomesModel(undo_stack, self)
        self.readout_actions = ReadoutActionsModel(undo_stack, self)
        self.tabs.addTab(self._readout_tab(), "Readout")
        for table in self.tables():
            table.edited.connect(self._on_changed)

        self.heading = QLabel(self)
        self.heading.setAccessibleName("Visit")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        self.new_visit()

    # -- building the form ---------------------------------------------------------

    def tables(self):
        """The visit's own tables (not the per-country sections')."""
        return (self.objectives, self.asks, self.programme, self.team, self.logistics,
                self.contacts, self.outcomes, self.readout_actions)

    def _readout_tab(self) -> QWidget:
        """After the visit: its date, outcomes against the objectives, agreed actions."""
        page = QWidget(self)
        hint = QLabel("After the visit, record what it achieved and the actions agreed. "
                      "Data → Write the readout to the store adds them to each country's "
                      "record, so the next brief opens with 'Since we last met'.", page)
        hint.setWordWrap(True)
        self.readout_date = self._date("Date of the readout", optional=True)
        self.readout_date.edit.setPlaceholderText("not written yet")
        row = QHBoxLayout()
        row.addWidget(QLabel("Readout of", page))
        row.addWidget(self.readout_date)
        row.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical, page)
        splitter.addWidget(RecordTable(self.outcomes, "Outcomes against the objectives", page))
        splitter.addWidget(RecordTable(self.readout_actions, "Actions agreed", page))
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        return page

    def _practicalities_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical, page)
        for records, title in ((self.team, "UK team and delegation"),
                               (self.logistics, "Logistics"), (self.contacts, "Contacts")):
            splitter.addWidget(RecordTable(records, title, page))
        layout.addWidget(splitter)
        return page

    def _scroll(self, inner: QWidget, name: str) -> QScrollArea:
        """A page that scrolls on a small screen; the fields in it take the focus (it
        follows them), not the page."""
        area = QScrollArea(self)
        area.setAccessibleName(name)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.setWidgetResizable(True)
        area.setWidget(inner)
        return area

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self._on_changed)
        return edit

    def _date(self, name: str, *, optional: bool = False) -> DateField:
        edit = DateField(name, self, optional=optional)
        edit.dateChanged.connect(self._on_changed)
        edit.dateChanged.connect(self._check_dates)
        edit.refused.connect(self._date_refused)
        return edit

    def _details_tab(self) -> QWidget:
        page = QWidget(self)
        outer = QVBoxLayout(page)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # in a narrow pane (1024x600, or 2x scale) labels go above their fields rather than
        # pushing the fields out of sight behind a horizontal scroll bar
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.title = self._line("Visit title", "e.g. Defence Secretary's visit to Norway")
        self.title.textChanged.connect(self._update_heading)
        self.principal = self._line("Principal", "e.g. Secretary of State for Defence")
        self.start = self._date("Start date")
        self.end = self._date("End date")
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("to", page))
        dates.addWidget(self.end)
        dates.addStretch(1)
        self.date_problem = QLabel("The visit ends before it starts: check the dates.", page)
        self.date_problem.setAccessibleName("Problem with the dates")
        self.date_problem.setStyleSheet(style_for("error", bold=False))
        self.date_problem.setWordWrap(True)
        self.date_problem.hide()
        dates_box = QVBoxLayout()
        dates_box.addLayout(dates)
        dates_box.addWidget(self.date_problem)

        self.country_list = QListWidget(page)
        self.country_list.setAccessibleName("Countries visited, in order")
        self.country_list.setMaximumHeight(110)
        self.country_picker = QComboBox(page)
        self.country_picker.setAccessibleName("Country to add")
        self.country_picker.setEditable(True)
        self.country_picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.country_picker.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        add = QPushButton("Add country", page)
        add.setAccessibleName("Add the chosen country to the visit")
        add.clicked.connect(self._add_picked_country)
        picked = self.country_picker.lineEdit()
        if picked is not None:  # Enter adds the country typed or chosen, as the button does
            picked.returnPressed.connect(self._add_picked_country)
        remove = QPushButton("Remove", page)
        remove.setAccessibleName("Remove the selected country from the visit")
        remove.clicked.connect(self._remove_country)
        up = QPushButton("Up", page)
        up.setAccessibleName("Move the selected country earlier in the visit")
        up.clicked.connect(lambda: self.move_country(-1))
        down = QPushButton("Down", page)
        down.setAccessibleName("Move the selected country later in the visit")
        down.clicked.connect(lambda: self.move_country(1))
        # the order can also be changed by dragging within the list
        self.country_list.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        self.country_list.model().rowsMoved.connect(lambda *_: self._countries_edited())
        picker = QHBoxLayout()
        picker.addWidget(self.country_picker, 1)
        picker.addWidget(add)
        # order and removal beside the list, so the form stays narrow on small screens
        order = QVBoxLayout()
        for button in (up, down, remove):
            order.addWidget(button)
        order.addStretch(1)
        listed = QHBoxLayout()
        listed.addWidget(self.country_list, 1)
        listed.addLayout(order)
        countries = QVBoxLayout()
        countries.addLayout(listed)
        countries.addLayout(picker)

        self.purpose = QPlainTextEdit(page)
        self.purpose.setAccessibleName("Purpose of the visit")
        self.purpose.setPlaceholderText("Why the visit happens, in a sentence or two")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setMaximumHeight(60)
        self.purpose.textChanged.connect(self._on_changed)
        self.marking = QComboBox(page)
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        self.marking.setAccessibleName("Marking of the visit's own words")
        self.marking.setToolTip("The protective marking of the objectives, messages and asks "
                                "written here")
        self.marking.currentTextChanged.connect(self._on_changed)
        self.owning_team = self._line("Owning team", "e.g. Private Office, Defence Secretary")
        self.template = QComboBox(page)
        self.template.setAccessibleName("Brief template")
        self.template.currentTextChanged.connect(self._on_changed)
        self.ceiling = QComboBox(page)
        self.ceiling.setAccessibleName("Marking ceiling")
        self.ceiling.addItems(CEILINGS)
        self.ceiling.setToolTip("Nothing marked above this goes into the brief; "
                                "the brief says how much was left out.")
        self.ceiling.currentTextChanged.connect(self._on_changed)
        self.version = self._line("Version", "1")
        self.version.setMaximumWidth(80)
        self.final = QCheckBox("Final (no DRAFT mark)", page)
        self.final.setAccessibleName("Final version")
        self.final.toggled.connect(self._on_changed)
        version = QHBoxLayout()
        version.addWidget(self.version)
        version.addWidget(self.final)
        version.addStretch(1)
        # build options, not part of the visit: they change the preview, not the saved visit
        self.redact = QCheckBox("Leave personal data out (redacted variant)", page)
        self.redact.setAccessibleName("Redact personal data")
        self.redact.setToolTip("Writes a separate file whose name ends -redacted, for wider "
                               "circulation: no names or details of people.")
        self.redact.toggled.connect(self.changed)
        self.annex = QCheckBox("Put OFFICIAL-SENSITIVE material in an annex", page)
        self.annex.setAccessibleName("Sensitive material in an annex")
        self.annex.setToolTip("The body of the brief stays OFFICIAL; everything marked "
                              "OFFICIAL-SENSITIVE moves to an annex at the end.")
        self.annex.toggled.connect(self.changed)
        self.scores = QCheckBox("Add the analyst's annex: the host country's scores", page)
        self.scores.setAccessibleName("Add the analyst's score annex")
        self.scores.setToolTip("The country's scorecard, the pack's comparison table and how "
                               "each score was made, at the end. By default a brief says how "
                               "the visit serves the strategy in words and grades no host.")
        self.scores.toggled.connect(self.changed)
        options = QVBoxLayout()
        options.addWidget(self.redact)
        options.addWidget(self.annex)
        options.addWidget(self.scores)
        self.format_boxes: dict[str, QCheckBox] = {}
        formats = QHBoxLayout()
        for key, label in FORMATS:
            box = QCheckBox(label, page)
            box.setAccessibleName(f"Write {label}")
            box.setChecked(True)
            self.format_boxes[key] = box
            formats.addWidget(box)
        formats.addStretch(1)

        form.addRow("Title", self.title)
        form.addRow("Principal", self.principal)
        form.addRow("Dates", dates_box)
        form.addRow("Purpose", self.purpose)
        form.addRow("Countries", countries)
        form.addRow("Owning team", self.owning_team)
        form.addRow("Template", self.template)
        form.addRow("Marking ceiling", self.ceiling)
        form.addRow("Marking of this plan", self.marking)
        form.addRow("Version", version)
        form.addRow("Build options", options)
        form.addRow("Formats", formats)
        order_tabs_as_laid_out(outer)
        return page

    def _messages_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.top_lines = self._lines_box(page, layout, "Top lines",
                                         "The two or three things to get across, one per line.")
        self.points = self._lines_box(page, layout, "Points to make",
                                      "Key messages, one per line.")
        self.if_raised = self._lines_box(page, layout, "If raised",
                                         "Defensive lines, one per line.")
        self.press_lines = self._lines_box(page, layout, "Press lines",
                                           "What may be said publicly afterwards, one per line.")
        self.sensitivities = self._lines_box(page, layout, "Handling and sensitivities",
                                             "What to avoid or be careful of, one per line.")
        return page

    def _lines_box(self, page: QWidget, layout: QVBoxLayout, name: str,
                   hint: str) -> QPlainTextEdit:
        label = QLabel(f"<b>{name}</b> — {hint}", page)
        label.setWordWrap(True)
        box = QPlainTextEdit(page)
        box.setAccessibleName(name)
        box.setTabChangesFocus(True)
        label.setBuddy(box)
        box.textChanged.connect(self._on_changed)
        layout.addWidget(label)
        layout.addWidget(box, 1)
        return box

    def _people_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        hint = QLabel("Tick the people the principal will meet. The list shows the "
                      "interlocutors held for the visit's countries.", page)
        hint.setWordWrap(True)
        self.people = QListWidget(page)
        self.people.setAccessibleName("Interlocutors to include")
        self.people.itemChanged.connect(self._on_changed)
        layout.addWidget(hint)
        layout.addWidget(self.people, 1)
        return page

    # -- context from the window ----------------------------------------------------

    def set_choices(self, countries: list[model.Country], templates: list[str],
                    objective_labels: dict[str, str]) -> None:
        """What can be picked: countries, templates, strategy objectives to tag."""
        self._names = {c.code: c.name for c in countries}
        self.country_picker.clear()
        for country in countries:
            self.country_picker.addItem(f"{country.name} ({country.code})", country.code)
        self.country_picker.setCurrentIndex(-1)
        current = self.template.currentText()
        self.template.blockSignals(True)
        self.template.clear()
        self.template.addItems(templates)
        if current and current not in templates:
            self.template.addItem(current)
        self.template.setCurrentText(current or "standard")
        self.template.blockSignals(False)
        self.objectives.tag_labels = dict(objective_labels)
        self.objectives.layoutChanged.emit()
        for table in (self.programme, self.team, self.logistics, self.contacts,
                      self.outcomes, self.readout_actions):
            table.country_names = dict(self._names)

    def set_people(self, people: list[model.Interlocutor], chosen: tuple[int, ...] = ()) -> None:
        """The interlocutors of the visit's countries; ``chosen`` ticked (else keep ticks)."""
        keep = set(chosen) or set(self.chosen_people())
        self.programme.people = {p.id: p.name for p in people if p.id is not None}
        self._loading, was_loading = True, self._loading
        self.people.clear()
        for person in people:
            label = f"{person.name}, {person.role}" if person.role else person.name
            item = QListWidgetItem(f"{label} ({self._names.get(person.country, person.country)})",
                                   self.people)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setCheckState(Qt.CheckState.Checked if person.id in keep
                               else Qt.CheckState.Unchecked)
        if not people:
            item = QListWidgetItem("No interlocutors are held for these countries yet; add "
                                   "them on the country's Interlocutors tab.", self.people)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        self._loading = was_loading

    def chosen_people(self) -> tuple[int, ...]:
        out = []
        for i in range(self.people.count()):
            item = self.people.item(i)
            person = item.data(Qt.ItemDataRole.UserRole)
            if person is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(int(person))
        return tuple(out)

    # -- countries ----------------------------------------------------------------------

    def countries(self) -> tuple[str, ...]:
        return tuple(self.country_list.item(i).data(Qt.ItemDataRole.UserRole)
                     for i in range(self.country_list.count()))

    def add_country(self, code: str) -> None:
        if code in self.countries():
            return
        item = QListWidgetItem(f"{self._names.get(code, code)} ({code})", self.country_list)
        item.setData(Qt.ItemDataRole.UserRole, code)
        self._countries_edited()

    def _add_picked_country(self) -> None:
        code = self.country_picker.currentData()
        if code is None:
            text = self.country_picker.currentText().strip().casefold()
            code = next((c for c, n in self._names.items()
                         if text in (c.casefold(), n.casefold())), None)
        if code:
            self.add_country(code)
            self.country_picker.setCurrentIndex(-1)

    def move_country(self, step: int) -> None:
        """Move the selected country earlier (-1) or later (+1) in the visit."""
        row = self.country_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.country_list.count():
            return
        item = self.country_list.takeItem(row)
        self.country_list.insertItem(target, item)
        self.country_list.setCurrentRow(target)
        self._countries_edited()

    def _remove_country(self) -> None:
        row = self.country_list.currentRow()
        if row >= 0:
            self.country_list.takeItem(row)
            self._countries_edited()

    def _countries_edited(self) -> None:
        self.sections.set_countries(self.countries(), self._names)
        self.countries_changed.emit(self.countries())
        self._on_changed()

    # -- the visit ----------------------------------------------------------------------

    def new_visit(self, country: str | None = None) -> None:
        """Start a blank visit (to ``country`` if given)."""
        start = dt.date.today() + dt.timedelta(days=28)
        self.load_visit(model.Visit(title="", principal="", start=start,
                                    end=start + dt.timedelta(days=1),
                                    countries=(country,) if country else ()))

    def load_visit(self, visit: model.Visit) -> None:
        self._loading = True
        try:
            self.visit_id = visit.id
            self._stamp = (visit.updated_at, visit.updated_by)
            self._loaded = visit
            self.title.setText(visit.title)
            self.principal.setText(visit.principal)
            self.start.set_value(visit.start)
            self.end.set_value(visit.end)
            self.country_list.clear()
            for code in visit.countries:
                item = QListWidgetItem(f"{self._names.get(code, code)} ({code})",
                                       self.country_list)
                item.setData(Qt.ItemDataRole.UserRole, code)
            self.owning_team.setText(visit.owning_team)
            if self.template.findText(visit.template) < 0:
                self.template.addItem(visit.template)
            self.template.setCurrentText(visit.template)
            self.ceiling.setCurrentText(visit.ceiling if visit.ceiling in CEILINGS
                                        else CEILINGS[-1])
            self.version.setText(visit.version)
            self.final.setChecked(visit.final)
            self.purpose.setPlainText(visit.purpose)
            if self.marking.findText(visit.marking) < 0:
                self.marking.addItem(visit.marking)
            self.marking.setCurrentText(visit.marking)
            for table, records in ((self.objectives, visit.objectives), (self.asks, visit.asks),
                                   (self.programme, visit.programme), (self.team, visit.team),
                                   (self.logistics, visit.logistics),
                                   (self.contacts, visit.contacts)):
                table.set_rows(list(records))
            for box, lines in ((self.top_lines, visit.top_lines),
                               (self.points, visit.points_to_make),
                               (self.if_raised, visit.if_raised),
                               (self.press_lines, visit.press_lines),
                               (self.sensitivities, visit.sensitivities)):
                box.setPlainText("\n".join(lines))
            self.sections.set_countries(tuple(visit.countries), self._names)
            self.sections.load(visit.per_country)
            self.outcomes.set_rows(list(visit.outcomes))
            self.readout_actions.set_rows(list(visit.actions))
            self.readout_date.set_value(visit.readout_date)
            self.undo_stack.clear()
            self.countries_changed.emit(tuple(visit.countries))
            self.set_people_chosen(visit.interlocutors)
        finally:
            self._loading = False
        self.dirty = False
        self._update_heading()
        self.changed.emit()

    def set_people_chosen(self, chosen: tuple[int, ...]) -> None:
        wanted = set(chosen)
        for i in range(self.people.count()):
            item = self.people.item(i)
            person = item.data(Qt.ItemDataRole.UserRole)
            if person is not None:
                item.setCheckState(Qt.CheckState.Checked if person in wanted
                                   else Qt.CheckState.Unchecked)

    def visit(self) -> model.Visit:
        """The visit as entered; ValueError lists everything that must be fixed first."""
        problems = []
        if not self.title.text().strip():
            problems.append("Give the visit a title.")
        if not self.principal.text().strip():
            problems.append("Name the principal.")
        start, end = self._start_end()
        for box in (self.start, self.end, self.readout_date):
            if box.problem():
                problems.append(f"{box.edit.accessibleName()}: {box.problem()}")
        if end < start:
            problems.append("The visit ends before it starts: check the dates.")
        if not self.countries():
            problems.append("Add at least one country.")
        for table in self.tables():
            problems += _row_problems(table)
        for code, editor in self.sections.editors.items():
            for table in (editor.objectives, editor.asks):
                problems += [f"{self._names.get(code, code)}: {p}"
                             for p in _row_problems(table)]
        for where, text in [("visit", self.marking.currentText())] + [
                (self._names.get(c, c), e.marking.currentText())
                for c, e in self.sections.editors.items()]:
            try:
                marking.normalise(text)
            except marking.MarkingError as exc:
                problems.append(f"Marking of the {where}: {exc}")
        if problems:
            raise ValueError("\n".join(problems))
        return self.draft()

    def draft(self) -> model.Visit:
        """The visit as entered, even if incomplete (for previews and scores)."""
        start, end = self._start_end()
        # fields this planner does not edit are carried over from the visit as loaded
        return dataclasses.replace(
            self._loaded,
            id=self.visit_id, title=self.title.text().strip(),
            principal=self.principal.text().strip(), start=start, end=max(start, end),
            countries=self.countries(), purpose=self.purpose.toPlainText().strip(),
            objectives=tuple(self.objectives.records()), top_lines=lines_of(self.top_lines),
            points_to_make=lines_of(self.points), asks=tuple(self.asks.records()),
            if_raised=lines_of(self.if_raised), press_lines=lines_of(self.press_lines),
            sensitivities=lines_of(self.sensitivities), per_country=self.sections.sections(),
            team=tuple(self.team.records()), logistics=tuple(self.logistics.records()),
            contacts=tuple(self.contacts.records()),
            marking=self.marking.currentText().strip() or model.DEFAULT_MARKING,
            outcomes=tuple(self.outcomes.records()),
            actions=tuple(self.readout_actions.records()),
            readout_date=self.readout_date.value(),
            programme=tuple(self.programme.records()), interlocutors=self.chosen_people(),
            template=self.template.currentText() or "standard",
            ceiling=self.ceiling.currentText(), owning_team=self.owning_team.text().strip(),
            final=self.final.isChecked(), version=self.version.text().strip() or "1",
            updated_at=self._stamp[0], updated_by=self._stamp[1])

    def build_options(self, *, preview: bool = False) -> BuildOptions:
        """The options the Visit tab shows (a preview is a PDF, whatever is ticked);
        BuildError when no format is ticked."""
        formats = ("pdf",) if preview else tuple(
            k for k, box in self.format_boxes.items() if box.isChecked())
        if not formats:
            raise BuildError("choose at least one format (PDF or Word) on the Visit tab")
        return BuildOptions(formats=formats, redact_personal=self.redact.isChecked(),
                            sensitive_annex=self.annex.isChecked(),
                            score_annex=self.scores.isChecked())

    @property
    def loaded(self) -> model.Visit | None:
        """The visit as last loaded from or saved to the store: what a save compares with
        (None for a new visit, or one read from a file and not saved yet)."""
        return None if self._unsaved_source or self.visit_id is None else self._loaded

    def keep_unsaved(self, stored: model.Visit, fields: dict[str, tuple[Any, Any]]) -> None:
        """Show the visit as stored, but for these fields, still unsaved after a save left
        them in conflict: field -> (the value as loaded, the value typed here)."""
        self.load_visit(dataclasses.replace(stored, **{k: v[1] for k, v in fields.items()}))
        self._loaded = self._baseline = dataclasses.replace(
            stored, **{k: v[0] for k, v in fields.items()})
        self._update_heading()

    def mark_saved(self, visit: model.Visit) -> None:
        self._loaded = visit
        self.visit_id = visit.id
        self._stamp = (visit.updated_at, visit.updated_by)
        for table in self.findChildren(DataclassTableModel):  # no row is shown as unsaved
            table.accept_as_saved()
        self.dirty = False
        self.undo_stack.setClean()
        self._update_heading()

    @property
    def dirty(self) -> bool:
        """The plan differs from the visit as loaded or saved (undoing back is clean)."""
        return self._unsaved_source or self._baseline != self.draft()

    @dirty.setter
    def dirty(self, value: bool) -> None:
        """True: keep it unsaved even if unchanged (a visit imported from a file: the
        window's unsaved marker shows it); False: what is shown is now saved."""
        was = self._unsaved_source
        self._unsaved_source = value
        if not value:
            self._baseline = self.draft()
        elif not was and not self._loading:
            self._update_heading()
            self.changed.emit()

    def _start_end(self) -> tuple[dt.date, dt.date]:
        """The visit's dates (those loaded while a box is empty)."""
        return (self.start.value() or self._loaded.start, self.end.value() or self._loaded.end)

    def _check_dates(self, *_) -> None:
        start, end = self._start_end()
        problems = [f"{box.edit.accessibleName()}: {box.problem()}"
                    for box in (self.start, self.end, self.readout_date) if box.problem()]
        if end < start:
            problems.append("The visit ends before it starts: check the dates.")
        self.date_problem.setText("\n".join(problems))
        self.date_problem.setVisible(bool(problems))

    def _date_refused(self, _message: str) -> None:
        self._check_dates()

    def _on_changed(self, *_) -> None:
        if self._loading:
            return
        self._update_heading()
        self.changed.emit()

    def _update_heading(self, *_) -> None:
        title = self.title.text().strip() or "New visit"
        saved = "" if self.visit_id is None else " (saved)"
        self.heading.setText(f"{title}{' *' if self.dirty else saved}")


def _row_problems(table) -> list[str]:
    out = []
    for number, record in enumerate(table.records(), start=1):
        for field in table.FIELDS:
            if field.required and not getattr(record, field.name):
                out.append(f"{table.NOUN.capitalize()} {number}: {field.title} is required.")
    return out


"""Editable table models over lists of dataclass records (one model class per table).

Each model knows its columns (``FIELDS`` with matching ``COL_*`` constants), validates
what users type and sends every change through a QUndoStack, so edits can be undone.
Models hold plain records only: the window saves them through the store.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QUndoStack

from .. import marking, model
from .commands import EditCellCommand, InsertRowCommand, RemoveRowCommand
from .fields import Field, display, edit_text, parse

MARKING = Field("marking", "Marking", "marking", width=190, required=True,
                help="Protective marking, e.g. OFFICIAL or OFFICIAL-SENSITIVE")
UPDATED = Field("updated_at", "Updated", "readonly", width=90,
                help="When this record was last saved")
UPDATED_BY = Field("updated_by", "By", "readonly", width=90, help="Who last saved it")


class DataclassTableModel(QAbstractTableModel):
    """Rows of dataclass records; edits are validated and go through the undo stack."""

    FIELDS: tuple[Field, ...] = ()
    #: a noun for messages and undo text, e.g. "agreement"
    NOUN = "row"
    #: the dataclass of a row
    RECORD: type = object

    #: a message for the user when what they typed was refused
    invalid = Signal(str)
    #: the same refusal in detail: row, field name, what was typed, why it was refused
    refused = Signal(int, str, object, str)
    #: any change to the rows (edit, insert, remove, undo, redo)
    edited = Signal()

    def __init__(self, undo_stack: QUndoStack | None = None, parent=None):
        super().__init__(parent)
        self.undo_stack = undo_stack
        #: alpha-3 code -> name of every country a "country" field may name
        self.country_names: dict[str, str] = {}
        self._rows: list[Any] = []
        #: the rows as last loaded or saved: whatever differs from them is pending
        self._baseline: list[Any] = []
        self._saved_by_id: dict[Any, Any] = {}

    # -- reading ------------------------------------------------------------------

    def set_rows(self, records: list[Any]) -> None:
        """Replace every row (nothing pending afterwards)."""
        self.beginResetModel()
        self._rows = list(records)
        self._set_baseline()
        self.endResetModel()

    def _set_baseline(self) -> None:
        self._baseline = list(self._rows)
        self._saved_by_id = {r.id: r for r in self._rows if getattr(r, "id", None) is not None}

    def records(self) -> list[Any]:
        return list(self._rows)

    def record(self, row: int) -> Any:
        return self._rows[row]

    def _differs(self, record: Any) -> bool:
        ident = getattr(record, "id", None)
        if ident is None:
            return record not in self._baseline
        return self._saved_by_id.get(ident) != record

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.FIELDS)

    def field(self, column: int) -> Field:
        return self.FIELDS[column]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.FIELDS):
            field = self.FIELDS[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return field.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return field.help or field.title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        field = self.FIELDS[index.column()]
        record = self._rows[index.row()]
        value = getattr(record, field.name)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.display_value(field, value)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(field, value)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.display_value(field, value)
            return text if len(text) > 30 else (field.help or None)
        if role == Qt.ItemDataRole.TextAlignmentRole and field.kind in ("money", "int"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self._differs(record):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setItalic(True)
            return font
        return None

    def display_value(self, field: Field, value: Any) -> str:
        return display(field, value)

    def edit_value(self, field: Field, value: Any) -> Any:
        return edit_text(field, value)

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.FIELDS[index.column()].cell_editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    # -- editing ------------------------------------------------------------------

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802 - Qt API
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        field = self.FIELDS[index.column()]
        record = self._rows[index.row()]
        try:
            new = self.parse_value(field, value)
            self.check(record, field, new)
        except ValueError as exc:
            self.invalid.emit(f"{self.NOUN.capitalize()} {index.row() + 1}: {exc}")
            self.refused.emit(index.row(), field.name, value, str(exc))
            return False
        old = getattr(record, field.name)
        if new == old:
            return True
        self._push(EditCellCommand(self, index.row(), field, old, new))
        return True

    def set_fields(self, row: int, typed: dict[str, Any]) -> dict[str, str]:
        """Set several fields of one row as one undoable change (the record form).

        Returns why each refused field was refused; if any is, nothing is changed."""
        record = self._rows[row]
        errors: dict[str, str] = {}
        changes: list[tuple[Field, Any, Any]] = []
        for field in self.FIELDS:
            if field.name not in typed or not field.editable:
                continue
            try:
                new = self.parse_value(field, typed[field.name])
                self.check(record, field, new)
            except ValueError as exc:
                errors[field.name] = str(exc)
                continue
            old = getattr(record, field.name)
            if new != old:
                changes.append((field, old, new))
        if errors or not changes:
            return errors
        if self.undo_stack is not None and len(changes) > 1:
            self.undo_stack.beginMacro(f"edit {self.NOUN} {row + 1}")
        for field, old, new in changes:
            self._push(EditCellCommand(self, row, field, old, new))
        if self.undo_stack is not None and len(changes) > 1:
            self.undo_stack.endMacro()
        return {}

    def parse_value(self, field: Field, value: Any) -> Any:
        """The model value for what was typed; ValueError says what is wrong."""
        return parse(field, value)

    def check(self, record: Any, field: Field, value: Any) -> None:
        """Refuse values that are well formed but not allowed for this record."""
        if field.kind == "marking" and getattr(record, "origin", "local") == "import":
            try:
                marking.check_change(record.marking, value, imported=True)
            except marking.MarkingError as exc:
                raise ValueError(str(exc)) from None
        if field.kind == "country" and value and self.country_names \
                and value not in self.country_names:
            match = next((code for code, name in self.country_names.items()
                          if name.casefold() == str(value).casefold()), None)
            hint = f" (did you mean {match}?)" if match else ""
            raise ValueError(f"{field.title}: '{value}' is not a country code{hint}; use the "
                             "three-letter code, e.g. NOR for Norway.")

    def apply(self, row: int, name: str, value: Any) -> None:
        """Set one field (used by the undo commands)."""
        self._rows[row] = dataclasses.replace(self._rows[row], **{name: value})
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.FIELDS) - 1))
        self.edited.emit()

    def new_record(self) -> Any:
        """A blank record for 'Add': the fields it must have left empty, the rest at their
        defaults."""
        return self.RECORD(**dict.fromkeys(_required(self.RECORD), ""))

    def add_row(self, record: Any | None = None) -> int:
        row = len(self._rows)
        self._push(InsertRowCommand(self, row, record if record is not None
                                    else self.new_record()))
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self._push(RemoveRowCommand(self, row))

    def insert(self, row: int, record: Any) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, record)
        self.endInsertRows()
        self.edited.emit()

    def take(self, row: int) -> Any:
        self.beginRemoveRows(QModelIndex(), row, row)
        record = self._rows.pop(row)
        self.endRemoveRows()
        self.edited.emit()
        return record

    def _push(self, command) -> None:
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()

    # -- saving -------------------------------------------------------------------

    def pending(self) -> tuple[list[Any], list[Any]]:
        """(records to save, records to delete) since the last load or save."""
        kept = {getattr(r, "id", None) for r in self._rows}
        return ([r for r in self._rows if self._differs(r)],
                [r for ident, r in self._saved_by_id.items() if ident not in kept])

    def has_pending(self) -> bool:
        return self._rows != self._baseline

    def change_pairs(self) -> list[tuple[Any, Any]]:
        """Each pending row as (the record as loaded or last saved, the record now): None
        as loaded for a new row, None as now for a removed one (a save's change set)."""
        to_save, to_delete = self.pending()
        return ([(self._saved_by_id.get(getattr(r, "id", None)), r) for r in to_save]
                + [(r, None) for r in to_delete])

    def keep_unsaved(self, record_id: Any, fields: dict[str, tuple[Any, Any]]) -> None:
        """Keep fields of the row with this id pending after a save left them in conflict:
        field -> (the value as loaded, the value typed here), so the next save checks
        them against the store again."""
        row = next((i for i, r in enumerate(self._rows) if getattr(r, "id", None) == record_id),
                   None)
        if row is None:
            return
        stored = self._rows[row]
        loaded = dataclasses.replace(stored, **{k: v[0] for k, v in fields.items()})
        self._rows[row] = dataclasses.replace(stored, **{k: v[1] for k, v in fields.items()})
        self._baseline = [loaded if r is stored else r for r in self._baseline]
        self._saved_by_id[record_id] = loaded
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.FIELDS) - 1))
        self.edited.emit()

    def problems(self) -> list[str]:
        """Why the pending rows cannot be saved (required fields left empty)."""
        out = []
        for number, record in enumerate(self._rows, start=1):
            if not self._differs(record):
                continue
            for field in self.FIELDS:
                if field.required and getattr(record, field.name) in ("", None):
                    out.append(f"{self.NOUN.capitalize()} {number}: {field.title} is required.")
        return out

    def accept_as_saved(self) -> None:
        """The rows as they are now are saved (a visit saved whole): none is pending."""
        self._set_baseline()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.FIELDS) - 1))

    def mark_saved(self, saved: list[Any]) -> None:
        """Swap in the records the store returned (new ids, stamps) for the dirty rows."""
        fresh = iter(saved)
        self._rows = [next(fresh) if self._differs(r) else r for r in self._rows]
        self._set_baseline()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.FIELDS) - 1))


def _required(cls: type) -> list[str]:
    """The fields of dataclass ``cls`` that have no default."""
    return [f.name for f in dataclasses.fields(cls) if f.init
            and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]


def _record_fields(*fields: Field) -> tuple[Field, ...]:
    return (*fields, MARKING, UPDATED, UPDATED_BY)


class CountryRecordsModel(DataclassTableModel):
    """The records of one table for one country: a new row belongs to that country."""

    def __init__(self, country: str = "", undo_stack=None, parent=None):
        super().__init__(undo_stack, parent)
        self.country = country

    def new_record(self) -> Any:
        return dataclasses.replace(super().new_record(), country=self.country)


class AgreementsModel(CountryRecordsModel):
    NOUN = "agreement"
    RECORD = model.Agreement
    COL_NAME, COL_KIND, COL_SIGNED, COL_STATUS, COL_COMMITS, COL_VALUE, COL_JOBS, \
        COL_STRATEGIC, COL_MARKING, COL_UPDATED, COL_UPDATED_BY = range(11)
    FIELDS = _record_fields(
        Field("name", "Name", width=180, required=True, help="Name of the agreement"),
        Field("kind", "Type", width=130, help="e.g. treaty, strategic agreement, MOU"),
        Field("signed", "Signed", "date", width=95, help="Date signed, YYYY-MM-DD"),
        Field("status", "Status", "choice", model.AGREEMENT_STATUSES, width=80),
        Field("commits", "What it commits", width=260, multiline=True),
        Field("value_gbp", "Value (£)", "money", width=120),
        Field("jobs", "UK jobs", "int", width=70),
        Field("strategic", "Strategic", "bool", ("yes", "no"), width=70),
    )


class AlumniModel(CountryRecordsModel):
    NOUN = "alumnus"
    RECORD = model.Alumnus
    COL_NAME, COL_COURSE, COL_INSTITUTION, COL_YEAR, COL_APPOINTMENT, COL_SENIOR, \
        COL_REVIEW, COL_MARKING, COL_UPDATED, COL_UPDATED_BY = range(10)
    FIELDS = _record_fields(
        Field("name", "Name", width=170, required=True),
        Field("course", "Course", width=160),
        Field("institution", "Institution", width=150),
        Field("year", "Year", "int", width=55),
        Field("appointment", "Current appointment", width=200),
        Field("senior", "Senior", "bool", ("yes", "no"), width=60),
        Field("review_date", "Review by", "date", width=95,
              help="Date to review whether this personal record is still needed"),
    )


class ExportsModel(CountryRecordsModel):
    NOUN = "opportunity"
    RECORD = model.ExportOpportunity
    COL_PROGRAMME, COL_COMPANY, COL_VALUE, COL_QUANTITY, COL_JOBS, COL_STAGE, \
        COL_MILESTONE, COL_LEAD, COL_MARKING, COL_UPDATED, COL_UPDATED_BY = range(11)
    FIELDS = _record_fields(
        Field("programme", "Programme", width=240, required=True),
        Field("company", "UK company", width=130),
        Field("value_gbp", "Value (£)", "money", width=125),
        Field("quantity", "Quantity", "int", width=65),
        Field("jobs", "UK jobs", "int", width=70),
        Field("stage", "Stage", "choice", model.EXPORT_STAGES, width=95),
        Field("next_milestone", "Next milestone", width=160),
        Field("lead", "Lead", width=110),
    )


class EngagementsModel(CountryRecordsModel):
    NOUN = "engagement"
    RECORD = model.Engagement
    COL_TITLE, COL_DATE, COL_KIND, COL_LEVEL, COL_STATUS, COL_DESCRIPTION, \
        COL_MARKING, COL_UPDATED, COL_UPDATED_BY = range(9)
    FIELDS = _record_fields(
        Field("title", "Title", width=240, required=True),
        Field("date", "Date", "date", width=95, help="YYYY-MM-DD"),
        Field("kind", "Kind", width=90, help="e.g. visit, exercise, forum, talks"),
        Field("level", "Level", "choice", model.ENGAGEMENT_LEVELS, width=115),
        Field("status", "Status", "choice", model.ENGAGEMENT_STATUSES, width=75),
        Field("description", "Description", width=260, multiline=True),
    )


class InterlocutorsModel(CountryRecordsModel):
    NOUN = "interlocutor"
    RECORD = model.Interlocutor
    COL_NAME, COL_ROLE, COL_BIOGRAPHY, COL_PRONUNCIATION, COL_LAST_MET, COL_REVIEW, \
        COL_MARKING, COL_UPDATED, COL_UPDATED_BY = range(9)
    FIELDS = _record_fields(
        Field("name", "Name", width=170, required=True),
        Field("role", "Role", width=180),
        Field("biography", "One-line biography", width=260, multiline=True),
        Field("pronunciation", "Pronunciation", width=110),
        Field("last_met", "Last met", "date", width=95, help="YYYY-MM-DD"),
        Field("review_date", "Review by", "date", width=95,
              help="Date to review whether this personal record is still needed"),
    )


class ActionsModel(CountryRecordsModel):
    """Follow-up actions from visits (written by a readout, editable here)."""

    NOUN = "action"
    RECORD = model.Action
    FIELDS = _record_fields(
        Field("action", "Action", width=280, required=True),
        Field("owner", "Owner", width=140),
        Field("due", "Due", "date", width=95, help="YYYY-MM-DD"),
        Field("status", "Status", "choice", model.ACTION_STATUSES, width=80),
        Field("raised_at", "Agreed at", width=200),
    )


class BackgroundsModel(CountryRecordsModel):
    """The defence section's background in prose, dated (the brief prints the latest)."""

    NOUN = "background"
    RECORD = model.Background
    FIELDS = _record_fields(
        Field("text", "Background (prose; a blank line between paragraphs)", width=520,
              required=True, multiline=True),
        Field("date", "As of", "date", width=95, help="YYYY-MM-DD"),
    )


#: store table name -> the editable table model of its records (titles: model.TABLES)
RECORD_MODELS: dict[str, type[CountryRecordsModel]] = {
    "agreements": AgreementsModel,
    "alumni": AlumniModel,
    "export_opportunities": ExportsModel,
    "engagements": EngagementsModel,
    "interlocutors": InterlocutorsModel,
    "actions": ActionsModel,
    "backgrounds": BackgroundsModel,
}


class ObjectivesModel(DataclassTableModel):
    """A visit's objectives, each tagged with the strategy objectives it serves."""

    NOUN = "objective"
    RECORD = model.VisitObjective
    COL_TEXT, COL_TAGS = range(2)
    FIELDS = (
        Field("text", "Objective (what success looks like)", width=380, required=True,
              multiline=True),
        Field("tags", "Serves strategy objectives", "tags", width=260),
    )

    def __init__(self, undo_stack=None, parent=None):
        super().__init__(undo_stack, parent)
        #: strategy objective key -> label, from the priorities
        self.tag_labels: dict[str, str] = {}

    def display_value(self, field: Field, value: Any) -> str:
        if field.kind == "tags":
            return "; ".join(self.tag_labels.get(k, k) for k in value)
        return super().display_value(field, value)


class AsksModel(DataclassTableModel):
    NOUN = "ask"
    RECORD = model.Ask
    COL_ASK, COL_RESPONSE, COL_DIFFICULT = range(3)
    FIELDS = (
        Field("ask", "Their likely ask", width=320, required=True, multiline=True),
        Field("response", "Our response", width=320, multiline=True),
        Field("difficult", "Hardest", "bool", ("yes", "no"), width=70,
              help="The ask the principal most needs to be ready for (the one-page "
                   "summary shows it)"),
    )


class ProgrammeModel(DataclassTableModel):
    """The programme; an item with a purpose, people or points to make is a call."""

    NOUN = "programme item"
    RECORD = model.ProgrammeItem
    COL_DAY, COL_TIME, COL_PLACE, COL_EVENT, COL_LEAD, COL_PRESS, COL_COUNTRY, COL_PURPOSE, \
        COL_PEOPLE, COL_POINTS, COL_IF_RAISED, COL_DRESS = range(12)
    FIELDS = (
        Field("day", "Day", width=90, required=True, help="e.g. Day 1 or 2026-03-14"),
        Field("time", "Time", "time", width=60, help="24-hour, e.g. 09:30"),
        Field("place", "Place", width=140),
        Field("event", "Event", width=220, required=True),
        Field("uk_lead", "UK lead", width=110),
        Field("press", "Press", "choice", ("open", "closed"), width=65),
        Field("country", "Country", "country", width=70,
              help="Alpha-3 code of one of the visit's countries, e.g. NOR"),
        Field("purpose", "Purpose of the call", width=200, multiline=True,
              help="Why the principal holds this call or meeting"),
        Field("interlocutors", "Who attends", "attendees", width=200,
              help="One per line: a person's name from Who's who, or a role"),
        Field("points_to_make", "Points to make", "lines", width=200,
              help="One per line"),
        Field("if_raised", "If raised", "lines", width=160, help="One per line"),
        Field("dress", "Dress", width=90),
    )

    def __init__(self, undo_stack=None, parent=None):
        super().__init__(undo_stack, parent)
        #: interlocutor id -> name, for the people of the visit's countries
        self.people: dict[int, str] = {}

    def _attendee_text(self, attendee: model.Attendee) -> str:
        name = self.people.get(attendee.interlocutor) if attendee.interlocutor else None
        if name and attendee.role:
            return f"{name} — {attendee.role}"
        return name or attendee.role or f"interlocutor {attendee.interlocutor}"

    def display_value(self, field: Field, value: Any) -> str:
        if field.kind == "attendees":
            return "; ".join(self._attendee_text(a) for a in value)
        return super().display_value(field, value)

    def edit_value(self, field: Field, value: Any) -> Any:
        if field.kind == "attendees":
            return "\n".join(self._attendee_text(a) for a in value)
        return super().edit_value(field, value)

    def parse_value(self, field: Field, value: Any) -> Any:
        """Attendees: a line naming a known person links to them; other lines are roles."""
        if field.kind != "attendees":
            return super().parse_value(field, value)
        by_name = {name.casefold(): ident for ident, name in self.people.items()}
        out = []
        for line in str(value or "").splitlines():
            line = line.strip()
            if not line:
                continue
            name, _, role = line.partition(" — ")
            ident = by_name.get(name.strip().casefold())
            out.append(model.Attendee(role=role.strip(), interlocutor=ident) if ident
                       else model.Attendee(role=line))
        return tuple(out)


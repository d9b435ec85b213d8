"""A date box that takes a date typed the UK way and has a calendar beside it.

Qt's QDateEdit edits a date section by section in one fixed format: it refuses 31/12/2025
when its format is another, ignores digits typed over its "not set" text, keeps the focus
on Tab (moving between its sections) and opens its calendar at its minimum date. This box
is a line edit: anything ``fields.read_date`` reads is accepted when the user leaves it,
the date is then shown in the app's one style ('31 Dec 2025'), an empty box is "no date",
Tab leaves it, and the calendar opens at the date shown or, with none, at today.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction,
)

from .. import coercion
from .fields import DATE_FORMS, read_date, show_date


class DateField(QWidget):
    """A typed or picked date; empty means none (when ``optional``)."""

    #: the date changed (typed and accepted, picked, or set)
    dateChanged = Signal(object)  # noqa: N815 - Qt naming, as QDateEdit's
    #: the user left the box or picked a day
    editingFinished = Signal()  # noqa: N815
    #: what was typed is not a date (the message says why); the box keeps the text
    refused = Signal(str)

    def __init__(self, name: str, parent=None, *, empty_text: str = "not set",
                 optional: bool = True):
        super().__init__(parent)
        self._value: dt.date | None = None
        self.optional = optional
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(name)
        self.edit.setPlaceholderText(empty_text)
        self.edit.setToolTip(f"Type a date ({DATE_FORMS}) or pick one from the calendar")
        self.edit.editingFinished.connect(self._typed)
        self.edit.installEventFilter(self)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setAccessibleName(f"{name}: calendar")
        self.button.setToolTip("Pick the date from a calendar (Alt+Down)")
        # the keyboard opens the calendar from the box (Alt+Down, F4): not a Tab stop of its own
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName(f"{name}: calendar")
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.menu = QMenu(self)
        holder = QWidgetAction(self.menu)
        holder.setDefaultWidget(self.calendar)
        self.menu.addAction(holder)
        self.setFocusProxy(self.edit)
        self.setFocusPolicy(self.edit.focusPolicy())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        self.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("31 September 2025")
                             + 60)

    # -- the value ------------------------------------------------------------------------------

    def value(self) -> dt.date | None:
        return self._value

    def set_value(self, day: dt.date | None) -> None:
        self.edit.setText(show_date(day) if day else "")
        if day != self._value:
            self._value = day
            self.dateChanged.emit(day)

    def date(self) -> QDate:
        """As QDateEdit: the date, or a null QDate when there is none."""
        day = self._value
        return QDate(day.year, day.month, day.day) if day else QDate()

    def setDate(self, date: QDate) -> None:  # noqa: N802 - as QDateEdit
        self.set_value(date.toPython() if date.isValid() else None)  # type: ignore[arg-type]

    def text(self) -> str:
        return self.edit.text()

    def problem(self) -> str:
        """Why what is typed is not a date ('' if it is, or the box may be empty)."""
        try:
            self._read()
        except coercion.Refused as exc:
            return str(exc)
        return ""

    def _read(self) -> dt.date | None:
        raw = self.edit.text().strip()
        if not raw:
            if not self.optional:
                raise coercion.Refused("a date is needed")
            return None
        return read_date(raw)

    def _typed(self) -> None:
        try:
            day = self._read()
        except coercion.Refused as exc:
            self.refused.emit(str(exc))
            self.editingFinished.emit()
            return
        self.set_value(day)
        self.editingFinished.emit()

    # -- the calendar ---------------------------------------------------------------------------

    def open_calendar(self) -> None:
        """Open at the date shown, or at today when there is none."""
        try:
            day = self._read() or dt.date.today()
        except coercion.Refused:
            day = self._value or dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.setCurrentPage(day.year, day.month)
        self.menu.popup(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.setFocus()

    def _picked(self, date: QDate) -> None:
        self.menu.close()
        self.set_value(date.toPython())  # type: ignore[arg-type]
        self.edit.setFocus()
        self.editingFinished.emit()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            alt_down = (event.key() == Qt.Key.Key_Down
                        and event.modifiers() & Qt.KeyboardModifier.AltModifier)
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.open_calendar()
                return True
        return super().eventFilter(watched, event)

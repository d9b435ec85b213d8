"""Undoable changes to the app's tables (QUndoCommand subclasses)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from .fields import Field
    from .table_models import DataclassTableModel


class EditCellCommand(QUndoCommand):
    """Change one field of one row."""

    def __init__(self, table: DataclassTableModel, row: int, field: Field, old: Any, new: Any):
        super().__init__(f"edit {table.NOUN} {row + 1}: {field.title}")
        self.table, self.row, self.name = table, row, field.name
        self.old, self.new = old, new

    def redo(self) -> None:
        self.table.apply(self.row, self.name, self.new)

    def undo(self) -> None:
        self.table.apply(self.row, self.name, self.old)


class InsertRowCommand(QUndoCommand):
    """Add a row."""

    def __init__(self, table: DataclassTableModel, row: int, record: Any):
        super().__init__(f"add {table.NOUN}")
        self.table, self.row, self.record = table, row, record

    def redo(self) -> None:
        self.table.insert(self.row, self.record)

    def undo(self) -> None:
        self.record = self.table.take(self.row)


class RemoveRowCommand(QUndoCommand):
    """Delete a row (saved records are deleted from the store on Save)."""

    def __init__(self, table: DataclassTableModel, row: int):
        super().__init__(f"delete {table.NOUN} {row + 1}")
        self.table, self.row = table, row
        self.record: Any = None

    def redo(self) -> None:
        self.record = self.table.take(self.row)

    def undo(self) -> None:
        self.table.insert(self.row, self.record)

"""The priority scorecard: each objective's score, its RAG rating in words, and the evidence."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)


#: colours only back up the words: the RAG rating is always written out
RAG_COLOURS = {"Green": "#2e7d32", "Amber": "#ef8f00", "Red": "#c62828"}


def rag_icon(band: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(RAG_COLOURS.get(band, "#9e9e9e")))
    return QIcon(pixmap)


class ScorecardPanel(QWidget):
    """Shows one Scorecard; the window refreshes it when data or the visit changes."""

    COL_ITEM, COL_SCORE, COL_RAG = range(3)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.card: Any = None
        self.title = QLabel("No country chosen yet.", self)
        self.title.setAccessibleName("Scorecard title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Scorecard status")
        self.unserved = QLabel(self)
        self.unserved.setWordWrap(True)
        self.unserved.setAccessibleName("Objectives the visit does not serve")
        self.unserved.hide()

        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Scores and evidence")
        self.tree.setHeaderLabels(["Objective, criterion or evidence", "Score", "RAG"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.COL_ITEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.COL_SCORE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_RAG, QHeaderView.ResizeMode.ResizeToContents)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.unserved)
        layout.addWidget(self.tree, 1)

    def show_scorecard(self, card: Any) -> None:
        """Fill the panel from a briefpack.scoring.Scorecard."""
        from ..scoring import percent, result_text, whole
        self.card = card
        heading = f"{card.country_name}: {result_text(card.overall, card.band, card.coverage)}"
        if card.visit_title:
            heading += f" for “{card.visit_title}”"
        self.title.setText(heading)
        self.status.setText("Scores are 0 to 100 and count only what the store holds data "
                            "on; 'measured' says how much of the priorities that covers. "
                            "Too little is 'Insufficient data', never Red. Expand an "
                            "objective to see the evidence.")
        self.tree.clear()
        for objective in card.objectives:
            shown = str(whole(objective.score)) if objective.sufficient else "—"
            item = self._item(self.tree, objective.label, shown, objective.band)
            font = item.font(self.COL_ITEM)
            font.setBold(True)
            item.setFont(self.COL_ITEM, font)
            item.setToolTip(self.COL_ITEM, f"Weight {objective.weight:g}; "
                            f"{percent(objective.coverage)} measured")
            item.setToolTip(self.COL_SCORE, result_text(objective.score, objective.band,
                                                        objective.coverage))
            for text in objective.served_by:
                served = QTreeWidgetItem(item, [f"Served by visit objective: {text}"])
                served.setToolTip(self.COL_ITEM, text)
                served.setFlags(served.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for criterion in objective.criteria:
                child = self._item(item, criterion.label, criterion.score_text(), "")
                child.setToolTip(self.COL_ITEM, criterion.serves or criterion.detail)
                if criterion.fact:
                    fact = QTreeWidgetItem(child, [criterion.fact])
                    fact.setToolTip(self.COL_ITEM, criterion.fact)
                if not criterion.evidence:
                    empty = QTreeWidgetItem(child, [f"No evidence: {criterion.detail}"])
                    empty.setToolTip(self.COL_ITEM, criterion.detail)
                for evidence in criterion.evidence:
                    leaf = QTreeWidgetItem(child, [evidence.text, f"+{whole(evidence.points)}"])
                    leaf.setToolTip(self.COL_ITEM, evidence.text)
            item.setExpanded(True)
        if card.unserved:
            self.unserved.setText("The visit's objectives serve none of: "
                                  + "; ".join(card.unserved) + ".")
        self.unserved.setVisible(bool(card.unserved))

    def _item(self, parent, label: str, score: str, band: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [label, score, band])
        if band:
            item.setIcon(self.COL_RAG, rag_icon(band))
            item.setData(self.COL_RAG, Qt.ItemDataRole.AccessibleTextRole, f"RAG {band}")
        item.setTextAlignment(self.COL_SCORE, Qt.AlignmentFlag.AlignCenter)
        return item

    def show_message(self, text: str) -> None:
        """Explain why there is no scorecard (no country, scoring failed)."""
        self.card = None
        self.tree.clear()
        self.unserved.hide()
        self.title.setText("Scorecard")
        self.status.setText(text)


class CompletenessDialog(QDialog):
    """Which sections of a country its data's owner declares complete, and as of when.

    Only in a section declared complete does "none recorded" score as none; elsewhere it
    is no data. Returns the choices; the window saves them (each change audited)."""

    def __init__(self, country: str, declared: dict, parent=None):
        import datetime as dt

        from PySide6.QtCore import QDate

        from ..model import COMPLETE_SECTIONS, COUNTRY_LABEL, TABLES

        super().__init__(parent)
        self.setWindowTitle("Declare sections complete")
        intro = QLabel(f"Sections of {country} you hold in full. Absence of evidence is not "
                       "evidence of absence: only in a section declared complete does "
                       "'none recorded' score as none. Each change is audited.", self)
        intro.setWordWrap(True)
        form = QFormLayout()
        self.rows: dict[str, tuple[QCheckBox, QDateEdit]] = {}
        today = dt.date.today()
        for section in COMPLETE_SECTIONS:
            label = COUNTRY_LABEL if section == "country" else TABLES[section].label
            check = QCheckBox(f"{label}: complete as of", self)
            check.setAccessibleName(f"{label} declared complete")
            when = QDateEdit(self)
            when.setCalendarPopup(True)
            when.setDisplayFormat("d MMM yyyy")
            when.setAccessibleName(f"{label}: complete as of")
            day = declared.get(section) or today
            when.setDate(QDate(day.year, day.month, day.day))
            check.setChecked(section in declared)
            when.setEnabled(section in declared)
            check.toggled.connect(when.setEnabled)
            row = QHBoxLayout()
            row.addWidget(check)
            row.addWidget(when, 1)
            form.addRow(row)
            self.rows[section] = check, when
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict:
        """Section -> the date it is complete as of, or None (not declared)."""
        return {section: when.date().toPython() if check.isChecked() else None
                for section, (check, when) in self.rows.items()}

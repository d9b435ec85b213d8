"""Table models for the visit's people and practicalities: team, logistics, contacts.

Each item may name one of the visit's countries, or none for the whole visit."""

from __future__ import annotations

from .. import model
from .fields import Field
from .table_models import DataclassTableModel

COUNTRY = Field("country", "Country", "country", width=70,
                help="Alpha-3 code of one of the visit's countries; empty for the whole visit")


class TeamModel(DataclassTableModel):
    NOUN = "team member"
    RECORD = model.TeamMember
    FIELDS = (
        Field("role", "Role", width=200, required=True, help="e.g. Private Secretary"),
        Field("name", "Name", width=160),
        COUNTRY,
    )


class LogisticsModel(DataclassTableModel):
    NOUN = "logistics item"
    RECORD = model.LogisticsItem
    FIELDS = (
        Field("detail", "Detail", width=260, required=True, multiline=True,
              help="A move, a timing or a practical note"),
        Field("day", "Day", width=90),
        Field("time", "Time", "time", width=60, help="24-hour, e.g. 09:30"),
        Field("dress", "Dress", width=90),
        COUNTRY,
    )


class ContactsModel(DataclassTableModel):
    NOUN = "contact"
    RECORD = model.Contact
    FIELDS = (
        Field("role", "Role", width=160, required=True, help="e.g. Defence Attaché"),
        Field("name", "Name", width=140),
        Field("organisation", "Organisation", width=140),
        Field("phone", "Phone", width=110),
        Field("email", "Email", width=160),
        COUNTRY,
    )


class OutcomesModel(DataclassTableModel):
    """The readout: what the visit achieved against each objective."""

    NOUN = "outcome"
    RECORD = model.Outcome
    FIELDS = (
        Field("objective", "Objective", width=200, required=True,
              help="The objective's number in its list, or its words"),
        Field("outcome", "Outcome", width=280, required=True, multiline=True),
        Field("status", "Status", "choice", model.OUTCOME_STATUSES, width=110),
        COUNTRY,
    )


class ReadoutActionsModel(DataclassTableModel):
    """The readout: actions agreed on the visit (written to the store as action records)."""

    NOUN = "action"
    RECORD = model.ReadoutAction
    FIELDS = (
        Field("action", "Action", width=280, required=True, multiline=True),
        Field("owner", "Owner", width=140),
        Field("due", "Due", "date", width=95, help="YYYY-MM-DD"),
        Field("status", "Status", "choice", model.ACTION_STATUSES, width=80),
        COUNTRY,
    )


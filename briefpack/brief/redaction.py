"""Personal data in a brief: what counts as personal, how a redacted variant says it
without it, and when a brief gathers enough of it to warrant a warning.

A redacted variant leaves personal data out of the document rather than covering it:
alumni become counts, interlocutors are named by role only, and any other record whose
marking carries PERSONAL DATA is left out and counted. Counts and roles are not treated
as personal data, so the descriptor drops out of the overall marking; the records'
classification still counts towards it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from .. import marking, model

PERSONAL_DATA = "PERSONAL DATA"
#: a brief showing more personal records than this warns at build (aggregation risk)
PERSONAL_DATA_WARNING_THRESHOLD = 20
#: the file-name suffix of a redacted variant, e.g. 2026-11-25-NOR-standard-redacted.pdf
REDACTED_SUFFIX = "-redacted"
ROLE_NOT_RECORDED = "Role not recorded"


def is_personal(table: str, level: marking.Marking) -> bool:
    """True for a record about a person or marked as holding personal data."""
    return model.is_personal_table(table) or PERSONAL_DATA in level.descriptors


def without_personal_data(level: marking.Marking) -> marking.Marking:
    """The marking a record's summary (a count, a role) carries once names are gone."""
    return dataclasses.replace(level, descriptors=level.descriptors - {PERSONAL_DATA})


def role_of(person: model.Interlocutor) -> str:
    return person.role.strip() or ROLE_NOT_RECORDED


def alumni_summary(alumni: Iterable[model.Alumnus]) -> str:
    """E.g. "3 alumni of UK courses; 1 in a senior appointment."."""
    alumni = list(alumni)
    senior = sum(1 for a in alumni if a.senior)
    return (f"{model.TABLES['alumni'].counted(len(alumni))} of UK courses; {senior} in a "
            "senior appointment.")


def evidence_text(table: str, record: Any) -> str:
    """Scorecard evidence about a person, without the person."""
    if table == "interlocutors":
        return f"Interlocutor: {role_of(record)}"
    senior = "in a senior appointment" if getattr(record, "senior", False) else \
        "not in a senior appointment"
    return f"An alumnus of a UK course, {senior}"


def personal_data_warning(count: int, threshold: int, where: str) -> str:
    """The build warning for a brief showing ``count`` personal records, or ""."""
    if count <= threshold:
        return ""
    return (f"{where} gathers {count} personal records (more than {threshold}): "
            "aggregated personal data may warrant more care in handling; consider "
            "--redact personal. The marking has not been raised.")


def redacted_name(stem: str) -> str:
    return f"{stem}{REDACTED_SUFFIX}"

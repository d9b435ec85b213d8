"""Personal data in a brief: what counts as personal, how a redacted variant says it
without it, and when a brief gathers enough of it to warrant a warning.

A redacted variant leaves personal data out of the document rather than covering it:
alumni become counts, interlocutors are named by role only, any other record whose
marking carries PERSONAL DATA is left out and counted, and every field the model declares
personal (``model.PERSONAL``: the UK team's and contacts' names, phones and emails, an
action's owner …) is left blank wherever it would be shown. Counts and roles are not treated
as personal data, so the descriptor drops out of the overall marking; the records'
classification still counts towards it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import cache
from typing import Any, TypeVar

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


T = TypeVar("T")


@cache
def personal_fields(cls: type) -> tuple[str, ...]:
    """The fields of record or item class ``cls`` the model declares personal."""
    if not dataclasses.is_dataclass(cls):
        return ()
    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("personal"))


def without_personal_fields(item: T) -> T:
    """``item`` with its personal fields blank (the item itself when it has none)."""
    names = personal_fields(type(item))  # type: ignore[arg-type]
    if not names or not any(getattr(item, n) for n in names):
        return item
    return dataclasses.replace(item, **dict.fromkeys(names, ""))  # type: ignore[type-var]


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

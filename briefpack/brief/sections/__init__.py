"""Every section kind a brief template may use, each a ``Kind`` (gather and build side by
side), one module per family. ``KINDS`` is the one registry: its keys are
``templates.SECTION_KINDS``' (a test holds them equal).

To add a kind: describe it (columns, wording, visit_only) in ``templates.SECTION_KINDS``,
write its payload dataclass, gather and build in the family's module here, and list it in
that module's ``KINDS``.
"""

from __future__ import annotations

from typing import Any

from . import front, people, relationship, scores, sources, visit
from .common import Kind

KINDS: dict[str, Kind[Any]] = {**front.KINDS, **visit.KINDS, **people.KINDS,
                               **relationship.KINDS, **scores.KINDS, **sources.KINDS}

"""Progress steps: how long work (build, pack, import) reports itself to the CLI and GUI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Progress:
    step: int
    total: int
    message: str
    #: what the work produced, on the last step only
    result: Any = None
    #: things the user should know before circulating the output, e.g. much personal data
    warnings: tuple[str, ...] = ()

"""BuildOptions: how to build a brief or a pack, checked once, shared by the CLI, the app
and the pipeline."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from . import marking
from .brief import redaction
from .errors import BadOptions, BuildError

#: every output format, in the order files are written
FORMATS = ("docx", "pdf")


@dataclasses.dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """Everything about a build except what it is of (a country or a visit) and the data.

    Made once from the command line or the app's controls; checked as it is made, so a
    build never starts on bad options. Change one with ``dataclasses.replace`` (checked
    again). A redacted build has no author: a name would be personal data.
    """

    #: formats to write, e.g. ("docx", "pdf"); given in any case, repeats dropped
    formats: Sequence[str] = FORMATS
    #: template name; None: the visit's, else "standard"
    template: str | None = None
    out_dir: Path = Path(".")
    #: leave out records marked above this; stored in canonical form
    ceiling: str | None = None
    #: move OFFICIAL-SENSITIVE material to an annex at the end of each brief
    sensitive_annex: bool = False
    #: leave personal data out (alumni as counts, interlocutors by role)
    redact_personal: bool = False
    #: add the analyst's annex: the host country's scorecard, the pack's comparison table
    #: and how each score was made (by default a brief carries no score of the host)
    score_annex: bool = False
    #: warn when a brief shows more personal records than this
    personal_threshold: int = redaction.PERSONAL_DATA_WARNING_THRESHOLD
    #: the date briefs are built as of; None: today, fixed when the build starts
    today: dt.date | None = None
    author: str = ""
    #: build the visit's brief or pack as its final copy (no DRAFT), whatever the visit
    #: file says; refused while the visit still has placeholders (see visits.final_problems)
    final: bool = False
    # packs only
    large_print: bool = False
    #: pad so each country starts on a right-hand page
    duplex: bool = True
    #: the copy number on a pack's cover
    copy: int = 1

    def __post_init__(self) -> None:
        chosen = tuple(dict.fromkeys(f.strip().lower() for f in self.formats if f.strip()))
        unknown = [f for f in chosen if f not in FORMATS]
        if unknown or not chosen:
            raise BadOptions(f"unknown format {', '.join(unknown) or '(none given)'}; "
                             "expected: " + ", ".join(FORMATS))
        self._set("formats", chosen)
        self._set("out_dir", Path(self.out_dir))
        if self.ceiling is not None:
            try:
                self._set("ceiling", str(marking.parse_ceiling(self.ceiling)))
            except marking.MarkingError as exc:
                raise BuildError(f"ceiling {self.ceiling!r}: {exc}") from None
        if self.copy < 1:
            raise BadOptions(f"copy {self.copy}: copies are numbered from 1")
        if self.personal_threshold < 0:
            raise BadOptions(f"personal threshold {self.personal_threshold}: "
                             "expected 0 or more")
        if self.redact_personal:
            self._set("author", "")

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)  # normalising a frozen instance as it is made

    @property
    def day(self) -> dt.date:
        """The date briefs are built as of: ``today`` if given, else today's date."""
        return self.today or dt.date.today()

    def dated(self) -> BuildOptions:
        """These options with ``today`` fixed (to today's date unless given)."""
        return self if self.today else dataclasses.replace(self, today=self.day)

    def stem(self, stem: str) -> str:
        """An output's file stem: a redacted variant's ends -redacted."""
        return redaction.redacted_name(stem) if self.redact_personal else stem

"""Errors that name where bad input came from, so users can fix it."""

from __future__ import annotations

from dataclasses import dataclass


class BriefpackError(Exception):
    """Base for every error briefpack reports to a user (exit code 2 in the CLI)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class DataError(BriefpackError):
    """Every problem found in one input, reported together."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  {p}" for p in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:  # a file wrong throughout: the first suffice
            lines.append(f"  … and {len(self.problems) - SHOWN_PROBLEMS:,} more")
        return "\n".join(lines)


#: the most problems one error message lists (all of them stay in ``DataError.problems``)
SHOWN_PROBLEMS = 100


class UnknownCountry(BriefpackError):
    def __init__(self, text: str, suggestions: list[str]):
        self.text = text
        self.suggestions = suggestions
        msg = f"unknown country {text!r}"
        if suggestions:
            msg += "; did you mean: " + ", ".join(suggestions) + "?"
        super().__init__(msg)


class StoreError(BriefpackError):
    """The store cannot be opened or used as asked."""


class BuildError(BriefpackError):
    """A build that cannot go ahead or did not finish; nothing was left in the folder."""

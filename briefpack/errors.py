"""Errors that name where bad input came from, so users can fix it."""

from __future__ import annotations

from dataclasses import dataclass

from .exitcodes import EXIT_CODES as EXIT_CODES  # (its home before; still imported from here)


class BriefpackError(Exception):
    """Base for every error briefpack reports to a user; ``exit_code`` is the CLI's
    (see ``EXIT_CODES``): by default a refusal."""

    exit_code = 5


class UsageError(BriefpackError):
    """The command was asked wrongly: an unknown name, a bad option value."""

    exit_code = 2


class FileError(BriefpackError):
    """A file or the store could not be read or written (the OS said why)."""

    exit_code = 4


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

    exit_code = 3

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


class UnknownCountry(UsageError):
    def __init__(self, text: str, suggestions: list[str]):
        self.text = text
        self.suggestions = suggestions
        msg = f"unknown country {text!r}"
        if suggestions:
            msg += "; did you mean: " + ", ".join(suggestions) + "?"
        super().__init__(msg)


class StoreError(BriefpackError):
    """The store cannot be opened or used as asked."""


class NotInStore(StoreError, UsageError):
    """A store, backup, record or judgement named on the command line is not there (or
    the file named as the store is not one)."""


class StoreFileError(StoreError, FileError):
    """The store, a backup or a packet could not be read or written."""


class BuildError(BriefpackError):
    """A build that cannot go ahead or did not finish; nothing was left in the folder."""


class BadOptions(BuildError, UsageError):
    """A build asked for with options that cannot be (an unknown format, copy 0)."""


class OutputError(BuildError, FileError):
    """An output could not be written; nothing was left in the folder."""

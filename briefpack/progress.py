"""Progress steps: how long work (build, pack, import) reports itself to the CLI and GUI.

A step may be reported again with a ``detail`` saying how far it has got (the pages of a
pack laid out so far): the same step number, finer news. Consumers that only count steps
can ignore it; ``Progress.done`` gives the share of the whole work either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Detail:
    """How far one step has got: ``done`` of ``expected`` ``unit``s (pages, briefs).

    ``estimated``: ``expected`` is a guess (pages not yet laid out) and is shown as
    "about"; None: too early to guess. ``share`` is the part of the step done, 0 to 1
    (default done/expected); a step made of phases (lay out, then write) gives it so the
    bar moves evenly.
    """

    done: int
    expected: int | None
    unit: str
    estimated: bool = False
    share: float | None = None
    #: what is being done to the units, e.g. "laying out"; empty: writing them
    activity: str = ""

    def __post_init__(self) -> None:
        # never a count beyond its total
        if self.expected is not None and self.expected < self.done:
            object.__setattr__(self, "expected", self.done)

    @property
    def fraction(self) -> float:
        share = self.share
        if share is None:
            share = self.done / max(self.expected, 1) if self.expected is not None else 0.0
        return min(1.0, max(0.0, share))

    def __str__(self) -> str:
        doing = f"{self.activity} " if self.activity else ""
        if self.expected is None:
            return f"{doing}{self.unit} {self.done}"
        about = "about " if self.estimated else ""
        return f"{doing}{self.unit} {self.done} of {about}{self.expected}"


#: what a renderer calls as it goes (see render/pdf/layout.py, render/docx/writer.py)
OnProgress = Callable[[Detail], None]


@dataclass(frozen=True)
class Progress:
    step: int
    total: int
    message: str
    #: what the work produced, on the last step only
    result: Any = None
    #: things the user should know before circulating the output, e.g. much personal data
    warnings: tuple[str, ...] = ()
    #: how far this step has got; None: it has just begun
    detail: Detail | None = None
    #: the share of the whole work done, where the work knows its steps differ in length
    #: (see Plan); None: every step counts the same
    share: float | None = None

    @property
    def text(self) -> str:
        """The message and, if any, how far the step has got."""
        return f"{self.message} — {self.detail}" if self.detail else self.message

    @property
    def done(self) -> float:
        """The share of the whole work done, 0 to 1: the steps before this one, and as
        much of this one as its detail says (the last step is the work finished)."""
        if self.step >= self.total:
            return 1.0
        if self.share is not None:
            return min(1.0, max(0.0, self.share))
        part = self.detail.fraction if self.detail else 0.0
        return min(1.0, max(0.0, (self.step - 1 + part) / max(self.total, 1)))


@dataclass(frozen=True)
class Plan:
    """The steps of some work and what each is expected to cost (any unit: a render takes
    many times an assembly), so Progress can say how much of the whole is done."""

    costs: tuple[float, ...]

    @property
    def total(self) -> int:
        return len(self.costs)

    def progress(self, step: int, message: str, *, detail: Detail | None = None,
                 **fields: Any) -> Progress:
        """Step ``step`` (from 1) begun, or as far as ``detail`` says."""
        whole = sum(self.costs) or 1.0
        done = sum(self.costs[:step - 1])
        if detail is not None:
            done += self.costs[step - 1] * detail.fraction
        return Progress(step, self.total, message, detail=detail, share=done / whole,
                        **fields)


def phase(report: OnProgress | None, start: float, end: float, **changes) -> OnProgress | None:
    """A callback for one phase of a step: the phase's share is mapped into
    [``start``, ``end``] of the step's, and ``changes`` (e.g. ``activity``) applied."""
    if report is None:
        return None

    def reported(detail: Detail) -> None:
        report(replace(detail, share=start + (end - start) * detail.fraction, **changes))

    return reported


def forwards(details: Iterable[Detail]) -> Iterator[Detail]:
    """The details that move a step on: none whose share of the step, or whose count of the
    same thing, is less than one already passed (a layout pass beginning again at page 1)."""
    share, last = -1.0, None
    for detail in details:
        if detail.fraction < share or (
                last is not None and (last.unit, last.activity) == (detail.unit,
                                                                    detail.activity)
                and detail.done < last.done):
            continue
        share, last = detail.fraction, detail
        yield detail

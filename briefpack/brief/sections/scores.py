"""The scores' sections: the scorecard (one line per objective) and the score annex (how
each score was made). Both show only the evidence whose record the brief may show."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ... import model
from ...formatting import joined, number
from ...scoring import INSUFFICIENT, Scorecard, percent, whole
from ...templates import Section
from .. import redaction
from ..document import Block, Callout, Heading, Paragraph
from ..release import Scope, bind_scores
from .common import Kind, Writer
from .relationship import listed_text


@dataclass(frozen=True)
class ScoresPayload:
    #: (objective, [(criterion, the evidence the brief may show)]) per objective
    objectives: list[tuple[Any, list[tuple[Any, list[Any]]]]]


def gather_scores(section: Section, scope: Scope, index: int,
                  scorecard: Scorecard) -> ScoresPayload:
    """Each objective with only the evidence whose record the brief may show."""
    scope.release("countries", [scope.cf.country], index)
    bind_scores(scope, scorecard)
    objectives: list[tuple[Any, list[tuple[Any, list[Any]]]]] = []
    for objective in scorecard.objectives:
        criteria: list[tuple[Any, list[Any]]] = []
        for criterion in objective.criteria:
            kept = []
            for evidence in criterion.evidence:
                spec = model.table_named(evidence.table)
                table = spec.name if spec else evidence.table
                if evidence.record_id is not None or table == "countries":
                    if scope.above_ceiling(table, evidence.record_id) is not None:
                        scope.withheld.setdefault(index, set()).add((table, evidence.record_id))
                        continue
                    record = scope.find(table, evidence.record_id)
                    if record is not None:
                        if not scope.release(table, [record], index):
                            continue  # left out as personal data, or the main body's
                        if scope.redact_personal and model.is_personal_table(table):
                            evidence = dataclasses.replace(
                                evidence, text=redaction.evidence_text(table, record))
                elif scope.floor is not None:
                    continue  # evidence about no record belongs to the main body
                kept.append(evidence)
            if kept or scope.floor is None:
                criteria.append((criterion, kept))
        if criteria or scope.floor is None:
            objectives.append((objective, criteria))
    return ScoresPayload(objectives)



def build_scorecard(w: Writer, section: Section, payload: ScoresPayload) -> list[Block]:
    """One line per objective: score, band in words (and colour), coverage, the strongest
    evidence the brief may show and the biggest gap. The workings go to the annex."""
    blocks: list[Block] = []
    visit = w.scope.visit
    for objective, criteria in payload.objectives:
        lines = [_objective_line(section, objective, criteria)]
        if visit is not None and objective.served_by:
            lines.append(_served_by(section, visit, objective.served_by))
        blocks.append(Callout(" ".join(lines), title=_objective_result(objective), kind="rag"))
    unserved = getattr(w.scorecard, "unserved", ())
    if visit is not None and unserved:
        labels = {o.key: o.label for o in w.scorecard.objectives}
        blocks.append(Paragraph(listed_text(section.word("unserved"),
                                        [labels.get(u, str(u)) for u in unserved])))
    if not payload.objectives:
        blocks.append(Paragraph(w.empty_text(section)))
    return blocks


def _served_by(section: Section, visit: model.Visit, texts: Iterable[str]) -> str:
    """"Served by visit objectives 1 and 3." (numbered as the steering summary lists them);
    an objective not in the visit's list is quoted."""
    numbers = {o.text: str(i) for i, o in enumerate(visit.objectives, start=1)}
    named = [numbers.get(t, f"\u201c{t}\u201d") for t in dict.fromkeys(texts)]
    label = section.word("served_by_one" if len(named) == 1 else "served_by")
    return f"{label} {joined(named)}."


def _objective_result(objective: Any) -> str:
    """"Euro-Atlantic: 61, Green (100% measured)"; "Growth: Insufficient data (10% measured)"."""
    measured = f"{percent(objective.coverage)} measured"
    if objective.band == INSUFFICIENT:
        return f"{objective.short}: {INSUFFICIENT} ({measured})"
    return f"{objective.short}: {whole(objective.score)}, {objective.band} ({measured})"


def _objective_line(section: Section, objective: Any, criteria: list) -> str:
    """The strongest evidence the brief may show, and the biggest gap, in one sentence each."""
    shown = [(c.weight * e.points, e) for c, kept in criteria if c.measured
             for e in kept if e.points > 0]
    # the reader gets the fact; how much of it was counted is the annex's business
    strongest = max(shown, key=lambda pair: pair[0])[1].text.split("; counted")[0] if shown \
        else section.word("no_evidence")
    gap = objective.biggest_gap()
    if gap is None:
        gap_text = section.word("no_gap")
    elif gap.measured:
        gap_text = f"{gap.label} ({whole(gap.score)} of 100)"
    else:
        gap_text = f"{gap.label} ({gap.status})"
    return (f"{section.word('strongest')}: {strongest}. "
            f"{section.word('gap')}: {gap_text}.")


def build_score_annex(w: Writer, section: Section, payload: ScoresPayload) -> list[Block]:
    """How this score was made: every criterion, what was found and its evidence."""
    blocks: list[Block] = []
    for objective, criteria in payload.objectives:
        blocks.append(Heading(w.scorecard.summary_line(objective), 2))
        # the score column already says "no data": the fact says what is missing
        rows = ({"criterion": c.label,
                 "measure": (c.fact or _measured(c)).removeprefix("no data: "),
                 "score": c.score_text(), "weight": number(c.weight),
                 "evidence": "; ".join(_evidence_text(e) for e in kept)
                 or section.word("no_evidence")}
                for c, kept in criteria)
        blocks.append(w.table(section, rows))
    if not payload.objectives:
        blocks.append(Paragraph(w.empty_text(section)))
    return blocks


def _measured(criterion: Any) -> str:
    """What was measured, without the scale (the score column shows the result)."""
    return (criterion.detail or criterion.measure).split("; scale:")[0]


def _evidence_text(evidence: Any) -> str:
    points = whole(evidence.points)
    if not points:
        return evidence.text
    return f"{evidence.text} ({'+' if points > 0 else ''}{points})"


KINDS: dict[str, Kind[Any]] = {
    "scorecard": Kind(gather_scores, build_scorecard, annexable=True),
    "score_annex": Kind(gather_scores, build_score_annex, annexable=True),
}

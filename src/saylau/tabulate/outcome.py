"""The outcome of a unit's count under a ruleset of any kind: seats, a candidate elected or a runoff, a question.

One entry point for every place that shows a result (``saylau results``, the
report, the web pages), so that they all decide the same way.
"""

from __future__ import annotations

from typing import Any

from saylau.core import CandidateOutcome, Party, QuestionOutcome, decide_candidate, decide_question
from saylau.errors import InputError
from saylau.rules import Ruleset
from saylau.tabulate.model import ElectionData, UnitCounts

__all__ = ["decide_unit", "outcome_record", "unit_lines"]


def unit_lines(data: ElectionData, unit: UnitCounts) -> list[Party]:
    """The unit's ballot lines in registration order, as the engine takes them."""
    return [Party(p.code, unit.votes.get(p.code, 0), p.kind, p.registration_order, p.candidates)
            for p in data.parties]


def decide_unit(ruleset: Ruleset, data: ElectionData, unit: UnitCounts, *,
                seed: int | str | None = None) -> CandidateOutcome | QuestionOutcome:
    """The candidate or question outcome of ``unit`` (a ruleset of kind ``candidate`` or ``question``)."""
    lines = unit_lines(data, unit)
    source = f"{data.info.id}:{unit.unit_id}"
    if ruleset.candidate is not None:
        return decide_candidate(lines, ruleset.candidate, valid=unit.valid, ballots_cast=unit.ballots_cast,
                                registered=unit.registered, seed=seed, source=source)
    if ruleset.question is not None:
        # The yes and no lines are named on the ballot ("ДА"); a file may also code them ("yes").
        named = [p._replace(name=info.name) for p, info in zip(lines, data.parties, strict=True)]
        try:
            return decide_question(named, ruleset.question, valid=unit.valid, ballots_cast=unit.ballots_cast,
                                   registered=unit.registered, source=source)
        except InputError:
            return decide_question(lines, ruleset.question, valid=unit.valid, ballots_cast=unit.ballots_cast,
                                   registered=unit.registered, source=source)
    raise ValueError(f"ruleset {ruleset.name!r} allocates seats; use the seat engine")


def outcome_record(outcome: CandidateOutcome | QuestionOutcome, data: ElectionData) -> dict[str, Any]:
    """The results JSON ``outcome``: ``{"elected": NAME}``, ``{"runoff": [A, B]}``, or
    ``{"approved": ..., "yes_share": NUMBER, "yes_share_exact": "n/d"}``.

    Candidates are named as on the ballot; the share is a JSON number rounded to
    6 places for readers (the decision was taken on the exact fraction, given too).
    """
    if isinstance(outcome, QuestionOutcome):
        record = outcome.to_dict()
        record["yes_share"] = float(record["yes_share"])  # display only: approved was decided exactly
        record.update({"yes": outcome.yes, "no": outcome.no, "base": outcome.base_total})
        return record
    names = {p.code: p.name for p in data.parties}
    if outcome.elected is not None:
        return {"elected": names.get(outcome.elected, outcome.elected), "code": outcome.elected}
    return {"runoff": [names.get(c, c) for c in outcome.runoff], "codes": list(outcome.runoff)}

"""Elections without seats: a candidate elected by majority or sent to a runoff, a question approved or not.

Both decide by an exact comparison of a count with a share of a base (the
ballots of voters who took part, in Russia): ``votes × den > num × base``.
A tie for a place in the runoff is broken by the rule's tie policy and
recorded, as ties between lists are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from saylau.core.compose import _totals, normalise_parties
from saylau.core.numbers import decimal_str, fraction_str
from saylau.core.result import Totals
from saylau.core.system import Party
from saylau.core.thresholds import BASE_LABELS, BASES, Base, percent
from saylau.core.ties import TIE_POLICIES, TieBreak, TieBreaker, TiePolicy
from saylau.errors import AllocationError, InputError

__all__ = [
    "CandidateOutcome",
    "CandidateRule",
    "Majority",
    "QuestionOutcome",
    "QuestionRule",
    "decide_candidate",
    "decide_question",
]

HALF = Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class Majority:
    """``votes > share × base`` (or ``>=`` when ``inclusive``), compared as integer cross-products."""

    share: Fraction = HALF
    inclusive: bool = False
    base: Base = "ballots_cast"
    clause: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.share <= 1:
            raise ValueError(f"majority share {self.share} is outside [0, 1]")
        if self.base not in BASES:
            raise ValueError(f"unknown base {self.base!r}; choose one of {', '.join(BASES)}")

    def met(self, votes: int, base_total: int) -> bool:
        left, right = votes * self.share.denominator, self.share.numerator * base_total
        return left >= right if self.inclusive else left > right

    def describe(self) -> str:
        op = "at least" if self.inclusive else "more than"
        return f"{op} {percent(self.share)} of {BASE_LABELS[self.base]}"


@dataclass(frozen=True, slots=True)
class CandidateRule:
    """Elected with a majority; otherwise the ``runoff`` leaders go to a second round."""

    majority: Majority = Majority()
    runoff: int = 2
    ties: TiePolicy = "registration"
    runoff_clause: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.runoff, bool) or not isinstance(self.runoff, int) or self.runoff < 2:
            raise ValueError(f"a runoff needs at least 2 candidates, not {self.runoff!r}")
        if self.ties not in TIE_POLICIES:
            raise ValueError(f"unknown tie policy {self.ties!r}; choose one of {', '.join(TIE_POLICIES)}")


@dataclass(frozen=True, slots=True)
class QuestionRule:
    """Approved when the yes line meets the majority; ``yes``/``no`` name the lines (any of these names)."""

    majority: Majority = Majority()
    yes: tuple[str, ...] = ("yes",)
    no: tuple[str, ...] = ("no",)


class CandidateOutcome(NamedTuple):
    """Who was elected, or who goes to the runoff, and the numbers that decided it."""

    elected: str | None
    runoff: tuple[str, ...]
    leader_share: Fraction
    """The leading candidate's votes over the base."""
    totals: Totals
    base_total: int
    rule: CandidateRule
    lines: tuple[Party, ...]
    ties: tuple[TieBreak, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """``{"elected": NAME}`` or ``{"runoff": [A, B]}``."""
        return {"elected": self.elected} if self.elected is not None else {"runoff": list(self.runoff)}

    def explain(self) -> str:
        m = self.rule.majority
        lead = max((p for p in self.lines if p.kind == "list"), key=lambda p: p.votes)
        head = (f"A candidate needs {m.describe()} ({self.base_total:,}). {lead.name} has {lead.votes:,} "
                f"({percent(self.leader_share)})")
        clause = f" [{m.clause}]" if m.clause else ""
        if self.elected is not None:
            return f"{head}: elected.{clause}"
        runoff = f" [{self.rule.runoff_clause}]" if self.rule.runoff_clause else ""
        text = f"{head}: no majority{clause}; runoff between {', '.join(self.runoff)}.{runoff}"
        return text + "".join(f"\nTie: {t.describe()}" for t in self.ties)


class QuestionOutcome(NamedTuple):
    """Whether the question was approved, with the exact share of yes votes in the base."""

    approved: bool
    yes: int
    no: int
    base_total: int
    yes_share: Fraction
    rule: QuestionRule
    totals: Totals

    def to_dict(self) -> dict[str, Any]:
        """``approved`` and the yes share, exact (a fraction string) and as a decimal string to 6 places.

        Callers that publish JSON turn the decimal string into a number; the
        decision itself never depends on it.
        """
        return {"approved": self.approved, "yes_share": decimal_str(self.yes_share, 6),
                "yes_share_exact": fraction_str(self.yes_share)}

    def explain(self) -> str:
        m = self.rule.majority
        verdict = "approved" if self.approved else "not approved"
        clause = f" [{m.clause}]" if m.clause else ""
        return (f"Approval needs {m.describe()} ({self.base_total:,}) to vote yes: yes {self.yes:,} "
                f"({percent(self.yes_share)}), no {self.no:,}: {verdict}.{clause}")


def decide_candidate(
    votes: Mapping[str, int] | Iterable[Party],
    rule: CandidateRule,
    *,
    valid: int | None = None,
    ballots_cast: int | None = None,
    registered: int | None = None,
    seed: int | str | None = None,
    source: str | None = None,
) -> CandidateOutcome:
    """Elected or runoff. Lines of kind ``against_all`` count in the base but are not candidates."""
    parties, _ = normalise_parties(votes, source=source)
    totals = _totals(parties, valid, ballots_cast, registered)
    base_total = _base(totals, rule.majority)
    candidates = [p for p in parties if p.kind == "list"]
    if not candidates:
        raise InputError("no candidates among the ballot lines", source=source)
    order = {p.name: p.registration_order or 0 for p in parties}
    ties = TieBreaker(rule.ties, order, seed=seed, clause=rule.runoff_clause,
                      votes={p.name: p.votes for p in parties} if rule.ties == "votes" else None)
    lead = max(p.votes for p in candidates)
    share = Fraction(lead, base_total) if base_total else Fraction(0)
    leaders = [p.name for p in candidates if p.votes == lead]
    if len(leaders) == 1 and rule.majority.met(lead, base_total):
        return CandidateOutcome(leaders[0], (), share, totals, base_total, rule, tuple(parties))
    if len(candidates) < 2:
        raise AllocationError(f"{candidates[0].name} is the only candidate and has no majority "
                              f"({rule.majority.describe()}); the rules give no runoff")
    chosen = _leaders(candidates, rule.runoff, ties)
    return CandidateOutcome(None, tuple(chosen), share, totals, base_total, rule, tuple(parties),
                            tuple(ties.records))


def _leaders(candidates: Sequence[Party], k: int, ties: TieBreaker) -> list[str]:
    """The ``k`` candidates with the most votes; a tie across the cut is broken by the tie policy."""
    ranked = sorted(candidates, key=lambda p: -p.votes)
    k = min(k, len(ranked))
    cut = ranked[k - 1].votes
    above = [p.name for p in ranked if p.votes > cut]
    level = [p.name for p in ranked if p.votes == cut]
    if len(above) + len(level) == k:
        return above + level
    return above + ties.choose(level, k - len(above), seat=len(above) + 1, stage="runoff place")


def decide_question(
    votes: Mapping[str, int] | Iterable[Party],
    rule: QuestionRule,
    *,
    valid: int | None = None,
    ballots_cast: int | None = None,
    registered: int | None = None,
    source: str | None = None,
) -> QuestionOutcome:
    """Approved or not: the yes line against the rule's majority of its base."""
    parties, _ = normalise_parties(votes, source=source)
    totals = _totals(parties, valid, ballots_cast, registered)
    base_total = _base(totals, rule.majority)
    yes = _line(parties, rule.yes, "yes", source)
    no = _line(parties, rule.no, "no", source)
    share = Fraction(yes.votes, base_total) if base_total else Fraction(0)
    return QuestionOutcome(rule.majority.met(yes.votes, base_total) and base_total > 0, yes.votes, no.votes,
                           base_total, share, rule, totals)


def _base(totals: Totals, majority: Majority) -> int:
    value = totals.get(majority.base)
    if value is None:
        raise InputError(f"the majority is a share of {BASE_LABELS[majority.base]}, which was not given",
                         field=majority.base)
    return value


def _line(parties: Sequence[Party], names: Sequence[str], what: str, source: str | None) -> Party:
    wanted = {n.casefold() for n in names}
    found = [p for p in parties if p.name.strip().casefold() in wanted]
    if len(found) != 1:
        listed = ", ".join(p.name for p in parties)
        raise InputError(f"expected one {what!r} line named {' or '.join(names)}; the lines are: {listed}",
                         source=source, field="party", value=", ".join(p.name for p in found) or None)
    return found[0]

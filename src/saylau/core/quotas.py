"""Electoral quotas for largest-remainder methods, exact.

Each quota is a function of the votes being divided and the seats to fill.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["DROOP", "HAGENBACH_BISCHOFF", "HARE", "IMPERIALI", "QUOTAS", "Quota"]


@dataclass(frozen=True, slots=True)
class Quota:
    """A named quota rule: ``ratio(total_votes, seats)`` is the quota as an unreduced (num, den)."""

    name: str
    label: str
    formula: str
    ratio: Callable[[int, int], tuple[int, int]]

    def value(self, total: int, seats: int) -> Fraction:
        return Fraction(*self.ratio(total, seats))


HARE = Quota("hare", "Hare", "votes / seats", lambda v, s: (v, s))
# Droop as used in most laws: the integer part of votes / (seats + 1), plus one.
DROOP = Quota("droop", "Droop", "floor(votes / (seats + 1)) + 1", lambda v, s: (v // (s + 1) + 1, 1))
HAGENBACH_BISCHOFF = Quota("hagenbach-bischoff", "Hagenbach-Bischoff", "votes / (seats + 1)", lambda v, s: (v, s + 1))
IMPERIALI = Quota("imperiali", "Imperiali", "votes / (seats + 2)", lambda v, s: (v, s + 2))

QUOTAS: dict[str, Quota] = {q.name: q for q in (HARE, DROOP, HAGENBACH_BISCHOFF, IMPERIALI)}

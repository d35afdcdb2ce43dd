"""What to do for every block of rows, decided once from the system and the columns; thresholds and bounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from saylau.analysis.vectorised.divisor import divisor
from saylau.analysis.vectorised.quota import largest_remainder, runner_up, runner_up_vectorised
from saylau.core import Party, System

__all__ = ["SAFE", "VECTOR_METHODS", "Plan"]

#: Methods with a vectorised form; any other method runs every row through the core.
VECTOR_METHODS = ("hare", "droop", "hagenbach-bischoff", "imperiali",
                  "dhondt", "sainte-lague", "modified-sainte-lague", "danish")

#: Largest intermediate product allowed in int64 arithmetic.
SAFE = 1 << 62


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do for every block, decided once from the system and the columns."""

    np: Any
    system: System
    lists: Any
    candidates: Any
    everything_core: bool

    @classmethod
    def make(cls, np: Any, system: System, lines: Sequence[Party]) -> Plan:
        tier = system.lists
        # Russia's coverage clause and share bands admit lists row by row: the core engine decides those.
        vector = (tier.method in VECTOR_METHODS and tier.ties == "registration" and tier.coverage is None
                  and not tier.bands)
        lists = np.array([p.kind == "list" for p in lines])
        big = np.iinfo(np.int64).max
        candidates = np.array([big if p.candidates is None else p.candidates for p in lines], dtype=np.int64)
        return cls(np, system, lists, candidates, not vector)

    def run(self, block: Any, base: Any) -> tuple[Any, Any, Any]:
        """Seats, passed and the rows the core must compute, columns in registration order."""
        np = self.np
        tier = self.system.lists
        rows, k = block.shape
        seats = np.zeros((rows, k), dtype=np.int64)
        passed = self._passes(block, base)
        if self.everything_core or rows == 0:
            return seats, passed, np.ones(rows, dtype=bool)
        npass = passed.sum(axis=1)
        core = npass == 0
        runner = np.zeros(rows, dtype=bool)
        if tier.runner_up is not None:
            contenders = self.lists & ~passed & (block > 0)
            if runner_up_vectorised(tier):
                runner = (npass == 1) & contenders.any(axis=1)
            else:
                core |= (npass == 1) & contenders.any(axis=1)
        votes = np.where(passed, block, 0)
        total = votes.sum(axis=1)
        core |= total == 0
        if self._too_big(block, base, total):
            return seats, passed, np.ones(rows, dtype=bool)
        safe_total = np.where(total == 0, 1, total)
        if tier.family == "quota":
            won, bad = largest_remainder(np, tier, votes, passed, safe_total)
        else:
            won, bad = divisor(np, tier, votes, passed, safe_total)
        if runner.any():
            won[runner], bad[runner] = runner_up(np, tier, block[runner], passed[runner], contenders[runner])
        core |= bad
        lo, hi = tier.min_seats, tier.max_seats
        if lo:
            core |= (passed & (won < lo)).any(axis=1)
        if hi is not None:
            core |= (won > hi).any(axis=1)
        if tier.exhaustion != "vacant":
            core |= (won > self.candidates).any(axis=1)
        seats = np.minimum(won, self.candidates)
        return seats, passed, core

    def _passes(self, block: Any, base: Any) -> Any:
        np = self.np
        threshold = self.system.lists.threshold
        if threshold is None:
            return np.broadcast_to(self.lists, block.shape).copy()
        if threshold.share is None:
            line = threshold.votes_min
            hit = block >= line if threshold.inclusive else block > line
        else:
            n, d = threshold.share.numerator, threshold.share.denominator
            left = block * d
            right = (base * n)[:, None]
            hit = left >= right if threshold.inclusive else left > right
        return hit & self.lists

    def _too_big(self, block: Any, base: Any, total: Any) -> bool:
        tier = self.system.lists
        vmax = int(block.max(initial=0))
        bmax = int(base.max(initial=0))
        tmax = int(total.max(initial=0))
        share = tier.threshold.share if tier.threshold is not None else None
        d = share.denominator if share is not None else 1
        n = share.numerator if share is not None else 1
        k = block.shape[1]
        seats = tier.seats + 2
        biggest = max(vmax * d, bmax * n, vmax * seats * 16, tmax * 16 * k, (tmax + 1) * k * 4 * seats,
                      vmax * 4 * seats * 4 * seats)
        return biggest >= SAFE

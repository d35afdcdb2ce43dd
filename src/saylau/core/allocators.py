"""The two families of apportionment procedures, exact, over lists already admitted.

:func:`largest_remainder` and :func:`highest_averages` divide ``seats`` among
lists in proportion to their votes and return an :class:`Apportionment` with
every number a person needs to check the division by hand. Thresholds, bounds
and special clauses are applied around them in :mod:`saylau.core.compose`.

Both work in integers: a largest-remainder quotient is kept as a numerator
over one common denominator, so remainders compare as integers; divisor
claims compare by cross-multiplication. Divisor methods start from the
divisor total / seats (a jump start) and step from there with a heap, so the
work grows with the number of lists, not with lists × seats.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Literal, NamedTuple

from saylau.core.divisors import DivisorMethod
from saylau.core.quotas import Quota
from saylau.core.ties import TieBreaker
from saylau.errors import AllocationError

__all__ = ["Apportionment", "highest_averages", "largest_remainder"]

Surplus = Literal["largest-quotient", "error"]


class Apportionment(NamedTuple):
    """One method's division of ``sum(seats)`` seats among ``names``.

    A named tuple rather than a dataclass: immutable, and cheap to build on
    the hot path of simulations and benchmarks.
    """

    names: tuple[str, ...]
    votes: tuple[int, ...]
    seats: tuple[int, ...]
    family: Literal["quota", "divisor"]
    # Largest remainder: quotient_i = numerators[i] / denominator; the quota as (num, den).
    quota_ratio: tuple[int, int] | None = None
    denominator: int = 1
    numerators: tuple[int, ...] = ()
    remainder_seats: tuple[int, ...] = ()
    taken_back: tuple[int, ...] = ()
    weights: tuple[Fraction, ...] = ()
    # Divisor methods: the weakest claim that won and the strongest that lost.
    method: DivisorMethod | None = None
    last_claim: tuple[int, int] | None = None
    next_claim: tuple[int, int] | None = None

    @property
    def quota(self) -> Fraction | None:
        return None if self.quota_ratio is None else Fraction(*self.quota_ratio)

    def quotient(self, i: int) -> Fraction:
        return Fraction(self.numerators[i], self.denominator)

    def integer_part(self, i: int) -> int:
        return self.numerators[i] // self.denominator

    def remainder(self, i: int) -> Fraction:
        return Fraction(self.numerators[i] % self.denominator, self.denominator)


def largest_remainder(
    names: Sequence[str],
    votes: Sequence[int],
    seats: int,
    quota: Quota,
    ties: TieBreaker,
    *,
    weights: Sequence[Fraction] | None = None,
    surplus: Surplus = "error",
) -> Apportionment:
    """Quota, integer parts, then the seats left over to the largest remainders.

    ``weights`` multiply each list's quotient (the Kazakh runner-up factor).
    If the integer parts exceed the seats (a small quota such as Imperiali's),
    seats are taken back from the smallest remainders. If weights leave more
    seats than lists after one seat per remainder, ``surplus`` decides:
    ``largest-quotient`` gives the rest to the list with the largest quotient.
    """
    n = len(votes)
    total = sum(votes)
    if total <= 0:
        raise AllocationError("no votes to divide: the admitted lists received no votes")
    qn, qd = quota.ratio(total, seats)
    if qn <= 0:
        raise AllocationError(f"the {quota.label} quota is zero: no seat can be divided")
    # quotient_i = v_i * w_i / q = v_i * wn_i * qd / (wd_i * qn); one common denominator.
    if weights is None:
        denominator = qn
        numerators = [v * qd for v in votes]
    else:
        lcm = math.lcm(*(w.denominator for w in weights))
        denominator = qn * lcm
        numerators = [v * qd * w.numerator * (lcm // w.denominator) for v, w in zip(votes, weights, strict=True)]
    result = [num // denominator for num in numerators]
    remainders = [num - r * denominator for num, r in zip(numerators, result, strict=True)]
    assigned = sum(result)
    extra = [0] * n
    taken = extra if assigned <= seats else [0] * n

    if assigned > seats:
        # Take seats back, smallest remainder first; on a tie the earlier-registered keeps its seat.
        # A tiny quota can overshoot by more than one seat per list: repeat the round until it fits.
        over = assigned - seats
        while over > 0:
            eligible = [r > 0 for r in result]
            losers = _rank_cut(remainders, min(over, sum(eligible)), ties, seat=seats + 1,
                               stage="remainder (seats taken back)", names=names, descending=False,
                               eligible=eligible)
            for i in losers:
                result[i] -= 1
                taken[i] += 1
            over -= len(losers)
    elif assigned < seats:
        left = seats - assigned
        if left < n:
            # The common case: one remainder seat each to the ``left`` largest, no tie at the cut.
            order = sorted(range(n), key=remainders.__getitem__, reverse=True)
            if remainders[order[left - 1]] != remainders[order[left]]:
                for i in order[:left]:
                    result[i] += 1
                    extra[i] = 1
                return Apportionment(tuple(names), tuple(votes), tuple(result), "quota", (qn, qd), denominator,
                                     tuple(numerators), tuple(extra), _zeros(n),
                                     tuple(weights) if weights is not None else ())
        winners = _rank_cut(remainders, min(left, n), ties, seat=assigned + 1, stage="remainder",
                            names=names, descending=True, eligible=[True] * n)
        for i in winners:
            result[i] += 1
            extra[i] = 1
        left -= len(winners)
        if left:
            if surplus != "largest-quotient":
                raise AllocationError(f"{left} seat(s) remain after every list received a remainder seat")
            top = max(range(n), key=lambda i: (numerators[i], -ties.order[names[i]]))
            result[top] += left
            extra[top] += left

    return Apportionment(
        tuple(names), tuple(votes), tuple(result), "quota", (qn, qd), denominator, tuple(numerators), tuple(extra),
        tuple(taken) if taken is not extra else _zeros(n), tuple(weights) if weights is not None else (),
    )


def _zeros(n: int) -> tuple[int, ...]:
    return (0,) * n


def _rank_cut(
    keys: Sequence[int],
    k: int,
    ties: TieBreaker,
    *,
    seat: int,
    stage: str,
    names: Sequence[str],
    descending: bool,
    eligible: Sequence[bool],
) -> list[int]:
    """Indices of the ``k`` best keys (largest or smallest), ties at the cut broken by policy."""
    if k <= 0:
        return []
    pool = [i for i in range(len(keys)) if eligible[i]]
    if k >= len(pool):
        return pool
    pool.sort(key=keys.__getitem__, reverse=descending)
    boundary = keys[pool[k - 1]]
    if keys[pool[k]] != boundary:
        return pool[:k]
    sure = [i for i in pool if (keys[i] > boundary if descending else keys[i] < boundary)]
    tied = [i for i in pool if keys[i] == boundary]
    need = k - len(sure)
    if descending:
        chosen = ties.choose([names[i] for i in tied], need, seat=seat + len(sure), stage=stage)
        index = {names[i]: i for i in tied}
        return sure + [index[name] for name in chosen]
    # Taking back: the tie policy picks who keeps; the others lose.
    keep = set(ties.choose([names[i] for i in tied], len(tied) - need, seat=seat, stage=stage))
    return sure + [i for i in tied if names[i] not in keep]


class _Claim:
    """A claim v / s(k) ordered for a max-heap: cross-multiplied, infinite when s(k) is zero."""

    __slots__ = ("den", "index", "num")

    def __init__(self, num: int, den: int, index: int) -> None:
        self.num = num
        self.den = den
        self.index = index

    def __lt__(self, other: _Claim) -> bool:  # "greater claim first"
        d1, d2 = self.den, other.den
        if d1 and d2:  # both finite: the common case, inlined
            return self.num * d2 > other.num * d1
        return _compare(self.num, self.den, other.num, other.den) > 0


def _compare(n1: int, d1: int, n2: int, d2: int) -> int:
    """Sign of n1/d1 - n2/d2 where a zero denominator is infinity (ordered by numerator)."""
    if d1 == 0 or d2 == 0:
        if d1 == 0 and d2 == 0:
            return (n1 > n2) - (n1 < n2)
        return 1 if d1 == 0 else -1
    left, right = n1 * d2, n2 * d1
    return (left > right) - (left < right)


def highest_averages(
    names: Sequence[str],
    votes: Sequence[int],
    seats: int,
    method: DivisorMethod,
    ties: TieBreaker,
) -> Apportionment:
    """Seats in order of the largest claims votes / s(k), with ties at the last seat broken by policy."""
    n = len(votes)
    total = sum(votes)
    if total <= 0:
        raise AllocationError("no votes to divide: the admitted lists received no votes")
    result = [method.seats_at(v * seats, total) for v in votes]
    held = sum(result)
    claim = method.claim
    if held < seats:
        heap = [_Claim(*claim(votes[i], result[i]), i) for i in range(n) if votes[i]]
        heapq.heapify(heap)
        for _ in range(seats - held):
            top = heap[0]
            result[top.index] += 1
            heapq.heapreplace(heap, _Claim(*claim(votes[top.index], result[top.index]), top.index))
    elif held > seats:
        # Min-heap of each list's weakest seat held: give back the weakest first.
        weakest = [_Claim(*claim(votes[i], result[i] - 1), i) for i in range(n) if result[i]]
        heap2 = [_Weak(c) for c in weakest]
        heapq.heapify(heap2)
        for _ in range(held - seats):
            top2 = heap2[0].claim
            result[top2.index] -= 1
            if result[top2.index]:
                heapq.heapreplace(heap2, _Weak(_Claim(*claim(votes[top2.index], result[top2.index] - 1), top2.index)))
            else:
                heapq.heappop(heap2)

    last, nxt = _boundary(votes, result, claim)
    while last is not None and nxt is not None and _compare(*nxt[:2], *last[:2]) > 0:
        # Only reachable if the jump start was inconsistent: move seats until no claim beats a winner.
        result[last[2]] -= 1
        result[nxt[2]] += 1
        last, nxt = _boundary(votes, result, claim)
    if last is not None and nxt is not None and _compare(*last[:2], *nxt[:2]) == 0:
        # Lists holding a seat at the boundary claim and lists wanting one at it tie for those seats.
        holders = [i for i in range(n) if result[i] and _compare(*claim(votes[i], result[i] - 1), *last[:2]) == 0]
        wanters = [i for i in range(n) if votes[i] and _compare(*claim(votes[i], result[i]), *last[:2]) == 0]
        tied = holders + wanters
        chosen = set(ties.choose([names[i] for i in tied], len(holders),
                                 seat=seats - len(holders) + 1, stage="quotient"))
        for i in holders:
            if names[i] not in chosen:
                result[i] -= 1
        for i in wanters:
            if names[i] in chosen:
                result[i] += 1
        last, nxt = _boundary(votes, result, claim)

    return Apportionment(
        names=tuple(names),
        votes=tuple(votes),
        seats=tuple(result),
        family="divisor",
        method=method,
        last_claim=None if last is None else last[:2],
        next_claim=None if nxt is None else nxt[:2],
    )


class _Weak:
    """Wraps a claim for a min-heap (weakest claim first)."""

    __slots__ = ("claim",)

    def __init__(self, claim: _Claim) -> None:
        self.claim = claim

    def __lt__(self, other: _Weak) -> bool:
        c, o = self.claim, other.claim
        if c.den and o.den:
            return c.num * o.den < o.num * c.den
        return _compare(c.num, c.den, o.num, o.den) < 0


def _boundary(
    votes: Sequence[int], result: Sequence[int], get: Callable[[int, int], tuple[int, int]]
) -> tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]:
    """The weakest winning claim and the strongest losing one, as (num, den, index)."""
    last: tuple[int, int, int] | None = None
    nxt: tuple[int, int, int] | None = None
    ln = ld = xn = xd = 0
    for i, v in enumerate(votes):
        if not v:
            continue
        held = result[i]
        if held:
            n1, d1 = get(v, held - 1)
            # Smaller than the weakest so far? (cross-multiplied; a zero denominator is infinite)
            if last is None or (d1 and (not ld or n1 * ld < ln * d1)) or (not d1 and not ld and n1 < ln):
                last, ln, ld = (n1, d1, i), n1, d1
        n2, d2 = get(v, held)
        if nxt is None or (not d2 and (xd or n2 > xn)) or (d2 and xd and n2 * xd > xn * d2):
            nxt, xn, xd = (n2, d2, i), n2, d2
    return last, nxt

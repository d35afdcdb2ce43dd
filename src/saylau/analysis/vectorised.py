"""Seat allocation for many elections at once: NumPy, integers only, the core engine's exact result.

:func:`allocate_batch` takes a matrix of votes (one row per simulated
election, one column per ballot line) and gives every row the seats
:func:`saylau.core.allocate_system` would give it. Nothing is rounded:

* thresholds compare ``votes × d`` with ``n × base`` for a share ``n/d``;
* largest remainder keeps each quotient as ``votes × qd`` over ``qn`` for the
  quota ``qn/qd`` (Hare, Droop, Hagenbach-Bischoff, Imperiali), so remainders
  are integers over one denominator per row;
* divisor methods (D'Hondt, Sainte-Laguë, modified Sainte-Laguë, Danish) start
  from the same jump start as the core, step seat by seat with claims
  compared by cross-multiplication, then share the seats tied at the boundary
  claim by registration order, as the core does.

Ties go to the list registered earlier: columns are put in registration
order, and every ranking key carries that order in its lowest digits.

Kazakhstan's runner-up clause (one list passes; the next largest joins with
its quotient × factor and a minimum of seats) is vectorised for Hare, Droop
and Hagenbach-Bischoff, exactly as the core applies it.

Rows this path cannot do exactly go to the core engine one by one, never to
an approximation: no list passing, the runner-up clause under a divisor
method, Imperiali or with bounds, bounds or candidate limits that bind, a
surplus of remainder seats, a method without a vectorised form (Adams, Dean,
Huntington-Hill), a tie policy other than registration order, or numbers too
large for 63-bit integers. Rows for which the law gives no result (the core
raises :class:`~saylau.errors.AllocationError`) are flagged in ``ok``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from saylau.core import Party, System, allocate_system, normalise_parties
from saylau.errors import AllocationError, InputError

__all__ = ["VECTOR_METHODS", "BatchResult", "allocate_batch"]

#: Methods with a vectorised form; any other method runs every row through the core.
VECTOR_METHODS = ("hare", "droop", "hagenbach-bischoff", "imperiali",
                  "dhondt", "sainte-lague", "modified-sainte-lague", "danish")

#: Rows per block: bounds the (rows × lists × lists) comparison arrays.
BLOCK = 1 << 16
#: Largest intermediate product allowed in int64 arithmetic.
SAFE = 1 << 62


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Seats of every row, in the caller's column order."""

    seats: Any
    """``(rows, lines)`` int64: filled seats (vacancies left out); zeros where ``ok`` is False."""
    passed: Any
    """``(rows, lines)`` bool: met the threshold."""
    ok: Any
    """``(rows,)`` bool: False where the rules give no result (e.g. no list passed)."""
    fallback: int
    """How many rows the core engine computed."""


def allocate_batch(
    votes: Any,
    system: System,
    parties: Sequence[Party],
    *,
    ballots_cast: Any = None,
    registered: Any = None,
) -> BatchResult:
    """Allocate ``system``'s list seats for every row of ``votes``.

    ``parties`` describes the columns (name, kind, registration order,
    candidates; their ``votes`` are ignored). ``ballots_cast`` and
    ``registered`` are per-row totals, needed only when the threshold is a
    share of them; valid votes are each row's sum.
    """
    import numpy as np

    matrix = np.asarray(votes)
    if matrix.ndim != 2 or matrix.shape[1] != len(parties):
        raise InputError(f"votes must be a (rows, {len(parties)}) matrix, not shape {matrix.shape}", field="votes")
    if not np.issubdtype(matrix.dtype, np.integer):
        raise InputError("votes must be whole numbers", field="votes", value=str(matrix.dtype))
    matrix = matrix.astype(np.int64, copy=False)
    if matrix.size and matrix.min() < 0:
        raise InputError("votes must not be negative", field="votes", value=int(matrix.min()))
    lines, _ = normalise_parties([Party(p.name, 0, p.kind, p.registration_order, p.candidates) for p in parties])
    if not any(p.kind == "list" for p in lines):
        raise InputError("no party lists among the ballot lines")
    rows = matrix.shape[0]
    cast = _per_row(np, ballots_cast, rows, "ballots_cast")
    reg = _per_row(np, registered, rows, "registered")
    tier = system.lists
    threshold = tier.threshold
    if (threshold is not None and threshold.share is not None and threshold.base != "valid"
            and (cast if threshold.base == "ballots_cast" else reg) is None):
            raise InputError(f"the threshold is a share of {threshold.base}, which was not given",
                             field=threshold.base)

    seats = np.zeros(matrix.shape, dtype=np.int64)
    passed = np.zeros(matrix.shape, dtype=bool)
    ok = np.ones(rows, dtype=bool)
    core = np.zeros(rows, dtype=bool)
    order = np.argsort([p.registration_order or 0 for p in lines], kind="stable")
    identity = bool((order == np.arange(len(lines))).all())
    plan = _Plan.make(np, system, [lines[i] for i in order])
    for start in range(0, rows, BLOCK):
        stop = min(rows, start + BLOCK)
        block = matrix[start:stop] if identity else matrix[start:stop][:, order]
        # Column-major: sums across a row's lists become adds of contiguous columns (several times faster).
        block = np.asfortranarray(block)
        base = _base(np, block, threshold, cast, reg, start, stop)
        s, p, c = plan.run(block, base)
        if identity:
            seats[start:stop], passed[start:stop] = s, p
        else:
            seats[start:stop, order], passed[start:stop, order] = s, p
        core[start:stop] = c
    for r in np.flatnonzero(core):
        row = [Party(p.name, int(matrix[r, j]), p.kind, p.registration_order, p.candidates)
               for j, p in enumerate(lines)]
        try:
            allocation = allocate_system(row, system,
                                         ballots_cast=None if cast is None else int(cast[r]),
                                         registered=None if reg is None else int(reg[r]))
        except AllocationError:
            ok[r] = False
            seats[r] = 0
            continue
        got = allocation.seats
        seats[r] = [got[p.name] for p in lines]
        passed[r] = [allocation.line(p.name).passed for p in lines]
    return BatchResult(seats, passed, ok, int(core.sum()))


def _per_row(np: Any, value: Any, rows: int, name: str) -> Any:
    if value is None:
        return None
    arr = np.broadcast_to(np.asarray(value, dtype=np.int64), (rows,))
    if arr.size and arr.min() < 0:
        raise InputError(f"{name} must not be negative", field=name, value=int(arr.min()))
    return arr


def _base(np: Any, block: Any, threshold: Any, cast: Any, reg: Any, start: int, stop: int) -> Any:
    if threshold is None or threshold.share is None or threshold.base == "valid":
        return block.sum(axis=1)
    source = cast if threshold.base == "ballots_cast" else reg
    return source[start:stop]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What to do for every block, decided once from the system and the columns."""

    np: Any
    system: System
    lists: Any
    candidates: Any
    everything_core: bool

    @classmethod
    def make(cls, np: Any, system: System, lines: Sequence[Party]) -> _Plan:
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
            if self._runner_up_vectorised():
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
            won, bad = self._largest_remainder(votes, passed, safe_total)
        else:
            won, bad = self._divisor(votes, passed, safe_total)
        if runner.any():
            won[runner], bad[runner] = self._runner_up(block[runner], passed[runner], contenders[runner])
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

    def _largest_remainder(self, votes: Any, admitted: Any, total: Any) -> tuple[Any, Any]:
        np = self.np
        tier = self.system.lists
        seats = tier.seats
        k = votes.shape[1]
        qn, qd = self._quota(total)
        num = votes * qd[:, None]
        den = qn[:, None]
        whole = num // den
        rest = num
        rest -= whole * den  # in place: num is not used again
        left = seats - whole.sum(axis=1)
        # One key per list: remainder first, earlier registration wins a tie; non-admitted never win.
        key = rest
        key *= k
        key += k - 1 - np.arange(k)
        key[~admitted] = -1
        count = admitted.sum(axis=1)
        bad = left > count
        above = _count(key, larger=True)  # lists with a larger key
        won = whole + (admitted & (above < left[:, None]))
        if (left < 0).any():
            # Integer parts exceed the seats (Imperiali): take back from the smallest remainders.
            eligible = admitted & (whole > 0)
            low = np.where(eligible, key, np.iinfo(np.int64).max)
            below = _count(low, larger=False)
            over = np.maximum(-left, 0)
            won = won - (eligible & (below < over[:, None]))
            bad |= over > eligible.sum(axis=1)
        return won, bad

    def _runner_up_vectorised(self) -> bool:
        tier = self.system.lists
        runner = tier.runner_up
        # Imperiali's second round (one list alone) takes back seats the core way only there: leave it to the core.
        return (tier.method in ("hare", "droop", "hagenbach-bischoff") and runner is not None and tier.min_seats == 0
                and tier.max_seats is None and runner.min_seats <= tier.seats and runner.factor <= 1)

    def _quota(self, total: Any) -> tuple[Any, Any]:
        """The quota as (numerator, denominator) arrays; any common scale leaves every comparison unchanged."""
        np = self.np
        tier = self.system.lists
        if tier.method == "droop":
            return total // (tier.seats + 1) + 1, np.ones_like(total)
        extra = {"hare": 0, "hagenbach-bischoff": 1, "imperiali": 2}[tier.method]
        return total, np.full_like(total, tier.seats + extra)

    def _runner_up(self, block: Any, passed: Any, contenders: Any) -> tuple[Any, Any]:
        """Kazakhstan's clause, as the core applies it: one list passed, the next largest joins.

        The runner-up (largest vote among the rest, earlier registration on a
        tie) is admitted with its quotient multiplied by the factor; the seats
        left after integer parts go to the largest remainders, any still left to
        the largest quotient; a runner-up below its minimum is held at it and
        the passing list takes the rest.
        """
        np = self.np
        tier = self.system.lists
        clause = tier.runner_up
        assert clause is not None
        seats = tier.seats
        rows, k = block.shape
        order_key = k - 1 - np.arange(k)
        key = np.where(contenders, block * k + order_key, -1)
        runner = np.zeros((rows, k), dtype=bool)
        runner[np.arange(rows), key.argmax(axis=1)] = True
        admitted = passed | runner
        votes = np.where(admitted, block, 0)
        qn, qd = self._quota(votes.sum(axis=1))
        fn, fd = clause.factor.numerator, clause.factor.denominator
        num = votes * qd[:, None] * np.where(runner, fn, fd)
        den = (qn * fd)[:, None]
        whole = num // den
        rest = num % den
        left = seats - whole.sum(axis=1)
        rkey = np.where(admitted, rest * k + order_key, -1)
        above = _count(rkey, larger=True)
        won = whole + (admitted & (above < np.minimum(left, 2)[:, None]))
        surplus = np.maximum(left - 2, 0)
        qkey = np.where(admitted, num * k + order_key, -1)
        top = np.zeros((rows, k), dtype=bool)
        top[np.arange(rows), qkey.argmax(axis=1)] = True
        won = won + top * surplus[:, None]
        runner_seats = np.maximum((won * runner).sum(axis=1), clause.min_seats)
        won = np.where(runner, runner_seats[:, None], np.where(passed, (seats - runner_seats)[:, None], 0))
        return won, left < 0

    def _signpost(self, held: Any) -> tuple[Any, Any]:
        np = self.np
        tier = self.system.lists
        if tier.method == "dhondt":
            return held + 1, np.ones_like(held)
        if tier.method == "sainte-lague":
            return 2 * held + 1, np.full_like(held, 2)
        if tier.method == "danish":
            return 3 * held + 1, np.full_like(held, 3)
        first = tier.first_divisor  # modified Sainte-Laguë: s(0) = first / 2
        a0, b0 = first.numerator, 2 * first.denominator
        return np.where(held == 0, a0, 2 * held + 1), np.where(held == 0, b0, 2)

    def _claims(self, votes: Any, held: Any) -> tuple[Any, Any]:
        a, b = self._signpost(held)
        return votes * b, a

    def _divisor(self, votes: Any, admitted: Any, total: Any) -> tuple[Any, Any]:
        np = self.np
        seats = self.system.lists.seats
        k = votes.shape[1]
        scaled = votes * seats
        ideal = scaled // total[:, None]
        a, b = self._signpost(ideal)
        held = np.where((votes > 0) & (a * total[:, None] < b * scaled), ideal + 1, ideal)
        first = np.arange(k)
        earlier = first[:, None] < first[None, :]  # earlier[i, j]: i registered before j
        wants = admitted & (votes > 0)
        # Step seat by seat, only in the rows still short (or over): at most a few steps per list.
        for _ in range(2 * k + 2):
            short = np.flatnonzero(held.sum(axis=1) < seats)
            if not short.size:
                break
            v, h = votes[short], held[short]
            num, den = self._claims(v, h)
            held[short] = h + self._extreme(num, den, wants[short], earlier, largest=True)
        for _ in range(2 * k + 2):
            long = np.flatnonzero(held.sum(axis=1) > seats)
            if not long.size:
                break
            v, h = votes[long], held[long]
            num, den = self._claims(v, np.maximum(h - 1, 0))
            held[long] = h - self._extreme(num, den, h > 0, earlier.T, largest=False)
        bad = held.sum(axis=1) != seats
        # Seats tied at the boundary claim go to the lists registered earlier, as in the core.
        hn, hd = self._claims(votes, np.maximum(held - 1, 0))
        holding = held > 0
        weakest = self._extreme(hn, hd, holding, earlier.T, largest=False)
        ln = (hn * weakest).sum(axis=1)[:, None]
        ld = (hd * weakest).sum(axis=1)[:, None]
        wn, wd = self._claims(votes, held)
        holders = holding & (hn * ld == ln * hd)
        wanters = wants & (wn * ld == ln * wd) & holding.any(axis=1)[:, None]
        tied = holders | wanters
        chosen = tied & (np.cumsum(tied, axis=1) <= holders.sum(axis=1)[:, None])
        held = held - (holders & ~chosen) + (wanters & chosen)
        return held, bad

    def _extreme(self, num: Any, den: Any, eligible: Any, first: Any, *, largest: bool) -> Any:
        """One-hot of the eligible list with the largest (smallest) claim num/den; ``first[i, j]`` breaks ties."""
        np = self.np
        left = num[:, :, None] * den[:, None, :]   # claim_i scaled, compared with claim_j
        right = num[:, None, :] * den[:, :, None]
        beats = (left > right) if largest else (left < right)
        beats |= (left == right) & first[None, :, :]
        beats |= ~eligible[:, None, :]
        k = num.shape[1]
        beats |= np.eye(k, dtype=bool)[None, :, :]
        return eligible & beats.all(axis=2)


def _count(key: Any, *, larger: bool) -> Any:
    """For each column, how many columns of its row hold a larger (smaller) key; one pass per column."""
    out = (key[:, :1] > key) if larger else (key[:, :1] < key)
    out = out.astype(key.dtype)
    for j in range(1, key.shape[1]):
        out += (key[:, j : j + 1] > key) if larger else (key[:, j : j + 1] < key)
    return out

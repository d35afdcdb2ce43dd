"""Largest remainder for many elections at once: quotas as integer fractions, Kazakhstan's runner-up clause."""

from __future__ import annotations

from typing import Any

__all__ = ["count_beyond", "largest_remainder", "quota", "runner_up", "runner_up_vectorised"]


def largest_remainder(np: Any, tier: Any, votes: Any, admitted: Any, total: Any) -> tuple[Any, Any]:
    """Seats of the admitted lists by the tier's quota and largest remainders; rows the core must redo."""
    seats = tier.seats
    k = votes.shape[1]
    qn, qd = quota(np, tier, total)
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
    admitted_count = admitted.sum(axis=1)
    bad = left > admitted_count
    above = count_beyond(key, larger=True)  # lists with a larger key
    won = whole + (admitted & (above < left[:, None]))
    if (left < 0).any():
        # Integer parts exceed the seats (Imperiali): take back from the smallest remainders.
        eligible = admitted & (whole > 0)
        low = np.where(eligible, key, np.iinfo(np.int64).max)
        below = count_beyond(low, larger=False)
        over = np.maximum(-left, 0)
        won = won - (eligible & (below < over[:, None]))
        bad |= over > eligible.sum(axis=1)
    return won, bad



def runner_up_vectorised(tier: Any) -> bool:
    runner = tier.runner_up
    # Imperiali's second round (one list alone) takes back seats the core way only there: leave it to the core.
    return (tier.method in ("hare", "droop", "hagenbach-bischoff") and runner is not None and tier.min_seats == 0
            and tier.max_seats is None and runner.min_seats <= tier.seats and runner.factor <= 1)



def quota(np: Any, tier: Any, total: Any) -> tuple[Any, Any]:
    """The quota as (numerator, denominator) arrays; any common scale leaves every comparison unchanged."""
    if tier.method == "droop":
        return total // (tier.seats + 1) + 1, np.ones_like(total)
    extra = {"hare": 0, "hagenbach-bischoff": 1, "imperiali": 2}[tier.method]
    return total, np.full_like(total, tier.seats + extra)



def runner_up(np: Any, tier: Any, block: Any, passed: Any, contenders: Any) -> tuple[Any, Any]:
    """Kazakhstan's clause, as the core applies it: one list passed, the next largest joins.

    The runner-up (largest vote among the rest, earlier registration on a
    tie) is admitted with its quotient multiplied by the factor; the seats
    left after integer parts go to the largest remainders, any still left to
    the largest quotient; a runner-up below its minimum is held at it and
    the passing list takes the rest.
    """
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
    qn, qd = quota(np, tier, votes.sum(axis=1))
    fn, fd = clause.factor.numerator, clause.factor.denominator
    num = votes * qd[:, None] * np.where(runner, fn, fd)
    den = (qn * fd)[:, None]
    whole = num // den
    rest = num % den
    left = seats - whole.sum(axis=1)
    rkey = np.where(admitted, rest * k + order_key, -1)
    above = count_beyond(rkey, larger=True)
    won = whole + (admitted & (above < np.minimum(left, 2)[:, None]))
    surplus = np.maximum(left - 2, 0)
    qkey = np.where(admitted, num * k + order_key, -1)
    top = np.zeros((rows, k), dtype=bool)
    top[np.arange(rows), qkey.argmax(axis=1)] = True
    won = won + top * surplus[:, None]
    runner_seats = np.maximum((won * runner).sum(axis=1), clause.min_seats)
    won = np.where(runner, runner_seats[:, None], np.where(passed, (seats - runner_seats)[:, None], 0))
    return won, left < 0



def count_beyond(key: Any, *, larger: bool) -> Any:
    """For each column, how many columns of its row hold a larger (smaller) key; one pass per column."""
    out = (key[:, :1] > key) if larger else (key[:, :1] < key)
    out = out.astype(key.dtype)
    for j in range(1, key.shape[1]):
        out += (key[:, j : j + 1] > key) if larger else (key[:, j : j + 1] < key)
    return out

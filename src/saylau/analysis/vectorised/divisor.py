"""Divisor methods for many elections at once: jump start, seat-by-seat steps, claims compared by cross-products."""

from __future__ import annotations

from typing import Any

__all__ = ["claims", "divisor", "extreme", "signpost"]


def signpost(np: Any, tier: Any, held: Any) -> tuple[Any, Any]:
    """The divisor after ``held`` seats as (numerator, denominator) arrays."""
    if tier.method == "dhondt":
        return held + 1, np.ones_like(held)
    if tier.method == "sainte-lague":
        return 2 * held + 1, np.full_like(held, 2)
    if tier.method == "danish":
        return 3 * held + 1, np.full_like(held, 3)
    first = tier.first_divisor  # modified Sainte-Laguë: s(0) = first / 2
    a0, b0 = first.numerator, 2 * first.denominator
    return np.where(held == 0, a0, 2 * held + 1), np.where(held == 0, b0, 2)



def claims(np: Any, tier: Any, votes: Any, held: Any) -> tuple[Any, Any]:
    """Each list's claim to its next seat, votes / divisor, as (numerator, denominator)."""
    a, b = signpost(np, tier, held)
    return votes * b, a



def divisor(np: Any, tier: Any, votes: Any, admitted: Any, total: Any) -> tuple[Any, Any]:
    """Seats of the admitted lists by the tier's divisor method; rows the core must redo."""
    seats = tier.seats
    k = votes.shape[1]
    scaled = votes * seats
    ideal = scaled // total[:, None]
    a, b = signpost(np, tier, ideal)
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
        num, den = claims(np, tier, v, h)
        held[short] = h + extreme(np, num, den, wants[short], earlier, largest=True)
    for _ in range(2 * k + 2):
        long = np.flatnonzero(held.sum(axis=1) > seats)
        if not long.size:
            break
        v, h = votes[long], held[long]
        num, den = claims(np, tier, v, np.maximum(h - 1, 0))
        held[long] = h - extreme(np, num, den, h > 0, earlier.T, largest=False)
    bad = held.sum(axis=1) != seats
    # Seats tied at the boundary claim go to the lists registered earlier, as in the core.
    hn, hd = claims(np, tier, votes, np.maximum(held - 1, 0))
    holding = held > 0
    weakest = extreme(np, hn, hd, holding, earlier.T, largest=False)
    ln = (hn * weakest).sum(axis=1)[:, None]
    ld = (hd * weakest).sum(axis=1)[:, None]
    wn, wd = claims(np, tier, votes, held)
    holders = holding & (hn * ld == ln * hd)
    wanters = wants & (wn * ld == ln * wd) & holding.any(axis=1)[:, None]
    tied = holders | wanters
    chosen = tied & (np.cumsum(tied, axis=1) <= holders.sum(axis=1)[:, None])
    held = held - (holders & ~chosen) + (wanters & chosen)
    return held, bad



def extreme(np: Any, num: Any, den: Any, eligible: Any, first: Any, *, largest: bool) -> Any:
    """One-hot of the eligible list with the largest (smallest) claim num/den; ``first[i, j]`` breaks ties."""
    left = num[:, :, None] * den[:, None, :]   # claim_i scaled, compared with claim_j
    right = num[:, None, :] * den[:, :, None]
    beats = (left > right) if largest else (left < right)
    beats |= (left == right) & first[None, :, :]
    beats |= ~eligible[:, None, :]
    k = num.shape[1]
    beats |= np.eye(k, dtype=bool)[None, :, :]
    return eligible & beats.all(axis=2)

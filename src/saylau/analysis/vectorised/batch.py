"""The batch driver: blocks of rows through the plan, the rest through the core engine one by one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from saylau.analysis.vectorised.plan import Plan
from saylau.core import Party, System, allocate_system, normalise_parties
from saylau.errors import AllocationError, InputError

__all__ = ["BLOCK", "BatchResult", "allocate_batch"]

#: Rows per block: bounds the (rows × lists × lists) comparison arrays.
BLOCK = 1 << 16


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
    plan = Plan.make(np, system, [lines[i] for i in order])
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

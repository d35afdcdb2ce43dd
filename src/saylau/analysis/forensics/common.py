"""What every forensic test shares: the caveat, seeded randomness, exact percentage arithmetic."""

from __future__ import annotations

import secrets

import numpy as np

from saylau.errors import InputError

__all__ = ["DISCLAIMER", "percent_bins", "resolve_seed", "within_integer_percent"]

DISCLAIMER = (
    "These are statistical diagnostics, not proof: an anomaly is a reason to look closer at the stations "
    "concerned, and the absence of one does not certify an election."
)


def resolve_seed(seed: int | None) -> tuple[int, np.random.Generator]:
    """The seed to record and the generator it seeds (SPEC 7: one ``default_rng`` per call).

    Without a seed one is drawn from the OS and returned, so that every result
    can be reproduced from what it reports.
    """
    if seed is None:
        seed = secrets.randbits(63)
    if seed < 0:
        raise InputError("the seed must be a non-negative whole number", field="seed", value=seed)
    return seed, np.random.default_rng(seed)


def within_integer_percent(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Whether ``100 * numerator / denominator`` lies within 0.05 points of a whole percentage (inclusive).

    Exact integer arithmetic: with ``r = 100·k mod n`` the distance to the
    nearest whole percentage is ``min(r, n - r) / n`` points, and the test
    ``min(r, n - r) / n <= 1/20`` is ``20·min(r, n - r) <= n``. A zero
    denominator is never within (the share is undefined).
    """
    n = np.asarray(denominator, dtype=np.int64)
    safe = np.where(n > 0, n, 1)
    r = (100 * np.asarray(numerator, dtype=np.int64)) % safe
    distance = np.minimum(r, safe - r)
    return (n > 0) & (20 * distance <= n)


def percent_bins(numerator: np.ndarray, denominator: np.ndarray, bins: int) -> np.ndarray:
    """Bin of ``numerator / denominator`` among ``bins`` equal bins of [0, 1], by integer division.

    100% falls in the last bin; callers drop zero denominators and shares above 1 first.
    """
    k = np.asarray(numerator, dtype=np.int64)
    n = np.asarray(denominator, dtype=np.int64)
    return np.minimum((bins * k) // np.where(n > 0, n, 1), bins - 1)

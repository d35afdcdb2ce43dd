"""Digit tests on vote counts: Mebane's second-digit Benford test (2BL) and the last-digit test.

2BL (Mebane 2006, "Election Forensics: Vote Counts and Benford's Law"): the
second significant digits of counts of 10 or more are compared with Benford's
second-digit law, P(d) = sum over k=1..9 of log10(1 + 1/(10k + d)), mean 4.187.
Last digit (Beber & Scacco 2012): the last digits of counts large enough to
spread over many values (100 or more by default) should be uniform, mean 4.5.

Both report the mean digit and Pearson's chi-square (9 degrees of freedom),
with bootstrap intervals. The chi-square that raises the alarm compares the
observed digits with what clean counts would show (``null="binomial"``, the
default: each station's count drawn from Binomial(valid ballots, its observed
share), frequencies computed exactly by ``digit_null``), so the alarm's rate on
clean elections is the stated level, measured on simulated clean elections in
tests/forensics/test_forensics_calibration.py. ``null="law"`` compares with the
law itself, as the papers do; honest binomial counts do not follow the law
closely enough for that at station scale, so that reading states no
false-positive rate (``false_positive_rate`` is null). Digits of different stations are exchangeable
draws, so resampling stations is resampling digits: the bootstrap draws the ten
digit frequencies from a multinomial with the observed proportions, which is
the nonparametric bootstrap without materialising reps x stations indices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from saylau.analysis.forensics.common import DISCLAIMER, resolve_seed
from saylau.analysis.forensics.data import StationData
from saylau.analysis.forensics.digit_null import binomial_digit_frequencies, digit_of
from saylau.errors import InputError

__all__ = ["BENFORD_SECOND", "DigitResult", "digit_test", "last_digits", "second_digits"]

DIGITS = np.arange(10)
BENFORD_SECOND = np.array([sum(math.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)])
"""Benford's law for the second significant digit, d = 0..9."""
UNIFORM = np.full(10, 0.1)

Kind = Literal["second-digit", "last-digit"]
Null = Literal["binomial", "law"]


@dataclass(frozen=True, eq=False)
class DigitResult:
    """One list's digit test."""

    test: str
    party: str
    counts: np.ndarray
    """How many counts end (or continue) with each digit 0..9."""
    expected: np.ndarray
    """The null's probabilities for digits 0..9 (the law's, with ``null="law"``)."""
    mean_ci: tuple[float, float]
    chi2_ci: tuple[float, float]
    p_value: float
    alpha: float
    reps: int
    seed: int
    min_count: int
    law: np.ndarray
    """The law's probabilities (Benford's second digit, or uniform last digits), shown beside the null."""
    null: str = "binomial"

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    @property
    def mean(self) -> float:
        return float(DIGITS @ self.counts / self.n) if self.n else float("nan")

    @property
    def expected_mean(self) -> float:
        return float(DIGITS @ self.expected)

    @property
    def chi2(self) -> float:
        return _chi2(self.counts, self.expected)

    @property
    def chi2_vs_law(self) -> float:
        return _chi2(self.counts, self.law)

    @property
    def false_positive_rate(self) -> float | None:
        """The alarm's rate on clean elections where measured (the binomial null); None for the law."""
        return self.alpha if self.null == "binomial" else None

    @property
    def alarm(self) -> bool:
        """True when Pearson's chi-square rejects the law at level ``alpha`` (the false-positive rate)."""
        return bool(self.n > 0 and self.p_value < self.alpha)

    @property
    def mean_ci_covers(self) -> bool:
        return bool(self.mean_ci[0] <= self.expected_mean <= self.mean_ci[1])

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.test, "disclaimer": DISCLAIMER, "party": self.party, "n": self.n,
            "min_count": self.min_count, "mean": self.mean, "expected_mean": self.expected_mean,
            "mean_ci95": list(self.mean_ci), "mean_ci_covers_expected": self.mean_ci_covers,
            "null": self.null, "chi2": self.chi2, "chi2_ci95": list(self.chi2_ci), "dof": 9,
            "p_value": self.p_value, "alpha": self.alpha, "alarm": self.alarm,
            "false_positive_rate": self.false_positive_rate, "chi2_vs_law": self.chi2_vs_law,
            "digits": {str(d): int(c) for d, c in enumerate(self.counts)},
            "expected_share": {str(d): float(p) for d, p in enumerate(self.expected)},
            "law_share": {str(d): float(p) for d, p in enumerate(self.law)},
            "reps": self.reps, "seed": self.seed,
        }


def second_digits(counts: np.ndarray) -> np.ndarray:
    """Second significant digit of each count (counts below 10 must be removed first)."""
    counts = np.asarray(counts, dtype=np.int64)
    if counts.size and counts.min() < 10:
        raise InputError("a second digit needs a count of at least 10", field="count", value=int(counts.min()))
    return digit_of(counts, "second-digit")


def last_digits(counts: np.ndarray) -> np.ndarray:
    """Last decimal digit of each count."""
    return digit_of(counts, "last-digit")


def digit_test(
    data: StationData,
    kind: Kind,
    party: str | None = None,
    *,
    min_count: int | None = None,
    reps: int = 1000,
    seed: int | None = None,
    alpha: float = 0.001,
    null: Null = "binomial",
) -> list[DigitResult]:
    """The ``kind`` digit test on the station counts of ``party``, or of every list when None.

    ``min_count`` defaults to 10 for the second digit and 100 for the last;
    ``null`` chooses what the digits are compared with (see the module docstring).
    """
    if kind not in ("second-digit", "last-digit"):
        raise InputError("digit test must be 'second-digit' or 'last-digit'", field="test", value=kind)
    if null not in ("binomial", "law"):
        raise InputError("the null must be 'binomial' or 'law'", field="null", value=null)
    if reps < 1:
        raise InputError("the number of bootstrap resamplings must be at least 1", field="reps", value=reps)
    seed, rng = resolve_seed(seed)
    floor = min_count if min_count is not None else (10 if kind == "second-digit" else 100)
    if kind == "second-digit" and floor < 10:
        raise InputError("the second-digit test needs counts of at least 10", field="min_count", value=floor)
    columns = range(len(data.party_codes)) if party is None else [data.party_index(party)]
    results = []
    law = BENFORD_SECOND if kind == "second-digit" else UNIFORM
    for j in columns:
        column = data.votes[:, j]
        expected = law if null == "law" else binomial_digit_frequencies(column, data.valid, kind, floor)[0]
        column = column[column >= floor]
        digits = second_digits(column) if kind == "second-digit" else last_digits(column)
        results.append(_result(kind, data.party_label(j), np.bincount(digits, minlength=10), expected, law,
                               null=null, rng=rng, reps=reps, seed=seed, alpha=alpha, min_count=floor))
    return results


def _result(kind: str, party: str, counts: np.ndarray, expected: np.ndarray, law: np.ndarray, *, null: str,
            rng: np.random.Generator, reps: int, seed: int, alpha: float, min_count: int) -> DigitResult:
    from scipy.stats import chi2 as chi2_distribution  # type: ignore[import-untyped]

    n = int(counts.sum())
    if n == 0:
        nan = (float("nan"), float("nan"))
        return DigitResult(kind, party, counts, expected, nan, nan, float("nan"), alpha, reps, seed, min_count,
                           law, null)
    boot = rng.multinomial(n, counts / n, size=reps)
    means = boot @ DIGITS / n
    # A digit the null never produces (a share of exactly 0 or 1 everywhere) contributes nothing.
    live = expected > 0
    chis = ((boot[:, live] - n * expected[live]) ** 2 / (n * expected[live])).sum(axis=1)
    return DigitResult(
        test=kind, party=party, counts=counts, expected=expected,
        mean_ci=(float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))),
        chi2_ci=(float(np.quantile(chis, 0.025)), float(np.quantile(chis, 0.975))),
        p_value=float(chi2_distribution.sf(_chi2(counts, expected), 9)),
        alpha=alpha, reps=reps, seed=seed, min_count=min_count, law=law, null=null,
    )


def _chi2(counts: np.ndarray, law: np.ndarray) -> float:
    n = counts.sum()
    live = law > 0
    return float(((counts[live] - n * law[live]) ** 2 / (n * law[live])).sum()) if n else float("nan")

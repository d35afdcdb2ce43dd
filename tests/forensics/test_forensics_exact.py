"""The exact arithmetic under the tests: whole-percentage windows, selection bounds, digits, hit probabilities."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import binom

from saylau.analysis.forensics.common import percent_bins, within_integer_percent
from saylau.analysis.forensics.digits import BENFORD_SECOND, last_digits, second_digits
from saylau.analysis.forensics.integer_percent import _is_hit, hit_probability, selection_mask
from saylau.errors import InputError


def _within_reference(k: int, n: int) -> bool:
    value = Fraction(100 * k, n)
    return abs(value - round(value)) <= Fraction(1, 20)


def test_window_is_inclusive_at_exactly_five_hundredths() -> None:
    # 2000 voters: 1001 is 50.05% (on the edge, inside), 1002 is 50.10% (outside), 999 is 49.95% (inside).
    k = np.array([1000, 1001, 1002, 999, 998])
    assert within_integer_percent(k, np.full(5, 2000)).tolist() == [True, True, False, True, False]


def test_window_matches_fractions_everywhere() -> None:
    ks, ns = [], []
    for n in (1, 7, 99, 100, 101, 333, 1999, 2000, 2001, 20000):
        for k in range(0, n + 1, max(1, n // 400)):
            ks.append(k)
            ns.append(n)
    got = within_integer_percent(np.array(ks), np.array(ns))
    assert got.tolist() == [_within_reference(k, n) for k, n in zip(ks, ns, strict=True)]


def test_zero_denominator_is_never_a_whole_percentage() -> None:
    assert not within_integer_percent(np.array([0]), np.array([0]))[0]


def test_selection_bounds_at_the_line() -> None:
    voters = np.array([99, 100, 1000, 1000, 1000, 1000, 1000, 1000, 1000])
    issued = np.array([50, 50, 990, 991, 500, 500, 1000, 1001, 500])
    found = np.array([50, 50, 990, 991, 1000, 1000, 1000, 1000, 0])
    leader = np.array([10, 10, 10, 10, 990, 991, 1000, 10, 0])
    # As the paper counts: <100 on the list out, 100 in; 99.1% and 100% in; over 100% or nothing found out.
    assert selection_mask(voters, issued, leader, found).tolist() == [
        False, True, True, True, True, True, True, False, False]
    # The capped reading: turnout and share exactly 99% in, 99.1% out.
    assert selection_mask(voters, issued, leader, found, cap_99=True).tolist() == [
        False, True, True, False, True, False, False, False, False]


def test_percent_bins_are_integer_division() -> None:
    # 1/3 is 33.33...%: bin 333 of 1000; 100% goes to the last bin.
    assert percent_bins(np.array([1, 3, 0]), np.array([3, 3, 5]), 1000).tolist() == [333, 999, 0]


@pytest.mark.parametrize("cap_99", [False, True])
@pytest.mark.parametrize(("count", "n"), [(107, 229), (1063, 2098), (346, 445), (5, 100), (990, 1000), (1, 137),
                                          (1995, 2000), (229, 230)])
def test_hit_probability_equals_the_binomial_sum(count: int, n: int, cap_99: bool) -> None:
    ks = np.arange(n + 1)
    hits = np.array([_within_reference(k, n) and (not cap_99 or 100 * k <= 99 * n) for k in ks.tolist()])
    assert _is_hit(ks, np.full(n + 1, n), cap_99).tolist() == hits.tolist()
    reference = binom.pmf(ks, n, count / n)[hits].sum()
    assert hit_probability(np.array([count]), np.array([n]), cap_99=cap_99)[0] == pytest.approx(reference, abs=1e-9)


def test_hit_probability_of_degenerate_shares() -> None:
    # 0% stays 0% and 100% stays 100%, both whole percentages; with n = 100 every count is whole.
    q = hit_probability(np.array([0, 100, 50]), np.array([100, 100, 100]))
    assert q.tolist() == [1.0, 1.0, pytest.approx(1.0)]
    # The capped reading: 100% is above its 99% bound.
    q = hit_probability(np.array([0, 100, 50]), np.array([100, 100, 100]), cap_99=True)
    assert q.tolist() == [1.0, 0.0, pytest.approx(1.0)]


def test_second_and_last_digits() -> None:
    counts = np.array([10, 19, 99, 100, 123, 4567, 1_000_000, 987_654_321])
    assert second_digits(counts).tolist() == [0, 9, 9, 0, 2, 5, 0, 8]
    assert last_digits(counts).tolist() == [0, 9, 9, 0, 3, 7, 0, 1]
    with pytest.raises(InputError):
        second_digits(np.array([9]))


def test_benford_second_digit_law() -> None:
    assert BENFORD_SECOND.sum() == pytest.approx(1.0)
    assert float(np.arange(10) @ BENFORD_SECOND) == pytest.approx(4.187, abs=5e-4)
    assert BENFORD_SECOND[0] == pytest.approx(0.11968, abs=1e-5)
    assert all(BENFORD_SECOND[:-1] > BENFORD_SECOND[1:])

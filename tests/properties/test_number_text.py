"""Percentages as text: the integer-only path is the exact half-up rounding of the fraction it stands for."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.core.numbers import decimal_str, percent_str


@settings(max_examples=2000, deadline=None)
@given(part=st.integers(-10**9, 10**9), whole=st.integers(-10**9, 10**9), places=st.integers(0, 6))
def test_percent_is_the_rounded_fraction(part: int, whole: int, places: int) -> None:
    expected = None if whole == 0 else decimal_str(Fraction(part * 100, whole), places)
    assert percent_str(part, whole, places) == expected


def test_halves_round_away_from_zero() -> None:
    assert percent_str(1, 8) == "12.50" and percent_str(1, 8, 1) == "12.5" and percent_str(1, 8, 0) == "13"
    assert percent_str(-1, 8, 0) == "-13" and percent_str(1, -8, 0) == "-13" and percent_str(-1, -8, 0) == "13"
    assert percent_str(1, 3) == "33.33" and percent_str(2, 3) == "66.67" and percent_str(0, 5) == "0.00"
    assert percent_str(-1, 10**9, 2) == "0.00"  # no "-0.00"
    assert percent_str(5, 0) is None and percent_str(5, None) is None

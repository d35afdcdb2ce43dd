"""Every threshold at the line, one vote below and one vote above."""

from __future__ import annotations

from fractions import Fraction

import pytest

import saylau
from saylau.core import Threshold
from saylau.errors import InputError, NoListPassed


def _at_seven_percent(delta: int) -> dict[str, int]:
    # A has exactly 7% of 10,000 valid votes, plus delta (taken from / given to C).
    return {"A": 700 + delta, "B": 5_000, "C": 4_300 - delta}


@pytest.mark.parametrize(("delta", "passes"), [(-1, False), (0, True), (1, True)])
def test_kazakh_seven_percent_is_seven_or_more(delta: int, passes: bool) -> None:
    result = saylau.allocate(_at_seven_percent(delta), "kz-mazhilis-2021")
    assert ("A" in result.admitted) is passes
    assert (result.seats["A"] > 0) is passes


@pytest.mark.parametrize(("delta", "passes"), [(-1, False), (0, False), (1, True)])
def test_strictly_more_than(delta: int, passes: bool) -> None:
    result = saylau.allocate(_at_seven_percent(delta), None, method="hare", seats=10,
                             threshold=Threshold(Fraction(7, 100), inclusive=False))
    assert ("A" in result.admitted) is passes


@pytest.mark.parametrize("base", ["valid", "ballots_cast", "registered"])
@pytest.mark.parametrize(("delta", "passes"), [(-1, False), (0, True), (1, True)])
def test_each_base_at_the_line(base: str, delta: int, passes: bool) -> None:
    # The base is a total given apart from the file; the file lists only some of the parties.
    totals = {"valid": 20_000, "ballots_cast": 25_000, "registered": 50_000}
    line = totals[base] * 5 // 100
    votes = {"A": line + delta, "B": 9_000}
    result = saylau.allocate(votes, None, method="hare", seats=10, threshold="5%", threshold_base=base,  # type: ignore[arg-type]
                             **totals)
    assert ("A" in result.admitted) is passes
    assert result.threshold_base == totals[base]


@pytest.mark.parametrize(("delta", "passes"), [(-1, False), (0, True), (1, True)])
def test_absolute_vote_threshold(delta: int, passes: bool) -> None:
    result = saylau.allocate({"A": 5_000 + delta, "B": 90_000}, None, method="dhondt", seats=10,
                             threshold="5000 votes")
    assert ("A" in result.admitted) is passes


@pytest.mark.parametrize(("delta", "passes"), [(-1, False), (0, True), (1, True)])
def test_against_all_counts_in_the_base_and_takes_no_seat(delta: int, passes: bool) -> None:
    # 5% of 10,000 = 500; against-all makes up part of the 10,000.
    votes = [saylau.Party("A", 500 + delta), saylau.Party("B", 6_000),
             saylau.Party("Against all", 3_500 - delta, kind="against_all")]
    result = saylau.allocate(votes, "kz-mazhilis-2023")
    assert ("A" in result.admitted) is passes
    assert result.seats["Against all"] == 0
    assert result.totals.valid == 10_000
    assert sum(result.seats.values()) == 69


def test_odd_fraction_threshold_one_over_150() -> None:
    # 1/150 of 15,000 = 100 exactly.
    for delta, passes in ((-1, False), (0, True), (1, True)):
        result = saylau.allocate({"A": 100 + delta, "B": 14_900 - delta}, None, method="sainte-lague", seats=150,
                                 threshold="1/150")
        assert ("A" in result.admitted) is passes


@pytest.mark.parametrize(("text", "value"), [("7%", Fraction(7, 100)), ("0.07", Fraction(7, 100)),
                                             ("1/150", Fraction(1, 150)), ("4.5%", Fraction(9, 200))])
def test_threshold_notations_are_exact(text: str, value: Fraction) -> None:
    assert Threshold.parse(text).share == value


@pytest.mark.parametrize("text", ["107%", "-1%", "1.5", "seven", "1/0"])
def test_threshold_outside_zero_one_or_garbage_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        saylau.allocate({"A": 1, "B": 2}, None, method="hare", seats=3, threshold=text)


def test_minimum_votes_is_the_first_passing_count() -> None:
    t = Threshold(Fraction(7, 100))
    assert t.minimum_votes(10_000) == 700
    assert t.minimum_votes(10_001) == 701  # 700.07 -> 701
    assert Threshold(Fraction(7, 100), inclusive=False).minimum_votes(10_000) == 701


def test_no_list_passes_is_refused_with_the_rule() -> None:
    with pytest.raises(NoListPassed, match="no list reached the threshold"):
        saylau.allocate({"A": 6, "B": 6, "C": 6, "D": 82}, "kz-mazhilis-2021", valid=10_000)

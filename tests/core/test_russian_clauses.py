"""Russia's Duma clauses in the engine: the admitted lists' coverage (60% / 50%), the 5-7% seats, ties by votes.

Every boundary is tested at the line, one vote below and one above. The base is
the ballots of voters who took part (``ballots_cast``), as the rulesets say.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau import allocate
from saylau.core import Coverage, ListTier, Party, ShareBand, System, Threshold, allocate_system
from saylau.errors import AllocationError

F = Fraction
SEVEN_PERCENT = F(7, 100)


def _system(*, coverage: Coverage | None = None, bands: tuple[ShareBand, ...] = (), seats: int = 100,
            share: Fraction = SEVEN_PERCENT, ties: str = "votes") -> System:
    tier = ListTier(seats=seats, method="hare", ties=ties,  # type: ignore[arg-type]
                    threshold=Threshold(share=share, base="ballots_cast"), coverage=coverage, bands=bands)
    return System("test", tier)


def _lines(votes: dict[str, int]) -> list[Party]:
    return [Party(name, v, "list", i) for i, (name, v) in enumerate(votes.items(), start=1)]


SIXTY = Coverage(F(60, 100))


@pytest.mark.parametrize(("a", "added"), [(529, True), (530, True), (531, False)])
def test_coverage_adds_lists_unless_the_admitted_hold_more_than_sixty_percent(a: int, added: bool) -> None:
    # A + B hold 599 / 600 / 601 of 1,000 ballots: "more than 60%" is met only at 601.
    votes = {"A": a, "B": 70, "C": 69, "D": 60}
    result = allocate_system(_lines(votes), _system(coverage=SIXTY), ballots_cast=1000)
    admission = dict(zip(votes, result.admission, strict=True))
    assert admission["A"] == admission["B"] == "threshold"  # B has exactly 7%: passes a ">=" threshold
    assert admission["C"] == ("coverage" if added else "below threshold")
    assert admission["D"] == "below threshold"  # once C is in, A + B + C hold more than 60%
    assert sum(result.seats.values()) == 100
    assert (result.seats["C"] > 0) == added


def test_coverage_adds_lists_in_order_of_votes_until_the_share_is_passed() -> None:
    votes = {"E": 50, "A": 400, "D": 60, "B": 100, "C": 69}
    result = allocate_system(_lines(votes), _system(coverage=SIXTY), ballots_cast=1000)
    admission = dict(zip(votes, result.admission, strict=True))
    # 500 -> +C 569 -> +D 629 > 600: E is not needed.
    assert admission == {"E": "below threshold", "A": "threshold", "D": "coverage", "B": "threshold",
                         "C": "coverage"}
    seats = result.seats
    assert seats["E"] == 0 and sum(seats.values()) == 100
    # Hare over the admitted lists' 629 votes: every admitted list within one seat of its exact quota.
    for name in ("A", "B", "C", "D"):
        assert abs(F(votes[name] * 100, 629) - seats[name]) < 1
    assert any(step.topic == "coverage" and "C 69, D 60" in step.text for step in result.steps)


def test_coverage_admits_lists_with_equal_votes_together() -> None:
    votes = {"A": 500, "C": 60, "D": 60, "E": 59}
    result = allocate_system(_lines(votes), _system(coverage=SIXTY), ballots_cast=1000)
    assert result.admission == ("threshold", "coverage", "coverage", "below threshold")


def test_coverage_admits_the_runner_up_when_one_list_holds_the_share_alone() -> None:
    votes = {"A": 900, "B": 40, "C": 30}
    result = allocate_system(_lines(votes), _system(coverage=SIXTY), ballots_cast=1000)
    assert result.admission == ("threshold", "coverage", "below threshold")
    assert result.seats == {"A": 96, "B": 4, "C": 0}  # Hare over 940: 95.74 and 4.26, remainder to A


def test_without_coverage_a_single_list_takes_every_seat() -> None:
    votes = {"A": 900, "B": 40, "C": 30}
    result = allocate_system(_lines(votes), _system(), ballots_cast=1000)
    assert result.seats == {"A": 100, "B": 0, "C": 0}


def test_coverage_met_exactly_is_enough_when_inclusive() -> None:
    cover = Coverage(F(60, 100), inclusive=True, min_lists=0)
    assert cover.met(600, 1000) and not cover.met(599, 1000)
    assert not SIXTY.met(600, 1000) and SIXTY.met(601, 1000)


BANDS = (ShareBand(F(5, 100), F(6, 100), 1), ShareBand(F(6, 100), F(7, 100), 2))


@pytest.mark.parametrize(("votes", "admission", "seats"), [
    (49, "below threshold", 0), (50, "share band", 1), (51, "share band", 1), (59, "share band", 1),
    (60, "share band", 2), (61, "share band", 2), (69, "share band", 2), (70, "threshold", None),
])
def test_share_bands_give_one_seat_from_five_and_two_from_six_percent(votes: int, admission: str,
                                                                     seats: int | None) -> None:
    lines = {"A": 600, "B": 300 - votes, "X": votes}
    result = allocate_system(_lines(lines), _system(bands=BANDS, seats=450), ballots_cast=1000)
    assert result.admission[2] == admission
    assert sum(result.seats.values()) == 450
    if seats is not None:
        assert result.seats["X"] == seats
        # The band seats are taken first; A and B divide the rest by Hare over their own votes.
        divided = result.rounds[0]
        assert divided.seats == 450 - seats
        assert set(divided.apportionment.names) == {"A", "B"}
    else:
        assert result.seats["X"] >= 1 and set(result.rounds[0].apportionment.names) == {"A", "B", "X"}


def test_a_list_admitted_by_coverage_takes_part_in_the_division_not_a_band() -> None:
    votes = {"A": 550, "X": 55, "Y": 54}
    result = allocate_system(_lines(votes), _system(coverage=SIXTY, bands=BANDS, seats=450), ballots_cast=1000)
    # A alone holds 55%: X (5.5%) is admitted by coverage; Y (5.4%) then holds a band seat.
    assert result.admission == ("threshold", "coverage", "share band")
    assert result.seats["Y"] == 1
    assert result.rounds[0].seats == 449 and set(result.rounds[0].apportionment.names) == {"A", "X"}


def test_bands_that_would_take_every_seat_are_refused() -> None:
    votes = {"A": 800, "X": 55, "Y": 54}
    with pytest.raises(AllocationError, match="share bands take 2 of the 2 seats"):
        allocate_system(_lines(votes), _system(bands=BANDS, seats=2), ballots_cast=1000)


def test_equal_remainders_go_to_the_list_with_more_votes() -> None:
    # Quota 2: A 3 votes -> 1 seat, remainder 1/2; B 1 vote -> 0, remainder 1/2. B is registered first.
    lines = [Party("B", 1, "list", 1), Party("A", 3, "list", 2)]
    by_votes = allocate_system(lines, _system(seats=2, share=F(0), ties="votes"), ballots_cast=4)
    by_order = allocate_system(lines, _system(seats=2, share=F(0), ties="registration"), ballots_cast=4)
    assert by_votes.seats == {"B": 0, "A": 2}
    assert by_order.seats == {"B": 1, "A": 1}
    assert by_votes.ties[0].policy == "votes" and by_votes.ties[0].winners == ("A",)


def test_equal_votes_fall_back_to_registration_order_under_the_votes_policy() -> None:
    lines = [Party("B", 1, "list", 1), Party("A", 1, "list", 2)]
    result = allocate_system(lines, _system(seats=1, share=F(0), ties="votes"), ballots_cast=2)
    assert result.seats == {"B": 1, "A": 0}


def test_coverage_and_bands_need_a_share_threshold() -> None:
    with pytest.raises(ValueError, match="share of a base"):
        ListTier(seats=10, coverage=SIXTY)
    with pytest.raises(ValueError, match="lower < upper"):
        ShareBand(F(6, 100), F(5, 100), 1)


# Published national figures (sources in docs/ru-rulesets.md): the rulesets give the official list seats.

def test_duma_2007_national_totals_give_the_official_seats() -> None:
    votes = {"APR": 1_600_234, "ER": 44_714_241, "KPRF": 8_046_886, "LDPR": 5_660_823, "Yabloko": 1_108_985,
             "SR": 5_383_639, "GS": 733_604, "others": 1_528_724}
    result = allocate(votes, "ru-duma-2007", valid=68_777_136, ballots_cast=69_537_065)
    assert {k: v for k, v in result.seats.items() if v} == {"ER": 315, "KPRF": 57, "LDPR": 40, "SR": 38}


def test_duma_2016_national_totals_give_the_official_list_seats() -> None:
    votes = {"ER": 28_527_828, "KPRF": 7_019_752, "LDPR": 6_917_063, "SR": 3_275_053}
    result = allocate(votes, "ru-duma-2016", ballots_cast=52_700_992)
    assert result.seats == {"ER": 140, "KPRF": 35, "LDPR": 34, "SR": 16}
    assert result.total_seats == 450


def test_duma_2021_national_totals_give_the_official_list_seats() -> None:
    votes = {"ER": 28_064_200, "KPRF": 10_660_669, "LDPR": 4_252_252, "SR": 4_201_744, "NL": 2_997_744}
    result = allocate(votes, "ru-duma-2021", valid=55_158_109, ballots_cast=56_329_690)
    assert result.seats == {"ER": 126, "KPRF": 48, "LDPR": 19, "SR": 19, "NL": 13}


@pytest.mark.parametrize(("x", "passes"), [(499, False), (500, True), (501, True)])
def test_duma_2021_five_percent_of_those_who_took_part_at_below_and_above(x: int, passes: bool) -> None:
    # 10,000 took part (9,900 valid + 100 invalid): 5% is 500 ballots; no 5-7% seats after 2013.
    votes = {"A": 6000, "B": 3400 - x, "X": x, "Y": 500 - 1}
    result = allocate(votes, "ru-duma-2021", valid=9_899, ballots_cast=10_000)
    assert (result.admission[2] == "threshold") is passes
    assert (result.seats["X"] > 0) is passes
    assert sum(result.seats.values()) == 225


@pytest.mark.parametrize(("a", "added"), [(4999, True), (5000, True), (5001, False)])
def test_duma_2021_admitted_lists_must_hold_more_than_half(a: int, added: bool) -> None:
    # A alone passes 5% and a second list B at exactly 5% too, together a + 500 of 10,000 ballots: the
    # next list, C (4.99%), is added while A + B hold 50% or less.
    votes = {"A": a - 500, "B": 500, "C": 499, "D": 300}
    result = allocate(votes, "ru-duma-2021", ballots_cast=10_000)
    assert result.admission[:2] == ("threshold", "threshold")
    assert result.admission[2] == ("coverage" if added else "below threshold")
    assert result.admission[3] == "below threshold"


@pytest.mark.parametrize(("x", "seats"), [(499, 0), (500, 1), (501, 1), (599, 1), (600, 2), (601, 2), (699, 2)])
def test_duma_2011_band_seats_at_below_and_above_each_edge(x: int, seats: int) -> None:
    votes = {"A": 7000, "B": 2000, "X": x}
    result = allocate(votes, "ru-duma-2011", ballots_cast=10_000)
    assert result.seats["X"] == seats and sum(result.seats.values()) == 450
    assert allocate(votes, "ru-duma-2007", ballots_cast=10_000).seats["X"] == 0  # no band seats in 2007

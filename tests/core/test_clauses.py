"""Special clauses on constructed data: runner-up, ties, bounds, exhaustion, over-allocation."""

from __future__ import annotations

from fractions import Fraction

import pytest

import saylau
from saylau.core import ListTier, Party, RunnerUp, System, Threshold, allocate_system
from saylau.errors import AllocationError, ListExhausted, TieUnresolved


def test_runner_up_is_admitted_with_corrected_quotient() -> None:
    # Only A passes 7% of 10,000; B is next (600). Quota = 10,000 - ... = (8,800 + 600) / 98.
    votes = {"A": 8_800, "B": 600, "C": 400, "D": 200}
    result = saylau.allocate(votes, "kz-mazhilis-2021")
    b = result.line("B")
    assert b.admission == "runner-up"
    assert result.quota == Fraction(9_400, 98)
    assert b.weight == Fraction(7, 10)
    assert b.quotient == Fraction(600, 1) / Fraction(9_400, 98) * Fraction(7, 10)
    assert result.seats["C"] == result.seats["D"] == 0
    assert result.seats["A"] + result.seats["B"] == 98
    # 600/9400*98*0.7 = 4.3787: 4 seats, plus one remainder seat (two seats left, one each).
    assert result.seats["B"] == 5
    assert "Interpretation" in result.explain()


def test_runner_up_gets_at_least_two_seats() -> None:
    votes = {"A": 9_900, "B": 60, "C": 40}
    result = saylau.allocate(votes, "kz-mazhilis-2021")
    assert result.seats == {"A": 96, "B": 2, "C": 0}
    assert result.line("B").bound == "minimum"


def test_runner_up_tie_is_broken_by_registration_order() -> None:
    votes = [Party("A", 9_000, registration_order=3), Party("B", 500, registration_order=2),
             Party("C", 500, registration_order=1)]
    result = saylau.allocate(votes, "kz-mazhilis-2021")
    assert result.runner_up == "C"
    assert result.ties[0].stage == "runner-up"


def test_factor_and_minimum_are_parameters() -> None:
    tier = ListTier(98, "hare", Threshold(Fraction(7, 100)), runner_up=RunnerUp(Fraction(1), 0))
    result = allocate_system({"A": 9_000, "B": 600}, System("t", tier))
    # With factor 1 and no minimum it is plain Hare over the two lists.
    assert result.seats == saylau.allocate({"A": 9_000, "B": 600}, None, method="hare", seats=98).seats


def test_without_runner_up_clause_the_sole_list_takes_all() -> None:
    assert saylau.allocate({"A": 9_000, "B": 600}, "kz-mazhilis-2007").seats == {"A": 98, "B": 0}


def _tied() -> list[Party]:
    # Two lists with equal remainders competing for the last seat; C registered before B.
    return [Party("A", 500, registration_order=1), Party("B", 250, registration_order=3),
            Party("C", 250, registration_order=2)]


def test_equal_remainders_go_to_the_earlier_registered_list() -> None:
    result = saylau.allocate(_tied(), None, method="hare", seats=2)
    assert result.seats == {"A": 1, "B": 0, "C": 1}
    (tie,) = result.ties
    assert tie.lists == ("C", "B") and tie.winners == ("C",) and tie.seat == 2
    assert "registered earlier" in result.explain()


def test_tie_error_policy_names_lists_and_seat() -> None:
    with pytest.raises(TieUnresolved) as info:
        saylau.allocate(_tied(), None, method="hare", seats=2, tie="error")
    assert set(info.value.lists) == {"B", "C"} and info.value.seat == 2


def test_lot_is_reproducible_and_recorded() -> None:
    outcomes = set()
    for seed in range(20):
        first = saylau.allocate(_tied(), None, method="hare", seats=2, tie="lot", seed=seed)
        again = saylau.allocate(_tied(), None, method="hare", seats=2, tie="lot", seed=seed)
        assert first.seats == again.seats
        (tie,) = first.ties
        assert tie.seed == seed and set(tie.draw) == {"B", "C"} and tie.winners == tie.draw[:1]
        outcomes.add(tie.winners)
    assert outcomes == {("B",), ("C",)}  # both can win a lot


def test_lot_without_seed_draws_one_from_the_os_and_records_it() -> None:
    first = saylau.allocate(_tied(), None, method="hare", seats=2, tie="lot")
    (tie,) = first.ties
    assert isinstance(first.seed, str) and len(first.seed) == 16 and tie.seed == first.seed
    replayed = saylau.allocate(_tied(), None, method="hare", seats=2, tie="lot", seed=first.seed)
    assert replayed.ties == first.ties and replayed.seats == first.seats
    seeds = {saylau.allocate(_tied(), None, method="hare", seats=2, tie="lot").seed for _ in range(5)}
    assert len(seeds) == 5  # drawn afresh each time (64 random bits: a repeat is practically impossible)


def test_the_engine_itself_still_refuses_a_lot_without_seed() -> None:
    # allocate_system is the exact core: it never draws randomness of its own.
    system = saylau.build_system(None, method="hare", seats=2, tie="lot")
    with pytest.raises(ValueError, match="seed"):
        saylau.allocate_system(_tied(), system)


def test_divisor_tie_for_the_last_seat() -> None:
    votes = [Party("A", 300, registration_order=2), Party("B", 200, registration_order=1)]
    # D'Hondt, 4 seats: quotients 300, 200, 150, 100, 100 -> the 4th seat is tied at 100 (A/3, B/2).
    result = saylau.allocate(votes, None, method="dhondt", seats=4)
    assert result.seats == {"A": 2, "B": 2}
    assert result.ties[0].seat == 4 and result.ties[0].stage == "quotient"
    with pytest.raises(TieUnresolved):
        saylau.allocate(votes, None, method="dhondt", seats=4, tie="error")


def test_minimum_seats_per_list() -> None:
    result = saylau.allocate({"A": 950, "B": 30, "C": 20}, None, method="dhondt", seats=10, min_seats=1)
    assert result.seats == {"A": 8, "B": 1, "C": 1}


def test_maximum_seats_per_list() -> None:
    result = saylau.allocate({"A": 900, "B": 60, "C": 40}, None, method="sainte-lague", seats=10, max_seats=6)
    assert result.seats["A"] == 6 and sum(result.seats.values()) == 10


def test_infeasible_bounds_are_refused() -> None:
    with pytest.raises(AllocationError):
        saylau.allocate({"A": 1, "B": 1}, None, method="hare", seats=3, max_seats=1)


def _short_list() -> list[Party]:
    return [Party("A", 900, candidates=5), Party("B", 100, candidates=10)]


def test_exhausted_list_leaves_seats_vacant_by_default() -> None:
    result = saylau.allocate(_short_list(), None, method="hare", seats=10)
    assert result.seats == {"A": 5, "B": 1}
    assert result.vacancies == {"A": 4}
    assert "vacant" in result.explain()


def test_exhausted_list_seats_redistributed() -> None:
    tier = ListTier(10, "hare", exhaustion="redistribute")
    assert allocate_system(_short_list(), System("t", tier)).seats == {"A": 5, "B": 5}


def test_exhausted_list_is_an_error_when_the_rules_say_so() -> None:
    with pytest.raises(ListExhausted, match="'A' won 9 seats but has 5"):
        allocate_system(_short_list(), System("t", ListTier(10, "hare", exhaustion="error")))


def test_kz_2021_candidates_are_enough() -> None:
    # Ak Zhol had 38 candidates for 12 seats: nothing vacant.
    result = saylau.allocate([Party("AJ", 792_828, candidates=38), Party("NO", 5_148_074, candidates=126)],
                             "kz-mazhilis-2021")
    assert result.vacancies == {}


def test_imperiali_over_allocation_takes_back_from_the_smallest_remainder() -> None:
    # Imperiali quota 1000/(3+2) = 200: integer parts 2, 1, 1 = 4 > 3 seats.
    result = saylau.allocate({"A": 480, "B": 280, "C": 240}, None, method="imperiali", seats=3)
    assert sum(result.seats.values()) == 3
    assert result.seats == {"A": 2, "B": 1, "C": 0}
    assert "taken back" in result.explain()


def test_modified_sainte_lague_first_divisor_is_configurable() -> None:
    # A's tenth claim is 1000/19 = 52.6; B's first claim is 70/f.
    votes = {"A": 1_000, "B": 70}
    assert saylau.allocate(votes, None, method="sainte-lague", seats=10).seats["B"] == 1  # 70 > 52.6
    assert saylau.allocate(votes, None, method="modified-sainte-lague", seats=10).seats["B"] == 0  # 50 < 52.6
    # Sweden's 1.2 (since 2018): 70/1.2 = 58.3 > 52.6.
    assert saylau.allocate(votes, None, method="modified-sainte-lague", seats=10, first_divisor="1.2").seats["B"] == 1


def test_first_seat_methods_give_every_list_a_seat() -> None:
    votes = {"A": 10_000, "B": 1, "C": 1}
    for method in ("adams", "huntington-hill", "dean"):
        assert saylau.allocate(votes, None, method=method, seats=5).seats == {"A": 3, "B": 1, "C": 1}


def test_registration_order_absent_is_stated() -> None:
    result = saylau.allocate({"A": 1, "B": 1}, None, method="hare", seats=1)
    assert any("input order" in note for note in result.notes)
    assert result.seats == {"A": 1, "B": 0}

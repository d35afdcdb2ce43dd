"""Candidate and question outcomes: majority of the voters who took part, runoffs, against all, exactness."""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.core import (
    CandidateRule,
    Majority,
    Party,
    QuestionRule,
    decide_candidate,
    decide_question,
)
from saylau.errors import AllocationError, InputError, TieUnresolved
from saylau.rules import get_ruleset

PRESIDENT = get_ruleset("ru-president").candidate
VOTE_2020 = get_ruleset("ru-constitution-2020").question
assert PRESIDENT is not None and VOTE_2020 is not None


@pytest.mark.parametrize(("leader", "elected"), [(499, False), (500, False), (501, True)])
def test_elected_with_more_than_half_of_the_voters_who_took_part(leader: int, elected: bool) -> None:
    votes = {"A": leader, "B": 900 - leader, "C": 80}
    # 1,000 took part: 980 valid + 20 invalid; half is 500, and "more than half" needs 501.
    outcome = decide_candidate(votes, PRESIDENT, valid=980, ballots_cast=1000)
    if elected:
        assert outcome.to_dict() == {"elected": "A"}
    else:
        assert outcome.to_dict() == {"runoff": ["A", "B"]}
    assert outcome.leader_share == Fraction(leader, 1000)


def test_invalid_ballots_count_in_the_base_so_a_majority_of_valid_votes_is_not_enough() -> None:
    votes = {"A": 505, "B": 495}
    assert decide_candidate(votes, PRESIDENT, ballots_cast=1000).elected == "A"
    assert decide_candidate(votes, PRESIDENT, ballots_cast=1010).to_dict() == {"runoff": ["A", "B"]}


def test_against_all_counts_in_the_base_but_is_never_a_candidate() -> None:
    lines = [Party("A", 400, "list", 1), Party("Против всех", 350, "against_all", 2), Party("B", 150, "list", 3),
             Party("C", 100, "list", 4)]
    outcome = decide_candidate(lines, PRESIDENT, ballots_cast=1000)
    assert outcome.to_dict() == {"runoff": ["A", "B"]}
    # Without 'against all' in the base A would have 400 / 650 > half.
    lines[1] = Party("Против всех", 0, "against_all", 2)
    assert decide_candidate(lines, PRESIDENT, ballots_cast=650).elected == "A"


def test_a_tie_for_the_runoff_place_is_broken_by_registration_and_recorded() -> None:
    lines = [Party("A", 400, "list", 1), Party("C", 150, "list", 3), Party("B", 150, "list", 2),
             Party("D", 100, "list", 4)]
    outcome = decide_candidate(lines, PRESIDENT, ballots_cast=800)
    assert outcome.runoff == ("A", "B")
    assert outcome.ties[0].lists == ("B", "C") and outcome.ties[0].winners == ("B",)
    refuse = CandidateRule(PRESIDENT.majority, ties="error")
    with pytest.raises(TieUnresolved):
        decide_candidate(lines, refuse, ballots_cast=800)


def test_two_leaders_tied_go_to_the_runoff_together() -> None:
    outcome = decide_candidate({"A": 300, "B": 300, "C": 200}, PRESIDENT, ballots_cast=800)
    assert outcome.runoff == ("A", "B") and not outcome.ties


def test_a_lone_candidate_without_a_majority_has_no_runoff() -> None:
    with pytest.raises(AllocationError, match="only candidate"):
        decide_candidate({"A": 400}, PRESIDENT, ballots_cast=1000)


def test_the_base_must_be_given() -> None:
    with pytest.raises(InputError, match="ballots cast"):
        decide_candidate({"A": 400, "B": 100}, PRESIDENT)


@pytest.mark.parametrize(("yes", "approved"), [(499, False), (500, False), (501, True)])
def test_approved_when_more_than_half_of_those_who_took_part_vote_yes(yes: int, approved: bool) -> None:
    outcome = decide_question({"ДА": yes, "НЕТ": 980 - yes}, VOTE_2020, valid=980, ballots_cast=1000)
    assert outcome.approved is approved
    assert outcome.yes_share == Fraction(yes, 1000)
    record = outcome.to_dict()
    assert record["approved"] is approved and record["yes_share_exact"] == str(Fraction(yes, 1000))
    assert record["yes_share"] == f"0.{yes}000"


def test_an_exact_share_a_float_would_round_over_the_line() -> None:
    # yes / base is one part in 10**17 above a half: a float rounds it to 0.5 exactly, the fraction does not.
    base = 10**17
    outcome = decide_question({"yes": base // 2 + 1, "no": base // 2 - 1}, QuestionRule(), ballots_cast=base)
    assert float(outcome.yes_share) == 0.5 and outcome.approved
    at = decide_question({"yes": base // 2, "no": base // 2}, QuestionRule(), ballots_cast=base)
    assert not at.approved


def test_the_yes_and_no_lines_are_found_by_name_or_refused() -> None:
    with pytest.raises(InputError, match="'yes' line"):
        decide_question({"За": 10, "Против": 5}, VOTE_2020, ballots_cast=15)
    outcome = decide_question({"да": 10, "нет": 5}, VOTE_2020, ballots_cast=15)  # case aside
    assert outcome.yes == 10 and outcome.no == 5


def test_an_inclusive_majority_is_met_at_the_line() -> None:
    rule = QuestionRule(Majority(Fraction(1, 2), inclusive=True, base="valid"))
    assert decide_question({"yes": 50, "no": 50}, rule).approved
    assert not decide_question({"yes": 49, "no": 51}, rule).approved

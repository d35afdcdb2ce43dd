"""Margins: each answer re-allocated by the engine at the margin and one vote short of it,
and the search checked against brute force on small random elections (where non-monotone
cases occur: a larger base pushing another list under the threshold, the runner-up clause)."""

from __future__ import annotations

import argparse
import json
import random
from fractions import Fraction

import pytest

from saylau.analysis.ballot import Ballot, ballot_from_election
from saylau.analysis.margins import Margins, margins
from saylau.commands import margins as margins_command
from saylau.core import Allocation, ListTier, Party, RunnerUp, System, Threshold
from saylau.engine import build_system
from saylau.errors import AllocationError, InputError


def _alloc(ballot: Ballot, system: System, votes: list[int], added: int) -> Allocation | None:
    try:
        return ballot.with_votes(votes, added=added).allocate(system)
    except AllocationError:
        return None


def _added(ballot: Ballot, i: int, x: int) -> list[int]:
    return [p.votes + (x if j == i else 0) for j, p in enumerate(ballot.parties)]


def _check(result: Margins) -> None:
    """Every margin: the outcome changes at it and does not one vote short of it."""
    ballot, system, base = result.ballot, result.system, result.allocation.seats
    names = ballot.names
    for m in result.lists:
        i = names.index(m.party)
        if m.to_gain_seat is not None:
            at = _alloc(ballot, system, _added(ballot, i, m.to_gain_seat), m.to_gain_seat)
            assert at is not None and at.seats[m.party] == m.seats_if_gained > m.seats
            short = _alloc(ballot, system, _added(ballot, i, m.to_gain_seat - 1), m.to_gain_seat - 1)
            assert short is None or short.seats[m.party] <= m.seats
        if m.to_threshold is not None:
            at = _alloc(ballot, system, _added(ballot, i, m.to_threshold), m.to_threshold)
            assert at is not None and at.line(m.party).passed
            short = _alloc(ballot, system, _added(ballot, i, m.to_threshold - 1), m.to_threshold - 1)
            assert short is None or not short.line(m.party).passed
        if m.to_lose_seat is not None:
            at = _alloc(ballot, system, _added(ballot, i, -m.to_lose_seat), -m.to_lose_seat)
            assert at is None or at.seats[m.party] < m.seats
            short = _alloc(ballot, system, _added(ballot, i, -m.can_lose), -m.can_lose)  # type: ignore[operator]
            assert short is not None and short.seats[m.party] >= m.seats
    for t in result.transfers:
        if t.votes is None:
            continue
        j, k = names.index(t.source), names.index(t.target)

        def moved(x: int, j: int = j, k: int = k) -> Allocation | None:
            votes = [p.votes for p in ballot.parties]
            votes[j] -= x
            votes[k] += x
            return _alloc(ballot, system, votes, 0)

        at = moved(t.votes)
        assert at is None or at.seats != base
        assert at is None or at.seats == t.seats_after
        short = moved(t.votes - 1)
        assert short is not None and short.seats == base


@pytest.fixture(scope="module")
def kz2021(spec_data: object) -> Ballot:
    return ballot_from_election("kz-2021")


@pytest.mark.parametrize("options", [{}, {"method": "dhondt"}, {"threshold": "5%"}, {"method": "droop"},
                                     {"threshold_base": "ballots_cast"}, {"threshold_base": "registered"}])
def test_kz_2021_margins_hold_at_the_line(kz2021: Ballot, options: dict[str, str]) -> None:
    result = margins(kz2021, build_system("kz-mazhilis-2021", **options))
    _check(result)
    by = {m.party: m for m in result.lists}
    assert all(m.to_gain_seat is not None for m in result.lists)
    if not options:
        assert result.allocation.seats == {"QHP": 10, "NO": 76, "AUYL": 0, "AJ": 12, "ADAL": 0}
        assert by["AUYL"].to_threshold is not None and by["NO"].to_threshold is None
        # 7% of valid votes that grow with the added votes: 100·(383,023 + x) >= 7·(7,241,562 + x)
        x = by["AUYL"].to_threshold
        assert 100 * (383_023 + x) >= 7 * (7_241_562 + x) > 100 * (383_022 + x)
        assert result.closest is not None and result.closest.votes == min(
            t.votes for t in result.transfers if t.votes is not None)


def test_registered_base_does_not_move_with_added_votes(kz2021: Ballot) -> None:
    result = margins(kz2021, build_system("kz-mazhilis-2021", threshold_base="registered"))
    auyl = next(m for m in result.lists if m.party == "AUYL")
    # 7% of the 11,919,241 registered voters, a fixed line: 834,347 votes.
    assert auyl.to_threshold == 834_347 - 383_023


def _random_system(rng: random.Random) -> System:
    method = rng.choice(["hare", "hare", "droop", "hagenbach-bischoff", "dhondt", "sainte-lague"])
    share = rng.choice([Fraction(7, 100), Fraction(5, 100), Fraction(1, 10), Fraction(1, 5)])
    threshold = rng.choice([None, Threshold(share=share, inclusive=rng.random() < 0.7,
                                            base=rng.choice(["valid", "valid", "ballots_cast", "registered"]))])
    runner = RunnerUp(Fraction(7, 10), 2) if rng.random() < 0.4 else None
    tier = ListTier(seats=rng.choice([3, 5, 7, 10]), method=method, threshold=threshold, runner_up=runner)
    return System("small", tier)


def _brute_first(ballot: Ballot, system: System, votes_of: object, limit: int, yes: object) -> int | None:
    for x in range(1, limit + 1):
        votes, added = votes_of(x)  # type: ignore[operator]
        if yes(_alloc(ballot, system, votes, added)):  # type: ignore[operator]
            return x
    return None


@pytest.mark.slow
def test_margins_equal_brute_force_on_small_elections() -> None:
    rng = random.Random(6)
    cases = 0
    while cases < 120:
        k = rng.randint(2, 5)
        votes = [rng.randint(0, 60) for _ in range(k)]
        cast = sum(votes) + rng.randint(0, 10)
        parties = tuple(Party(f"L{i}", v, "list", i + 1) for i, v in enumerate(votes))
        ballot = Ballot(parties, ballots_cast=cast, registered=cast + rng.randint(0, 400))
        system = _random_system(rng)
        try:
            result = margins(ballot, system)
        except AllocationError:
            continue
        cases += 1
        base = result.allocation.seats
        cap = (ballot.registered or 0) - cast
        for m in result.lists:
            i = ballot.names.index(m.party)

            def add(x: int, i: int = i, b: Ballot = ballot) -> tuple[list[int], int]:
                return _added(b, i, x), x

            def take(x: int, i: int = i, b: Ballot = ballot) -> tuple[list[int], int]:
                return _added(b, i, -x), -x

            name, have = m.party, m.seats
            assert m.to_gain_seat == _brute_first(
                ballot, system, add, cap, lambda a, n=name, h=have: a is not None and a.seats[n] > h), (system, ballot)
            if not m.passed and system.lists.threshold is not None:
                assert m.to_threshold == _brute_first(
                    ballot, system, add, cap, lambda a, n=name: a is not None and a.line(n).passed)
            if have:
                assert m.to_lose_seat == _brute_first(
                    ballot, system, take, m.votes, lambda a, n=name, h=have: a is None or a.seats[n] < h)
        for t in result.transfers:
            j, k2 = ballot.names.index(t.source), ballot.names.index(t.target)

            def move(x: int, j: int = j, k2: int = k2, b: Ballot = ballot) -> tuple[list[int], int]:
                v = [p.votes for p in b.parties]
                v[j] -= x
                v[k2] += x
                return v, 0

            assert t.votes == _brute_first(ballot, system, move, votes[j],
                                           lambda a, s=base: a is None or a.seats != s), (system, ballot, t)


def test_lot_ties_are_refused() -> None:
    ballot = Ballot((Party("A", 10, registration_order=1), Party("B", 10, registration_order=2)))
    with pytest.raises(InputError, match="tie rule"):
        margins(ballot, build_system("hare", seats=3, tie="lot"))


def test_cli_json(kz2021: Ballot, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    margins_command.register(parser.add_subparsers())
    args = parser.parse_args(["margins", "--election", "kz-2021", "--format", "json"])
    assert args.run(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["seats"] == {"QHP": 10, "NO": 76, "AUYL": 0, "AJ": 12, "ADAL": 0}
    auyl = next(x for x in data["lists"] if x["party"] == "AUYL")
    assert auyl["to_threshold"] == auyl["to_gain_seat"] and auyl["seats_if_gained"] == 7
    args = parser.parse_args(["margins", "--election", "kz-2021"])
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("party") and "closest:" in out

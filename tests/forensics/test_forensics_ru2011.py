"""The real 2011 Duma station protocols: the count checked against plain fractions, and the known findings."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from saylau.analysis.forensics.data import StationData
from saylau.analysis.forensics.integer_percent import integer_percent
from saylau.analysis.forensics.turnout_share import turnout_share
from saylau.formats.ru_cik import read_ru_cik


@pytest.fixture(scope="module")
def ru2011(ru2011_zip: Path) -> StationData:
    return StationData.from_batch(read_ru_cik(ru2011_zip))


def _whole(k: int, n: int, top: int) -> bool:
    value = Fraction(100 * k, n)
    return abs(value - round(value)) <= Fraction(1, 20) and value <= top


@pytest.mark.slow
@pytest.mark.parametrize("cap_99", [False, True])
def test_integer_percent_count_matches_plain_fractions(ru2011: StationData, cap_99: bool) -> None:
    assert len(ru2011) == 95225
    leader = ru2011.party_index(None)
    assert ru2011.party_codes[leader] == "6"  # United Russia, ballot number 6
    top = Fraction(99 if cap_99 else 100, 100)
    expected_used = expected_hits = 0
    for voters, issued, found, votes in zip(ru2011.voters.tolist(), ru2011.issued.tolist(),
                                            ru2011.found.tolist(), ru2011.votes[:, leader].tolist(), strict=True):
        if voters < 100 or found == 0 or Fraction(issued, voters) > top or Fraction(votes, found) > top:
            continue
        expected_used += 1
        expected_hits += _whole(issued, voters, 100 * top) or _whole(votes, found, 100 * top)
    result = integer_percent(ru2011, reps=200, seed=2011, cap_99=cap_99)
    assert result.cap_99 is cap_99
    assert result.stations_used == expected_used
    assert result.observed == expected_hits
    # Kobak et al. found a significant excess in 2011, concentrated in a few regions.
    assert result.alarm
    assert result.excess > 5 * result.null_sd
    assert result.regions[0].excess > 5 * result.regions[0].null_sd


@pytest.mark.slow
def test_turnout_share_fingerprint_of_2011(ru2011: StationData) -> None:
    result = turnout_share(ru2011)
    assert result.stations_used == 95224  # one station with no ballot found is left out
    assert result.party_votes == int(ru2011.votes[:, 5].sum())
    assert result.correlation > 0.5
    assert result.turnout_hist.argmax() == 999  # the pile of stations at 100% turnout

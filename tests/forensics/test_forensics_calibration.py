"""The digit tests state a false-positive rate only where it is measured: here, on simulated clean elections.

A clean election counts ballots binomially (saylau.analysis.forensics.synthetic). At the stated level the
calibrated test (binomial null) alarms on such elections no more often than the level allows, within Monte
Carlo error; the comparison with the law itself alarms far more often, which is why it states no rate.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from saylau.analysis.forensics.data import StationData
from saylau.analysis.forensics.digit_null import binomial_digit_frequencies, digit_of
from saylau.analysis.forensics.digits import digit_test
from saylau.analysis.forensics.synthetic import clean_election

NULLS = 60
LEVEL = 0.05


def _clean(seed: int) -> StationData:
    # Station sizes like a real federal election's (100 to 3,000 on the list), shares varying by station.
    return clean_election(4000, seed, voters=(100, 3000))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["second-digit", "last-digit"])
def test_binomial_null_alarms_at_its_stated_rate_on_clean_elections(kind: str) -> None:
    alarms = 0
    p_values = []
    for seed in range(NULLS):
        (result,) = digit_test(_clean(seed), kind, "P1", reps=20, seed=seed, alpha=LEVEL)  # type: ignore[arg-type]
        assert result.false_positive_rate == LEVEL
        alarms += result.alarm
        p_values.append(result.p_value)
    # No more alarms than the stated level allows, within Monte Carlo error (the binomial 99.95% bound).
    # The test is somewhat conservative (docs/forensics.md gives the measured rates), never liberal:
    # p-values of clean elections sit at or above the uniform's median.
    assert alarms <= binom.ppf(0.9995, NULLS, LEVEL)
    assert np.median(p_values) > 0.4


@pytest.mark.slow
def test_the_law_itself_alarms_on_clean_second_digits_and_states_no_rate() -> None:
    alarms = 0
    for seed in range(10):
        (result,) = digit_test(_clean(seed), "second-digit", "P1", reps=20, seed=seed, alpha=LEVEL, null="law")
        assert result.false_positive_rate is None
        assert result.to_dict()["false_positive_rate"] is None
        alarms += result.alarm
    assert alarms >= 8  # honest binomial counts are not Benford-distributed at station scale


def test_binomial_frequencies_equal_the_exact_sum_for_one_station() -> None:
    n, count, floor = 240, 97, 10
    ks = np.arange(floor, n + 1)
    pmf = binom.pmf(ks, n, count / n)
    for kind in ("second-digit", "last-digit"):
        reference = np.bincount(digit_of(ks, kind), weights=pmf, minlength=10)  # type: ignore[arg-type]
        freq, mass = binomial_digit_frequencies(np.array([count]), np.array([n]), kind, floor)  # type: ignore[arg-type]
        assert mass == pytest.approx(reference.sum(), abs=1e-12)
        assert freq == pytest.approx(reference / reference.sum(), abs=1e-12)


def test_degenerate_shares_resample_to_themselves() -> None:
    # 0 votes stays 0 (below the floor: no digit); all 150 votes stay 150 (second digit 5, last digit 0).
    freq, mass = binomial_digit_frequencies(np.array([0, 150]), np.array([300, 150]), "second-digit", 10)
    assert mass == 1.0 and freq.tolist() == [0, 0, 0, 0, 0, 1.0, 0, 0, 0, 0]


def test_invented_last_digits_are_detected() -> None:
    clean = _clean(3)
    votes = clean.votes.copy()
    rng = np.random.default_rng(3)
    chosen = rng.choice(len(clean), size=len(clean) // 5, replace=False)
    votes[chosen, 0] = np.round(votes[chosen, 0], -1)  # a fifth of the protocols written as round tens
    edited = StationData(station_ids=clean.station_ids, regions=clean.regions, voters=clean.voters,
                         issued=clean.issued, valid=clean.valid, invalid=clean.invalid, votes=votes,
                         party_codes=clean.party_codes, party_names=clean.party_names)
    (before,) = digit_test(clean, "last-digit", "P1", reps=20, seed=1, alpha=0.001)
    (after,) = digit_test(edited, "last-digit", "P1", reps=20, seed=1, alpha=0.001)
    assert not before.alarm
    assert after.alarm

"""The tests on synthetic elections with known truth: quiet on clean counts, loud on manipulated ones."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from saylau.analysis.forensics.data import StationData
from saylau.analysis.forensics.digits import digit_test
from saylau.analysis.forensics.integer_percent import integer_percent
from saylau.analysis.forensics.klimek import klimek_fit
from saylau.analysis.forensics.synthetic import (
    clean_election,
    round_to_integer_percent,
    stuff_ballots,
)
from saylau.analysis.forensics.turnout_share import turnout_share


def _alarm_bound(rate: float, trials: int = 100) -> int:
    """Alarms that clean data exceeds with probability below 1e-4 at the stated false-positive rate."""
    return int(binom.ppf(1 - 1e-4, trials, rate))


@pytest.mark.slow
def test_integer_percent_clean_elections_stay_within_the_false_positive_rate() -> None:
    alarms = 0
    rate = 0.0
    for seed in range(100):
        result = integer_percent(clean_election(2000, seed), reps=200, seed=seed)
        alarms += result.alarm
        rate = result.false_positive_rate
    assert rate == pytest.approx(1 / 201)
    assert alarms <= _alarm_bound(rate)


@pytest.mark.slow
def test_last_digit_clean_elections_stay_within_the_false_positive_rate() -> None:
    alarms = 0
    for seed in range(100):
        (result,) = digit_test(clean_election(2000, seed), "last-digit", "P1", reps=200, seed=seed, alpha=0.01)
        alarms += result.alarm
    assert alarms <= _alarm_bound(0.01)


def test_two_percent_rounded_stations_are_detected() -> None:
    clean = clean_election(20000, 7)
    rounded, chosen = round_to_integer_percent(clean, 0.02, 8)
    assert chosen.size == 400
    before = integer_percent(clean, reps=300, seed=1)
    after = integer_percent(rounded, reps=300, seed=1)
    assert not before.alarm
    assert after.alarm
    # About 19% of the rewritten stations were whole already: the excess is most of the other 81%.
    assert after.excess > 250
    assert after.observed - before.observed >= 0.75 * chosen.size


def test_excess_points_at_the_region_that_rounded() -> None:
    clean = clean_election(20000, 11, regions=8)
    in_r3 = np.flatnonzero(clean.regions == "R3")
    rounded, _ = round_to_integer_percent(clean.select(clean.regions == "R3"), 0.15, 12)
    merged = clean.select(np.ones(len(clean), dtype=bool))
    merged.issued[in_r3] = rounded.issued
    merged.valid[in_r3] = rounded.valid
    merged.votes[in_r3] = rounded.votes
    result = integer_percent(merged, reps=300, seed=2)
    assert result.regions[0].region == "R3"
    assert result.regions[0].excess > 4 * result.regions[0].null_sd
    assert all(abs(r.excess) < 4 * r.null_sd for r in result.regions[1:])


def test_exact_null_matches_drawing_the_binomial_counts() -> None:
    data = clean_election(3000, 5, voters=(100, 3000))
    exact = integer_percent(data, reps=400, seed=1)
    drawn = integer_percent(data, reps=400, seed=2, method="draw")
    assert exact.observed == drawn.observed
    assert exact.null_mean == pytest.approx(exact.expected, abs=4 * exact.null_sd / 20)
    assert abs(exact.null_mean - drawn.null_mean) < 4 * np.hypot(exact.null_sd, drawn.null_sd) / 20
    assert drawn.null_sd == pytest.approx(exact.null_sd, rel=0.25)


def test_resampling_is_reproducible_from_the_recorded_seed() -> None:
    data = clean_election(1500, 3)
    first = integer_percent(data, reps=50)
    again = integer_percent(data, reps=50, seed=first.seed)
    assert np.array_equal(first.null_counts, again.null_counts)
    assert first.to_dict()["seed"] == first.seed


def test_ballot_stuffing_is_found_by_the_model_fit() -> None:
    clean = clean_election(10000, 21)
    stuffed, _ = stuff_ballots(clean, 0.12, 22, extreme=0.03)
    honest = klimek_fit(clean, replicates=2, seed=1)
    fit = klimek_fit(stuffed, replicates=2, seed=1)
    assert not honest.alarm
    assert fit.alarm
    assert fit.f_incremental + fit.f_extreme > 0.08
    assert fit.f_extreme >= 0.01
    assert fit.distance_fit < 0.7 * fit.distance_clean
    assert fit.to_dict()["model_based"] is True


@pytest.mark.slow
def test_model_fit_is_quiet_on_clean_elections() -> None:
    fits = [klimek_fit(clean_election(10000, 300 + seed), replicates=2, seed=seed) for seed in range(8)]
    assert sum(f.alarm for f in fits) == 0
    assert max(f.f_extreme for f in fits) < 0.01


def test_ballot_stuffing_shows_in_turnout_share() -> None:
    clean = clean_election(10000, 31)
    stuffed, chosen = stuff_ballots(clean, 0.1, 32, extreme=0.03)
    before = turnout_share(clean)
    after = turnout_share(stuffed)
    assert abs(before.correlation) < 0.1
    assert after.correlation > 0.3
    assert after.turnout_overall > before.turnout_overall
    assert after.hist2d.sum() == before.hist2d.sum() == 10000
    # Stuffed stations leave the bulk for the high-turnout, high-share corner of the histogram.
    high = after.hist2d[65:, 50:].sum() - before.hist2d[65:, 50:].sum()
    assert high > 0.5 * chosen.size


def test_turnout_share_fine_histograms_count_every_station_once() -> None:
    data = StationData.from_arrays(voters=[1000, 1000, 1000, 2000], issued=[500, 501, 1000, 1001],
                                   valid=[500, 501, 1000, 1001], invalid=[0, 0, 0, 0],
                                   votes=[[250, 250], [300, 201], [990, 10], [1001, 0]], party_codes=["A", "B"])
    result = turnout_share(data, "A")
    # 50.0% and 50.05% share bin 500 (0.1-point bins start at whole tenths), 50.1% is 501, 100% the last.
    assert np.flatnonzero(result.turnout_hist).tolist() == [500, 501, 999]
    assert result.turnout_hist[[500, 501, 999]].tolist() == [2, 1, 1]
    assert np.flatnonzero(result.share_hist).tolist() == [500, 598, 990, 999]  # 300/501 = 59.88%
    assert result.high_corner_stations == 1 and result.high_corner_votes == 990


def _counts_data(counts: np.ndarray) -> StationData:
    n = counts.size
    return StationData.from_arrays(voters=counts * 2, issued=counts, valid=counts, invalid=np.zeros(n, int),
                                   votes=counts[:, None], party_codes=["A"])


def test_second_digit_is_quiet_on_benford_counts_and_loud_on_forced_digits() -> None:
    # The law's own reading: these counts are drawn from Benford's law, not from binomial counts.
    rng = np.random.default_rng(4)
    counts = np.floor(10 ** rng.uniform(2, 6, 20000)).astype(np.int64)  # log-uniform over 4 decades
    (benford,) = digit_test(_counts_data(counts), "second-digit", reps=300, seed=1, null="law")
    assert not benford.alarm
    assert benford.mean_ci[0] <= 4.187 <= benford.mean_ci[1]
    forced = counts.copy()
    pick = rng.random(counts.size) < 0.1
    forced[pick] = (forced[pick] // 10 ** (np.floor(np.log10(forced[pick])) - 1).astype(np.int64)) // 10 * 10 \
        * 10 ** (np.floor(np.log10(forced[pick])) - 1).astype(np.int64)  # second digit set to 0
    (bent,) = digit_test(_counts_data(forced), "second-digit", reps=300, seed=1, null="law")
    assert bent.counts[0] > benford.counts[0]
    assert bent.alarm
    assert bent.mean_ci[1] < 4.187


def test_last_digit_is_quiet_on_uniform_digits_and_loud_on_heaping() -> None:
    # The law's own reading: uniform counts, not binomial ones.
    rng = np.random.default_rng(6)
    counts = rng.integers(100, 5000, 20000)
    (uniform,) = digit_test(_counts_data(counts), "last-digit", reps=300, seed=1, null="law")
    assert not uniform.alarm
    assert uniform.mean_ci[0] <= 4.5 <= uniform.mean_ci[1]
    heaped = counts.copy()
    pick = rng.random(counts.size) < 0.05
    heaped[pick] = np.rint(heaped[pick] / 10).astype(np.int64) * 10
    (result,) = digit_test(_counts_data(heaped), "last-digit", reps=300, seed=1, null="law")
    assert result.alarm
    assert result.counts[0] > 1.3 * uniform.counts[0]

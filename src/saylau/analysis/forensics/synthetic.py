"""Synthetic elections with known truth, to validate the tests: clean, rounded, stuffed.

A clean election draws each station's turnout and the lists' preferences from
smooth distributions and then counts ballots binomially, as an honest count
would produce. The two manipulations are the ones the tests target: writing
whole-number percentages into some protocols, and stuffing ballots for the leader.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from saylau.analysis.forensics.data import StationData

__all__ = ["clean_election", "round_to_integer_percent", "stuff_ballots"]


def clean_election(
    stations: int,
    rng: np.random.Generator | int | None = None,
    *,
    voters: tuple[int, int] = (1000, 3000),
    turnout: tuple[float, float] = (0.6, 0.08),
    shares: tuple[float, ...] = (0.45, 0.3, 0.15, 0.1),
    spread: float = 50.0,
    invalid_rate: float = 0.02,
    regions: int = 10,
) -> StationData:
    """An honest election: turnout ~ Normal(mean, sd) clipped, preferences ~ Dirichlet(spread·shares), binomial counts."""
    rng = np.random.default_rng(rng)
    n = rng.integers(voters[0], voters[1] + 1, stations)
    t = np.clip(rng.normal(turnout[0], turnout[1], stations), 0.05, 0.98)
    issued = rng.binomial(n, t)
    invalid = rng.binomial(issued, invalid_rate)
    valid = issued - invalid
    preference = rng.dirichlet(np.asarray(shares) * spread, stations)
    votes = rng.multinomial(valid, preference)
    codes = [f"P{i + 1}" for i in range(len(shares))]
    return StationData.from_arrays(
        voters=n, issued=issued, valid=valid, invalid=invalid, votes=votes, party_codes=codes,
        station_ids=[f"S{i + 1}" for i in range(stations)],
        regions=[f"R{i % regions + 1}" for i in range(stations)],
    )


def round_to_integer_percent(
    data: StationData, fraction: float, rng: np.random.Generator | int | None = None, *, party: int = 0,
) -> tuple[StationData, np.ndarray]:
    """Rewrite ``fraction`` of the stations so that turnout and ``party``'s share are whole percentages.

    Turnout becomes the nearest whole percentage of the list (issued ballots
    rewritten); the party's votes become the nearest whole percentage of the
    ballots found, the other lists keeping theirs. Returns the new data and the
    indices of the rewritten stations.
    """
    rng = np.random.default_rng(rng)
    chosen = rng.choice(len(data), size=round(fraction * len(data)), replace=False)
    issued = data.issued.copy()
    invalid = data.invalid.copy()
    votes = data.votes.copy()
    n = data.voters[chosen]
    target_turnout = np.rint(100 * data.issued[chosen] / n)
    issued[chosen] = np.rint(target_turnout * n / 100).astype(np.int64)
    others = votes[chosen].sum(axis=1) - votes[chosen, party]
    # The party's votes x must make x / (x + others + invalid) a whole percentage m: x = m·rest / (100 - m).
    rest = others + invalid[chosen]
    share = votes[chosen, party] / np.maximum(votes[chosen].sum(axis=1) + invalid[chosen], 1)
    m = np.clip(np.rint(100 * share), 1, 98)
    votes[chosen, party] = np.rint(m * rest / (100 - m)).astype(np.int64)
    valid = votes.sum(axis=1)
    # Keep the protocol consistent: what was found in the boxes was issued.
    issued = np.maximum(issued, valid + invalid)
    return _replace(data, issued=issued, valid=valid, invalid=invalid, votes=votes), np.sort(chosen)


def stuff_ballots(
    data: StationData,
    fraction: float,
    rng: np.random.Generator | int | None = None,
    *,
    party: int = 0,
    extreme: float = 0.0,
    intensity: tuple[float, float] = (0.2, 0.6),
) -> tuple[StationData, np.ndarray]:
    """Add ballots for ``party`` at ``fraction`` of the stations (and near-total stuffing at ``extreme``).

    At an incremental station a share x ~ Uniform(intensity) of the voters who
    stayed away are added as ballots for ``party``; at an extreme station
    x ~ Uniform(0.9, 1). Returns the new data and the stuffed stations.
    """
    rng = np.random.default_rng(rng)
    count = round((fraction + extreme) * len(data))
    chosen = rng.choice(len(data), size=count, replace=False)
    x = rng.uniform(intensity[0], intensity[1], count)
    n_extreme = round(extreme * len(data))
    x[:n_extreme] = rng.uniform(0.9, 1.0, n_extreme)
    issued = data.issued.copy()
    valid = data.valid.copy()
    votes = data.votes.copy()
    added = np.floor(x * (data.voters[chosen] - issued[chosen])).astype(np.int64)
    issued[chosen] += added
    valid[chosen] += added
    votes[chosen, party] += added
    return _replace(data, issued=issued, valid=valid, votes=votes), np.sort(chosen)


def _replace(data: StationData, **columns: np.ndarray) -> StationData:
    return dataclasses.replace(data, **columns)  # type: ignore[arg-type]

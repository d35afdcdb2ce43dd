"""Excess of whole-number percentages (Kobak, Shpilkin & Pshenichnikov, Ann. Appl. Stat. 10(1), 2016).

People who write results instead of counting them favour round numbers. Among
stations with at least 100 voters on the list, the test counts those whose
turnout (ballots issued / voters on the list) or leader share (leader votes /
ballots of the voters who took part: valid + invalid found in the boxes) lies
within 0.05 points of a whole percentage, inclusive, decided in exact integer
arithmetic. The null distribution of that count comes from binomial resampling
of each station's counts with the denominators kept: the issued ballots ~
Binomial(voters on the list, observed turnout) and the leader's votes ~
Binomial(ballots found, observed share), independently. (These are the
Russian CEC's definitions, which the paper uses; an election whose ruleset
defines turnout or shares otherwise is read with its own, see
``StationData.definitions``.)

As the paper counts them, 100% is a whole percentage like any other: a station
at 100% turnout or share is selected and is a hit, and a resampled value of
100% is a hit. ``cap_99=True`` gives the older, capped reading (stations above
99% left out, and a resampled value above 99% not a hit); it removes the
stations that resample to 100% with certainty from both sides but also drops
the hits near 100% from the null only, so it overstates the excess
(docs/forensics-ru-2011.md gives the difference on the 2011 file).

Only the event "the resampled value is a whole percentage" matters, so the
default method computes its exact probability under that binomial for each
station (sums of binomial CDFs over the 0.1-point windows) and then draws the
1,000 resampled indicators from it: the same null distribution as drawing the
counts themselves (``method="draw"``, kept for checking), at a fraction of the
cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from saylau.analysis.forensics.common import DISCLAIMER, resolve_seed, within_integer_percent
from saylau.analysis.forensics.data import StationData
from saylau.errors import InputError

__all__ = ["IntegerPercentResult", "RegionExcess", "hit_probability", "integer_percent", "selection_mask"]

MIN_VOTERS = 100
_CHUNK = 64  # resamplings per block: bounds memory at 64 x stations floats


@dataclass(frozen=True, slots=True)
class RegionExcess:
    """One region's share of the count."""

    region: str
    stations: int
    observed: int
    null_mean: float
    null_sd: float

    @property
    def excess(self) -> float:
        return self.observed - self.null_mean

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.region, "stations": self.stations, "observed": self.observed,
                "null_mean": self.null_mean, "excess": self.excess, "null_sd": self.null_sd}


@dataclass(frozen=True, eq=False)
class IntegerPercentResult:
    """Observed count of whole-number percentages against its binomial null distribution."""

    party: str
    stations_total: int
    stations_used: int
    observed: int
    observed_turnout: int
    observed_share: int
    null_counts: np.ndarray
    expected: float
    """Exact mean of the null distribution (sum of the stations' hit probabilities)."""
    regions: tuple[RegionExcess, ...]
    reps: int
    seed: int
    method: str
    cap_99: bool = False
    """True for the capped reading (stations above 99% left out; see the module docstring)."""

    @property
    def null_mean(self) -> float:
        return float(self.null_counts.mean())

    @property
    def null_sd(self) -> float:
        return float(self.null_counts.std(ddof=1)) if self.reps > 1 else 0.0

    @property
    def null_q999(self) -> float:
        return float(np.quantile(self.null_counts, 0.999))

    @property
    def excess(self) -> float:
        return self.observed - self.null_mean

    @property
    def p_value(self) -> float:
        """Monte Carlo p-value: (1 + resamplings at least as high as observed) / (reps + 1)."""
        return float((1 + np.count_nonzero(self.null_counts >= self.observed)) / (self.reps + 1))

    @property
    def alarm(self) -> bool:
        """True when the observed count exceeds the null's 99.9% quantile."""
        return bool(self.observed > self.null_q999)

    @property
    def false_positive_rate(self) -> float:
        """The alarm's nominal rate on clean data: 0.1%, or 1/(reps+1) when reps are too few to resolve it."""
        return max(0.001, 1 / (self.reps + 1))

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": "integer-percent",
            "disclaimer": DISCLAIMER,
            "party": self.party,
            "stations_total": self.stations_total,
            "stations_used": self.stations_used,
            "observed": self.observed,
            "observed_turnout": self.observed_turnout,
            "observed_share": self.observed_share,
            "null_mean": self.null_mean,
            "expected": self.expected,
            "excess": self.excess,
            "null_sd": self.null_sd,
            "null_q999": self.null_q999,
            "p_value": self.p_value,
            "alarm": self.alarm,
            "false_positive_rate": self.false_positive_rate,
            "reps": self.reps,
            "seed": self.seed,
            "method": self.method,
            "cap_99": self.cap_99,
            "regions": [r.to_dict() for r in self.regions],
        }


def selection_mask(voters: np.ndarray, issued: np.ndarray, leader: np.ndarray, found: np.ndarray,
                   *, cap_99: bool = False) -> np.ndarray:
    """Stations the test uses: >= 100 on the list and both shares defined and at most 100%.

    With ``cap_99`` the shares must be at most 99% (exact cross-products either way).
    """
    top = 99 if cap_99 else 100
    return ((voters >= MIN_VOTERS) & (found > 0)
            & (100 * issued <= top * voters) & (100 * leader <= top * found))


def integer_percent(
    data: StationData,
    party: str | None = None,
    *,
    reps: int = 1000,
    seed: int | None = None,
    method: Literal["exact", "draw"] = "exact",
    cap_99: bool = False,
) -> IntegerPercentResult:
    """Kobak et al.'s integer-percentage test on ``data`` for ``party`` (default: the leading list).

    ``reps`` binomial resamplings make the null distribution; ``seed`` (recorded
    in the result) makes them reproducible. ``cap_99`` selects the capped reading.
    """
    if reps < 1:
        raise InputError("the number of resamplings must be at least 1", field="reps", value=reps)
    seed, rng = resolve_seed(seed)
    j = data.party_index(party)
    leader_all = data.votes[:, j]
    found_all = data.share_base
    mask = selection_mask(data.voters, data.turnout_count, leader_all, found_all, cap_99=cap_99)
    labels, codes_all = data.region_codes()
    order = np.argsort(codes_all[mask], kind="stable")  # stations grouped by region, for per-region sums
    voters = data.voters[mask][order]
    issued = data.turnout_count[mask][order]
    found = found_all[mask][order]
    leader = leader_all[mask][order]
    codes = codes_all[mask][order]

    hit_turnout = _is_hit(issued, voters, cap_99)
    hit_share = _is_hit(leader, found, cap_99)
    hits = hit_turnout | hit_share
    present, starts = np.unique(codes, return_index=True)

    if method == "exact":
        q_turnout = hit_probability(issued, voters, cap_99=cap_99)
        q_share = hit_probability(leader, found, cap_99=cap_99)
        q = 1 - (1 - q_turnout) * (1 - q_share)
        region_null = _sample_indicators(q, starts, reps, rng)
        expected = float(q.sum())
    elif method == "draw":
        region_null = _sample_counts(voters, issued, found, leader, starts, reps, rng, cap_99)
        expected = float("nan")
    else:
        raise InputError("method must be 'exact' or 'draw'", field="method", value=method)

    observed_by_region = np.add.reduceat(hits.astype(np.int64), starts) if hits.size else np.zeros(0, np.int64)
    sizes = np.diff(np.append(starts, hits.size))
    regions = tuple(
        RegionExcess(
            region=str(labels[code]), stations=int(size), observed=int(obs),
            null_mean=float(region_null[:, i].mean()),
            null_sd=float(region_null[:, i].std(ddof=1)) if reps > 1 else 0.0,
        )
        for i, (code, size, obs) in enumerate(zip(present, sizes, observed_by_region, strict=True))
    )
    return IntegerPercentResult(
        party=data.party_label(j),
        stations_total=len(data),
        stations_used=int(mask.sum()),
        observed=int(hits.sum()),
        observed_turnout=int(hit_turnout.sum()),
        observed_share=int(hit_share.sum()),
        null_counts=region_null.sum(axis=1),
        expected=expected,
        regions=tuple(sorted(regions, key=lambda r: -r.excess)),
        reps=reps,
        seed=seed,
        method=method,
        cap_99=cap_99,
    )


def _is_hit(numerator: np.ndarray, denominator: np.ndarray, cap_99: bool = False) -> np.ndarray:
    """Within 0.05 points of a whole percentage (with ``cap_99``: and not above 99%, the selection's bound)."""
    hit = within_integer_percent(numerator, denominator)
    return hit & (100 * numerator <= 99 * denominator) if cap_99 else hit


def hit_probability(count: np.ndarray, n: np.ndarray, *, cap_99: bool = False) -> np.ndarray:
    """P(X is a hit) for X ~ Binomial(n, count/n), one station per element.

    A hit is ``100·X/n`` within 0.05 points of a whole percentage m (0..100):
    X in [ceil((20m-1)n/2000), floor((20m+1)n/2000)], capped at n (or, with
    ``cap_99``, m runs to 99 and X is capped at floor(99n/100)). The probability is the sum of the binomial probabilities of
    those counts. Windows further than 7 standard deviations plus 10 counts
    from the observed value are skipped: even for the skewed binomials of
    small stations their mass is far below 1e-9.
    """
    from scipy.special import gammaln  # type: ignore[import-untyped]

    count = np.asarray(count, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    q = np.zeros(count.shape, dtype=np.float64)
    # A share of 0 or 1 resamples to itself: the hit is certain or impossible.
    fixed = (count == 0) | (count == n)
    q[fixed] = _is_hit(count[fixed], n[fixed], cap_99)
    rows = np.flatnonzero(~fixed)
    n_r = n[rows].astype(np.float64)
    p = count[rows] / n_r
    spread = np.ceil(100 * (7 * np.sqrt(n_r * p * (1 - p)) + 10) / n_r).astype(np.int64) + 1
    width = 2 * spread + 1
    # Every (station, whole percentage m) window near the observed value, flattened.
    station = np.repeat(np.arange(rows.size), width)
    first = np.rint(100 * p).astype(np.int64) - spread
    m = (first[station] + np.arange(station.size) - np.repeat(np.cumsum(width) - width, width)).astype(np.float64)
    nn = n_r[station]
    # Float bounds are exact here: (20m±1)·n is a whole number far below 2^53, and a quotient that
    # is not whole lies at least 1/2000 from the nearest whole number, far beyond rounding error.
    top = 99 if cap_99 else 100
    lo = np.maximum(np.ceil((20 * m - 1) * nn / 2000), 0)
    hi = np.minimum(np.floor((20 * m + 1) * nn / 2000), np.floor(top * nn / 100))
    size = np.where((m >= 0) & (m <= top) & (hi >= lo), hi - lo + 1, 0).astype(np.int64)
    # Every count inside a window (most windows hold one or two), flattened again.
    window = np.repeat(np.arange(size.size), size)
    k = lo[window] + (np.arange(window.size) - np.repeat(np.cumsum(size) - size, size))
    owner = station[window]
    n_k = n_r[owner]
    log_pmf = (gammaln(n_r + 1)[owner] - gammaln(k + 1) - gammaln(n_k - k + 1)
               + k * np.log(p)[owner] + (n_k - k) * np.log1p(-p)[owner])
    q[rows] = np.bincount(owner, weights=np.exp(log_pmf), minlength=rows.size)
    return np.clip(q, 0.0, 1.0)


def _sample_indicators(q: np.ndarray, starts: np.ndarray, reps: int, rng: np.random.Generator) -> np.ndarray:
    """Null hit counts per region (reps x regions) from the stations' exact hit probabilities."""
    out = np.zeros((reps, len(starts)), dtype=np.int64)
    if q.size == 0:
        return out
    q32 = q.astype(np.float32)  # float32 uniforms halve the cost; 1e-7 on a probability changes nothing
    for first in range(0, reps, _CHUNK):
        block = min(_CHUNK, reps - first)
        hits = rng.random((block, q.size), dtype=np.float32) < q32
        out[first:first + block] = np.add.reduceat(hits, starts, axis=1, dtype=np.int64)
    return out


def _sample_counts(voters: np.ndarray, issued: np.ndarray, found: np.ndarray, leader: np.ndarray,
                   starts: np.ndarray, reps: int, rng: np.random.Generator, cap_99: bool) -> np.ndarray:
    """Null hit counts per region by drawing the binomial counts themselves (slow; for checking)."""
    out = np.zeros((reps, len(starts)), dtype=np.int64)
    if voters.size == 0:
        return out
    p_turnout = issued / voters
    p_share = leader / found
    for first in range(0, reps, _CHUNK):
        block = min(_CHUNK, reps - first)
        issued_r = rng.binomial(voters, p_turnout, size=(block, voters.size))
        leader_r = rng.binomial(found, p_share, size=(block, voters.size))
        hits = _is_hit(issued_r, voters, cap_99) | _is_hit(leader_r, found, cap_99)
        out[first:first + block] = np.add.reduceat(hits, starts, axis=1, dtype=np.int64)
    return out

"""A model-based fit of ballot stuffing (after Klimek, Yegorov, Hanel & Thurner, PNAS 109(41), 2012).

The model (a documented simplification of the paper's):

* every station keeps its observed number of voters on the list N;
* fair part: turnout t ~ Normal(mu_t, sd_t) and the list's share
  s ~ Normal(mu_s, sd_s), both clipped to [0, 1]; ballots cast ~ Binomial(N, t),
  the list's votes ~ Binomial(cast, s);
* with probability f_i a station has *incremental* fraud: a share
  x ~ |Normal(0, sigma_x)| (at most 1) of those who stayed away is added as
  ballots for the list;
* with probability f_e it has *extreme* fraud: x = 1 - |Normal(0, 0.05)|, nearly
  everyone who stayed away "votes" for the list.

(The paper also moves a share of the other lists' votes to the winner; this fit
models stuffing only.) The fair parameters come from the observed stations at
and below the peak of each distribution (stuffing only pushes stations up):
the peak gives the mean, a lower quantile the spread, less the binomial noise. Then
f_i, f_e (steps of 0.5 points) and sigma_x (a small grid) are chosen to
minimise the squared distance between the observed and the simulated 2-D
histograms of (turnout, share), 2-point bins. Every combination is scored on
the same simulated stations (common random numbers): each station draws one
uniform u and is extreme when u < f_e, incremental when u < f_e + f_i; so the
histogram of any (f_i, f_e) is a difference of cumulative histograms over u,
and the whole grid costs little more than one simulation.

The result is model-based: it says how much stuffing *this model* needs to look
like the data, not how much fraud took place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from saylau.analysis.forensics.common import DISCLAIMER, percent_bins, resolve_seed
from saylau.analysis.forensics.data import StationData
from saylau.errors import InputError

__all__ = ["KlimekResult", "klimek_fit"]

BINS = 50
STEPS = 200  # f_i and f_e in steps of 1/200 = 0.5 points
MAX_EXTREME = 40  # f_e up to 20%
SIGMA_X = (0.2, 0.3, 0.5)  # smaller stuffing is indistinguishable from a wider fair cloud
EXTREME_SD = 0.05
ALARM_INCREMENTAL = 0.10
ALARM_EXTREME = 0.01
MODEL_NOTE = ("model-based: the fraud fractions a simplified Klimek et al. (2012) ballot-stuffing model needs "
              "to reproduce the turnout/share histogram; not a measurement of fraud")


@dataclass(frozen=True, eq=False)
class KlimekResult:
    """Fitted fractions of stations with incremental (f_i) and extreme (f_e) stuffing, model-based."""

    party: str
    stations_used: int
    f_incremental: float
    f_extreme: float
    sigma_x: float
    fair: tuple[float, float, float, float]
    """(mu_t, sd_t, mu_s, sd_s) of the fair part."""
    distance_fit: float
    distance_clean: float
    """Distance of the same model with f_i = f_e = 0."""
    replicate_fits: np.ndarray
    """(f_i, f_e) fitted on each simulated replicate alone: the simulation's own spread."""
    replicates: int
    seed: int
    observed_hist: np.ndarray
    """Share of stations by (turnout, share) bin, ``BINS`` x ``BINS``."""
    fitted_hist: np.ndarray
    """The same for the fitted model."""
    clean_hist: np.ndarray
    """The same for the model without fraud (f_i = f_e = 0)."""

    @property
    def alarm(self) -> bool:
        """True when the fit needs f_i >= 10% or f_e >= 1% of stations stuffed (a heuristic rule; see docs)."""
        return bool(self.f_incremental >= ALARM_INCREMENTAL or self.f_extreme >= ALARM_EXTREME)

    def to_dict(self) -> dict[str, Any]:
        spread = self.replicate_fits.std(axis=0, ddof=1) if self.replicates > 1 else np.zeros(2)
        return {
            "test": "klimek", "disclaimer": DISCLAIMER, "model_based": True, "note": MODEL_NOTE,
            "party": self.party, "stations_used": self.stations_used,
            "f_incremental": self.f_incremental, "f_extreme": self.f_extreme, "sigma_x": self.sigma_x,
            "f_incremental_sd": float(spread[0]), "f_extreme_sd": float(spread[1]),
            "fair": dict(zip(("turnout_mean", "turnout_sd", "share_mean", "share_sd"), self.fair, strict=True)),
            "distance_fit": self.distance_fit, "distance_clean": self.distance_clean,
            "alarm": self.alarm, "alarm_rule": f"f_i >= {ALARM_INCREMENTAL} or f_e >= {ALARM_EXTREME}",
            "replicates": self.replicates, "seed": self.seed,
        }


def klimek_fit(data: StationData, party: str | None = None, *, replicates: int = 4,
               seed: int | None = None) -> KlimekResult:
    """Fit f_i and f_e of the stuffing model to ``party``'s turnout/share histogram (default: leading list)."""
    if replicates < 1:
        raise InputError("the fit needs at least one simulated replicate", field="reps", value=replicates)
    seed, rng = resolve_seed(seed)
    j = data.party_index(party)
    votes = data.votes[:, j]
    found, issued = data.share_base, data.turnout_count
    mask = (data.voters > 0) & (found > 0) & (issued <= data.voters) & (votes <= found)
    if mask.sum() < 10:
        raise InputError("the fit needs at least 10 stations with voters and ballots", field="stations",
                         value=int(mask.sum()))
    voters, issued, votes, found = data.voters[mask], issued[mask], votes[mask], found[mask]
    observed = _hist(issued, voters, votes, found) / voters.size
    fair = (*_fair(issued / voters, voters), *_fair(votes / found, found))
    cumulative = [_cumulative(voters, fair, rng) for _ in range(replicates)]
    mean_cumulative = {sx: sum(c[sx] for c in cumulative) / replicates for sx in cumulative[0]}
    best = _best(mean_cumulative, observed, voters.size)
    per_replicate = np.array([_best(c, observed, voters.size)[:2] for c in cumulative])
    a, e = round(best[1] * STEPS), round((best[0] + best[1]) * STEPS)
    mc = mean_cumulative
    fitted = mc["extreme"][a] + mc[best[2]][e] - mc[best[2]][a] + mc["clean"][STEPS] - mc["clean"][e]
    return KlimekResult(
        party=data.party_label(j), stations_used=int(voters.size),
        f_incremental=float(best[0]), f_extreme=float(best[1]), sigma_x=float(best[2]), fair=(float(fair[0]), float(fair[1]), float(fair[2]), float(fair[3])),
        distance_fit=best[3], distance_clean=best[4], replicate_fits=per_replicate,
        replicates=replicates, seed=seed, observed_hist=observed.reshape(BINS, BINS),
        fitted_hist=(fitted / voters.size).reshape(BINS, BINS),
        clean_hist=(mc["clean"][STEPS] / voters.size).reshape(BINS, BINS),
    )


def _hist(cast: np.ndarray, voters: np.ndarray, votes: np.ndarray, found: np.ndarray) -> np.ndarray:
    cell = percent_bins(cast, voters, BINS) * BINS + percent_bins(votes, found, BINS)
    return np.bincount(cell, minlength=BINS * BINS).astype(np.float64)


def _fair(x: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Mean and spread of the fair part of ``x`` (shares of ``n``), from the stations below its peak.

    Stuffing only moves stations up, so the peak (the mode of a smoothed
    histogram) and the stations below it are clean. A normal fair part with
    a share F of all stations below its mean puts 10% of its own stations,
    0.2·F of all, below mean - 1.2816 sd. The binomial noise, which the
    simulation adds again, is taken out of the spread.
    """
    counts = np.bincount(np.minimum((x * 200).astype(np.int64), 199), minlength=200).astype(np.float64)
    kernel = np.exp(-0.5 * (np.arange(-24, 25) / 8) ** 2)  # Gaussian, sd 4 points: a steady peak
    mode = (np.argmax(np.convolve(counts, kernel, mode="same")) + 0.5) / 200
    below = float(np.mean(x < mode))
    if below == 0:
        return float(mode), 0.005
    q10 = float(np.quantile(x, 0.2 * below))
    spread2 = ((mode - q10) / 1.2815515655446004) ** 2
    noise2 = float(np.mean(x * (1 - x) / n))
    return float(mode), float(np.sqrt(max(spread2 - noise2, 0.005 ** 2)))


def _cumulative(voters: np.ndarray, fair: tuple[float, ...], rng: np.random.Generator) -> dict[Any, Any]:
    """One simulated replicate: cumulative (over u) histograms of the clean, incremental and extreme versions."""
    mu_t, sd_t, mu_s, sd_s = fair
    size = voters.size
    t = np.clip(rng.normal(mu_t, sd_t, size), 0, 1)
    s = np.clip(rng.normal(mu_s, sd_s, size), 0, 1)
    cast = rng.binomial(voters, t)
    votes = rng.binomial(cast, s)
    bucket = np.minimum((rng.random(size) * STEPS).astype(np.int64), STEPS - 1)
    magnitude = np.abs(rng.normal(0, 1, size))
    extreme_x = np.clip(1 - EXTREME_SD * np.abs(rng.normal(0, 1, size)), 0, 1)

    def version(x: np.ndarray) -> np.ndarray:
        added = np.floor(x * (voters - cast)).astype(np.int64)
        cell = percent_bins(cast + added, voters, BINS) * BINS + percent_bins(votes + added, cast + added, BINS)
        per_bucket = np.bincount(bucket * BINS * BINS + cell, minlength=STEPS * BINS * BINS)
        return np.vstack([np.zeros(BINS * BINS), np.cumsum(per_bucket.reshape(STEPS, -1), axis=0)])

    out: dict[Any, Any] = {"clean": version(np.zeros(size)), "extreme": version(extreme_x)}
    for sx in SIGMA_X:
        out[sx] = version(np.minimum(sx * magnitude, 1))
    return out


def _best(cum: dict[Any, np.ndarray], observed: np.ndarray, size: int) -> tuple[float, float, float, float, float]:
    """(f_i, f_e, sigma_x, distance, distance at f_i = f_e = 0) minimising the squared histogram distance.

    With e = a + c the model histogram is V[a] + W[e], V[a] = extreme[a] -
    incremental[a] + clean[all] and W[e] = incremental[e] - clean[e]; so
    |V[a] + W[e] - O|^2 = |V[a] - O|^2 + 2 (V[a] - O).W[e] + |W[e]|^2 for the
    whole grid at once, one matrix product per sigma_x.
    """
    clean, extreme = cum["clean"], cum["extreme"]
    target = observed * size
    distance_clean = float(((clean[STEPS] - target) ** 2).sum()) / size ** 2
    best = (0.0, 0.0, SIGMA_X[0], distance_clean)
    a = np.arange(MAX_EXTREME + 1)
    e = np.arange(STEPS + 1)
    allowed = e[None, :] >= a[:, None]
    for sx in SIGMA_X:
        incremental = cum[sx]
        v = extreme[a] - incremental[a] + clean[STEPS] - target
        w = incremental - clean
        distance = ((v ** 2).sum(axis=1)[:, None] + 2 * v @ w.T + (w ** 2).sum(axis=1)[None, :]) / size ** 2
        distance = np.where(allowed, distance, np.inf)
        ia, ie = np.unravel_index(int(np.argmin(distance)), distance.shape)
        if distance[ia, ie] < best[3]:
            best = ((ie - ia) / STEPS, ia / STEPS, sx, float(distance[ia, ie]))
    return (*best, distance_clean)

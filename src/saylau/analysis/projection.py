"""Seat projections from polls: chances of passing the threshold, seat ranges, majorities.

From a :class:`~saylau.analysis.polls.PollAverage` to seat distributions:

* **Lines.** With a ballot (an election), the lists on it, in registration
  order (ties go to the list registered earlier). Without one, the parties
  the polls report, in column order, which then stands in for registration
  order.
* **Others and undecided.** Poll shares rarely add up to 100%. ``renormalise``
  (the default) divides the listed parties' shares by their sum: the
  undecided are assumed to split like the decided, and anything else is
  taken to be invalid votes, outside the threshold base. ``bucket`` keeps the
  rest as an "others" line that counts in the valid votes (so in a valid-vote
  threshold base) but never takes seats. Poll columns not on the ballot go
  to the rest either way.
* **Sampling error.** A poll average of effective sample size ``n`` (see
  :mod:`saylau.analysis.simulate`). Polls rarely publish sample sizes (none
  of the 2021 polls did); the default assumes 1,000 respondents per poll and
  combines the polls like a weighted sample: ``n = 1000 × (Σw)² / Σw²``.
  This is sampling error only: house effects and late swings are not
  modelled, so real errors can be larger.
* **Majority.** More than half of the whole house, appointed seats included
  (the Mazhilis: 54 of 107; the 9 seats of the Assembly of People belong to
  no list); also reported for the list seats alone (50 of 98).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from saylau.analysis.polls import PollAverage
from saylau.analysis.simulate import Draws, simulate
from saylau.core import Party, System
from saylau.errors import InputError

__all__ = ["DEFAULT_RESPONDENTS", "OTHERS", "ListProjection", "Projection", "plot_projection", "project"]

#: Respondents assumed per poll when polls publish no sample size.
DEFAULT_RESPONDENTS = 1000
#: The name of the line that holds everyone not on the ballot (``bucket``).
OTHERS = "others"
Others = Literal["renormalise", "bucket"]


@dataclass(frozen=True, slots=True)
class ListProjection:
    """One list's projected seats over every simulated election."""

    party: str
    share: float
    """Expected share of the votes simulated (percent)."""
    p_pass: float
    mean: float
    median: int
    low: int
    high: int
    """The 90% interval: 5th and 95th percentiles of the seats."""
    p_majority: float
    p_list_majority: float
    distribution: dict[int, float]
    """P(seats = s) for every s that occurred."""


@dataclass(frozen=True, slots=True)
class Projection:
    """A projection's inputs, per-list results and the draws themselves."""

    average: PollAverage
    system: System
    parties: tuple[Party, ...]
    shares: tuple[float, ...]
    others: str
    draws: Draws
    lists: tuple[ListProjection, ...]
    majority: int
    list_majority: int
    actual: Mapping[str, int] = field(default_factory=dict)

    @property
    def p_no_result(self) -> float:
        return float(1 - self.draws.ok.mean())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record: inputs, assumptions and every list's figures."""
        d = self.draws
        return {
            "system": self.system.name,
            "house": self.system.total_seats,
            "list_seats": self.system.lists.seats,
            "majority": self.majority,
            "list_majority": self.list_majority,
            "sims": d.sims,
            "seed": d.seed,
            "chunk": d.chunk,
            "n_eff": d.n_eff,
            "votes_cast": d.votes_cast,
            "others": self.others,
            "as_of": self.average.as_of.isoformat(),
            "half_life_days": self.average.half_life,
            "polls": [{"date": p.date.isoformat(), "pollster": p.pollster, "kind": p.kind, "weight": round(w, 6)}
                      for p, w in zip(self.average.polls, self.average.weights, strict=True)],
            "average": {k: round(v, 4) for k, v in self.average.shares.items()},
            "p_no_result": self.p_no_result,
            "fallback_rows": d.fallback,
            "lists": [{"party": x.party, "share": round(x.share, 4), "p_pass": x.p_pass, "mean": round(x.mean, 4),
                       "median": x.median, "interval_90": [x.low, x.high], "p_majority": x.p_majority,
                       "p_list_majority": x.p_list_majority,
                       "distribution": {str(k): v for k, v in sorted(x.distribution.items())},
                       "actual": self.actual.get(x.party)} for x in self.lists],
        }


def _lines(average: PollAverage, ballot: Sequence[Party] | None, others: Others) -> tuple[list[Party], list[float]]:
    if ballot is None:
        names = list(average.shares)
        lines = [Party(n, 0, "list", i) for i, n in enumerate(names, start=1)]
    else:
        lines = [Party(p.name, 0, p.kind, p.registration_order, p.candidates) for p in ballot if p.kind == "list"]
        missing = [p.name for p in lines if p.name not in average.shares]
        if missing:
            raise InputError(f"no poll reports {', '.join(missing)}: the polls' columns must name the ballot's lists",
                             field="party", value=missing[0])
    raw = [average.shares.get(p.name, 0.0) / 100 for p in lines]
    listed = sum(raw)
    if listed <= 0:
        raise InputError("the polls give no share to any list", field="shares")
    if others == "renormalise":
        return lines, [r / listed for r in raw]
    if others != "bucket":
        raise InputError("others must be 'renormalise' or 'bucket'", field="others", value=others)
    rest = max(0.0, 1.0 - listed)
    order = max((p.registration_order or 0) for p in lines) + 1
    total = listed + rest
    return [*lines, Party(OTHERS, 0, "against_all", order)], [r / total for r in [*raw, rest]]


def project(
    average: PollAverage,
    system: System,
    *,
    ballot: Sequence[Party] | None = None,
    n_eff: float | None = None,
    votes_cast: int = 1_000_000,
    sims: int = 10_000,
    seed: int | None = None,
    others: Others = "renormalise",
    scheduler: str | None = None,
    actual: Mapping[str, int] | None = None,
) -> Projection:
    """Simulate ``sims`` elections from the poll average and summarise every list's seats."""
    import numpy as np

    threshold = system.lists.threshold
    if threshold is not None and threshold.share is not None and threshold.base != "valid":
        raise InputError("projections simulate valid votes only: use a threshold of valid votes",
                         field="threshold_base", value=threshold.base)
    lines, shares = _lines(average, ballot, others)
    if n_eff is None:
        n_eff = DEFAULT_RESPONDENTS * average.kish_factor
    draws = simulate(shares, lines, system, n_eff=n_eff, votes_cast=votes_cast, sims=sims, seed=seed,
                     scheduler=scheduler)
    house = system.total_seats
    majority = house // 2 + 1
    list_majority = system.lists.seats // 2 + 1
    ok = draws.ok
    seats = draws.seats[ok]
    out = []
    for j, party in enumerate(lines):
        if party.kind != "list":
            continue
        s = seats[:, j]
        if s.size:
            counts = np.bincount(s)
            dist = {int(k): float(c / s.size) for k, c in enumerate(counts) if c}
            low, median, high = (int(np.quantile(s, q, method="inverted_cdf")) for q in (0.05, 0.5, 0.95))
            mean = float(s.mean())
            p_major, p_list = float((s >= majority).mean()), float((s >= list_majority).mean())
        else:
            dist, low, median, high, mean, p_major, p_list = {}, 0, 0, 0, 0.0, 0.0, 0.0
        out.append(ListProjection(party.name, 100 * shares[j], float(draws.passed[:, j].mean()), mean, median,
                                  low, high, p_major, p_list, dist))
    return Projection(average, system, tuple(lines), tuple(shares), others, draws, tuple(out), majority,
                      list_majority, dict(actual or {}))


def plot_projection(projection: Projection, path: str | Path, *, labels: Mapping[str, str] | None = None) -> None:
    """Draw each list's seat distribution (90% interval shaded, actual result marked) to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    lists = projection.lists
    fig, axes = plt.subplots(len(lists), 1, figsize=(7, 1.5 + 1.3 * len(lists)), squeeze=False)
    for ax, x in zip(axes[:, 0], lists, strict=True):
        ks = sorted(x.distribution)
        ax.bar(ks, [x.distribution[k] for k in ks], width=0.9,
               color=["#1f77b4" if x.low <= k <= x.high else "#aec7e8" for k in ks])
        name = (labels or {}).get(x.party, x.party)
        ax.set_title(f"{name}: median {x.median}, 90% {x.low}–{x.high}, P(pass) {x.p_pass:.0%}",
                     fontsize=9, loc="left")
        if x.party in projection.actual:
            ax.axvline(projection.actual[x.party], color="#d62728", linestyle="--", linewidth=1.2,
                       label=f"actual {projection.actual[x.party]}")
            ax.legend(fontsize=8, loc="upper right", frameon=False)
        marks = [*ks, *([projection.actual[x.party]] if x.party in projection.actual else [])]
        lo, hi = min(marks), max(marks)
        pad = max(1, (8 - (hi - lo)) // 2)
        ax.set_xlim(max(lo - pad, 0) - 0.5, hi + pad + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("P", fontsize=8)
        ax.tick_params(labelsize=8)
    axes[-1, 0].set_xlabel("seats")
    d = projection.draws
    fig.suptitle(f"{projection.system.name}: {d.sims:,} simulated elections (seed {d.seed}, n≈{d.n_eff:,.0f})",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)

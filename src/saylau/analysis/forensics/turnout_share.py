"""Turnout against the leading list's share: the election "fingerprint" (Klimek et al., PNAS 2012).

In an honest count the stations form one roughly round cloud; ballot stuffing
drags a tail toward 100% turnout and 100% share, and written-in results pile
up on whole and round percentages. This module computes the histograms
(2-D, and 1-D at 0.1-point bins, by exact integer division) and a few summary
figures; it draws nothing (see ``plots``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from saylau.analysis.forensics.common import DISCLAIMER, percent_bins
from saylau.analysis.forensics.data import StationData
from saylau.errors import InputError

__all__ = ["TurnoutShareResult", "turnout_share"]

FINE_BINS = 1000  # 0.1-point bins over 0..100%


@dataclass(frozen=True, eq=False)
class TurnoutShareResult:
    """Histograms of turnout and share, and summary figures (turnout and shares as the data's definitions say)."""

    party: str
    stations_total: int
    stations_used: int
    hist2d: np.ndarray
    """Stations by (turnout bin, share bin), ``bins2d`` equal bins each."""
    turnout_hist: np.ndarray
    """Stations by turnout, 0.1-point bins (bin i covers [i/10, (i+1)/10) %, 100% in the last)."""
    share_hist: np.ndarray
    weighted_hist2d: np.ndarray
    """Votes for the list by (turnout bin, share bin): where its votes come from."""
    turnout_overall: float
    share_overall: float
    correlation: float
    """Pearson correlation of station turnout and share (near 0 or negative in clean data)."""
    high_corner_stations: int
    """Stations with turnout >= 90% and share >= 90%."""
    high_corner_votes: int
    """The list's votes at those stations."""
    party_votes: int
    integer_peak_ratio_turnout: float
    integer_peak_ratio_share: float

    def to_dict(self, *, histograms: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "test": "turnout-share", "disclaimer": DISCLAIMER, "party": self.party,
            "stations_total": self.stations_total, "stations_used": self.stations_used,
            "turnout_overall": self.turnout_overall, "share_overall": self.share_overall,
            "correlation": self.correlation, "high_corner_stations": self.high_corner_stations,
            "high_corner_votes": self.high_corner_votes, "party_votes": self.party_votes,
            "integer_peak_ratio_turnout": self.integer_peak_ratio_turnout,
            "integer_peak_ratio_share": self.integer_peak_ratio_share,
        }
        if histograms:
            out["turnout_hist_0_1"] = self.turnout_hist.tolist()
            out["share_hist_0_1"] = self.share_hist.tolist()
            out["hist2d"] = self.hist2d.tolist()
        return out


def turnout_share(data: StationData, party: str | None = None, *, bins2d: int = 100) -> TurnoutShareResult:
    """Histograms of turnout (issued / on the list) against ``party``'s share of ballots found.

    Stations with nobody on the list, no ballot found, or more ballots issued
    than voters on the list are left out (``stations_used`` says how many remain).
    """
    if bins2d < 1:
        raise InputError("the 2-D histogram needs at least one bin", field="bins2d", value=bins2d)
    j = data.party_index(party)
    votes = data.votes[:, j]
    found, issued = data.share_base, data.turnout_count
    mask = (data.voters > 0) & (found > 0) & (issued <= data.voters) & (votes <= found)
    voters, issued, found, votes = data.voters[mask], issued[mask], found[mask], votes[mask]
    t_fine = percent_bins(issued, voters, FINE_BINS)
    s_fine = percent_bins(votes, found, FINE_BINS)
    t_bin = percent_bins(issued, voters, bins2d)
    s_bin = percent_bins(votes, found, bins2d)
    cells = bins2d * bins2d
    hist2d = np.bincount(t_bin * bins2d + s_bin, minlength=cells).reshape(bins2d, bins2d)
    weighted = np.bincount(t_bin * bins2d + s_bin, weights=votes, minlength=cells).reshape(bins2d, bins2d)
    turnout = issued / voters
    share = votes / found
    corner = (10 * issued >= 9 * voters) & (10 * votes >= 9 * found)
    return TurnoutShareResult(
        party=data.party_label(j),
        stations_total=len(data),
        stations_used=int(mask.sum()),
        hist2d=hist2d,
        turnout_hist=np.bincount(t_fine, minlength=FINE_BINS),
        share_hist=np.bincount(s_fine, minlength=FINE_BINS),
        weighted_hist2d=weighted.astype(np.int64),
        turnout_overall=float(issued.sum() / voters.sum()) if voters.size else float("nan"),
        share_overall=float(votes.sum() / found.sum()) if found.size else float("nan"),
        correlation=_correlation(turnout, share),
        high_corner_stations=int(corner.sum()),
        high_corner_votes=int(votes[corner].sum()),
        party_votes=int(votes.sum()),
        integer_peak_ratio_turnout=_integer_peak_ratio(np.bincount(t_fine, minlength=FINE_BINS)),
        integer_peak_ratio_share=_integer_peak_ratio(np.bincount(s_fine, minlength=FINE_BINS)),
    )


def _correlation(x: np.ndarray, y: np.ndarray) -> float:
    if x.size < 2 or x.std() == 0 or y.std() == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def _integer_peak_ratio(fine: np.ndarray) -> float:
    """Mean count of the 0.1-point bins that start on a whole percentage over the mean of the other bins.

    About 1 when whole percentages are not favoured. Only 20-95% is used, where
    most stations lie and small-denominator artefacts are weakest.
    """
    window = fine[200:950].reshape(-1, 10)
    others = window[:, 1:].mean()
    return float(window[:, 0].mean() / others) if others > 0 else float("nan")

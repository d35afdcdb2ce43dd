"""Plain-text tables of forensic results; every table ends with the caveat."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from saylau.analysis.forensics.common import DISCLAIMER
from saylau.analysis.forensics.digits import DigitResult
from saylau.analysis.forensics.integer_percent import IntegerPercentResult
from saylau.analysis.forensics.klimek import MODEL_NOTE, KlimekResult
from saylau.analysis.forensics.turnout_share import TurnoutShareResult
from saylau.rules.definitions import Definitions

__all__ = ["render_table"]

Result = IntegerPercentResult | TurnoutShareResult | KlimekResult | Sequence[DigitResult]


def render_table(result: Result, *, top_regions: int = 15, definitions: Definitions | None = None) -> str:
    """A human-readable table of ``result``, ending with the diagnostics-not-proof caveat.

    ``definitions`` (what turnout and a share are) are named under the table when given.
    """
    if isinstance(result, IntegerPercentResult):
        body = _integer_percent(result, top_regions)
    elif isinstance(result, TurnoutShareResult):
        body = _turnout_share(result)
    elif isinstance(result, KlimekResult):
        body = _klimek(result)
    else:
        body = _digits(list(result))
    named = ([f"Definitions: {definitions.turnout_label()}; shares are {definitions.share_label()}."]
             if definitions is not None and not isinstance(result, list) else [])
    return "\n".join([*body, *named, "", f"Note: {DISCLAIMER}", ""])


def _alarm(flag: bool, rule: str) -> str:
    return f"ALARM ({rule})" if flag else f"no alarm ({rule})"


def _integer_percent(r: IntegerPercentResult, top: int) -> list[str]:
    sd = r.null_sd
    z = r.excess / sd if sd > 0 else float("nan")
    lines = [
        "Integer percentages (Kobak, Shpilkin & Pshenichnikov 2016)",
        f"list: {r.party}",
        f"stations: {r.stations_total:,}; used {r.stations_used:,} (>= 100 on the list, turnout and share "
        f"<= {99 if r.cap_99 else 100}%{'; the capped reading' if r.cap_99 else ''})",
        f"observed within 0.05 points of a whole percentage: {r.observed:,} "
        f"(turnout {r.observed_turnout:,}, share {r.observed_share:,})",
        f"null ({r.reps:,} binomial resamplings, seed {r.seed}): mean {r.null_mean:,.1f}, sd {sd:,.1f}, "
        f"99.9% quantile {r.null_q999:,.1f}",
        f"excess: {r.excess:+,.1f} ({z:+.1f} sd); Monte Carlo p = {r.p_value:.4g}",
        _alarm(r.alarm, f"observed above the null's 99.9% quantile; false-positive rate "
                        f"{r.false_positive_rate:.2%}"),
        "",
        f"Excess by region (largest {min(top, len(r.regions))} of {len(r.regions)}):",
    ]
    rows = [("region", "stations", "observed", "null mean", "excess", "null sd")]
    for g in r.regions[:top]:
        rows.append((g.region, f"{g.stations:,}", f"{g.observed:,}", f"{g.null_mean:,.1f}", f"{g.excess:+,.1f}",
                     f"{g.null_sd:,.1f}"))
    return lines + _grid(rows)


def _turnout_share(r: TurnoutShareResult) -> list[str]:
    peak_t = _peaks(r.turnout_hist)
    peak_s = _peaks(r.share_hist)
    return [
        "Turnout against the list's share (the election fingerprint)",
        f"list: {r.party}",
        f"stations: {r.stations_total:,}; used {r.stations_used:,}",
        f"overall turnout {r.turnout_overall:.2%}; list's share {r.share_overall:.2%}",
        f"station correlation of turnout and share: {r.correlation:+.3f} (near 0 or negative in clean counts)",
        f"stations with turnout >= 90% and share >= 90%: {r.high_corner_stations:,}, holding "
        f"{r.high_corner_votes:,} of the list's {r.party_votes:,} votes",
        f"whole-percentage bins over the others (0.1-point bins, 20-95%): turnout "
        f"{r.integer_peak_ratio_turnout:.2f}, share {r.integer_peak_ratio_share:.2f} (about 1 when none is favoured)",
        f"highest 0.1-point turnout bins: {peak_t}",
        f"highest 0.1-point share bins:   {peak_s}",
        "Use --format json for the histograms and --plot FILE for the figure.",
    ]


def _peaks(fine: Any, count: int = 5) -> str:
    order = fine.argsort()[::-1][:count]
    return ", ".join(f"{i / 10:.1f}% ({int(fine[i]):,})" for i in order)


def _klimek(r: KlimekResult) -> list[str]:
    d = r.to_dict()
    mu_t, sd_t, mu_s, sd_s = r.fair
    return [
        "Ballot-stuffing model fit (after Klimek, Yegorov, Hanel & Thurner 2012) — MODEL-BASED",
        f"list: {r.party}; stations used {r.stations_used:,}",
        f"incremental fraud f_i = {r.f_incremental:.3f} (sd over replicates {d['f_incremental_sd']:.3f}), "
        f"stuffing scale sigma_x = {r.sigma_x}",
        f"extreme fraud     f_e = {r.f_extreme:.3f} (sd over replicates {d['f_extreme_sd']:.3f})",
        f"fair part: turnout {mu_t:.3f} ± {sd_t:.3f}, share {mu_s:.3f} ± {sd_s:.3f}",
        f"histogram distance: fitted {r.distance_fit:.3g}, without fraud {r.distance_clean:.3g}",
        f"{r.replicates} simulated replicates, seed {r.seed}",
        _alarm(r.alarm, d["alarm_rule"] + "; a heuristic rule"),
        f"This is {MODEL_NOTE}.",
    ]


def _digits(results: list[DigitResult]) -> list[str]:
    if not results:
        return ["no list to test"]
    first = results[0]
    title = ("Second-digit test (Mebane's 2BL; Benford's mean 4.187)" if first.test == "second-digit"
             else "Last-digit test (uniform mean 4.5)")
    if first.null == "binomial":
        against = ("digits compared with clean binomial counts of the same stations (each count drawn from "
                   f"Binomial(valid ballots, its share)); false-positive rate at most {first.alpha:g}, measured "
                   "on simulated clean elections")
    else:
        against = ("digits compared with the law itself; honest counts need not follow it, so no "
                   "false-positive rate is stated")
    lines = [title, against,
             f"counts >= {first.min_count}; 95% bootstrap intervals ({first.reps:,} resamplings, "
             f"seed {first.seed}); alarm when the chi-square p-value < {first.alpha:g}", ""]
    rows = [("list", "counts", "mean", "null mean", "mean 95% CI", "chi2 (9 df)", "chi2 95% CI", "p",
             "chi2 vs law", "alarm")]
    for r in results:
        rows.append((r.party, f"{r.n:,}", f"{r.mean:.3f}", f"{r.expected_mean:.3f}",
                     f"{r.mean_ci[0]:.3f}–{r.mean_ci[1]:.3f}", f"{r.chi2:.1f}",
                     f"{r.chi2_ci[0]:.1f}–{r.chi2_ci[1]:.1f}", f"{r.p_value:.3g}", f"{r.chi2_vs_law:.1f}",
                     "ALARM" if r.alarm else "no"))
    lines += _grid(rows)
    if first.test == "second-digit":
        lines += ["", "Honest counts need not follow Benford's law (Deckert, Myagkov & Ordeshook 2011): "
                      "read a departure together with the other tests."]
    return lines


def _grid(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out

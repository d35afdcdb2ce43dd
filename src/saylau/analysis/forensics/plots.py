"""Figures of forensic results (matplotlib, Agg backend); each carries the diagnostics-not-proof caveat."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from saylau.analysis.forensics.common import DISCLAIMER
from saylau.analysis.forensics.digits import DigitResult
from saylau.analysis.forensics.integer_percent import IntegerPercentResult
from saylau.analysis.forensics.klimek import KlimekResult
from saylau.analysis.forensics.turnout_share import TurnoutShareResult
from saylau.errors import InputError

__all__ = ["FORMATS", "plot_result"]

FORMATS = ("png", "svg", "pdf")


def plot_result(result: Any, path: str | Path, *, title: str = "") -> Path:
    """Draw ``result`` into ``path`` (PNG, SVG or PDF by extension); returns the path written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"the figure's file name must end in {', '.join('.' + f for f in FORMATS)}",
                         field="--plot", value=str(path))
    if not path.parent.is_dir():
        raise InputError("the figure's folder does not exist", field="--plot", value=str(path))
    if isinstance(result, TurnoutShareResult):
        fig, heading = _turnout_share(plt, result), "Turnout against share (a diagnostic)"
    elif isinstance(result, IntegerPercentResult):
        fig, heading = _integer_percent(plt, result), "Integer percentages (a diagnostic)"
    elif isinstance(result, KlimekResult):
        fig, heading = _klimek(plt, result), "Ballot-stuffing model fit (model-based, after Klimek et al. 2012)"
    else:
        results = list(result)
        name = "second digit (2BL)" if results and results[0].test == "second-digit" else "last digit"
        fig, heading = _digits(plt, results), f"Digit test: {name} (a diagnostic)"
    fig.suptitle(" — ".join(part for part in (title, heading) if part), fontsize=11)
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.set(rect=(0, 0.04, 1, 0.96))  # leave room for the caveat under the axes
    fig.text(0.5, 0.005, DISCLAIMER, ha="center", va="bottom", fontsize=7, wrap=True, color="#555555")
    # Write beside the target and rename, so that a failure leaves no half-written figure.
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
        temporary = Path(handle.name)
    try:
        fig.savefig(temporary, dpi=110, format=fmt)
        os.replace(temporary, path)
    finally:
        plt.close(fig)
        temporary.unlink(missing_ok=True)
    return path


def _turnout_share(plt: Any, r: TurnoutShareResult) -> Any:
    fig = plt.figure(figsize=(11, 8), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=(3, 2))
    ax = fig.add_subplot(grid[0, :])
    bins = r.hist2d.shape[0]
    image = np.ma.masked_equal(r.hist2d.T, 0)
    mesh = ax.imshow(image, origin="lower", extent=(0, 100, 0, 100), aspect="auto", cmap="viridis",
                     norm=_log_norm(image))
    fig.colorbar(mesh, ax=ax, label="stations")
    ax.set_xlabel("turnout, %")
    ax.set_ylabel(f"share of {_short(r.party, 30)}, %")
    ax.set_title(f"Turnout against share, {r.stations_used:,} stations, {100 / bins:g}-point bins")
    edges = np.arange(0, 100.1, 0.1)
    for col, hist, label in ((0, r.turnout_hist, "turnout, %"), (1, r.share_hist, "share, %")):
        axis = fig.add_subplot(grid[1, col])
        axis.stairs(hist, edges, color="#1f4e79", linewidth=0.6)
        axis.set_xlabel(label)
        axis.set_ylabel("stations per 0.1-point bin")
    return fig


def _short(label: str, width: int = 60) -> str:
    """``label`` cut to ``width`` characters, keeping a trailing ``(code)`` so that lists stay distinct."""
    if len(label) <= width:
        return label
    _, sep, code = label.rpartition(" (")
    tail = f" ({code}" if sep and code.endswith(")") else ""
    return label[: width - len(tail) - 1] + "…" + tail


def _log_norm(image: Any) -> Any:
    from matplotlib.colors import LogNorm

    top = image.max() if image.count() else 1
    return LogNorm(vmin=1, vmax=max(int(top), 2))


def _integer_percent(plt: Any, r: IntegerPercentResult) -> Any:
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained")
    left.hist(r.null_counts, bins=40, color="#9bb7d4", label=f"null ({r.reps:,} resamplings)")
    left.axvline(r.observed, color="#c0392b", linewidth=2, label=f"observed {r.observed:,}")
    left.axvline(r.null_q999, color="#555555", linestyle="--", label="null 99.9% quantile")
    left.set_xlabel("stations with a whole-number turnout or share")
    left.set_ylabel("resamplings")
    left.legend()
    left.set_title(f"Integer percentages: excess {r.excess:+,.0f}\n{_short(r.party)}", fontsize=10)
    top = r.regions[:15][::-1]
    right.barh([g.region[:38] for g in top], [g.excess for g in top],
               xerr=[2 * g.null_sd for g in top], color="#c0392b", ecolor="#555555")
    right.set_xlabel("excess over the null mean (bars: ±2 null sd)")
    right.set_title("Regions with the largest excess", fontsize=10)
    right.tick_params(axis="y", labelsize=7)
    return fig


def _klimek(plt: Any, r: KlimekResult) -> Any:
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.8), layout="constrained", sharey=True)
    panels = ((r.observed_hist, "observed"), (r.fitted_hist, f"model: f_i={r.f_incremental:.3f}, "
                                                               f"f_e={r.f_extreme:.3f}"),
              (r.clean_hist, "model without fraud"))
    top = max(h.max() for h, _ in panels)
    for ax, (hist, label) in zip(axes, panels, strict=True):
        image = np.ma.masked_less_equal(hist.T, 0)
        from matplotlib.colors import LogNorm

        ax.imshow(image, origin="lower", extent=(0, 100, 0, 100), aspect="auto", cmap="viridis",
                  norm=LogNorm(vmin=max(top * 1e-4, 1e-7), vmax=top))
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("turnout, %")
    axes[0].set_ylabel(f"share of {_short(r.party, 30)}, %")
    return fig


def _digits(plt: Any, results: Sequence[DigitResult]) -> Any:
    count = max(len(results), 1)
    cols = min(count, 4)
    rows = (count + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.8 * rows), layout="constrained", squeeze=False)
    for ax in axes.ravel()[count:]:
        ax.set_visible(False)
    for ax, r in zip(axes.ravel(), results, strict=False):
        digits = np.arange(10)
        share = r.counts / max(r.n, 1)
        ax.bar(digits, share, color="#9bb7d4", label="observed")
        clean = "clean counts" if r.null == "binomial" else "the law"
        ax.plot(digits, r.expected, "o-", color="#c0392b", markersize=3, label=clean)
        if r.null == "binomial":
            ax.plot(digits, r.law, ":", color="#555555", linewidth=1, label="the law")
        ax.set_xticks(digits)
        ax.set_title(f"{_short(r.party, 34)}\nmean {r.mean:.2f}, p={r.p_value:.2g}", fontsize=8)
    axes.ravel()[0].legend(fontsize=7)
    return fig

"""Alarm rates of the digit tests on simulated clean elections with the real 2011 stations' sizes.

Run from the repository root: ``.venv/bin/python docs/forensics_calibration.py`` (about ten minutes
on two cores); it prints the figures of the calibration table in docs/forensics-ru-2011.md (seed 2026).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from saylau.analysis.forensics import digit_test, station_data_from_file

SOURCE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ru-duma-2011-stations.csv.zip"
NULLS = 35


def main() -> None:
    data = station_data_from_file(SOURCE)
    leader = data.party_index(None)
    own_share = data.votes[:, leader] / np.maximum(data.valid, 1)
    national = np.full(len(data), data.votes[:, leader].sum() / data.valid.sum())
    rng = np.random.default_rng(2026)
    out = {}
    for model, share in (("national share", national), ("station share", own_share)):
        for kind in ("second-digit", "last-digit"):
            alarms = {level: {"binomial": 0, "law": 0} for level in (0.001, 0.05)}
            for _ in range(NULLS):
                votes = data.votes.copy()
                votes[:, leader] = rng.binomial(data.valid, share)
                clean = dataclasses.replace(data, votes=votes)
                for null in ("binomial", "law"):
                    (result,) = digit_test(clean, kind, data.party_codes[leader], reps=10, seed=1, null=null)
                    for level, counts in alarms.items():
                        counts[null] += int(result.p_value < level)
            out[f"{model} / {kind}"] = {"nulls": NULLS, **{f"alarms at {k}": v for k, v in alarms.items()}}
            print(model, kind, out[f"{model} / {kind}"], flush=True)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

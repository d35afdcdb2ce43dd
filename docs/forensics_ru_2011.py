"""Regenerate the figures and numbers of docs/forensics-ru-2011.md from the shared 2011 station file.

Run from the repository root: ``.venv/bin/python docs/forensics_ru_2011.py``.
Every random step is seeded (2011), so the numbers in the page are reproduced exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

from saylau.analysis.forensics.load import station_data_from_file
from saylau.analysis.forensics.plots import plot_result
from saylau.commands.forensics import TESTS, analyse, to_json

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / ".." / "shared" / "data" / "ru-duma-2011-stations.csv.zip"
SEED = 2011


def main() -> None:
    data = station_data_from_file(SOURCE)
    summary = {}
    for test in TESTS:
        result = analyse(data, test, seed=SEED)
        plot_result(result, ROOT / "docs" / "img" / f"forensics-{test}.png", title="Russia, State Duma 2011")
        doc = to_json(result, test)
        for key in ("hist2d", "turnout_hist_0_1", "share_hist_0_1"):
            doc.pop(key, None)
        if "regions" in doc:
            doc["regions"] = doc["regions"][:8]
        summary[test] = doc
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

"""Protocols: reading and checking the 95,225 real 2011 CEC station protocols, and synthetic kz-2021 stations.

Anchor, measured in the same run: ``pandas.read_csv`` of the same zipped file plus a
group-by-region sum of every count column (what any analysis of the file pays at
least). saylau's figure is read (every row validated) plus check (every relation of
every protocol); the target is at most 2x the anchor, i.e. a ratio >= 0.5.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import Report, fmt_seconds, per_call

RU_2011 = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ru-duma-2011-stations.csv.zip"


def run(report: Report) -> None:
    from saylau.formats.ru_cik import read_ru_cik
    from saylau.protocols import check_protocols

    if not RU_2011.is_file():
        report.figure("2011 CEC file", "skipped: ../shared/data/ru-duma-2011-stations.csv.zip absent")
    else:
        import pandas as pd

        def anchor() -> object:
            frame = pd.read_csv(RU_2011)
            return frame.groupby("region")[list(frame.columns[3:-1])].sum()

        def read() -> object:
            return read_ru_cik(RU_2011)

        def read_and_check() -> object:
            return check_protocols(read_ru_cik(RU_2011))

        batch = read_ru_cik(RU_2011)
        anchor_s = per_call(anchor, min_time=0.5, repeat=3)
        ours_s = per_call(read_and_check, min_time=0.5, repeat=3)
        report.compare("read + check 95,225 protocols (2011)", ours_s, "pandas read_csv+groupby", anchor_s, 0.5)
        report.compare("  of which read (every row validated)", per_call(read, min_time=0.5, repeat=3),
                       "pandas read_csv+groupby", anchor_s)
        report.compare("  of which check (7 relations x 95,225)", per_call(lambda: check_protocols(batch), repeat=3),
                       "pandas read_csv+groupby", anchor_s)
        python_s = per_call(lambda: read_ru_cik(RU_2011, engine="python"), min_time=0.1, repeat=1)
        report.compare("read, row-by-row reader (no pandas)", python_s, "pandas read_csv+groupby", anchor_s)

    try:
        import numpy  # noqa: F401
    except ModuleNotFoundError:
        report.figure("synthetic kz-2021 stations", "skipped: the sim extra is not installed")
        return
    from saylau.datasets.synth import synthesize

    synth_s = per_call(lambda: synthesize("kz-2021", 10060, seed=1), min_time=0.5, repeat=3)
    report.figure("synthesize 10,060 kz-2021 stations", fmt_seconds(synth_s).strip())

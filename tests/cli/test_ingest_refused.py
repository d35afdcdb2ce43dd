"""A refused ingest leaves nothing behind (issue 13 item 6)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest


def test_an_ingest_refused_for_a_huge_count_leaves_nothing_behind(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 13: a count of 2^63 passed the reader, then overflowed in the store with a traceback and left
    # a half-made election. Now the reader refuses it (file, row, field) before the store is opened.
    from saylau.cli import main

    source = tmp_path / "stations.csv"
    assert main(["synth", "kz-2021", "--stations", "30", "--seed", "2", "-o", str(source)]) == 0
    with source.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows[4][header.index("voters_on_list")] = str(2**63)
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    db = tmp_path / "s.sqlite"
    capsys.readouterr()
    code = main(["ingest", str(source), "--election", "huge", "--db", f"sqlite:///{db}"])
    err = capsys.readouterr().err
    assert code == 2 and "row 6" in err and "voters_on_list" in err and "above 10,000,000,000" in err
    assert "Traceback" not in err
    assert not db.exists()  # nothing written: no store, so no election row either

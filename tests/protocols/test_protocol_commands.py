"""The check and synth commands: exit codes and output."""

from __future__ import annotations

from pathlib import Path

import pytest
from protocol_samples import RU_2021_SAMPLE

from saylau.cli import main
from saylau.formats.protocol_files import read_protocol_file


def test_check_a_clean_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(RU_2021_SAMPLE)]) == 0
    assert "5 protocols checked against ru-duma-2021: 0 error(s), 0 warning(s)" in capsys.readouterr().out


def test_check_reports_every_failed_relation_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = RU_2021_SAMPLE.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[5] = str(int(cells[5]) - 1000)   # voters on the list below ballots issued
    cells[14] = str(int(cells[14]) + 1)    # valid no longer the sum of parties nor of the boxes
    lines[2] = ",".join(cells)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", str(path), "--format", "ru-cik"]) == 1
    out = capsys.readouterr().out
    assert out.count("Республика Адыгея (Адыгея)/1 Адыгейский/1 Адыгейская/2") == 3
    assert "list_covers_issued" in out and "boxes_are_valid_and_invalid" in out and "valid_is_party_votes" in out
    assert "row 3" in out and "3 error(s)" in out


def test_check_a_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    lines = RU_2021_SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",1210,", ",x,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "row 2" in err and "'voters_on_list'" in err and "'x'" in err


def test_synth_writes_a_checked_deterministic_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("numpy")
    first, second = tmp_path / "a.csv", tmp_path / "b.json"
    assert main(["synth", "kz-2021", "--stations", "200", "--seed", "4", "-o", str(first)]) == 0
    assert main(["synth", "kz-2021", "--stations", "200", "--seed", "4", "-o", str(second)]) == 0
    a, b = read_protocol_file(first), read_protocol_file(second)
    assert len(a) == 200 and a.table.columns == b.table.columns
    assert all(p.synthetic for p in a.protocols)
    assert main(["check", str(first)]) == 0
    assert main(["synth", "kz-2021", "--stations", "20", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") >= 21 and ",true," in out

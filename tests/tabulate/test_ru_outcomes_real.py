"""Golden tests on the CEC's station files: the official outcome from the station file alone.

Each file is ingested with ``--format ru-cik`` and ``saylau results --rules`` gives the
official result (sources of the official figures in docs/ru-rulesets.md).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from saylau.cli import main

pytestmark = pytest.mark.slow

SHARED = (Path(__file__).resolve().parents[2] / ".." / "shared").resolve()


def _results(tmp_path: Path, name: str, rules: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    path = SHARED / "data" / f"{name}-stations.csv.zip"
    if not path.is_file():
        pytest.skip(f"../shared/data/{path.name} is not available")
    db = tmp_path / "ru.sqlite"
    assert main(["ingest", str(path), "--election", name, "--db", str(db), "--format", "ru-cik"]) == 0
    capsys.readouterr()
    assert main(["results", "--election", name, "--db", str(db), "--rules", rules, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def _by_keyword(out: dict[str, Any], keywords: tuple[str, ...]) -> dict[str, int]:
    names = out["parties"]
    return {key: sum(n for code, n in out["seats"].items() if key in names[code]) for key in keywords}


def test_duma_2007_list_seats_from_the_station_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _results(tmp_path, "ru-duma-2007", "ru-duma-2007", capsys)
    seats = _by_keyword(out, ("ЕДИНАЯ РОССИЯ", "Коммунистическая", "Либерально-демократическая",
                              "СПРАВЕДЛИВАЯ РОССИЯ"))
    assert seats == {"ЕДИНАЯ РОССИЯ": 315, "Коммунистическая": 57, "Либерально-демократическая": 40,
                     "СПРАВЕДЛИВАЯ РОССИЯ": 38}
    assert sum(out["seats"].values()) == 450


def test_duma_2011_seats_turnout_and_shares_as_the_cec_defines_them(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = _results(tmp_path, "ru-duma-2011", "ru-duma-2011", capsys)
    assert _by_keyword(out, ("ЕДИНАЯ РОССИЯ", "Коммунистическая", "СПРАВЕДЛИВАЯ РОССИЯ",
                             "Либерально-демократическая")) == {
        "ЕДИНАЯ РОССИЯ": 238, "Коммунистическая": 92, "СПРАВЕДЛИВАЯ РОССИЯ": 64, "Либерально-демократическая": 56}
    t = out["totals"]
    # Turnout: ballots issued (early + in the premises + outside) over registered voters, as the CEC publishes.
    assert out["definitions"]["turnout"] == "issued" and out["turnout_percent"] == "60.21"
    assert Fraction(t["issued"], t["registered"]) > Fraction(6020, 10000)
    # Shares: of the ballots of voters who took part (valid + invalid found in the boxes).
    assert t["ballots_cast"] == t["valid"] + t["invalid"]
    er = next(code for code, name in out["parties"].items() if "ЕДИНАЯ РОССИЯ" in name)
    assert out["percent"][er] == "49.31"  # 32,371,737 / 65,648,690 in the file; the CEC's 49.32% is over its
    assert out["percent_valid"][er] == "50.10"  # national totals (docs/ru-rulesets.md), which hold 7,836 more


def test_president_2012_putin_elected_in_the_first_round(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _results(tmp_path, "ru-president-2012", "ru-president", capsys)
    putin = next(code for code, name in out["parties"].items() if name.startswith("Путин"))
    assert out["votes"][putin] == 45_602_075
    assert out["outcome"]["elected"].startswith("Путин") and out["outcome"]["code"] == putin
    assert "seats" not in out
    assert 2 * out["votes"][putin] > out["totals"]["ballots_cast"]


def test_constitution_2020_approved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _results(tmp_path, "ru-referendum-2020", "ru-constitution-2020", capsys)
    outcome = out["outcome"]
    assert outcome["approved"] is True and outcome["yes"] == 57_071_119
    assert outcome["base"] == out["totals"]["ballots_cast"]
    assert Fraction(outcome["yes_share_exact"]) == Fraction(57_071_119, out["totals"]["ballots_cast"])
    assert "seats" not in out

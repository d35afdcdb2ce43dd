"""``saylau results`` by election kind and by the ruleset's definitions: outcome, seats only where seats exist,
turnout and shares on the bases the ruleset names, labelled."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.formats.protocol_files import write_protocol_csv
from saylau.protocols import ProtocolBatch, StationProtocol, load_form
from saylau.tabulate.model import PartyInfo


def _protocol(station: str, votes: dict[str, int], invalid: int = 3) -> StationProtocol:
    valid = sum(votes.values())
    boxes = valid + invalid
    # 5 ballots issued but not found in a box at every station: issued differs from ballots cast.
    lines = {"voters_on_list": boxes + 40, "ballots_received": boxes + 15, "ballots_issued_in_premises": boxes + 4,
             "ballots_issued_outside": 1, "ballots_cancelled": 10, "ballots_in_boxes": boxes, "invalid": invalid,
             "valid": valid}
    return StationProtocol(station, "North", "T1", lines, votes)


def _ingest(tmp_path: Path, parties: tuple[PartyInfo, ...], stations: list[dict[str, int]],
            capsys: pytest.CaptureFixture[str]) -> Path:
    path, db = tmp_path / "p.csv", tmp_path / "s.sqlite"
    protocols = [_protocol(f"S{i}", votes) for i, votes in enumerate(stations)]
    write_protocol_csv(ProtocolBatch(load_form("kz-mazhilis-2021"), parties, protocols), path)
    assert main(["ingest", str(path), "--election", "x", "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def _results(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["results", "--election", "x", "--db", str(db), "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


CANDIDATES = (PartyInfo("1", "Ivanova", 1), PartyInfo("2", "Petrov", 2), PartyInfo("3", "Sidorov", 3))


@pytest.mark.parametrize(("leader", "expected"), [
    (301, {"elected": "Ivanova", "code": "1"}),   # 2 x 301 = 602 of 1,200 who took part: more than half
    (300, {"runoff": ["Ivanova", "Petrov"], "codes": ["1", "2"]}),  # exactly half: a runoff
])
def test_candidate_election_gives_an_outcome_and_no_seats(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          leader: int, expected: dict[str, object]) -> None:
    # Two stations, each 600 took part (597 valid + 3 invalid).
    stations = [{"1": leader, "2": 200, "3": 397 - leader}, {"1": leader, "2": 200, "3": 397 - leader}]
    db = _ingest(tmp_path, CANDIDATES, stations, capsys)
    out = _results(db, capsys, "--rules", "ru-president")
    assert out["kind"] == "candidate" and out["outcome"] == expected
    assert "seats" not in out and "other_seats" not in out
    # The CEC's definitions: turnout = ballots issued / registered; shares of the voters who took part.
    assert out["totals"]["issued"] == 2 * 605 and out["totals"]["ballots_cast"] == 1200
    assert out["definitions"]["turnout"] == "issued" and out["definitions"]["share_base"] == "ballots_cast"
    assert out["turnout_percent"] == "94.53"  # 1,210 / 1,280 = 94.53125%
    assert Fraction(out["percent"]["1"]) == round(Fraction(2 * leader * 100, 1200), 2)
    assert out["percent_valid"]["1"] != out["percent"]["1"]


def test_candidate_table_names_the_outcome_and_the_definitions(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = _ingest(tmp_path, CANDIDATES, [{"1": 400, "2": 100, "3": 97}], capsys)
    assert main(["results", "--election", "x", "--db", str(db), "--rules", "ru-president"]) == 0
    text = capsys.readouterr().out
    assert "outcome: Ivanova elected" in text
    assert "ballots issued (early, in the premises and outside) over registered voters" in text
    assert "% took part" in text and "seats" not in text.split("\n\n", 1)[1]


ANSWERS = (PartyInfo("yes", "ДА", 1), PartyInfo("no", "НЕТ", 2))


@pytest.mark.parametrize(("yes", "approved"), [(300, False), (301, True)])
def test_question_is_approved_by_more_than_half_of_those_who_took_part(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], yes: int, approved: bool) -> None:
    db = _ingest(tmp_path, ANSWERS, [{"yes": yes, "no": 597 - yes}], capsys)
    out = _results(db, capsys, "--rules", "ru-constitution-2020")
    outcome = out["outcome"]
    assert outcome["approved"] is approved and outcome["base"] == 600 and outcome["yes"] == yes
    assert outcome["yes_share_exact"] == str(Fraction(yes, 600))
    assert isinstance(outcome["yes_share"], float) and abs(outcome["yes_share"] - yes / 600) < 1e-6
    assert "seats" not in out
    assert main(["results", "--election", "x", "--db", str(db), "--rules", "ru-constitution-2020",
                 "--format", "markdown"]) == 0
    text = capsys.readouterr().out
    assert ("outcome: approved" if approved else "outcome: not approved") in text


PARTIES = (PartyInfo("A", "Alpha", 1), PartyInfo("B", "Beta", 2), PartyInfo("C", "Gamma", 3))


def test_duma_rules_give_seats_and_shares_of_those_who_took_part(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = _ingest(tmp_path, PARTIES, [{"A": 500, "B": 60, "C": 37}], capsys)  # 600 took part
    out = _results(db, capsys, "--rules", "ru-duma-2011")
    # B: 60 / 600 = 10% passes 7%; C: 37 / 600 = 6.17% holds two band seats (it has 6.2% of valid votes).
    assert out["seats"] == {"A": 400, "B": 48, "C": 2}
    assert out["percent"] == {"A": "83.33", "B": "10.00", "C": "6.17"}
    assert out["definitions"]["share_label"].startswith("% of voters who took part")
    csv_text = main(["results", "--election", "x", "--db", str(db), "--rules", "ru-duma-2011", "--format", "csv"])
    assert csv_text == 0
    header, first = capsys.readouterr().out.splitlines()[:2]
    assert header.endswith("issued,turnout_definition,share_base,percent")
    assert first.endswith("605,issued,ballots_cast,83.33")


def test_kazakh_results_keep_valid_votes_and_ballots_cast(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _ingest(tmp_path, PARTIES, [{"A": 500, "B": 60, "C": 37}], capsys)
    out = _results(db, capsys, "--rules", "kz-mazhilis-2021")
    assert out["definitions"]["turnout"] == "ballots_cast" and out["definitions"]["share_base"] == "valid"
    assert out["percent"] == out["percent_valid"] and out["turnout_percent"] == "93.75"  # 600 / 640
    assert "seats" in out and "outcome" not in out

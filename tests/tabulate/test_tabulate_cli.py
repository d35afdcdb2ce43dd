"""The tabulation commands end to end: ingest (all or nothing, rejects, corrections), results, load, audit-log."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.formats.protocol_files import write_protocol_csv
from saylau.protocols import ProtocolBatch, StationProtocol, load_form
from saylau.tabulate.model import PartyInfo

PARTIES = (PartyInfo("A", "Alpha", 1), PartyInfo("B", "Beta", 2), PartyInfo("C", "Gamma", 3))


def _protocol(station: str, votes: list[int], region: str = "North", **override: int) -> StationProtocol:
    valid, invalid = sum(votes), 2
    boxes = valid + invalid
    lines = {"voters_on_list": boxes + 40, "ballots_received": boxes + 10, "ballots_issued_in_premises": boxes - 1,
             "ballots_issued_outside": 1, "ballots_cancelled": 10, "ballots_in_boxes": boxes, "invalid": invalid,
             "valid": valid}
    lines.update(override)
    return StationProtocol(station, region, "T1", lines, dict(zip("ABC", votes, strict=True)))


def _write(path: Path, protocols: list[StationProtocol]) -> Path:
    write_protocol_csv(ProtocolBatch(load_form("kz-mazhilis-2021"), PARTIES, protocols), path)
    return path


def _good() -> list[StationProtocol]:
    return [_protocol(f"S{i}", [100 + i, 50 + 2 * i, 10 + i], region="North" if i % 2 else "South")
            for i in range(10)]


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM protocol_versions").fetchone()[0]  # type: ignore[no-any-return]


def test_ingest_then_results_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.sqlite"
    good = _good()
    assert main(["ingest", str(_write(tmp_path / "p.csv", good)), "--election", "x", "--db", str(db),
                 "--user", "alice"]) == 0
    assert "10 stored" in capsys.readouterr().out
    assert main(["results", "--election", "x", "--db", str(db), "--seats", "10", "--method", "hare",
                 "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    votes = {c: sum(p.votes[c] for p in good) for c in "ABC"}
    assert out["votes"] == votes
    assert out["totals"]["valid"] == sum(votes.values())
    assert out["totals"]["invalid"] == 20 and out["totals"]["ballots_cast"] == sum(votes.values()) + 20
    assert out["stations"] == {"reported": 10, "total": 10, "missing": 0, "registered_missing": None}
    # Hare, 10 seats, quota 1780/10 = 178: A 1045 -> 5 r .87, B 590 -> 3 r .31, C 145 -> 0 r .81;
    # the two seats left go to A and C.
    assert votes == {"A": 1045, "B": 590, "C": 145}
    assert out["seats"] == {"A": 6, "B": 3, "C": 1}
    assert out["percent_valid"] == {"A": "58.71", "B": "33.15", "C": "8.15"}  # 58.707.., 33.146.., 8.146..
    assert main(["results", "--election", "x", "--db", str(db), "--level", "region", "--format", "json"]) == 0
    regions = json.loads(capsys.readouterr().out)["units"]
    assert {r["unit"]["name"] for r in regions} == {"North", "South"}
    assert all(r["seats"] == {} for r in regions)  # seats only for the nation unless asked
    assert sum(r["votes"]["A"] for r in regions) == votes["A"]


def test_percent_is_exact_and_rounds_half_up() -> None:
    from saylau.core import percent_str as percent  # the one rounding helper results uses

    assert percent(1, 8) == "12.50"          # 12.5 exactly
    assert percent(12345, 100000) == "12.35"  # 12.345 -> half up
    assert percent(12344, 100000) == "12.34"
    assert percent(2, 3) == "66.67"
    assert percent(5, 0) is None


def test_one_bad_row_writes_nothing_and_names_every_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.sqlite"
    rows = _good()
    rows[3] = _protocol("S3", [1, 2, 3], valid=7)          # valid != party votes (and boxes relation)
    rows[7] = _protocol("S7", [1, 2, 3], ballots_received=5)  # ballots not accounted for
    path = _write(tmp_path / "bad.csv", rows)
    assert main(["ingest", str(path), "--election", "x", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "row 5" in err and "row 9" in err      # header is row 1: S3 is row 5, S7 row 9
    assert "valid_is_party_votes" in err and "ballots_accounted" in err
    assert not db.exists() or _count(db) == 0

    rejects = tmp_path / "rejects.csv"
    assert main(["ingest", str(path), "--election", "x", "--db", str(db), "--skip-invalid", "--rejects",
                 str(rejects)]) == 0
    assert _count(db) == 8
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "source,row,station,problems,cells"
    assert [line.split(",")[1:3] for line in lines[1:]] == [["5", "S3"], ["9", "S7"]]


def test_unreadable_cell_is_named_with_row_field_and_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "p.csv", _good())
    text = path.read_text(encoding="utf-8").splitlines()
    cells = text[2].split(",")
    cells[5] = "-4"
    text[2] = ",".join(cells)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert main(["ingest", str(path), "--election", "x", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "'-4'" in err
    assert not db.exists() or _count(db) == 0


def test_resubmission_conflict_and_correction(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.sqlite"
    good = _good()
    first = _write(tmp_path / "p.csv", good)
    assert main(["ingest", str(first), "--election", "x", "--db", str(db)]) == 0
    assert main(["ingest", str(first), "--election", "x", "--db", str(db)]) == 0
    assert "0 stored, 0 corrected, 10 unchanged" in capsys.readouterr().out
    changed = list(good)
    changed[4] = _protocol("S4", [1, 1, 1], region=good[4].region)
    second = _write(tmp_path / "q.csv", changed)
    assert main(["ingest", str(second), "--election", "x", "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("saylau: refused: 1 station(s)") and "S4" in err and "correction" in err
    assert main(["ingest", str(second), "--election", "x", "--db", str(db), "--correction"]) == 2
    assert main(["ingest", str(second), "--election", "x", "--db", str(db), "--correction", "--reason",
                 "recount ordered"]) == 0
    assert "1 corrected, 9 unchanged" in capsys.readouterr().out
    assert _count(db) == 11
    assert main(["audit-log", "verify", "--db", str(db)]) == 0


def test_audit_log_verify_fails_on_tampering(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.sqlite"
    assert main(["ingest", str(_write(tmp_path / "p.csv", _good())), "--election", "x", "--db", str(db)]) == 0
    assert main(["audit-log", "verify", "--db", str(db)]) == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 2")
    capsys.readouterr()
    assert main(["audit-log", "verify", "--db", str(db)]) == 1
    assert "entry 2" in capsys.readouterr().err


def test_audit_log_verify_names_an_edited_row_and_checks_a_published_head(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.sqlite"
    assert main(["ingest", str(_write(tmp_path / "p.csv", _good())), "--election", "x", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["audit-log", "verify", "--db", str(db)]) == 0
    head = capsys.readouterr().out.split("head ")[1].strip()
    assert len(head) == 64
    assert main(["audit-log", "verify", "--db", str(db), "--expect-head", head]) == 0
    assert main(["audit-log", "verify", "--db", str(db), "--expect-head", "f" * 64]) == 1
    assert "f" * 64 in capsys.readouterr().err
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE elections SET status = 'certified' WHERE id = 'x'")
    assert main(["audit-log", "verify", "--db", str(db)]) == 1
    assert "elections row ('x',)" in capsys.readouterr().err
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM audit_head")
    assert main(["audit-log", "verify", "--db", str(db)]) == 1
    assert "head row is missing" in capsys.readouterr().err


def test_load_kz_2021_results_match_the_official_declaration(tmp_path: Path, spec_data: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.sqlite"
    assert main(["load", "kz-2021", "--db", str(db)]) == 0
    assert main(["load", "kz-2021", "--db", str(db)]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert main(["results", "--election", "kz-2021", "--db", str(db), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["seats"] == {"QHP": 10, "NO": 76, "AUYL": 0, "AJ": 12, "ADAL": 0}
    assert out["turnout_percent"] == "63.25"
    assert out["percent_valid"]["NO"] == "71.09"
    assert out["stations"] == {"reported": 10060, "total": 10060, "missing": 0, "registered_missing": None}
    assert main(["results", "--election", "kz-2021", "--db", str(db), "--unit", "Shymkent", "--format",
                 "markdown"]) == 0
    assert "| Nur Otan | 223,027 |" in capsys.readouterr().out


def test_results_fall_back_to_the_built_in_election(tmp_path: Path, spec_data: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "absent.sqlite"
    assert main(["results", "--election", "kz-2016", "--db", str(db), "--format", "csv"]) == 0
    assert "NO,6183757" in capsys.readouterr().out.replace('"', "")
    assert not db.exists()  # reading never creates a store
    assert main(["results", "--election", "nope", "--db", str(db)]) == 2

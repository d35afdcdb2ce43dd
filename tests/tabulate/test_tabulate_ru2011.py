"""Golden test: the 95,225 real protocols of the 2011 Duma election, ingested, checked and allocated exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.formats.protocol_files import read_protocol_file
from saylau.protocols import check_protocols
from saylau.store import open_store


@pytest.mark.slow
def test_ru_2011_ingest_checks_and_seats(ru2011_zip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = read_protocol_file(ru2011_zip, "ru-cik")
    assert len(batch) == 95_225
    assert [v for v in check_protocols(batch) if v.severity == "error"] == []  # every error relation holds

    db = tmp_path / "ru.sqlite"
    assert main(["ingest", str(ru2011_zip), "--election", "ru-2011", "--db", str(db), "--format", "ru-cik"]) == 0
    assert "95225 stored" in capsys.readouterr().out
    with open_store(db) as store:
        data = store.election_data("ru-2011", level=["nation", "region"])
        nation = data.nation
        assert nation.stations_reported == 95_225 and len(data.children(nation.unit_id)) == len(set(batch.table.regions))
        sums = batch.sums()
        assert dict(nation.votes) == {p.code: sums[p.code] for p in batch.parties}
        assert nation.valid == sum(nation.votes.values())
        assert store.verify_audit_log().ok

    assert main(["results", "--election", "ru-2011", "--db", str(db), "--seats", "450", "--method", "hare",
                 "--threshold", "7%", "--threshold-base", "ballots_cast", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    names = out["parties"]
    seats = {names[code]: n for code, n in out["seats"].items() if n}
    by_keyword = {key: sum(n for name, n in seats.items() if key in name)
                  for key in ("ЕДИНАЯ РОССИЯ", "Коммунистическая", "СПРАВЕДЛИВАЯ РОССИЯ", "Либерально-демократическая")}
    assert by_keyword == {"ЕДИНАЯ РОССИЯ": 238, "Коммунистическая": 92, "СПРАВЕДЛИВАЯ РОССИЯ": 64,
                          "Либерально-демократическая": 56}
    assert sum(seats.values()) == 450 and len(seats) == 4

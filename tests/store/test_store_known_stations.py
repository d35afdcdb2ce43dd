"""Stations known without a protocol (listed without data, or rejected) are counted as missing, never as zeros;
remote electronic voting units are stations of their own, of kind ``electronic``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.formats.ru_cik import read_ru_cik
from saylau.store import Store

DATA = Path(__file__).resolve().parents[1] / "protocols" / "data"

SAMPLE_2024 = DATA / "ru-president-2024-sample.csv"
SAMPLE_2021 = DATA / "ru-duma-2021-evoting-sample.csv"


def test_stations_listed_without_data_are_known_and_not_reported(store: Store) -> None:
    batch = read_ru_cik(SAMPLE_2024)
    report = store.ingest(batch, election_id="ru-2024", user="loader")
    assert report.stored == 4 and report.unreported == 3
    assert "3 listed without data (not reported)" in report.summary()
    data = store.election_data("ru-2024")
    nation = data.nation
    assert (nation.stations_reported, nation.stations_total) == (4, 7)
    assert dict(nation.votes) == {p.code: batch.sums()[p.code] for p in batch.parties}
    assert nation.registered == batch.sums()["voters_on_list"]
    zaporozhye = next(u for u in data.units if u.level == "region" and u.name == "Запорожская область")
    assert (zaporozhye.stations_reported, zaporozhye.stations_total) == (0, 2)
    assert store.verify_audit_log().ok
    # Ingesting the same file again changes nothing.
    again = store.ingest(read_ru_cik(SAMPLE_2024), election_id="ru-2024", user="loader")
    assert (again.stored, again.unchanged) == (0, 4)
    assert store.election_data("ru-2024").nation.stations_total == 7


def test_electronic_voting_units_are_stored_as_their_own_kind(store: Store) -> None:
    batch = read_ru_cik(SAMPLE_2021)
    store.ingest(batch, election_id="ru-2021", user="loader")
    data = store.election_data("ru-2021")
    stations = {u.unit_id: u for u in data.units if u.level == "station"}
    electronic = sorted(s for s, u in stations.items() if u.kind == "electronic")
    assert electronic == ["Город Москва/196 Центральный/Дистанционное электронное голосование",
                          "Город Москва/197 Кунцевский/Дистанционное электронное голосование"]
    assert data.nation.stations_reported == data.nation.stations_total == 5
    assert dict(data.nation.votes) == {p.code: batch.sums()[p.code] for p in batch.parties}


def test_results_say_how_many_stations_are_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.sqlite")
    assert main(["ingest", str(SAMPLE_2024), "--election", "ru-2024", "--db", db, "--format", "ru-cik"]) == 0
    capsys.readouterr()
    assert main(["results", "--election", "ru-2024", "--db", db, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["stations"] == {"reported": 4, "total": 7, "missing": 3, "registered_missing": None}
    assert main(["results", "--election", "ru-2024", "--db", db]) == 0
    assert "stations reported 4 of 7 (3 without a protocol: not counted)" in capsys.readouterr().out


def test_rows_rejected_with_skip_invalid_count_as_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with SAMPLE_2024.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2][12] = "abc"  # row 3's valid ballots: not a number
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    db = str(tmp_path / "s.sqlite")
    assert main(["ingest", str(bad), "--election", "e", "--db", db, "--format", "ru-cik", "--skip-invalid",
                 "--rejects", str(tmp_path / "rejects.csv")]) == 0
    capsys.readouterr()
    assert main(["results", "--election", "e", "--db", db, "--format", "json"]) == 0
    stations = json.loads(capsys.readouterr().out)["stations"]
    assert stations == {"reported": 3, "total": 7, "missing": 4, "registered_missing": None}

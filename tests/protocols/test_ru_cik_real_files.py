"""Golden tests on the real CEC station files in ../shared/data, asserted exactly.

Each file's totals (every protocol line and every party, candidate or answer) must equal the file's own
column sums, computed here independently with pandas from the header's wording; every station is read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saylau.formats.ru_cik import read_ru_cik
from saylau.protocols import check_protocols

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# The line each column of the real headers counts, written out by hand from the published wording.
LINES_2007 = ["voters_on_list", "ballots_received", "ballots_issued_early", "ballots_issued_in_premises",
              "ballots_issued_outside", "ballots_cancelled", "ballots_in_portable_boxes",
              "ballots_in_stationary_boxes", "invalid", "valid", "certificates_received",
              "certificates_issued_at_station", "certificate_voters", "certificates_cancelled",
              "certificates_issued_by_territorial", "ballots_lost", "ballots_unaccounted",
              "certificates_unaccounted", "certificates_lost"]
LINES_2012 = ["voters_on_list", "ballots_received", "ballots_issued_early", "ballots_issued_in_premises",
              "ballots_issued_outside", "ballots_cancelled", "ballots_in_portable_boxes",
              "ballots_in_stationary_boxes", "invalid", "valid", "certificates_received",
              "certificates_issued_at_station", "certificate_voters", "certificates_cancelled",
              "certificates_issued_by_territorial", "certificates_lost", "ballots_lost", "ballots_unaccounted"]
LINES_2020 = ["voters_on_list", "ballots_issued", "ballots_in_boxes", "invalid"]

FILES = {
    # name: (form, stations, hierarchy columns first, line keys in header order, vote codes in header order)
    "ru-duma-2007": ("ru-duma-2007", 96193, 4, LINES_2007, [str(n) for n in range(1, 12)]),
    "ru-president-2012": ("ru-president-2004", 95415, 3, LINES_2012, ["1", "2", "3", "4", "5"]),
    "ru-referendum-2020": ("ru-referendum-2020", 96765, 4, LINES_2020, ["yes", "no"]),
}


def _shared(name: str) -> Path:
    path = SHARED_DATA / f"{name}-stations.csv.zip"
    if not path.is_file():
        if IN_CI:
            pytest.fail(f"{path} is required in CI")
        pytest.skip(f"{path} is not available")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FILES))
def test_each_real_file_is_read_whole_and_sums_to_its_own_columns(name: str) -> None:
    import pandas as pd

    form, stations, first, lines, codes = FILES[name]
    path = _shared(name)
    batch = read_ru_cik(path)
    assert batch.form.name == form
    assert len(batch) == stations and len(set(batch.table.stations)) == stations
    assert batch.rejects == [] and batch.unreported == []
    assert [v for v in check_protocols(batch) if v.severity == "error"] == []
    frame = pd.read_csv(path)
    columns = [c for c in frame.columns if c != "url"][first:]
    assert len(columns) == len(lines) + len(codes)
    sums = batch.sums()
    for key, column in zip([*lines, *codes], columns, strict=True):
        assert sums[key] == int(frame[column].sum()), (key, column)
    assert set(sums) == {*lines, *codes}


@pytest.mark.slow
def test_2012_putin_and_the_2020_yes() -> None:
    president = read_ru_cik(_shared("ru-president-2012"))
    putin = next(p for p in president.parties if p.name == "Путин Владимир Владимирович")
    assert president.sums()[putin.code] == 45_602_075
    assert president.form.choices == "candidates"
    vote = read_ru_cik(_shared("ru-referendum-2020"))
    assert vote.sums()["yes"] == 57_071_119 and vote.form.choices == "answers"
    assert [p.name for p in vote.parties] == ["ДА", "НЕТ"]
    assert vote.meta["title"].startswith("Общероссийское голосование")
    # No valid-ballots line: valid is YES + NO, and the boxes hold those and the invalid ones.
    totals = vote.totals()
    assert totals["valid"] == vote.sums()["yes"] + vote.sums()["no"]
    assert totals["ballots_cast"] == totals["valid"] + totals["invalid"]


@pytest.mark.slow
def test_2007_is_stored_whole(tmp_path: Path) -> None:
    from saylau.store import open_store

    batch = read_ru_cik(_shared("ru-duma-2007"))
    with open_store(str(tmp_path / "s.sqlite")) as store:
        report = store.ingest(batch, election_id="ru-duma-2007", user="loader")
        assert report.stored == 96193 and report.rejected == ()
        nation = store.election_data("ru-duma-2007", level="nation").nation
    sums = batch.sums()
    assert (nation.stations_reported, nation.stations_total) == (96193, 96193)
    assert dict(nation.votes) == {code: sums[code] for code in batch.party_codes}
    assert nation.registered == sums["voters_on_list"] == 109_148_196
    assert nation.ballots_cast == sums["ballots_in_portable_boxes"] + sums["ballots_in_stationary_boxes"]
    assert (nation.valid, nation.invalid) == (sums["valid"], sums["invalid"])

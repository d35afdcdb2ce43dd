"""StationData from protocols, from a reader's batch and from the store, and its located errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from saylau.analysis.forensics.data import StationData
from saylau.analysis.forensics.load import station_data_from_file, station_data_from_store
from saylau.errors import InputError
from saylau.formats.ru_cik import read_ru_cik
from saylau.protocols.model import StationProtocol
from saylau.protocols.registry import load_form


def test_batch_columns_equal_the_protocol_records(small_cec: Path) -> None:
    batch = read_ru_cik(small_cec)
    fast = StationData.from_batch(batch)
    slow = StationData.from_protocols(batch.protocols, batch.form, batch.parties)
    assert len(fast) == len(slow) == len(batch.protocols) > 600
    for name in ("voters", "issued", "valid", "invalid", "votes"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name
    assert list(fast.station_ids) == list(slow.station_ids)
    assert fast.party_codes == tuple(p.code for p in batch.parties)


def test_totals_follow_the_2011_form(small_cec: Path) -> None:
    batch = read_ru_cik(small_cec)
    data = StationData.from_batch(batch)
    first = batch.protocols[0]
    lines = first.lines
    assert data.voters[0] == lines["voters_on_list"]
    assert data.issued[0] == sum(lines[k] for k in ("ballots_issued_early", "ballots_issued_in_premises",
                                                     "ballots_issued_outside"))
    assert data.found[0] == lines["valid"] + lines["invalid"]
    assert data.votes[0].tolist() == [first.votes[c] for c in data.party_codes]


def test_store_round_trip_gives_the_same_arrays(small_cec: Path, tmp_path: Path) -> None:
    from saylau.store import open_store

    url = f"sqlite:///{tmp_path / 'f.sqlite'}"
    with open_store(url) as store:
        store.ingest(read_ru_cik(small_cec), election_id="ru-2011-sample", user="test", skip_invalid=True)
    stored = station_data_from_store("ru-2011-sample", url)
    direct = station_data_from_file(small_cec)
    keep = np.isin(direct.station_ids, stored.station_ids)
    direct = direct.select(keep)
    order = np.argsort(stored.station_ids)
    assert np.array_equal(np.sort(direct.station_ids), stored.station_ids[order])
    assert np.array_equal(direct.votes[np.argsort(direct.station_ids)], stored.votes[order])
    region = stored.regions[0]
    assert set(station_data_from_store("ru-2011-sample", url, region).regions) == {region}
    with pytest.raises(InputError, match="no such election"):
        station_data_from_store("nope", url)


def _protocol(station: str, **lines: int) -> StationProtocol:
    base = {"voters_on_list": 1000, "ballots_received": 1000, "ballots_issued_early": 0,
            "ballots_issued_in_premises": 600, "ballots_issued_outside": 0, "ballots_cancelled": 400,
            "ballots_in_portable_boxes": 0, "ballots_in_stationary_boxes": 600, "invalid": 10, "valid": 590}
    base.update(lines)
    return StationProtocol(station=station, region="R", territory="T", lines=base, votes={"1": 400, "2": 190},
                           source="p.csv", row=2)


def test_a_protocol_missing_a_line_is_named() -> None:
    form = load_form("ru-duma-2011")
    broken = _protocol("S1")
    lines = dict(broken.lines)
    del lines["ballots_issued_outside"]
    broken = StationProtocol(station="S1", region="R", territory=None, lines=lines, votes=broken.votes,
                             source="p.csv", row=7)
    missing = [k for k in form.line_keys if k not in lines]
    if not missing:
        pytest.skip("the form has no such line")
    with pytest.raises(InputError) as info:
        StationData.from_protocols([broken], form, ["1", "2"])
    assert info.value.source == "p.csv" and info.value.row == 7


def test_negative_counts_and_unknown_names_are_refused() -> None:
    with pytest.raises(InputError, match="negative") as info:
        StationData.from_arrays(voters=[10, -1], issued=[5, 5], valid=[5, 5], invalid=[0, 0],
                                votes=[[5], [5]], party_codes=["A"], station_ids=["a", "b"])
    assert info.value.row == 2 and info.value.value == -1
    data = StationData.from_arrays(voters=[10], issued=[5], valid=[5], invalid=[0], votes=[[3, 2]],
                                   party_codes=["A", "B"], party_names=["Alpha", "Beta"], regions=["R"])
    assert data.party_index(None) == 0
    assert data.party_index("Beta") == 1
    with pytest.raises(InputError, match="unknown party"):
        data.party_index("Gamma")
    with pytest.raises(InputError, match="no polling station"):
        data.in_unit("Elsewhere")
    assert len(data.in_unit("R")) == 1

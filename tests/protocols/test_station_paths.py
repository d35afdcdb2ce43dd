"""Station ids composed from their parts (a reader's StationPaths): the ids, and whether they are distinct."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.protocols.station_paths import ComposedIds, StationPaths

_PART = st.text(st.sampled_from("ab/1"), min_size=1, max_size=3)


def _paths(places: list[tuple[str, str | None]], picks: list[tuple[int, int]], leaves: list[str]) -> StationPaths:
    return StationPaths(places, np.asarray([p % len(places) for p, _ in picks], dtype=np.intp), leaves,
                        np.asarray([leaf % len(leaves) for _, leaf in picks], dtype=np.intp))


@settings(max_examples=400, deadline=None)
@given(places=st.lists(st.tuples(_PART, st.none() | _PART), min_size=1, max_size=4, unique=True),
       leaves=st.lists(_PART, min_size=1, max_size=4, unique=True),
       picks=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=10))
def test_ids_are_head_slash_leaf_and_distinct_is_never_wrong(places: list[tuple[str, str | None]],
                                                              leaves: list[str], picks: list[tuple[int, int]]) -> None:
    paths = _paths(places, picks, leaves)
    ids = paths.ids()
    heads = ["/".join(p for p in place if p is not None) for place in places]
    assert ids == [f"{heads[p % len(places)]}/{leaves[leaf % len(leaves)]}" for p, leaf in picks]
    if paths.distinct():
        assert len(set(ids)) == len(ids)
    elif "/" not in "".join(leaves) and len(set(heads)) == len(heads):
        assert len(set(ids)) < len(ids)  # without a "/" to blur the parts it is exact both ways


def test_distinct_on_the_cases_that_blur_the_parts() -> None:
    assert _paths([("R", "T")], [(0, 0), (0, 1)], ["1", "2"]).distinct()
    assert not _paths([("R", "T")], [(0, 0), (0, 0)], ["1"]).distinct()  # a station twice
    # Two places with one head ("a/b" + "c" and "a" + "b/c"): not told from the parts.
    assert not _paths([("a/b", "c"), ("a", "b/c")], [(0, 0), (1, 1)], ["1", "2"]).distinct()
    assert not _paths([("R", "T")], [(0, 0), (0, 1)], ["1/2", "3"]).distinct()  # a leaf holding "/"


@settings(max_examples=300, deadline=None)
@given(places=st.lists(st.tuples(_PART, st.none() | _PART), min_size=1, max_size=4, unique=True),
       leaves=st.lists(_PART, min_size=1, max_size=4, unique=True),
       picks=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=10),
       others=st.lists(st.text(st.sampled_from("ab/1"), max_size=7), max_size=6))
def test_composed_ids_read_like_the_list_and_among_finds_exactly_the_stations(
        places: list[tuple[str, str | None]], leaves: list[str], picks: list[tuple[int, int]],
        others: list[str]) -> None:
    paths = _paths(places, picks, leaves)
    ids = paths.ids()
    lazy = ComposedIds(paths)
    assert len(lazy) == len(ids) and [lazy[i] for i in range(len(ids))] == ids and lazy[-1] == ids[-1]
    assert lazy == ids and ids == lazy and lazy[1:3] == ids[1:3] and list(lazy) == ids
    assert lazy != [*ids, "x"] and lazy != "".join(ids)
    probe = [*others, *ids[:2]]
    assert paths.among(probe) == [i for i in probe if i in set(ids)]


def test_a_table_of_composed_ids_is_checked_and_stored_without_composing_them(ru2011_zip: Path,
                                                                             tmp_path: Path) -> None:
    from saylau.formats.ru_cik import read_ru_cik
    from saylau.store import open_store

    batch = read_ru_cik(ru2011_zip)
    stations = batch.table.stations
    assert isinstance(stations, ComposedIds) and stations._ids is None
    assert stations[95_224] == "Город Санкт-Петербург/127 Территориальная избирательная комиссия №27/1128"
    assert stations._ids is None  # one id by index composes only that one
    with open_store(tmp_path / "s.sqlite") as store:  # checked by its parts and stored as a block
        assert store.ingest(batch, election_id="ru", user="a").stored == 95_225
        assert stations._ids is None
        assert store.station_count_rows("ru").stations == stations  # the block's ids are the composed ones

"""Protocol blocks: a bulk ingest stored as one columnar row reads back exactly as the same ingest stored as rows,
is unpacked into those very rows when a station is needed as a row, and is covered by the audit chain."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from protocols_helper import CODES, kz_batch, kz_protocol, stations
from sqlalchemy import select, text

from saylau.errors import ConflictError
from saylau.store import Store, blocks, open_store
from saylau.store.schema import protocol_blocks, protocol_versions, units

LEVELS = ("nation", "region", "territory", "station")


def _batch(n: int = 40, start: int = 0) -> Any:
    # URLs in runs (as a file gives them, a territory's together), a URL met again later, some stations without.
    protocols = [replace(p, url=None if i % 9 == 5 else f"https://example.org/{(i // 4) % 3}")
                 for i, p in enumerate(stations(n, start=start))]
    # One protocol with a warning: more ballots in the boxes than were issued.
    protocols.append(kz_protocol(f"W{start}", [10, 20, 30], outside=0, ballots_issued_in_premises=62,
                                 ballots_received=82, region="Region 1", territory="T1", row=n + 2))
    return kz_batch(protocols, source="file.csv")


@pytest.fixture
def as_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "BLOCK_MIN", 1)


@pytest.fixture
def as_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "BLOCK_MIN", 10**9)


def _pending(store: Store) -> int:
    with blocks.reading_blocks(), store.engine.connect() as conn:
        return len(conn.execute(select(protocol_blocks.c.id).where(protocol_blocks.c.unpacked_seq.is_(None))).all())


def _results(store: Store, election: str, levels: tuple[str, ...]) -> list[Any]:
    return [(u.unit_id, u.level, u.parent, dict(u.votes), u.valid, u.registered, u.ballots_cast, u.invalid,
             u.stations_reported, u.stations_total, u.synthetic) for u in store.election_data(election, level=levels).units]


def _ingest_both(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, batch: Any) -> tuple[Store, Store]:
    monkeypatch.setattr(blocks, "BLOCK_MIN", 1)
    block_store = open_store(tmp_path / "block.sqlite")
    report = block_store.ingest(batch, election_id="e", user="alice")
    assert report.stored == len(batch) and report.warnings == 1
    assert _pending(block_store) == 1
    monkeypatch.setattr(blocks, "BLOCK_MIN", 10**9)
    row_store = open_store(tmp_path / "rows.sqlite")
    row_store.ingest(batch, election_id="e", user="alice")
    assert _pending(row_store) == 0
    return block_store, row_store


def test_a_pending_block_sums_exactly_as_rows_do(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    block_store, row_store = _ingest_both(tmp_path, monkeypatch, _batch())
    with block_store, row_store:
        above = ("nation", "region", "territory")
        assert _results(block_store, "e", above) == _results(row_store, "e", above)
        assert _pending(block_store) == 1  # read from the block itself: nothing unpacked
        ours, theirs = block_store.station_count_rows("e"), row_store.station_count_rows("e")
        assert (ours.stations, ours.regions, ours.territories) == (theirs.stations, theirs.regions, theirs.territories)
        assert ours.lines() == theirs.lines() and ours.votes() == theirs.votes()
        below = block_store.station_count_rows("e", unit="Region 1")
        assert below.stations == row_store.station_count_rows("e", unit="Region 1").stations
        assert _pending(block_store) == 1
        assert block_store.verify_audit_log().ok


def test_unpacking_writes_the_rows_a_row_ingest_writes(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    block_store, row_store = _ingest_both(tmp_path, monkeypatch, _batch())
    with block_store, row_store:
        # The station level needs rows: the block is unpacked first, under an audit entry of its own. Units are
        # numbered level by level (the block's regions and territories were stored before its stations), so each
        # level's units come in the same order as a row ingest's, which numbers them depth first.
        ours, theirs = _results(block_store, "e", LEVELS), _results(row_store, "e", LEVELS)
        for level in LEVELS:
            assert [u for u in ours if u[1] == level] == [u for u in theirs if u[1] == level]
        assert _pending(block_store) == 0
        assert [e.action for e in block_store.audit_entries()][-2:] == ["ingest", "unpack"]
        # The same rows (keys and ordinals aside, which follow the order of writing).
        version_columns = [c for c in protocol_versions.c if c.name not in ("id", "unit_ref")]
        unit_columns = [c for c in units.c if c.name not in ("id", "ordinal")]
        for columns in (version_columns, unit_columns):
            query = select(*columns)
            with block_store.engine.connect() as a, row_store.engine.connect() as b:
                assert sorted(map(tuple, a.execute(query).all()), key=repr) == sorted(
                    map(tuple, b.execute(query).all()), key=repr)
        assert list(block_store.station_protocols("e")) == list(row_store.station_protocols("e"))
        ours, theirs = block_store.protocol_history("e", "S00003"), row_store.protocol_history("e", "S00003")
        assert [(v.version, v.protocol, v.recorded_by, v.totals) for v in ours] == [
            (v.version, v.protocol, v.recorded_by, v.totals) for v in theirs]
        assert [(w.station, w.relation, w.message) for w in block_store.warnings("e")] == [
            (w.station, w.relation, w.message) for w in row_store.warnings("e")]
        assert block_store.verify_audit_log().ok


def test_a_correction_of_a_block_station_unpacks_then_versions_it(store: Store, as_blocks: None) -> None:
    batch = _batch()
    store.ingest(batch, election_id="e", user="alice")
    fixed = kz_protocol("S00002", [1, 2, 3], region="Region 2", territory="T2")
    with pytest.raises(ConflictError):
        store.ingest(kz_batch([fixed]), election_id="e", user="chair")
    report = store.ingest(kz_batch([fixed]), election_id="e", user="chair", correction=True, reason="recount")
    assert report.corrected == 1 and _pending(store) == 0
    history = store.protocol_history("e", "S00002")
    assert [v.version for v in history] == [1, 2] and history[0].recorded_by == "alice"
    nation = store.election_data("e", level="nation").nation
    before = sum(p.votes["QHP"] for p in batch.protocols)
    assert nation.votes["QHP"] == before - batch.protocols[2].votes["QHP"] + 1
    assert store.verify_audit_log().ok


def test_the_same_file_again_is_a_no_op_and_new_stations_make_a_second_block(store: Store, as_blocks: None) -> None:
    store.ingest(_batch(), election_id="e", user="alice")
    more = store.ingest(_batch(30, start=100), election_id="e", user="alice")
    assert more.stored == 31 and _pending(store) == 2  # disjoint stations: a second pending block
    nation = store.election_data("e", level="nation").nation
    assert nation.stations_reported == 72 and nation.stations_total == 72
    again = store.ingest(_batch(), election_id="e", user="alice")  # the same stations: compared as rows
    assert (again.stored, again.unchanged) == (0, 41) and _pending(store) == 0
    assert store.election_data("e", level="nation").nation.votes == nation.votes
    assert store.verify_audit_log().ok


def test_overlapping_stations_are_never_stored_twice(store: Store, as_blocks: None) -> None:
    store.ingest(_batch(), election_id="e", user="alice")
    changed = [replace(p, votes={**p.votes, CODES[0]: p.votes[CODES[0]]}) for p in stations(5, start=38)]
    report = store.ingest(kz_batch(changed), election_id="e", user="alice")  # S00038, S00039 known; 3 new
    assert (report.stored, report.unchanged) == (3, 2)
    with store.engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT station FROM protocol_versions"))]
    assert len(names) == len(set(names)) == 44


@pytest.mark.parametrize(("new", "as_block"), [(4, False), (5, True), (6, True)])
def test_the_block_threshold_at_one_below_and_one_above(store: Store, monkeypatch: pytest.MonkeyPatch,
                                                         new: int, as_block: bool) -> None:
    monkeypatch.setattr(blocks, "BLOCK_MIN", 5)
    store.ingest(kz_batch(stations(new)), election_id="e", user="alice")
    assert _pending(store) == int(as_block)
    assert store.election_data("e", level="nation").nation.stations_reported == new


def test_known_stations_without_a_protocol_count_beside_a_block(store: Store, as_blocks: None) -> None:
    from saylau.protocols.batch import KnownStation

    batch = _batch()
    batch.unreported.append(KnownStation("LATE", "Region 0", "T0"))
    batch.unreported.append(KnownStation("S00001", "Region 1", "T1"))  # also in the block: not "known" twice
    store.ingest(batch, election_id="e", user="alice")
    nation = store.election_data("e", level="nation").nation
    assert (nation.stations_reported, nation.stations_total) == (41, 42)
    assert _pending(store) == 1


def test_an_edited_pending_block_is_named_by_verification(store: Store, as_blocks: None) -> None:
    store.ingest(_batch(), election_id="e", user="alice")
    with blocks.reading_blocks(), store.engine.connect() as conn, conn.begin() as trans:
        blob = conn.execute(select(protocol_blocks.c.counts)).scalar_one()
        data = bytes(blob)
        conn.execute(protocol_blocks.update().values(counts=data[:-1] + bytes([data[-1] ^ 1])))
        check = store.verify_connection(conn)
        trans.rollback()
    assert not check.ok and check.table == "protocol_blocks"
    assert any(r.table == "protocol_blocks" for r in check.rows)


@pytest.mark.parametrize("marked", ["none", "some", "all"])
def test_synthetic_flags_survive_a_block(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, marked: str) -> None:
    protocols = stations(30)
    if marked != "none":
        protocols = [replace(p, synthetic=marked == "all" or i % 7 == 0) for i, p in enumerate(protocols)]
    block_store, row_store = _ingest_both(tmp_path, monkeypatch, kz_batch(protocols + list(_batch(0).protocols)))
    with block_store, row_store:
        above = ("nation", "region", "territory")
        ours = _results(block_store, "e", above)
        assert ours == _results(row_store, "e", above)
        assert any(u[-1] for u in ours) == (marked != "none") and all(u[-1] for u in ours) == (marked == "all")
        flags = {p.station: p.synthetic for p in block_store.station_protocols("e")}
        assert flags == {p.station: p.synthetic for p in row_store.station_protocols("e")}


def test_a_station_given_twice_goes_the_row_way_and_is_stored_once(store: Store, as_blocks: None) -> None:
    protocols = stations(20)
    report = store.ingest(kz_batch([*protocols, protocols[3]]), election_id="e", user="alice")
    assert report.stored == 20 and _pending(store) == 0  # not distinct: no block
    assert store.election_data("e", level="nation").nation.stations_reported == 20


def test_the_cec_reader_says_its_stations_are_distinct(ru2011_zip: Any) -> None:
    from saylau.formats.ru_cik import read_ru_cik

    table = read_ru_cik(ru2011_zip).table
    assert table.distinct is True and len(set(table.stations)) == len(table) == 95_225


def test_a_block_holds_its_urls_run_by_run_and_reads_back_older_blocks_too() -> None:
    assert blocks._runs([]) == []
    assert blocks._runs(["a", "a", None, None, "b", "a"]) == [("a", 2), (None, 2), ("b", 1), ("a", 1)]
    held = blocks._url_runs(["a", "a", None, None, "b", "a"])
    assert held == {"url_list": ["a", "b"], "url_runs": [[0, 2], [None, 2], [1, 1], [0, 1]]}
    block = blocks.Block.__new__(blocks.Block)
    block.details = held  # type: ignore[misc]

    def never() -> dict[int, str]:
        raise AssertionError("a block holding its URLs reads no protocol_urls row")

    assert block.urls(never) == ["a", "a", None, None, "b", "a"]
    block.details = {"urls": [3, None, 4]}  # type: ignore[misc]  # stored before blocks held their URLs
    assert block.urls(lambda: {3: "x", 4: "y"}) == ["x", None, "y"]
    block.details = {"url_list": None, "url_runs": None}  # type: ignore[misc]
    assert block.urls(never) is None


def test_a_url_over_the_limit_refuses_the_whole_block(store: Store, as_blocks: None) -> None:
    from saylau.errors import InputError
    from saylau.store.writer import MAX_URL

    def with_url(length: int) -> list[Any]:
        url = "https://example.org/" + "x" * (length - 20)
        return [replace(p, url=url if i == 7 else "https://example.org/") for i, p in enumerate(stations(20))]

    store.ingest(kz_batch(with_url(MAX_URL)), election_id="ok", user="alice")  # at the limit: stored
    with pytest.raises(InputError, match="URL longer"):
        store.ingest(kz_batch(with_url(MAX_URL + 1)), election_id="e", user="alice")  # one over: nothing stored
    assert not store.has_election("e") and _pending(store) == 1


def test_a_read_only_store_with_a_pending_block_says_what_it_needs(tmp_path: Any,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from saylau.errors import StorageError

    monkeypatch.setattr(blocks, "BLOCK_MIN", 1)
    path = tmp_path / "s.sqlite"
    with open_store(path) as writable:
        writable.ingest(_batch(), election_id="e", user="alice")
        nation = writable.election_data("e", level="nation").nation
    with open_store(path) as read_only:
        from sqlalchemy import event

        @event.listens_for(read_only.engine, "connect")
        def _query_only(dbapi_connection: Any, _record: Any) -> None:  # as a read-only file or role would be
            dbapi_connection.execute("PRAGMA query_only = 1")

        read_only.engine.dispose()
        assert read_only.election_data("e", level="nation").nation == nation  # totals: read from the block
        with pytest.raises(StorageError, match="unpacked into rows"):
            read_only.protocol_history("e", "S00001")
    with open_store(path) as writable:  # with write access, the same call unpacks and answers
        assert [v.version for v in writable.protocol_history("e", "S00001")] == [1]


def test_a_writer_unpacks_a_block_that_landed_after_it_connected_under_its_own_lock(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from saylau.store import engine as engine_module
    from saylau.store.engine import make_engine, write_transaction

    monkeypatch.setattr(blocks, "BLOCK_MIN", 1)
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 2_000)  # a wait for the lock fails in 2 s, not 120
    path = tmp_path / "s.sqlite"
    with open_store(path) as first:
        first.ingest(_batch(), election_id="e", user="alice")
        nation = first.election_data("e", level="nation").nation
    engine = make_engine(path)  # as a writer that connected before the block was committed: no hook ran for it
    try:
        with write_transaction(engine) as conn:
            assert not blocks.has_pending(conn)  # unpacked in this transaction, under its lock
            assert conn.execute(select(protocol_versions.c.id)).first() is not None
            # Another connection of this thread, inside this write: it must not wait for the lock to unpack again.
            with Store(engine).engine.connect() as inner:
                assert inner.execute(select(units.c.id)).first() is not None
    finally:
        engine.dispose()
    with open_store(path) as after:
        assert _pending(after) == 0 and after.verify_audit_log().ok
        assert after.election_data("e", level="nation").nation == nation
        assert [e.action for e in after.audit_entries()][-2:] == ["ingest", "unpack"]


def test_block_stations_keep_the_unit_trees_rules(store: Store, as_blocks: None) -> None:
    from saylau.errors import InputError
    from saylau.ids import IdClash
    from saylau.store.unit_tree import check_new_stations

    tree = {"KZ": ("nation", None), "KZ/R": ("region", "KZ"), "S1": ("station", "KZ/R")}
    with pytest.raises(InputError, match="region"):
        check_new_stations(["S0", "KZ/R"], tree)  # a region's id is not a station's
    with pytest.raises(InputError, match="already stored"):
        check_new_stations(["S0", "S1"], tree)
    check_new_stations(["S0", "S2"], tree)
    # Through an ingest: "SOOOO1" (letters O) looks like the station "S00001" (zeros) of the same block.
    twins = [*stations(10), kz_protocol("SOOOO1", [1, 2, 3])]
    with pytest.raises(IdClash):
        store.ingest(kz_batch(twins), election_id="e", user="alice")
    assert not store.has_election("e") and _pending(store) == 0


def _cec_sample(ru2011_zip: Any, tmp_path: Any, edit: Any) -> Any:
    """The first 60 stations of the 2011 CEC file, one uik cell edited, as a file the CEC reader reads."""
    import csv
    import io
    import zipfile

    from saylau.formats.ru_cik import read_ru_cik

    with zipfile.ZipFile(ru2011_zip) as archive:
        rows = list(csv.reader(io.StringIO(archive.read(archive.namelist()[0]).decode("utf-8"))))[:61]
    edit(rows)
    path = tmp_path / "sample.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    batch = read_ru_cik(path)
    assert batch.table.paths is not None  # the checks judge the ids' parts
    return batch


def test_ids_judged_by_their_parts_are_refused_as_the_ids_themselves(store: Store, as_blocks: None,
                                                                      ru2011_zip: Any, tmp_path: Any) -> None:
    from saylau.errors import InputError
    from saylau.ids import IdClash

    # Row 12 (station 11 of "2 Гиагинская") renumbered "1О", a Cyrillic О: it looks like station 10 beside it.
    batch = _cec_sample(ru2011_zip, tmp_path, lambda rows: rows[11].__setitem__(2, "1\u041e"))
    with pytest.raises(IdClash, match="2 Гиагинская/10"):
        store.ingest(batch, election_id="e", user="alice")
    # A zero-width space after a station number: refused with the row and the whole id named.
    batch = _cec_sample(ru2011_zip, tmp_path, lambda rows: rows[5].__setitem__(2, "5\u200b"))
    with pytest.raises(InputError, match="U\\+200B") as caught:
        store.ingest(batch, election_id="e", user="alice")
    assert caught.value.row == 6 and caught.value.field == "station" and str(caught.value.value).endswith("/5\u200b")
    assert not store.has_election("e") and _pending(store) == 0
    # Untouched, the same stations go in as one block.
    assert store.ingest(_cec_sample(ru2011_zip, tmp_path, lambda rows: None), election_id="e", user="a").stored == 60
    assert _pending(store) == 1


def test_a_block_of_a_reader_that_composed_its_ids_stores_only_their_leaves(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch, ru2011_zip: Any) -> None:
    batch = _cec_sample(ru2011_zip, tmp_path, lambda rows: None)
    block_store, row_store = (open_store(tmp_path / f"{kind}.sqlite") for kind in ("block", "rows"))
    with block_store, row_store:
        monkeypatch.setattr(blocks, "BLOCK_MIN", 1)
        block_store.ingest(batch, election_id="e", user="alice")
        monkeypatch.setattr(blocks, "BLOCK_MIN", 10**9)
        row_store.ingest(batch, election_id="e", user="alice")
        with blocks.reading_blocks(), block_store.engine.connect() as conn:
            (block,) = blocks.pending_blocks(conn, "e")
            assert block._layout["names"] == "leaves"
            assert block.stations == batch.table.stations  # the ids, from each place's head and the leaf
            assert blocks.pending_stations(conn, "e") == set(batch.table.stations)
        above = ("nation", "region", "territory")
        assert _results(block_store, "e", above) == _results(row_store, "e", above)
        # Unpacked, the rows are a row ingest's.
        assert [(p.station, p.lines, p.votes) for p in block_store.station_protocols("e")] == [
            (p.station, p.lines, p.votes) for p in row_store.station_protocols("e")]
        assert _pending(block_store) == 0 and block_store.verify_audit_log().ok


def test_a_total_the_form_does_not_give_is_unknown_above_a_block_as_above_rows(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from protocols_helper import PARTIES

    from saylau.protocols import ProtocolBatch, load_form

    base = load_form("kz-mazhilis-2021")
    form = replace(base, total_exprs={k: v for k, v in base.total_exprs.items() if k != "registered"})
    batch = ProtocolBatch(form, PARTIES, stations(40), source="f.csv")
    block_store, row_store = (open_store(tmp_path / f"{kind}.sqlite") for kind in ("block", "rows"))
    with block_store, row_store:
        monkeypatch.setattr(blocks, "BLOCK_MIN", 1)
        block_store.ingest(batch, election_id="e", user="alice")
        assert _pending(block_store) == 1
        monkeypatch.setattr(blocks, "BLOCK_MIN", 10**9)
        row_store.ingest(batch, election_id="e", user="alice")
        above = ("nation", "region", "territory")
        ours = _results(block_store, "e", above)
        assert ours == _results(row_store, "e", above)
        assert all(u[5] is None for u in ours) and all(u[6] is not None for u in ours)  # registered unknown only


def test_a_block_station_named_like_a_territory_of_its_own_batch_is_refused(store: Store, as_blocks: None) -> None:
    from saylau.errors import InputError

    # The territory "Region 1/T1" is created by this very ingest (its unit id: nation/region/territory).
    twin = kz_protocol("KZ/Region 1/T1", [1, 2, 3], region="Region 2", territory="T2")
    with pytest.raises(InputError, match="territory"):
        store.ingest(kz_batch([*stations(12), twin]), election_id="e", user="alice")
    assert not store.has_election("e") and _pending(store) == 0
    look_alike = kz_protocol("KZ/Region 1/T\u0406", [1, 2, 3], region="Region 2", territory="T2")  # Cyrillic І
    with pytest.raises(InputError, match="looks like"):
        store.ingest(kz_batch([*stations(12), look_alike]), election_id="e", user="alice")

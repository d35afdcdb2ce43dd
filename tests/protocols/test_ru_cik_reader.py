"""The Russian CEC station table: layout detection, party names, bad rows, both parsing engines."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from protocol_samples import RU_2021_SAMPLE

from saylau.errors import InputError, ProtocolError
from saylau.formats import ru_cik
from saylau.formats.ru_cik import read_ru_cik
from saylau.protocols import check_protocols

ENGINES = ("pandas", "python")


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def _same(a, b, *, records: bool = True) -> None:  # type: ignore[no-untyped-def]
    assert a.form.name == b.form.name and a.parties == b.parties
    assert a.table.stations == b.table.stations and a.table.columns == b.table.columns
    assert a.table.rows == b.table.rows and a.table.urls == b.table.urls and a.table.extras == b.table.extras
    if records:
        assert a.protocols == b.protocols


@pytest.mark.parametrize("engine", ENGINES)
def test_the_2021_layout_is_detected_and_read(engine: str) -> None:
    batch = read_ru_cik(RU_2021_SAMPLE, engine=engine)  # type: ignore[arg-type]
    assert batch.form.name == "ru-duma-2021"
    assert len(batch) == 5 and batch.rejects == []
    assert [p.registration_order for p in batch.parties] == list(range(1, 15))
    assert batch.parties[4].code == "5"
    assert batch.parties[4].name == 'Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"'
    assert batch.parties[0].name == 'Политическая партия "КОММУНИСТИЧЕСКАЯ ПАРТИЯ РОССИЙСКОЙ ФЕДЕРАЦИИ"'
    first = batch.protocols[0]
    assert first.station == "Республика Адыгея (Адыгея)/1 Адыгейский/1 Адыгейская/1"
    assert first.region == "Республика Адыгея (Адыгея)" and first.territory == "1 Адыгейская"
    assert first.extra == {"level": "УИК", "oik": "1 Адыгейский"}
    assert first.row == 2 and first.url is not None and first.url.startswith("http://www.vybory.izbirkom.ru/")
    assert first.lines["voters_on_list"] == 1210 and first.lines["ballots_unaccounted"] == 0
    assert first.votes["5"] == 330 and sum(first.votes.values()) == first.lines["valid"]
    assert check_protocols(batch) == []


def test_both_engines_agree_on_the_2021_sample() -> None:
    _same(read_ru_cik(RU_2021_SAMPLE, engine="pandas"), read_ru_cik(RU_2021_SAMPLE, engine="python"))


def test_the_2011_layout_is_detected_from_its_real_header(ru2011_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(ru2011_zip) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    head = "".join(io.StringIO(text).readlines()[:41])
    sample = tmp_path / "head.csv"
    sample.write_text(head, encoding="utf-8")
    batch = read_ru_cik(sample)
    assert batch.form.name == "ru-duma-2011" and len(batch) == 40
    assert batch.protocols[0].lines["certificates_received"] == 10
    assert batch.protocols[0].lines["ballots_lost"] == 0
    assert batch.protocols[0].votes == {"1": 36, "2": 13, "3": 7, "4": 472, "5": 16, "6": 1242, "7": 6}
    assert batch.protocols[0].extra == {}


def test_a_zip_with_two_csv_files_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", RU_2021_SAMPLE.read_text(encoding="utf-8"))
        archive.writestr("b.csv", RU_2021_SAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(InputError, match=r"exactly one \.csv"):
        read_ru_cik(path)


def test_a_zipped_sample_reads_like_the_plain_one(tmp_path: Path) -> None:
    path = tmp_path / "sample.csv.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2021.csv", RU_2021_SAMPLE.read_text(encoding="utf-8"))
    assert read_ru_cik(path).table.columns == read_ru_cik(RU_2021_SAMPLE).table.columns


def test_an_unknown_line_column_is_refused_by_name(tmp_path: Path) -> None:
    rows = _rows(RU_2021_SAMPLE)
    rows[0][10] = "Число бюллетеней, съеденных комиссией"
    with pytest.raises(InputError) as caught:
        read_ru_cik(_write(tmp_path / "odd.csv", rows))
    message = str(caught.value)
    assert "unknown CEC protocol layout" in message and "11 'Число бюллетеней, съеденных комиссией'" in message
    assert "ballots_cancelled" in message and caught.value.row == 1


def test_a_header_without_uik_is_refused(tmp_path: Path) -> None:
    rows = _rows(RU_2021_SAMPLE)
    rows[0][4] = "station"
    with pytest.raises(InputError) as caught:
        read_ru_cik(_write(tmp_path / "no-uik.csv", rows))
    assert caught.value.field == "uik"


def _broken_sample(tmp_path: Path) -> Path:
    rows = _rows(RU_2021_SAMPLE)
    rows[1][5] = "-3"          # row 2: voters on the list negative
    rows[2][20] = "abc"        # row 3: party 4 not a number
    rows[2][7] = "4.0"         # row 3: early voters not a whole number
    rows[3] = rows[3][:-2]     # row 4: two cells short
    rows[5][4] = rows[4][4]    # row 6: the same station as row 5
    return _write(tmp_path / "broken.csv", rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_bad_row_is_reported_and_nothing_returned(tmp_path: Path, engine: str) -> None:
    path = _broken_sample(tmp_path)
    with pytest.raises(ProtocolError) as caught:
        read_ru_cik(path, engine=engine)  # type: ignore[arg-type]
    found = [(e.row, e.field, e.value) for e in caught.value.violations]
    assert found == [
        (2, "voters_on_list", "-3"),
        (3, "ballots_issued_early", "4.0"),
        (3, '4. Политическая партия "НОВЫЕ ЛЮДИ"', "abc"),
        (4, None, None),
        (6, "uik", "186"),
    ]
    message = str(caught.value)
    assert str(path) in message and "row 2" in message and "'voters_on_list'" in message and "'-3'" in message
    assert "5 error(s) in 4 row(s)" in message
    assert "duplicate station 'Город Москва/196 Центральный/Пресненская/186' (first on row 5)" in message


def test_collect_returns_the_good_rows_and_the_rejects(tmp_path: Path) -> None:
    batch = read_ru_cik(_broken_sample(tmp_path), collect=True)
    assert [p.row for p in batch.protocols] == [5]
    assert sorted({e.row for e in batch.rejects}) == [2, 3, 4, 6]
    assert all(e.raw for e in batch.rejects)


def test_blank_lines_are_skipped_but_rows_keep_their_numbers(tmp_path: Path) -> None:
    lines = RU_2021_SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "blank.csv"
    path.write_text("".join([*lines[:3], "\n", *lines[3:]]), encoding="utf-8")
    batch = read_ru_cik(path)
    assert [p.row for p in batch.protocols] == [2, 3, 5, 6, 7]


def test_a_file_whose_64th_kilobyte_ends_inside_a_character_is_read(ru2011_zip: Path, tmp_path: Path) -> None:
    # The header is looked for in the first 64 KiB: a cut through a two-byte Cyrillic letter is no decoding error.
    with zipfile.ZipFile(ru2011_zip) as archive:
        lines = archive.read(archive.namelist()[0]).split(b"\n")[:600]
    data = b"\n".join(lines) + b"\n"
    letter = next(i for i in range(65_000, len(data)) if data[i] >= 0xC0)  # the first byte of a letter
    rows = [line.split(b",") for line in lines]
    rows[1][2] = b"0" * (65_536 - letter - 1) + rows[1][2]  # a station number written with leading zeros
    data = b"\n".join(b",".join(row) for row in rows) + b"\n"
    assert data[65_535] >= 0xC0 and data[65_536] < 0xC0  # the cut falls between a letter's two bytes
    path = tmp_path / "cut.csv"
    path.write_bytes(data)
    for engine in ENGINES:
        batch = read_ru_cik(path, engine=engine)
        assert len(batch) == 599 and batch.table.stations[0].endswith("/" + rows[1][2].decode())


def _assert_paths_compose_the_ids(table) -> None:  # type: ignore[no-untyped-def]
    paths = table.paths
    heads = paths.heads
    assert len(paths.places) == len(set(paths.places)) and len(paths.leaves) == len(set(paths.leaves))
    assert table.stations == [f"{heads[p]}/{paths.leaves[leaf]}"
                              for p, leaf in zip(paths.place_of.tolist(), paths.leaf_of.tolist(), strict=True)]
    assert [paths.places[p] for p in paths.place_of.tolist()] == list(zip(table.regions, table.territories,
                                                                          strict=True))


def test_the_reader_says_how_it_composed_its_station_ids(ru2011_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(ru2011_zip) as archive:
        lines = io.StringIO(archive.read(archive.namelist()[0]).decode("utf-8")).readlines()
    # Territories interleaved (a file need not list a territory's stations together), a station number repeated
    # under another territory.
    body = lines[1:400]
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("".join([lines[0], *body[::2], *body[1::2], *lines[-30:]]), encoding="utf-8")
    for path in (mixed, RU_2021_SAMPLE):
        batch = read_ru_cik(path, engine="pandas")
        if batch.table.paths is None:  # a layout with more than region/tik/uik: the reader does not say
            assert path == RU_2021_SAMPLE and "oik" in (batch.table.extras or [{}])[0]
            continue
        _assert_paths_compose_the_ids(batch.table)
        assert len(batch.table.paths.places) > 1
    assert read_ru_cik(mixed, engine="python").table.paths is None  # the row-by-row reader does not say either


@pytest.mark.slow
def test_the_real_2011_file(ru2011_zip: Path) -> None:
    import pandas as pd

    from saylau.engine import allocate

    batch = read_ru_cik(ru2011_zip)
    assert batch.form.name == "ru-duma-2011"
    assert len(batch) == 95225 and len(set(batch.table.stations)) == 95225
    _assert_paths_compose_the_ids(batch.table)
    names = {p.code: p.name for p in batch.parties}
    assert "ЕДИНАЯ РОССИЯ" in names["6"] and "Коммунистическая партия Российской Федерации" in names["4"]
    assert "СПРАВЕДЛИВАЯ РОССИЯ" in names["1"] and "Либерально-демократическая партия России" in names["2"]
    violations = check_protocols(batch)
    assert [v for v in violations if v.severity == "error"] == []
    assert {v.relation for v in violations} == {"boxes_within_issued"}
    # Independent cross-check of every column sum with pandas.
    frame = pd.read_csv(ru2011_zip)
    sums = batch.sums()
    for key, column in zip((*batch.form.line_keys, *batch.party_codes), frame.columns[3:28], strict=True):
        assert sums[key] == int(frame[column].sum()), key
    # The official seats: 450, 7% of ballots cast, Hare.
    totals = batch.totals()
    votes = {p.code: sums[p.code] for p in batch.parties}
    seats = allocate(votes, None, method="hare", seats=450, threshold="7%", threshold_base="ballots_cast",
                     ballots_cast=totals["ballots_cast"], valid=totals["valid"]).seats
    assert {code: n for code, n in seats.items() if n} == {"6": 238, "4": 92, "1": 64, "2": 56}


@pytest.mark.slow
def test_the_row_by_row_reader_agrees_on_the_real_file(ru2011_zip: Path) -> None:
    _same(read_ru_cik(ru2011_zip, engine="pandas"), read_ru_cik(ru2011_zip, engine="python"), records=False)


def test_vectorised_and_plain_checks_agree(tmp_path: Path) -> None:
    rows = _rows(RU_2021_SAMPLE)
    rows[1][5] = "10"                          # row 2: list shorter than ballots issued
    rows[3][14] = str(int(rows[3][14]) + 1)    # row 4: valid off by one (two relations)
    rows[5][6] = str(int(rows[5][6]) - 1)      # row 6: one ballot unaccounted for
    path = _write(tmp_path / "relations.csv", rows)
    fast = read_ru_cik(path, engine="pandas")
    assert fast.table.arrays is not None
    plain = read_ru_cik(path, engine="python")
    assert plain.table.arrays is None
    found = check_protocols(fast)
    assert found == check_protocols(plain) == check_protocols(fast.protocols, fast.form)
    assert [(v.row, v.relation) for v in found] == [
        (2, "list_covers_issued"), (4, "boxes_are_valid_and_invalid"), (4, "valid_is_party_votes"),
        (6, "ballots_accounted")]


def test_without_pandas_the_row_by_row_reader_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    batch = read_ru_cik(RU_2021_SAMPLE)
    assert batch.table.arrays is None and len(batch) == 5
    with pytest.raises(ModuleNotFoundError):
        read_ru_cik(RU_2021_SAMPLE, engine="pandas")


@pytest.mark.parametrize("blank", ["\n", "\r\n", "\n\n"])
@pytest.mark.parametrize("where", ["middle", "end"])
def test_blank_lines_anywhere_send_the_file_to_the_row_reader(tmp_path: Path, blank: str, where: str) -> None:
    lines = RU_2021_SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = [*lines[:3], blank, *lines[3:]] if where == "middle" else [*lines, blank]
    path = tmp_path / "blank.csv"
    path.write_bytes("".join(parts).encode("utf-8"))
    data = path.read_bytes()
    layout = ru_cik.detect_layout(ru_cik._header(data, "blank.csv"))
    # Not the pandas path: its row numbers would not be the file's (the row-by-row reader skips blank lines).
    assert ru_cik._pandas_table(data, layout, "blank.csv", required=True) is None
    assert ru_cik._pandas_table(RU_2021_SAMPLE.read_bytes(), layout, "sample.csv", required=True) is not None
    batch = read_ru_cik(path)
    _same(batch, read_ru_cik(path, engine="python"))
    assert len(batch) == 5


def test_the_counts_are_lists_made_from_the_arrays_on_first_use() -> None:
    batch = read_ru_cik(RU_2021_SAMPLE, engine="pandas")
    table = batch.table
    assert table.arrays is not None
    assert dict(table.columns) == {key: array.tolist() for key, array in table.arrays.items()}
    assert table.columns == read_ru_cik(RU_2021_SAMPLE, engine="python").table.columns
    first = table.columns["valid"]
    assert type(first) is list and all(type(v) is int for v in first) and table.columns["valid"] is first
    assert list(table.columns) == list(table.arrays) and len(table.columns) == len(table.arrays)
    with pytest.raises(KeyError):
        table.columns["no such line"]


@pytest.mark.slow
def test_both_engines_agree_on_the_real_2011_file(ru2011_zip: Path) -> None:
    fast, slow = read_ru_cik(ru2011_zip, engine="pandas"), read_ru_cik(ru2011_zip, engine="python")
    assert fast.table.arrays is not None and slow.table.arrays is None  # each engine really ran
    _same(fast, slow, records=False)
    assert fast.table.regions == slow.table.regions and fast.table.territories == slow.table.territories
    assert fast.meta == slow.meta and fast.unreported == slow.unreported == [] and fast.rejects == []

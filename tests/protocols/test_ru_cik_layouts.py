"""Every layout of the CEC station tables (2004-2024): lines matched by meaning, candidates, answers,
electronic voting units, stations without data.

The fixtures in ``data/`` follow the headers of the dkobak/elections corpus (the years not in ../shared),
with counts that satisfy each form's relations. Sums are recomputed here with the csv module.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from protocol_samples import DATA, RU_2021_SAMPLE

from saylau.errors import InputError, ProtocolError
from saylau.formats.ru_cik import AGAINST_ALL, ELECTRONIC, read_ru_cik
from saylau.formats.ru_lines import line_meaning
from saylau.protocols import check_protocols

ENGINES = ("pandas", "python")
HIERARCHY = {"region", "oik", "tik", "uik", "url", "level", "name"}

LAYOUTS = [
    # file, form, choices, number of vote columns
    ("ru-duma-2016-sample.csv", "ru-duma-2016", "parties", 14),
    ("ru-duma-2021-evoting-sample.csv", "ru-duma-2021", "parties", 14),
    ("ru-president-2004-sample.csv", "ru-president-2004", "candidates", 7),
    ("ru-president-2008-sample.csv", "ru-president-2004", "candidates", 4),
    ("ru-president-2018-sample.csv", "ru-president-2018", "candidates", 8),
    ("ru-president-2024-sample.csv", "ru-president-2018", "candidates", 4),
]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def _column_sums(path: Path) -> dict[str, int]:
    """Each count column's sum over the rows that have counts, by header name (independent of saylau)."""
    header, *rows = _rows(path)
    sums: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in HIERARCHY:
            continue
        sums[name] = sum(int(row[index]) for row in rows if row[index].strip())
    return sums


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("name", "form", "choices", "columns"), LAYOUTS)
def test_each_layout_is_read_by_meaning_and_its_sums_are_the_files(name: str, form: str, choices: str, columns: int,
                                                                   engine: str) -> None:
    path = DATA / name
    batch = read_ru_cik(path, engine=engine)  # type: ignore[arg-type]
    assert batch.form.name == form and batch.form.choices == choices == batch.meta["choices"]
    assert len(batch.parties) == columns
    assert check_protocols(batch) == []
    header = _rows(path)[0]
    expected = _column_sums(path)
    sums = batch.sums()
    # Every protocol line and every vote column equals the file's own column sum.
    for key in batch.form.line_keys:
        label = next(h for h in header if h not in HIERARCHY and line_meaning(h) == key)
        assert sums[key] == expected[label], key
    vote_headers = [h for h in header if h not in HIERARCHY and line_meaning(h) is None]
    assert [p.name for p in batch.parties] == [h.split(". ", 1)[-1] for h in vote_headers]
    for party, label in zip(batch.parties, vote_headers, strict=True):
        assert sums[party.code] == expected[label], label


def test_candidates_are_numbered_in_ballot_order_and_against_all_is_not_a_candidate() -> None:
    batch = read_ru_cik(DATA / "ru-president-2004-sample.csv")
    assert [(p.code, p.registration_order, p.kind) for p in batch.parties] == [
        ("1", 1, "list"), ("2", 2, "list"), ("3", 3, "list"), ("4", 4, "list"), ("5", 5, "list"), ("6", 6, "list"),
        (AGAINST_ALL, 7, "against_all")]
    assert batch.parties[3].name == "Путин Владимир Владимирович"
    first = batch.protocols[0]
    # Valid ballots include the against-all marks (the form's relation, holding on every row).
    assert sum(first.votes.values()) == first.lines["valid"] and AGAINST_ALL in first.votes


def test_the_2016_layout_is_told_from_2011_by_its_wording() -> None:
    batch = read_ru_cik(DATA / "ru-duma-2016-sample.csv")
    assert batch.form.name == "ru-duma-2016"
    assert batch.protocols[0].station == "Республика Адыгея (Адыгея)/Адыгейский - Республика Адыгея/Адыгейская/1"


@pytest.mark.parametrize("engine", ENGINES)
def test_electronic_voting_units_are_stations_of_their_own_told_apart_by_district(engine: str) -> None:
    batch = read_ru_cik(DATA / "ru-duma-2021-evoting-sample.csv", engine=engine)  # type: ignore[arg-type]
    electronic = [p for p in batch.protocols if p.extra.get("kind") == ELECTRONIC]
    assert [p.station for p in electronic] == [
        "Город Москва/196 Центральный/Дистанционное электронное голосование",
        "Город Москва/197 Кунцевский/Дистанционное электронное голосование"]
    assert all(p.url is None or p.url == "" for p in electronic)
    assert [p.extra.get("kind") for p in batch.protocols[:3]] == [None, None, None]
    assert len(set(batch.table.stations)) == len(batch) == 5


def test_an_empty_uik_is_refused_outside_electronic_voting(tmp_path: Path) -> None:
    rows = _rows(DATA / "ru-duma-2021-evoting-sample.csv")
    rows[4][2] = "Кунцевская"  # an ordinary commission with no station number
    with pytest.raises(ProtocolError) as caught:
        read_ru_cik(_write(tmp_path / "no-uik.csv", rows))
    assert [(e.row, e.field) for e in caught.value.violations] == [(5, "uik"), (5, "url")]


@pytest.mark.parametrize("engine", ENGINES)
def test_stations_without_data_are_known_not_reported(engine: str) -> None:
    batch = read_ru_cik(DATA / "ru-president-2024-sample.csv", engine=engine)  # type: ignore[arg-type]
    assert len(batch) == 4 and batch.rejects == []
    assert [(k.station, k.row, k.registered) for k in batch.unreported] == [
        ("Запорожская область/Бердянская городская/101", 6, None),
        ("Запорожская область/Бердянская городская/102", 7, None),
        ("Херсонская область/Генической районная/7", 8, None)]
    assert not set(batch.table.stations) & {k.station for k in batch.unreported}


def test_a_station_with_only_its_list_size_is_not_reported_and_keeps_it(tmp_path: Path) -> None:
    rows = _rows(DATA / "ru-president-2024-sample.csv")
    rows[5][3] = "1520"
    batch = read_ru_cik(_write(tmp_path / "list-only.csv", rows))
    assert (batch.unreported[0].station, batch.unreported[0].registered) == (
        "Запорожская область/Бердянская городская/101", 1520)


def test_a_row_with_some_counts_empty_is_an_error_not_a_missing_station(tmp_path: Path) -> None:
    rows = _rows(DATA / "ru-president-2024-sample.csv")
    rows[2][12] = ""  # row 3: valid ballots left empty, the rest given
    with pytest.raises(ProtocolError) as caught:
        read_ru_cik(_write(tmp_path / "hole.csv", rows))
    (error,) = caught.value.violations
    assert (error.row, error.field, error.value) == (3, "valid", "")
    assert "empty" in error.reason
    collected = read_ru_cik(tmp_path / "hole.csv", collect=True)
    assert len(collected) == 3 and len(collected.unreported) == 3
    assert collected.rejects[0].station == "Республика Адыгея (Адыгея)/1 Адыгейская/2"
    assert collected.rejects[0].region == "Республика Адыгея (Адыгея)"


@pytest.mark.parametrize(("wording", "key"), [
    ("Число избирателей, внесенных в списки избирателей", "voters_on_list"),
    ("Число избирателей, включенных в список избирателей на момент окончания голосования", "voters_on_list"),
    ("Число участников голосования, включенных в список участников голосования на момент окончания голосования",
     "voters_on_list"),
    ("Число избирательных бюллетеней, полученных участковыми избирательными комиссиями", "ballots_received"),
    ("Число избирательных бюллетеней, выданных избирателям в помещениях для голосования",
     "ballots_issued_in_premises"),
    ("Число избирательных бюллетеней, выданных избирателям на избирательных участках в день голосования",
     "ballots_issued_in_premises"),
    ("Число бюллетеней, выданных избирателям, проголосовавшим вне помещения для голосования в день голосования",
     "ballots_issued_outside"),
    ("Число бюллетеней, выданных участникам голосования", "ballots_issued"),
    ("Число бюллетеней, содержащихся в ящиках для голосования", "ballots_in_boxes"),
    ("Число бюллетеней в стационарных ящиках для голосования", "ballots_in_stationary_boxes"),
    ("Общее число недействительных избирательных бюллетеней", "invalid"),
    ("Число действительных избирательных бюллетеней", "valid"),
    ("Число полученных открепительных  удостоверений", "certificates_received"),
    ("Число открепительных удостоверений, выданных избирателям ТИК", "certificates_issued_by_territorial"),
    ("Число открепительных удостоверений, выданных на избирательном участке до дня голосования",
     "certificates_issued_at_station"),
    ("Число неиспользованных открепительных удостоверений", "certificates_cancelled"),
    ("Число не учтенных открепительных удостоверений", "certificates_unaccounted"),
    ("Число утраченных открепительных удостоверений", "certificates_lost"),
    ("Число избирательных бюллетеней, не учтенных при получении", "ballots_unaccounted"),
    ("Число утраченных избирательных бюллетеней", "ballots_lost"),
    ("9. Число недействительных избирательных бюллетеней", "invalid"),
    ("Число бюллетеней, съеденных комиссией", None),
])
def test_wordings_of_every_year_mean_their_line(wording: str, key: str | None) -> None:
    assert line_meaning(wording) == key


def test_two_columns_of_one_meaning_are_refused_by_name(tmp_path: Path) -> None:
    rows = _rows(RU_2021_SAMPLE)
    rows[0][14] = "Общее число недействительных избирательных бюллетеней"  # the valid column, renamed
    with pytest.raises(InputError) as caught:
        read_ru_cik(_write(tmp_path / "twice.csv", rows))
    assert "two columns count the same line 'invalid'" in str(caught.value) and caught.value.field == "column 15"


def test_a_line_no_form_has_names_the_closest_form(tmp_path: Path) -> None:
    rows = _rows(RU_2021_SAMPLE)
    rows[0][10] = "Число не учтенных открепительных удостоверений"  # a 2007 line in a 2021 table
    with pytest.raises(InputError) as caught:
        read_ru_cik(_write(tmp_path / "mixed.csv", rows))
    message = str(caught.value)
    assert "unknown CEC protocol layout" in message and "closest ru-duma-2021" in message
    assert "lines missing: ballots_cancelled" in message and "certificates_unaccounted" in message


def test_a_forced_form_of_another_kind_is_refused() -> None:
    with pytest.raises(InputError, match="vote columns are parties, the file's are candidates"):
        read_ru_cik(DATA / "ru-president-2018-sample.csv", form="ru-duma-2021")
    assert read_ru_cik(DATA / "ru-president-2018-sample.csv", form="ru-president-2018").form.name == \
        "ru-president-2018"


def test_candidate_columns_mixed_with_party_columns_are_refused(tmp_path: Path) -> None:
    rows = _rows(RU_2021_SAMPLE)
    rows[0][18] = "Путин Владимир Владимирович"
    with pytest.raises(InputError) as caught:
        read_ru_cik(_write(tmp_path / "mixed.csv", rows))
    assert "neither a protocol line" in str(caught.value) and caught.value.field == "column 19"


def test_counts_written_as_decimals_throughout_a_column_are_whole_numbers(tmp_path: Path) -> None:
    rows = _rows(DATA / "ru-president-2024-sample.csv")
    for row in rows[1:5]:
        row[3:-1] = [f"{cell}.0" for cell in row[3:-1]]  # every count of the reported stations as "N.0"
    rows[5][3] = "1520.0"
    batch = read_ru_cik(_write(tmp_path / "floats.csv", rows))
    plain = read_ru_cik(DATA / "ru-president-2024-sample.csv")
    assert batch.table.columns == plain.table.columns
    assert batch.unreported[0].registered == 1520
    rows[2][4] = "17.5"
    with pytest.raises(ProtocolError) as caught:
        read_ru_cik(_write(tmp_path / "half.csv", rows))
    assert [(e.row, e.field, e.value) for e in caught.value.violations] == [(3, "ballots_received", "17.5")]
    assert "N.0" in caught.value.violations[0].reason


def test_against_all_candidates_wording_is_against_all(tmp_path: Path) -> None:
    rows = _rows(DATA / "ru-president-2004-sample.csv")
    rows[0][-2] = "Против всех кандидатов"
    batch = read_ru_cik(_write(tmp_path / "2004.csv", rows))
    assert (batch.parties[-1].code, batch.parties[-1].kind) == (AGAINST_ALL, "against_all")
    assert len(batch.parties) == 7


def test_check_names_the_stations_without_data(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from saylau.cli import main

    path = str(DATA / "ru-president-2024-sample.csv")
    assert main(["check", path]) == 0
    assert "4 protocols checked against ru-president-2018 (3 stations listed without data: not reported)" in \
        capsys.readouterr().out
    assert main(["check", path, "--output", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["protocols"], found["unreported"], found["errors"]) == (4, 3, 0)


@pytest.mark.parametrize("cell", ["1_000", "١٢", "12e3", "10000000001"])
def test_counts_are_ascii_digits_up_to_the_largest_count(tmp_path: Path, cell: str) -> None:
    rows = _rows(DATA / "ru-president-2018-sample.csv")
    rows[3][4] = cell  # row 4: ballots received
    with pytest.raises(ProtocolError) as caught:
        read_ru_cik(_write(tmp_path / "odd.csv", rows))
    (error,) = caught.value.violations
    assert (error.row, error.field, error.value) == (4, "ballots_received", cell)
    assert "digits 0-9" in error.reason or "above 10,000,000,000" in error.reason

"""saylau's protocol CSV and JSON: round trips, format detection, bad rows located."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from protocol_samples import RU_2021_SAMPLE, good_protocol

from saylau.errors import InputError, ProtocolError
from saylau.formats.protocol_files import (
    detect_format,
    read_protocol_file,
    write_protocol_csv,
    write_protocol_json,
)
from saylau.protocols import ProtocolBatch, load_form
from saylau.tabulate.model import PartyInfo

PARTIES = [PartyInfo("A", "Alpha, the first", 1, names={"en": "Alpha"}), PartyInfo("B", "Беta", 2)]


def _batch() -> ProtocolBatch:
    protocols = [good_protocol("kz-mazhilis-2021", f"PS-{i}") for i in range(3)]
    protocols[1] = type(protocols[1])("PS-1", "Region 2", None, protocols[1].lines, protocols[1].votes,
                                      synthetic=True, url="http://example.org/1", extra={"note": "x,y"})
    return ProtocolBatch(load_form("kz-mazhilis-2021"), PARTIES, protocols, source="mem", meta={"seed": 5})


def _essence(batch: ProtocolBatch) -> list[tuple[object, ...]]:
    return [(p.station, p.region, p.territory, dict(p.lines), dict(p.votes), p.synthetic, p.url, dict(p.extra))
            for p in batch.protocols]


@pytest.mark.parametrize(("suffix", "writer"), [(".csv", write_protocol_csv), (".json", write_protocol_json)])
def test_round_trip(tmp_path: Path, suffix: str, writer) -> None:  # type: ignore[no-untyped-def]
    original = _batch()
    path = tmp_path / f"protocols{suffix}"
    writer(original, path)
    again = read_protocol_file(path)
    assert again.form.name == "kz-mazhilis-2021"
    assert _essence(again) == _essence(original)
    assert [(p.code, p.name, p.registration_order) for p in again.parties] == \
        [(p.code, p.name, p.registration_order) for p in original.parties]
    assert [p.row for p in again.protocols] == [2, 3, 4] if suffix == ".csv" else [1, 2, 3]
    if suffix == ".json":
        assert again.meta["seed"] == 5 and again.parties[0].names == {"en": "Alpha"}


def test_a_cec_batch_survives_both_formats(tmp_path: Path) -> None:
    cec = read_protocol_file(RU_2021_SAMPLE)
    for name, writer in (("a.csv", write_protocol_csv), ("a.json", write_protocol_json)):
        writer(cec, tmp_path / name)
        again = read_protocol_file(tmp_path / name)
        assert again.form.name == "ru-duma-2021"
        assert _essence(again) == _essence(cec)
        assert [p.name for p in again.parties] == [p.name for p in cec.parties]


def test_writing_to_a_stream() -> None:
    out = io.StringIO()
    write_protocol_csv(_batch(), out)
    header = out.getvalue().splitlines()[0].split(",")
    assert header[:4] == ["region", "territory", "station", "voters_on_list"]
    assert "party:B:Беta" in header and "extra:note" in header


def test_format_detection(tmp_path: Path) -> None:
    write_protocol_csv(_batch(), tmp_path / "own.csv")
    assert detect_format(tmp_path / "own.csv") == "csv"
    assert detect_format(RU_2021_SAMPLE) == "ru-cik"
    assert detect_format(tmp_path / "x.json") == "json"
    assert detect_format(tmp_path / "x.zip") == "ru-cik"


def test_bad_csv_rows_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    write_protocol_csv(_batch(), path)
    with path.open(encoding="utf-8", newline="") as handle:
        header, *cells = list(csv.reader(handle))
    cells[0][header.index("invalid")] = "ten"
    cells[2][header.index("synthetic")] = "maybe"
    cells[2][header.index("party:A:Alpha, the first")] = "-1"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *cells])
    with pytest.raises(ProtocolError) as caught:
        read_protocol_file(path)
    assert [(e.row, e.field, e.value) for e in caught.value.violations] == [
        (2, "invalid", "ten"), (4, "party:A", "-1"), (4, "synthetic", "maybe")]
    partial = read_protocol_file(path, collect=True)
    assert [p.station for p in partial.protocols] == ["PS-1"]


def test_bad_json_protocols_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    write_protocol_json(_batch(), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["protocols"][0]["lines"]["valid"] = 1.5
    document["protocols"][1]["votes"]["C"] = 3
    document["protocols"][2]["station"] = "PS-0"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        read_protocol_file(path)
    assert [(e.row, e.field, e.value) for e in caught.value.violations] == [
        (1, "lines.valid", 1.5), (2, "votes.C", 3), (3, "station", "PS-0")]


def test_a_form_that_does_not_match_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    write_protocol_csv(_batch(), path)
    with pytest.raises(InputError, match="do not match form 'ru-duma-2021'"):
        read_protocol_file(path, form="ru-duma-2021")


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    batch = _batch()
    batch.table.columns["valid"].pop()  # a broken table: the writer fails midway
    target = tmp_path / "out.csv"
    with pytest.raises(ValueError):
        write_protocol_csv(batch, target)
    assert list(tmp_path.iterdir()) == []


def test_protocol_csv_neutralises_formula_cells_and_reads_them_back(tmp_path: Path) -> None:
    # CSV injection (issue 13): ids and names a spreadsheet would run get a leading quote in the file
    base = good_protocol("kz-mazhilis-2021", "PS-1")
    hostile = type(base)("=cmd|'/C calc'!A0", "@Region", "-T", base.lines, base.votes,
                         extra={"note": "+1"})
    batch = ProtocolBatch(load_form("kz-mazhilis-2021"), PARTIES,
                          [hostile], source="mem")
    path = tmp_path / "p.csv"
    write_protocol_csv(batch, path)
    with path.open(encoding="utf-8", newline="") as handle:
        row = list(csv.reader(handle))[1]
    assert row[:3] == ["'@Region", "'-T", "'=cmd|'/C calc'!A0"]
    again = read_protocol_file(path).protocols[0]
    assert (again.station, again.region, again.territory, dict(again.extra)) == \
        ("=cmd|'/C calc'!A0", "@Region", "-T", {"note": "+1"})


@pytest.mark.parametrize(("cell", "reason"), [
    ("10000000001", "above 10,000,000,000"), ("9223372036854775808", "above 10,000,000,000"),
    ("1 000", "digits 0-9 only"), ("+12", "digits 0-9 only"), ("12.0", "digits 0-9 only"),
    ("true", "digits 0-9 only"), ("١٢", "digits 0-9 only"), (" 12", "digits 0-9 only"), ("", "missing"),
    ("-1", "must not be negative"),
])
def test_csv_counts_are_bounded_and_strict(tmp_path: Path, cell: str, reason: str) -> None:
    # Issue 13: 2^63 passed and then overflowed in the store; lenient spellings were guessed at.
    path = tmp_path / "own.csv"
    write_protocol_csv(_batch(), path)
    with path.open(encoding="utf-8", newline="") as handle:
        header, *cells = list(csv.reader(handle))
    cells[1][header.index("voters_on_list")] = cell
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *cells])
    with pytest.raises(ProtocolError) as caught:
        read_protocol_file(path)
    ((row, field, value, message),) = [(e.row, e.field, e.value, str(e)) for e in caught.value.violations]
    assert (row, field, value) == (3, "voters_on_list", cell) and reason in message


def test_csv_count_at_the_bound_is_read(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    write_protocol_csv(_batch(), path)
    with path.open(encoding="utf-8", newline="") as handle:
        header, *cells = list(csv.reader(handle))
    cells[1][header.index("voters_on_list")] = "10000000000"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *cells])
    batch = read_protocol_file(path, collect=True)  # a relation may fail; the count itself reads
    assert all(e.field != "voters_on_list" for e in batch.rejects)


@pytest.mark.parametrize(("value", "reason"), [
    ("12", "whole number"), (True, "whole number"), (1.0, "whole number"), (10**10 + 1, "above 10,000,000,000"),
    (2**63, "above 10,000,000,000"), (-1, "must not be negative"),
])
def test_json_counts_are_bounded_and_strict(tmp_path: Path, value: object, reason: str) -> None:
    path = tmp_path / "p.json"
    write_protocol_json(_batch(), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["protocols"][1]["lines"]["voters_on_list"] = value
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        read_protocol_file(path)
    ((row, field, message),) = [(e.row, e.field, str(e)) for e in caught.value.violations]
    assert (row, field) == (2, "lines.voters_on_list") and reason in message

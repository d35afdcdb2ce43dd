"""A data file's bytes, a zip member inflated in a second thread: the same bytes however they are read, and a
broken zip refused by name wherever it is noticed."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pytest

from saylau.errors import InputError
from saylau.formats import filebytes
from saylau.formats.filebytes import open_bytes
from saylau.formats.ru_cik import read_ru_cik

# Several chunks, the last a short one, and text whose characters straddle the chunks' edges.
DATA = ("Республика,ТИК,УИК\n" * 200_000).encode("utf-8")


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_every_way_of_reading_gives_the_same_bytes(tmp_path: Path) -> None:
    assert len(DATA) > 3 * filebytes._CHUNK
    for path in (_zip(tmp_path / "a.zip", {"dir/a.CSV": DATA, "readme.txt": b"x"}), tmp_path / "a.csv"):
        path.write_bytes(DATA) if path.suffix == ".csv" else None
        with open_bytes(path, "f") as data:
            assert data.head(10) == DATA[:len(data.head(10))] and len(data.head(10)) >= 10
            assert data.stream().read() == DATA
            assert data.stream().read(5) + data.stream().read() == DATA[:5] + DATA  # each stream from the start
            assert data.whole() == DATA and data.head(len(DATA) * 2) == DATA
    with open_bytes(_zip(tmp_path / "empty.zip", {"e.csv": b""}), "e") as data:
        assert data.whole() == b"" and data.head(100) == b"" and data.stream().read() == b""


def test_a_zip_must_hold_exactly_one_csv(tmp_path: Path) -> None:
    for members in ({}, {"a.csv": b"1", "b.csv": b"2"}, {"a.txt": b"1"}, {"a.csv/": b""}):
        with pytest.raises(InputError, match=r"exactly one \.csv file") as caught:
            open_bytes(_zip(tmp_path / "z.zip", members), "z.zip")
        assert caught.value.source == "z.zip"
    with pytest.raises(InputError, match="cannot read"):
        open_bytes(tmp_path / "missing.csv", "missing.csv")


def _damaged(tmp_path: Path, how: str) -> Path:
    path = _zip(tmp_path / f"{how}.zip", {"a.csv": DATA})
    raw = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).infolist()[0]
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)  # the member's compressed bytes
    if how == "crc":
        raw[14:18] = (zipfile.ZipFile(path).getinfo("a.csv").CRC ^ 1).to_bytes(4, "little")  # local header's CRC
        central = raw.rfind(b"PK\x01\x02")
        raw[central + 16:central + 20] = raw[14:18]
    else:  # "deflate": a byte of the compressed stream flipped, far into it
        raw[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("how", ["crc", "deflate"])
def test_a_damaged_member_is_refused_by_name_however_it_is_read(tmp_path: Path, how: str) -> None:
    path = _damaged(tmp_path, how)
    for read in (lambda d: d.whole(), lambda d: d.stream().read()):
        with open_bytes(path, "bad.zip") as data, pytest.raises(InputError, match="broken zip file") as caught:
            read(data)
        assert caught.value.source == "bad.zip"


def test_the_cec_reader_refuses_a_damaged_zip(tmp_path: Path, ru2011_zip: Path) -> None:
    raw = bytearray(ru2011_zip.read_bytes())
    info = zipfile.ZipFile(ru2011_zip).infolist()[0]
    raw[info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size * 3 // 4] ^= 0xFF
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="broken zip file") as caught:
        read_ru_cik(path)
    assert caught.value.source == str(path)


def test_closing_stops_inflating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()  # the inflating thread waits at its first read until the file is closed
    read = zipfile.ZipExtFile.read
    monkeypatch.setattr(zipfile.ZipExtFile, "read", lambda self, n=-1: gate.wait() and read(self, n))
    data = open_bytes(_zip(tmp_path / "big.zip", {"a.csv": DATA * 4}), "big.zip")
    data.close()
    gate.set()
    assert data._thread is not None
    data._thread.join()
    assert len(data._chunks) <= 1  # the rest was never inflated
    with pytest.raises(ValueError, match="closed"):
        data.whole()  # never a silently short file

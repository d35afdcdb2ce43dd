"""Elections whose ballot offers candidates: the station protocol says so; a seat protocol is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.protocols.registry import load_form
from saylau.store import open_store
from saylau.tabulate.model import ElectionInfo, PartyInfo

PageReader = Callable[[Path], list[str]]
Flatten = Callable[[list[str]], str]


@pytest.fixture
def president(tmp_path: Path) -> str:
    db = str(tmp_path / "ru.sqlite")
    with open_store(db) as store:
        store.create_election(
            ElectionInfo("ru-p-2018", "Presidential election 2018", dt.date(2018, 3, 18), None, "RU"),
            [PartyInfo("PUTIN", "Putin", 1, names={"ru": "Путин Владимир Владимирович"}),
             PartyInfo("GRUDININ", "Grudinin", 2, names={"ru": "Грудинин Павел Николаевич"})],
            form="ru-president-2018", nation_name="Russia")
        store.register_stations("ru-p-2018", [("UIK 1", "Moscow", "TIK 1")])
    return db


def test_blank_candidate_protocol(president: str, tmp_path: Path, read_pages: PageReader, flatten: Flatten) -> None:
    out = tmp_path / "blank.pdf"
    assert main(["document", "station-protocol", "--election", "ru-p-2018", "--station", "UIK 1", "--blank",
                 "--lang", "ru", "--db", president, "-o", str(out)]) == 0
    text = flatten(read_pages(out))
    assert "об итогах голосования по выборам Президента Российской Федерации" in text
    assert "Число голосов избирателей, поданных за каждого кандидата" in text
    assert "партийный список" not in text
    form = load_form("ru-president-2018")
    first = form.first_party_line or 0
    assert f"{first} Путин Владимир Владимирович" in text and f"{first + 1} Грудинин Павел Николаевич" in text
    for line in form.lines:
        assert f"{line.number} {line.label('ru')}" in text


def test_seat_protocol_refused_for_a_candidate_election(president: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "seat.pdf"
    assert main(["document", "seat-protocol", "--election", "ru-p-2018", "--lang", "ru", "--db", president,
                 "-o", str(out)]) == 2
    assert "a seat protocol is for party-list elections; the ballot of 'ru-p-2018' offers candidates" in \
        capsys.readouterr().err
    assert not out.exists()

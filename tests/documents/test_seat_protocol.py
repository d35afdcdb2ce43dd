"""The protocol on the distribution of seats: kz-2021's official figures in the text, in ru, kk and en."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.datasets import load_dataset
from saylau.documents import load_document
from saylau.documents.lang import integer_text

PageReader = Callable[[Path], list[str]]
Flatten = Callable[[list[str]], str]

OFFICIAL = {"NO": 76, "AJ": 12, "QHP": 10, "AUYL": 0, "ADAL": 0}
"""Declared by the CEC (spec section 1); also in the official table's seats_official column."""

TITLE = {
    "ru": "Протокол Центральной избирательной комиссии Республики Казахстан о распределении депутатских мандатов",
    "kk": "Қазақстан Республикасы Орталық сайлау комиссиясының",
    "en": "Protocol of the Central Election Commission of the Republic of Kazakhstan on the distribution",
}
TITLE_END = {"ru": "избираемых по партийным спискам", "kk": "депутаттық мандаттарды бөлу туралы хаттамасы",
             "en": "elected by party lists"}
APPOINTED = {"ru": "Ассамблея народа Казахстана избирает 9 (девять) депутатов.",
             "kk": "Қазақстан халқы Ассамблеясы 9 (тоғыз) депутат сайлайды.",
             "en": "Assembly of People of Kazakhstan elects 9 (nine) deputies."}
HOUSE = {"ru": "Всего депутатов: 107 (сто семь), из них по партийным спискам: 98 (девяносто восемь).",
         "kk": "Барлық депутаттар: 107 (бір жүз жеті), оның ішінде партиялық тізімдер бойынша: 98 (тоқсан сегіз).",
         "en": "Deputies in all: 107 (one hundred and seven), of whom 98 (ninety-eight) elected by party lists."}
SEATS_IN_WORDS = {"ru": {76: "семьдесят шесть", 12: "двенадцать", 10: "десять"},
                  "kk": {76: "жетпіс алты", 12: "он екі", 10: "он"},
                  "en": {76: "seventy-six", 12: "twelve", 10: "ten"}}
PAGE = {"ru": "Страница {n} из {m}", "kk": "{m} беттің {n}-беті", "en": "Page {n} of {m}"}
QUOTA = {"ru": "6 599 921 / 98 ≈ 67 346,1327", "kk": "6 599 921 / 98 ≈ 67 346,1327", "en": "6,599,921 / 98 ≈ 67,346.1327"}
DATE = {"ru": "10 января 2021 года", "kk": "2021 жылғы 10 қаңтар", "en": "10 January 2021"}


@pytest.fixture(scope="module")
def protocols(kz_store: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seat")
    out = {}
    for lang in ("ru", "kk", "en"):
        out[lang] = folder / f"seat-{lang}.pdf"
        assert main(["document", "seat-protocol", "--election", "kz-2021", "--lang", lang, "--db", kz_store,
                     "-o", str(out[lang])]) == 0
    return out


def _plain(value: str) -> str:
    return value.replace("\u00a0", " ")


def test_official_table_declares_the_seats_we_check(spec_data: Path) -> None:
    assert dict(load_dataset("kz-2021").info.official_seats) == OFFICIAL


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_text_states_the_official_result(protocols: dict[str, Path], lang: str, read_pages: PageReader,
                                         flatten: Flatten) -> None:
    pages = read_pages(protocols[lang])
    text = flatten(pages)
    data = load_dataset("kz-2021")
    assert TITLE[lang] in text and TITLE_END[lang] in text
    assert DATE[lang] in text
    for party in data.parties:
        name = party.names.get(lang, party.name)
        votes = _plain(integer_text(data.nation.votes[party.code], lang))
        assert f"{name} {votes}" in text, (name, votes)  # the votes table: name, then votes
    # The result table: ballot number, name, seats in figures and in words; only the lists that won seats.
    for party in data.parties:
        seats = OFFICIAL[party.code]
        words = SEATS_IN_WORDS[lang].get(seats, "")
        row = f"{party.registration_order} {party.names.get(lang, party.name)} {seats} ({words})"
        assert (row in text) == (seats > 0), row
    assert HOUSE[lang] in text
    assert QUOTA[lang] in text
    assert APPOINTED[lang] in text
    for key in ("registered_voters", "ballots_cast", "valid_votes", "invalid_votes"):
        value = {"registered_voters": 11919241, "ballots_cast": 7539280, "valid_votes": 7241562,
                 "invalid_votes": 297718}[key]
        assert _plain(integer_text(value, lang)) in text
    for n in range(1, len(pages) + 1):
        assert PAGE[lang].format(n=n, m=len(pages)) in pages[n - 1]


def test_threshold_line_and_each_list_against_it(protocols: dict[str, Path], read_pages: PageReader, flatten: Flatten) -> None:
    text = flatten(read_pages(protocols["ru"]))
    # 7% of 7,241,562 valid votes is 506,909.34 exactly; a list needs 506,910.
    assert "7 % × 7 241 562 = 506 909,34 голосов; списку необходимо не менее 506 910 голосов" in text
    assert "Партия «Нур Отан» 5 148 074 71,0907 % 5 148 074 ≥ 506 909,34 преодолел" in text
    assert "Партия «Адал» 258 618 3,5713 % 258 618 < 506 909,34 не преодолел" in text
    assert "Демократическая партия Казахстана «Ак жол» 792 828 10,9483 % 792 828 ≥ 506 909,34 преодолел" in text


def test_whole_and_remainder_seats(protocols: dict[str, Path], read_pages: PageReader, flatten: Flatten) -> None:
    text = flatten(read_pages(protocols["ru"]))
    # Quotients 76.4420, 11.7724, 9.7856: whole parts 76 / 11 / 9, the two seats left go to the remainders .7856 and .7724.
    assert "Партия «Нур Отан» 5 148 074 ≈76,4420 76 ≈0,4420 0 76" in text
    assert "Народная партия Казахстана 659 019 ≈9,7856 9 ≈0,7856 1 10" in text
    assert "По целой части распределено 96 мандатов, по наибольшим остаткам — 2." in text


def test_model_matches_the_engine(kz_store: str) -> None:
    doc = load_document("seat-protocol", "kz-2021", kz_store)
    assert {x.code: x.seats for x in doc.lists} == OFFICIAL
    assert doc.quota is not None and doc.quota.value == Fraction(6599921, 98)
    assert (doc.quota.votes, doc.quota.seats) == (6599921, 98)
    assert doc.threshold is not None and doc.threshold.line == Fraction(7, 100) * 7241562
    assert doc.threshold.minimum_votes == 506910
    assert sum(x.whole_seats or 0 for x in doc.lists) == 96
    assert doc.total_seats == 107 and [a.seats for a in doc.appointed] == [9]
    assert doc.ties == () and doc.runner_up is None


def test_signature_blocks(protocols: dict[str, Path], read_pages: PageReader, flatten: Flatten) -> None:
    text = flatten(read_pages(protocols["kk"]))
    for role in ("Төраға", "Төрағаның орынбасары", "Хатшы", "Комиссия мүшелері", "(қолы)", "М.О."):
        assert role in text

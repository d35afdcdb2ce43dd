"""Station protocols (filled and blank) and the results summary, through the command line."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.datasets import load_dataset
from saylau.documents.lang import integer_text, percent_text
from saylau.documents.words import number_words
from saylau.protocols.registry import load_form
from saylau.store import open_store

PageReader = Callable[[Path], list[str]]
Flatten = Callable[[list[str]], str]


def _first_protocol(db: str):  # type: ignore[no-untyped-def]
    with open_store(db) as store:
        return next(iter(store.station_protocols("kz-2021")))


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_filled_station_protocol_states_every_line_in_form_order(kz_store: str, tmp_path: Path, lang: str,
                                                                 read_pages: PageReader, flatten: Flatten) -> None:
    protocol = _first_protocol(kz_store)
    out = tmp_path / "station.pdf"
    assert main(["document", "station-protocol", "--station", protocol.station, "--election", "kz-2021",
                 "--lang", lang, "--db", kz_store, "-o", str(out)]) == 0
    text = flatten(read_pages(out))
    form = load_form("kz-mazhilis-2021")
    rows = [(line.number, line.label(lang), protocol.lines[line.key]) for line in form.lines]
    parties = sorted(load_dataset("kz-2021").parties, key=lambda p: p.registration_order)
    first = form.first_party_line or 0
    rows += [(first + i, p.names.get(lang, p.name), protocol.votes[p.code]) for i, p in enumerate(parties)]
    at = 0
    for number, label, value in rows:  # each line: number, label, figure, figure in words; in form then ballot order
        for fragment in (f"{number} {label}", str(value), number_words(value, lang)):
            found = text.find(fragment, at)
            assert found >= 0, (fragment, text[at:at + 200])
            at = found + len(fragment)


def test_blank_station_protocol_has_the_lines_and_no_figures(kz_store: str, tmp_path: Path,
                                                             read_pages: PageReader, flatten: Flatten) -> None:
    protocol = _first_protocol(kz_store)
    out = tmp_path / "blank.pdf"
    assert main(["document", "station-protocol", "--station", protocol.station, "--blank", "--election", "kz-2021",
                 "--lang", "kk", "--db", kz_store, "-o", str(out)]) == 0
    pages = read_pages(out)
    form = load_form("kz-mazhilis-2021")
    for line in form.lines:
        assert f"{line.number} {line.label('kk')}" in flatten(pages)
    assert "Хаттама бланкісі" in flatten(pages)
    assert "8 = Σ(9…13)" in flatten(pages)  # control relations in line numbers
    assert str(protocol.lines["voters_on_list"]) not in flatten(pages)


def test_results_summary_national_and_regional(kz_store: str, tmp_path: Path, read_pages: PageReader,
                                               flatten: Flatten) -> None:
    out = tmp_path / "summary.pdf"
    assert main(["document", "results-summary", "--election", "kz-2021", "--lang", "ru", "--db", kz_store,
                 "-o", str(out)]) == 0
    text = flatten(read_pages(out))
    data = load_dataset("kz-2021")
    assert "Сводная таблица результатов выборов депутатов Мажилиса" in text
    assert "2 Партия «Нур Отан» 5 148 074 71,09 % 76" in text
    for region, name in (("Akmola Region", "Акмолинская область"), ("Shymkent", "город Шымкент"),
                         ("Nur-Sultan (Astana)", "город Нур-Султан (Астана)")):
        unit = data.unit(f"KZ/{region}")
        assert f"{name} {integer_text(unit.valid, 'ru').replace(chr(160), ' ')}" in text
    # Nur-Sultan, Nur Otan: 173,732 votes are 59.23% of the city's valid votes (the source misprints 67.50%).
    assert "173 732 59,23 %" in text
    # The regional table's total row: the regions add up to the nation.
    total = " ".join(f"{integer_text(data.nation.votes[p.code], 'ru')} "
                     f"{percent_text(Fraction(data.nation.votes[p.code], data.nation.valid), 2, 'ru')}"
                     for p in data.parties).replace(chr(160), " ")
    assert f"Итого {integer_text(data.nation.valid, 'ru')} ".replace(chr(160), " ") + total in text


# Latin words a kk or ru document may contain: names written in Latin letters, the hash's name, the attachment
# and the command that recomputes it (a command is typed as it is, in every language).
ALLOWED_LATIN = {"Nur", "Otan", "SHA", "figures", "json", "JSON", "saylau", "document", "seat", "protocol",
                 "station", "results", "summary", "election", "kz", "verify", "blank", "pdf", "Akmola", "Region",
                 "territorial", "commission"}


@pytest.mark.parametrize("kind", ["seat-protocol", "station-protocol", "results-summary"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_english_interface_word_in_kk_and_ru(kz_store: str, tmp_path: Path, kind: str, lang: str,
                                                read_pages: PageReader, flatten: Flatten) -> None:
    import re

    out = tmp_path / "doc.pdf"
    station = ["--station", _first_protocol(kz_store).station] if kind == "station-protocol" else []
    assert main(["document", kind, "--election", "kz-2021", "--lang", lang, "--db", kz_store, *station,
                 "-o", str(out)]) == 0
    text = re.sub(r"\b[0-9a-f]{64}\b", "", flatten(read_pages(out)))
    words = set(re.findall(r"[A-Za-z]+", text))
    assert words - ALLOWED_LATIN == set()

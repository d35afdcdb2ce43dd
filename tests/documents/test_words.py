"""Numbers in words, as a signed protocol repeats its seats."""

from __future__ import annotations

import pytest

from saylau.documents.words import number_words


@pytest.mark.parametrize(("n", "ru", "kk", "en"), [
    (0, "ноль", "нөл", "zero"),
    (11, "одиннадцать", "он бір", "eleven"),
    (76, "семьдесят шесть", "жетпіс алты", "seventy-six"),
    (107, "сто семь", "бір жүз жеті", "one hundred and seven"),
    (450, "четыреста пятьдесят", "төрт жүз елу", "four hundred and fifty"),
    (1000, "одна тысяча", "бір мың", "one thousand"),
    (2002, "две тысячи два", "екі мың екі", "two thousand two"),
    (11000, "одиннадцать тысяч", "он бір мың", "eleven thousand"),
    (21000, "двадцать одна тысяча", "жиырма бір мың", "twenty-one thousand"),
    (5148074, "пять миллионов сто сорок восемь тысяч семьдесят четыре",
     "бес миллион бір жүз қырық сегіз мың жетпіс төрт",
     "five million one hundred and forty-eight thousand seventy-four"),
    (2_000_000_001, "два миллиарда один", "екі миллиард бір", "two billion one"),
])
def test_number_words(n: int, ru: str, kk: str, en: str) -> None:
    assert (number_words(n, "ru"), number_words(n, "kk"), number_words(n, "en")) == (ru, kk, en)


@pytest.mark.parametrize("bad", [-1, 10**12, True, 1.0])
def test_out_of_range_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="cannot write"):
        number_words(bad, "ru")  # type: ignore[arg-type]

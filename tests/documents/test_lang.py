"""Numbers and dates as Kazakh, Russian and English documents write them."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from saylau.documents.lang import (
    NBSP,
    date_text,
    decimal_text,
    fraction_text,
    integer_text,
    percent_text,
)


@pytest.mark.parametrize(("lang", "expected"), [("kk", f"5{NBSP}148{NBSP}074"), ("ru", f"5{NBSP}148{NBSP}074"),
                                                ("en", "5,148,074")])
def test_thousands(lang: str, expected: str) -> None:
    assert integer_text(5148074, lang) == expected
    assert integer_text(999, lang) == "999"
    assert integer_text(1000, lang) == ("1,000" if lang == "en" else f"1{NBSP}000")


def test_decimal_comma_and_exact_half_up() -> None:
    quota = Fraction(6599921, 98)
    assert decimal_text(quota, 4, "ru") == f"67{NBSP}346,1327"  # 67346.13265306... rounds up at the 4th place
    assert decimal_text(quota, 4, "en") == "67,346.1327"
    assert decimal_text(Fraction(12345, 1000), 2, "kk") == "12,35"  # exactly half: up
    assert decimal_text(Fraction(12344, 1000), 2, "kk") == "12,34"


def test_percent_and_fraction() -> None:
    assert percent_text(Fraction(5148074, 7241562), 2, "ru") == f"71,09{NBSP}%"
    assert percent_text(Fraction(5148074, 7241562), 2, "en") == "71.09%"
    assert fraction_text(6599921, 98, "kk") == f"6{NBSP}599{NBSP}921 / 98"


def test_dates_written_out() -> None:
    day = dt.date(2021, 1, 10)
    assert date_text(day, "ru") == "10 января 2021 года"
    assert date_text(day, "kk") == "2021 жылғы 10 қаңтар"
    assert date_text(day, "en") == "10 January 2021"
    assert date_text(dt.date(2023, 3, 19), "kk") == "2023 жылғы 19 наурыз"


def test_unknown_language_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        integer_text(1, "de")

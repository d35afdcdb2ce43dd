"""Exact numbers: parsing shares written by people, and rendering fractions for them.

Shares are written as a percentage (``7%``), a decimal fraction or a ratio
(``1/150``); every one becomes a
:class:`~fractions.Fraction` without passing through binary floating point.
"""

from __future__ import annotations

import re
from fractions import Fraction

__all__ = ["MAX_COUNT", "check_count", "decimal_str", "fraction_str", "parse_count", "parse_rational", "parse_share"]

#: The largest count (votes, voters, ballots) saylau accepts from a file or the command line. No real
#: electorate comes near it (India's, the largest, is under 10^9), so anything above is a typing or
#: file error; it also keeps every sum of counts far inside the store's 64-bit integers.
MAX_COUNT = 10**10

_RATIONAL = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(?:/\s*(\d+(?:\.\d+)?))?\s*(%?)\s*$")


def parse_count(text: str) -> int:
    """A count written as ASCII digits only, 0 to :data:`MAX_COUNT`; anything else is a ValueError saying why.

    Lenient spellings are refused, not guessed at: ``" 12"``, ``"+12"``, ``"1 000"``, ``"1_000"``,
    ``"12.0"``, ``"1e3"``, ``"true"`` and digits of other scripts (``"١٢"``).
    """
    if not text.isascii() or not text.isdigit():
        if text[:1] == "-" and text[1:].isascii() and text[1:].isdigit():
            raise ValueError("must not be negative")
        raise ValueError("must be a whole number written with the digits 0-9 only")
    # the length first: a 5,000-digit cell must not reach int() (or cost its conversion)
    if len(text.lstrip("0")) > len(str(MAX_COUNT)) or int(text) > MAX_COUNT:
        raise ValueError(f"is above {MAX_COUNT:,}, more than any real electorate")
    return int(text)


def check_count(value: object) -> int:
    """A count given as a number (JSON, Python): an int (not a bool) from 0 to :data:`MAX_COUNT`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    if value < 0:
        raise ValueError("must not be negative")
    if value > MAX_COUNT:
        raise ValueError(f"is above {MAX_COUNT:,}, more than any real electorate")
    return value


def parse_rational(text: str | int | Fraction) -> Fraction:
    """Parse a decimal, a ratio (``7/5``), a percentage (``140%``) or an int exactly."""
    if isinstance(text, Fraction):
        return text
    if isinstance(text, bool):
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, int):
        return Fraction(text)
    if not isinstance(text, str):
        raise ValueError(f"not an exact number: {text!r} (write it as a string, e.g. '7%' or '7/100')")
    match = _RATIONAL.match(text)
    if match is None:
        raise ValueError(f"not a number: {text!r} (write e.g. '7%', '7/100' or '1/150')")
    numerator, denominator, percent = match.groups()
    value = Fraction(numerator)
    if denominator is not None:
        if Fraction(denominator) == 0:
            raise ValueError(f"division by zero in {text!r}")
        value /= Fraction(denominator)
    if percent:
        value /= 100
    return value


def parse_share(text: str | int | Fraction) -> Fraction:
    """Parse a share of a whole (a threshold): must lie in [0, 1]."""
    value = parse_rational(text)
    if not 0 <= value <= 1:
        raise ValueError(f"share {text!r} is outside [0, 1]")
    return value


def decimal_str(value: Fraction | int, places: int = 2) -> str:
    """Round half away from zero to ``places`` decimals, exactly (no float)."""
    value = Fraction(value)
    return _ratio_str(value.numerator, value.denominator, places)


def _ratio_str(numerator: int, denominator: int, places: int) -> str:
    """The ratio of ``numerator`` to ``denominator`` (> 0) rounded half away from zero, in integers only."""
    scale = 10**places
    whole, rest = divmod(abs(numerator) * scale, denominator)
    if 2 * rest >= denominator:
        whole += 1
    sign = "-" if numerator < 0 and whole else ""
    if places == 0:
        return f"{sign}{whole}"
    integer, fraction = divmod(whole, scale)
    return f"{sign}{integer}.{fraction:0{places}d}"


def fraction_str(value: Fraction | int) -> str:
    """Exact text for a fraction: ``'6599921/98'`` or ``'5'``."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def percent_str(part: int, whole: int | None, places: int = 2) -> str | None:
    """``part`` as a percentage of ``whole``, exactly rounded half up (``'9.10'``); None when ``whole`` is 0 or unknown."""
    if not whole:
        return None
    # No Fraction: reducing by the gcd first would change nothing but the cost (one per protocol on election night).
    return _ratio_str(-part * 100 if whole < 0 else part * 100, abs(whole), places)

"""Whole numbers in words, as a signed protocol repeats its figures: ``76 (семьдесят шесть)``.

Russian agrees the thousands with the number (одна тысяча, две тысячи, пять
тысяч; один миллион, два миллиона); Kazakh writes the formal ``бір жүз``,
``бір мың`` of legal and financial texts; English writes ``one hundred and
seven``. Up to 999 999 999 999, enough for any count of voters.
"""

from __future__ import annotations

__all__ = ["number_words"]

_RU_ONES_M = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_RU_ONES_F = ("", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_RU_TEENS = ("десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
             "семнадцать", "восемнадцать", "девятнадцать")
_RU_TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят",
            "девяносто")
_RU_HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот",
                "девятьсот")
#: Scale words in the three forms Russian numerals take (1, 2-4, 5-20), and whether the scale is feminine.
_RU_SCALES = ((("тысяча", "тысячи", "тысяч"), True), (("миллион", "миллиона", "миллионов"), False),
              (("миллиард", "миллиарда", "миллиардов"), False))

_KK_ONES = ("", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
_KK_TENS = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")
_KK_SCALES = ("мың", "миллион", "миллиард")

_EN_ONES = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_SCALES = ("thousand", "million", "billion")

_ZERO = {"ru": "ноль", "kk": "нөл", "en": "zero"}
LIMIT = 10**12


def _groups(n: int) -> list[int]:
    """``1234567`` → ``[567, 234, 1]`` (least significant first)."""
    out = []
    while n:
        n, rest = divmod(n, 1000)
        out.append(rest)
    return out


def _ru_group(n: int, feminine: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_RU_HUNDREDS[hundreds]] if hundreds else []
    if 10 <= rest < 20:
        return [*words, _RU_TEENS[rest - 10]]
    tens, ones = divmod(rest, 10)
    if tens:
        words.append(_RU_TENS[tens])
    if ones:
        words.append((_RU_ONES_F if feminine else _RU_ONES_M)[ones])
    return words


def _ru_form(n: int, forms: tuple[str, str, str]) -> str:
    last, last_two = n % 10, n % 100
    if last == 1 and last_two != 11:
        return forms[0]
    if 2 <= last <= 4 and not 12 <= last_two <= 14:
        return forms[1]
    return forms[2]


def _kk_group(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_KK_ONES[hundreds], "жүз"] if hundreds else []
    tens, ones = divmod(rest, 10)
    return [*words, *([_KK_TENS[tens]] if tens else []), *([_KK_ONES[ones]] if ones else [])]


def _en_group(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_EN_ONES[hundreds], "hundred"] if hundreds else []
    if rest:
        if hundreds:
            words.append("and")
        if rest < 20:
            words.append(_EN_ONES[rest])
        else:
            tens, ones = divmod(rest, 10)
            words.append(_EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else ""))
    return words


def number_words(n: int, language: str) -> str:
    """``n`` (0 ≤ n < 10¹²) in words: ``семьдесят шесть``, ``жетпіс алты``, ``seventy-six``."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < LIMIT:
        raise ValueError(f"cannot write {n!r} in words (a whole number from 0 to {LIMIT - 1})")
    if language not in _ZERO:
        raise ValueError(f"unknown language {language!r}")
    if n == 0:
        return _ZERO[language]
    words: list[str] = []
    for scale, group in reversed(list(enumerate(_groups(n)))):
        if not group:
            continue
        if language == "ru":
            if scale == 0:
                words += _ru_group(group, False)
            else:
                forms, feminine = _RU_SCALES[scale - 1]
                words += [*_ru_group(group, feminine), _ru_form(group, forms)]
        elif language == "kk":
            words += _kk_group(group) + ([_KK_SCALES[scale - 1]] if scale else [])
        else:
            words += _en_group(group) + ([_EN_SCALES[scale - 1]] if scale else [])
    return " ".join(words)

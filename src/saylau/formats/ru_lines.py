"""What a Russian CEC protocol column counts, told from the words of its name.

The Central Election Commission has worded the same protocol line differently
from one election to the next: "внесенных в списки" (2007) and "внесенных в
список" (2011), "включенных в список" (2012), "на момент окончания голосования"
(from 2014), "в помещениях" and "в помещении", "содержащихся в переносных
ящиках" and "в переносных ящиках", "выданных избирателям ТИК" and "выданных
избирателям территориальной избирательной комиссией". Matching names exactly
would need every wording in advance; instead each line is recognised by the
stems that carry its meaning (ballots or absentee certificates; received,
issued, cancelled, lost, not accounted for; early, in the premises, outside;
portable or stationary boxes; valid or invalid), the way a reader of the
protocol tells them apart.

:func:`line_meaning` gives the line key (the keys the ``ru-*`` protocol forms
use) or None; :func:`closest_line` names the known line a column that fits none
resembles most, for the error message.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from itertools import pairwise

__all__ = ["closest_line", "is_protocol_line", "line_meaning", "words"]

_WORD = re.compile(r"\w+")
_NUMBERED = re.compile(r"^\s*\d+\s*[.)]?\s*")


def words(name: str) -> list[str]:
    """The name's words, lower case with ``ё`` as ``е``, a leading line number dropped."""
    text = _NUMBERED.sub("", name.casefold().replace("ё", "е"))
    return _WORD.findall(text)


def is_protocol_line(name: str) -> bool:
    """A column that counts something on the protocol ("Число ...") rather than a party, candidate or answer."""
    found = words(name)
    return bool(found) and (found[0] == "число" or found[:2] == ["общее", "число"])


def _has(found: list[str], *stems: str) -> bool:
    """Some word starts with one of ``stems``."""
    return any(word.startswith(stem) for word in found for stem in stems)


def _not_accounted(found: list[str]) -> bool:
    """'не учтенных' / 'неучтенных' (not accounted for at receipt)."""
    pairs = pairwise(found)
    return _has(found, "неучтенн") or any(a == "не" and b.startswith("учтенн") for a, b in pairs)


def _certificate_line(found: list[str]) -> str | None:
    if _has(found, "проголосовавш"):
        return "certificate_voters"
    if _has(found, "получен"):
        return "certificates_received"
    if _not_accounted(found):
        return "certificates_unaccounted"
    if _has(found, "утраченн"):
        return "certificates_lost"
    if _has(found, "погашенн", "неиспользованн"):
        return "certificates_cancelled"
    if _has(found, "выданн"):
        if _has(found, "территориальн") or "тик" in found:
            return "certificates_issued_by_territorial"
        return "certificates_issued_at_station"
    return None


def _ballot_line(found: list[str]) -> str | None:
    if _has(found, "переносн"):
        return "ballots_in_portable_boxes"
    if _has(found, "стационарн"):
        return "ballots_in_stationary_boxes"
    if _has(found, "ящик"):
        return "ballots_in_boxes"
    if _has(found, "недействительн"):
        return "invalid"
    if _has(found, "действительн"):
        return "valid"
    if _not_accounted(found):
        return "ballots_unaccounted"
    if _has(found, "погашенн"):
        return "ballots_cancelled"
    if _has(found, "утраченн"):
        return "ballots_lost"
    if _has(found, "получен"):
        return "ballots_received"
    if _has(found, "выданн"):
        if _has(found, "досрочн"):
            return "ballots_issued_early"
        if "вне" in found:
            return "ballots_issued_outside"
        if _has(found, "помещени") or _has(found, "участк"):
            return "ballots_issued_in_premises"
        return "ballots_issued"
    return None


def line_meaning(name: str) -> str | None:
    """The protocol line a CEC column counts (a ``ru-*`` form's line key), or None if it is none of them."""
    found = words(name)
    if _has(found, "удостоверен"):
        return _certificate_line(found)
    if _has(found, "бюллетен"):
        return _ballot_line(found)
    if _has(found, "избирател", "участник") and _has(found, "внесенн", "включенн") and _has(found, "спис"):
        return "voters_on_list"
    return None


def closest_line(name: str, labels: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The ``(key, label)`` among ``labels`` whose wording is nearest to ``name`` (None if nothing is near)."""
    target = " ".join(words(name))
    best: tuple[float, str, str] | None = None
    for key, label in labels:
        ratio = difflib.SequenceMatcher(None, target, " ".join(words(label))).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, key, label)
    return (best[1], best[2]) if best is not None and best[0] >= 0.4 else None

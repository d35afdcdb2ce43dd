"""Unit ids as people can check them: normalised, free of invisible characters, and told apart from look-alikes.

An id a clerk or a file gives (a station, a region, a territory) is read as
Unicode NFC; an id holding a control, format, private-use, unassigned or
zero-width character is refused with the field named, since two ids that look
the same on every screen could count one station twice. :func:`skeleton` is
the confusable skeleton of Unicode Technical Standard #39 (section 4): two ids
with the same skeleton look alike (a Latin ``A`` and a Cyrillic ``А``, ``0``
and ``O``, ``rn`` and ``m``), so a new id whose skeleton is an existing id's is
refused with both ids named (:func:`check_distinct`).

The confusables data is Unicode's ``confusables.txt`` as the
``confusable-homoglyphs`` package ships it (source → prototype and prototype →
sources in one JSON file); each class of look-alikes is mapped to its
prototype, the member that the others point to. Nothing is downloaded.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources

from saylau.errors import InputError

__all__ = ["IdClash", "check_distinct", "check_id", "check_ids", "normalise_id", "skeleton"]

# General categories never allowed in an id: controls, format characters (zero-width space and joiners,
# bidi marks, the BOM), surrogates, private use, unassigned, line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Invisible characters of other categories (Unicode's Default_Ignorable_Code_Point outside Cf):
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and other variation selectors.
_INVISIBLE = frozenset({0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0,
                        *range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)})
#: Longest id accepted (the store's unit id column).
MAX_ID = 300


class IdClash(InputError):
    """A new id that looks like an existing one (their confusable skeletons are equal)."""


def _refused_character(value: str) -> str | None:
    """The first character of ``value`` an id may not hold, or None."""
    if value.isprintable():  # fast path: no Cc, Cf, Cs, Co, Cn, Zl, Zp (nor any space but U+0020)
        if value.isascii():
            return None
        return next((c for c in value if ord(c) in _INVISIBLE), None)
    for c in value:
        if ord(c) in _INVISIBLE or unicodedata.category(c) in _REFUSED_CATEGORIES:
            return c
    return None


def _refuse_invisible(value: str, *, field: str, source: str | None, row: int | None) -> None:
    bad = _refused_character(value)
    if bad is not None:
        name = unicodedata.name(bad, "unnamed")
        raise InputError(f"an id may not contain the invisible or control character U+{ord(bad):04X} ({name})",
                         source=source, row=row, field=field, value=value)


def check_id(value: str, *, field: str, source: str | None = None, row: int | None = None) -> None:
    """Refuse ``value`` as an id unless it is already normalised: NFC, no refused character, not blank, at most
    :data:`MAX_ID` characters, no leading or trailing space (InputError naming ``field``)."""
    if not isinstance(value, str) or not value.strip():
        raise InputError("an id must not be empty", source=source, row=row, field=field, value=value)
    if len(value) > MAX_ID:
        raise InputError(f"an id has at most {MAX_ID} characters", source=source, row=row, field=field,
                         value=value[:80] + "...")
    _refuse_invisible(value, field=field, source=source, row=row)
    if value != value.strip():
        raise InputError("an id may not begin or end with a space", source=source, row=row, field=field,
                         value=value)
    if not unicodedata.is_normalized("NFC", value):
        raise InputError("an id must be in Unicode normal form NFC", source=source, row=row, field=field,
                         value=value)


def normalise_id(value: str, *, field: str, source: str | None = None, row: int | None = None) -> str:
    """``value`` as an id: NFC and stripped of surrounding spaces; InputError (naming ``field``) if it holds a
    control, format or zero-width character, or is empty or too long."""
    if not isinstance(value, str):
        raise InputError("an id must be text", source=source, row=row, field=field, value=value)
    normal = unicodedata.normalize("NFC", value)
    _refuse_invisible(normal, field=field, source=source, row=row)  # before stripping: \x1f is "whitespace" too
    normal = normal.strip()
    check_id(normal, field=field, source=source, row=row)
    return normal


def check_ids(values: Sequence[str | None], *, field: str, source: str | None = None,
              rows: Sequence[int | None] | None = None) -> None:
    """:func:`check_id` over many values (None skipped), fast when all are fine: the joined text is checked at
    once, and only if it fails is each value checked, so the error names the first bad one and its row."""
    present = [v for v in values if v is not None]
    joined = "".join(present) if all(isinstance(v, str) for v in present) else None
    if joined is not None and joined.isprintable() and (joined.isascii() or (
            unicodedata.is_normalized("NFC", joined) and _refused_character(joined) is None)):
        for v in present:  # what the joined text cannot show: an empty, padded or overlong value
            if not v or len(v) > MAX_ID or v[0] == " " or v[-1] == " ":
                break
        else:
            return
    for i, v in enumerate(values):
        if v is not None:
            check_id(v, field=field, source=source, row=rows[i] if rows is not None else None)


@functools.cache
def _prototypes() -> dict[int, str]:
    """Each confusable character's prototype (for ``str.translate``), built once from the shipped data."""
    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    data: Mapping[str, list[dict[str, str]]] = json.loads(raw)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def clean(s: str) -> str:  # the file wraps right-to-left characters in LEFT-TO-RIGHT MARKs
        return s.replace("\u200e", "") or s

    degree: dict[str, int] = {}
    for key, entries in data.items():
        k = clean(key)
        degree[k] = len(entries)
        for e in entries:
            a, b = find(k), find(clean(e["c"]))
            if a != b:
                parent[a] = b
    classes: dict[str, list[str]] = {}
    for member in list(parent):
        classes.setdefault(find(member), []).append(member)
    table: dict[int, str] = {}
    for members in classes.values():
        # The prototype: a sequence if the class has one (``m`` → ``rn``), else the member the others point to.
        proto = min(members, key=lambda m: (len(m) == 1, -degree.get(m, 0), m))
        for m in members:
            if len(m) == 1 and m != proto:
                table[ord(m)] = proto
    return table


def skeleton(value: str) -> str:
    """The confusable skeleton of ``value`` (UTS #39: NFD, each character to its prototype, NFD again)."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", value).translate(_prototypes()))


def check_distinct(new: Iterable[str], existing: Iterable[str], *, field: str = "station",
                   source: str | None = None) -> None:
    """Refuse (:class:`IdClash`, naming both ids) a new id that looks like an existing one or like another new one.

    An id equal to an existing one is not a clash (it *is* that unit)."""
    seen: dict[str, str] = {}
    for old in existing:
        seen.setdefault(skeleton(old), old)
    for unit_id in new:
        key = skeleton(unit_id)
        other = seen.get(key)
        if other is not None and other != unit_id:
            raise IdClash(f"id {unit_id!r} looks like the existing id {other!r} (same Unicode confusable skeleton); "
                          "choose an id that cannot be mistaken for it", source=source, field=field, value=unit_id)
        seen.setdefault(key, unit_id)

"""Unit ids as people can check them: normalised, free of invisible characters, and told apart from look-alikes.

An id a clerk or a file gives (a station, a region, a territory) is read as
Unicode NFC; an id holding a control, format, private-use, unassigned or
zero-width character is refused with the field named, since two ids that look
the same on every screen could count one station twice. :func:`skeleton` is
the confusable skeleton of Unicode Technical Standard #39 (section 4): two ids
with the same skeleton look alike (a Latin ``A`` and a Cyrillic ``А``, ``0``
and ``O``, ``rn`` and ``m``), so a new id whose skeleton is an existing id's is
refused with both ids named (:func:`check_distinct`).

Both work on a whole file's ids at C speed: :func:`check_ids` checks the ids joined
into one text (one scan per property; value by value only when that fails, so the
error names the first bad id), and :func:`skeletons` maps the ids joined by line
feeds at once, through the codecs' charmaps rather than a table look-up per
character.

The confusables data is Unicode's ``confusables.txt`` as the
``confusable-homoglyphs`` package ships it (source → prototype and prototype →
sources in one JSON file); each class of look-alikes is mapped to its
prototype, the member that the others point to. Nothing is downloaded.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from saylau.errors import InputError

__all__ = ["IdClash", "build_prototypes", "check_distinct", "check_id", "check_ids", "ids_valid", "joined_ids_valid",
           "joined_skeletons_distinct", "normalise_id", "skeleton", "skeletons", "write_prototypes"]

# General categories never allowed in an id: controls, format characters (zero-width space and joiners,
# bidi marks, the BOM), surrogates, private use, unassigned, line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Invisible characters of other categories (Unicode's Default_Ignorable_Code_Point outside Cf):
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and other variation selectors.
_INVISIBLE = frozenset({0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0,
                        *range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)})


def _character_class(codes: Iterable[int]) -> re.Pattern[str]:
    """A regular expression matching any one of ``codes``, written as ranges (one C-level scan of a text)."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "")
                                    for lo, hi in ranges) + "]")


_INVISIBLE_CHARACTER = _character_class(_INVISIBLE)
# The first byte of each invisible character's UTF-8 form: a text whose UTF-8 has none of them (any Latin,
# Cyrillic, Greek, Arabic... text) holds none, which bytes.__contains__ (memchr) tells faster than the regex.
_INVISIBLE_LEADS = tuple(bytes([lead]) for lead in sorted({chr(c).encode()[0] for c in _INVISIBLE}))
#: Longest id accepted (the store's unit id column).
MAX_ID = 300


class IdClash(InputError):
    """A new id that looks like an existing one (their confusable skeletons are equal)."""


def _refused_character(value: str) -> str | None:
    """The first character of ``value`` an id may not hold, or None."""
    if value.isprintable():  # fast path: no Cc, Cf, Cs, Co, Cn, Zl, Zp (nor any space but U+0020)
        if value.isascii():
            return None
        found = _INVISIBLE_CHARACTER.search(value)
        return found.group() if found is not None else None
    for c in value:  # a control, format... character, or a space other than U+0020 (kept): one by one
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
    if ids_valid(values):
        return
    for i, v in enumerate(values):
        if v is not None:
            check_id(v, field=field, source=source, row=rows[i] if rows is not None else None)


# check_ids looks at the distinct values only when a sample of the first ones repeats (regions, territories).
_SAMPLE = 256
# check_ids joins the values with this printable character, across which NFC neither composes nor reorders
# (combining class 0, in no decomposition): the joined text is NFC if and only if each value is.
_JOIN = "\u241e"  # SYMBOL FOR RECORD SEPARATOR


def ids_valid(values: Sequence[str | None]) -> bool:
    """True only if :func:`check_id` accepts every value but None, judged on the joined text by C-level scans; False
    (the caller then checks value by value, for the error naming the first refused) when any is not text or may
    be refused."""
    present: Sequence[str | None] | set[str | None] = values
    try:
        text = _JOIN.join(values)  # type: ignore[arg-type]  # TypeError for None or a value that is not text
    except TypeError:
        present = [v for v in values if v is not None]
        try:
            text = _JOIN.join(present)  # type: ignore[arg-type]
        except TypeError:
            return False
    if not present:
        return True
    if len(present) > 2 * _SAMPLE and len(set(itertools.islice(present, _SAMPLE))) <= _SAMPLE // 2:
        present = set(present)  # a repeated value need not be looked at again
        text = _JOIN.join(present)  # type: ignore[arg-type]
    # No refused category nor space but U+0020 (printable), NFC, no invisible character: in each value.
    if not text.isprintable() or not unicodedata.is_normalized("NFC", text) or _holds_invisible(text):
        return False
    # No empty or padded value: U+0020 being the least printable character, the least value would be empty or
    # begin with a space; a value ending with a space ends the text or comes before a _JOIN.
    least: str = min(present)  # type: ignore[type-var, assignment]
    if not least or least[0] == " " or text[-1] == " " or " " + _JOIN in text:
        return False
    return len(text) <= MAX_ID or max(map(len, present)) <= MAX_ID  # type: ignore[arg-type]


def _holds_invisible(text: str) -> bool:
    """Whether ``text`` holds a character of :data:`_INVISIBLE`: its UTF-8 first (memchr for each lead byte)."""
    if len(text) > 1024:
        data = text.encode("utf-8", "surrogatepass")
        if not any(lead in data for lead in _INVISIBLE_LEADS):
            return False
    return _INVISIBLE_CHARACTER.search(text) is not None


#: The prototypes as saylau ships them (package data): built from Unicode's confusables by
#: :func:`build_prototypes` with ``make data``, so an id's skeleton does not change when a dependency does, and
#: no process spends 30 ms building the table again.
PROTOTYPES_FILE = "data/confusable-prototypes.json"


@functools.cache
def _prototypes() -> dict[int, str]:
    """Each confusable character's prototype (for ``str.translate``), read once from the shipped table."""
    shipped = json.loads(resources.files("saylau").joinpath(PROTOTYPES_FILE).read_text("utf-8"))
    table = {int(code): proto for code, proto in shipped["prototypes"].items()}
    # skeletons() maps many ids joined by "\n" at once and splits the result at "\n": it must come out unchanged,
    # and no prototype may bring one in.
    if ord("\n") in table or any("\n" in proto for proto in table.values()):
        raise RuntimeError("the confusables data maps a line feed: skeletons() cannot join ids with it")
    return table


def build_prototypes(data: Mapping[str, list[dict[str, str]]]) -> dict[int, str]:
    """The prototype of each confusable character, from the ``confusable-homoglyphs`` package's JSON (source →
    prototype and prototype → sources): each class of look-alikes is mapped to one member. What ``make data``
    writes to :data:`PROTOTYPES_FILE` (a test holds the two equal)."""
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


def write_prototypes(path: str | None = None) -> str:
    """Build the prototypes from the installed ``confusable-homoglyphs`` and write them where saylau ships them
    (or to ``path``); the path written. ``make data`` runs it."""
    from importlib.metadata import version

    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    table = build_prototypes(json.loads(raw))
    target = path or str(resources.files("saylau").joinpath(PROTOTYPES_FILE))
    document = {"source": f"confusable-homoglyphs {version('confusable-homoglyphs')} (Unicode confusables.txt)",
                "prototypes": {str(code): table[code] for code in sorted(table)}}
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=0, sort_keys=False)
        handle.write("\n")
    return target


def skeleton(value: str) -> str:
    """The confusable skeleton of ``value`` (UTS #39: NFD, each character to its prototype, NFD again)."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", value).translate(_prototypes()))


# skeletons() remembers the skeletons of small batches (a unit tree's ids, checked again by each writer of a
# write): at most this many values a batch, and this many remembered in all (then it starts again).
_MEMO_BATCH = 1 << 14
_MEMO_SIZE = 1 << 17
_MEMO: dict[str, str] = {}


def skeletons(values: Iterable[str]) -> list[str]:
    """``[skeleton(v) for v in values]``, computed over the ids joined by "\n" at once and split again.

    Exact because "\n" is a starter (combining class 0: NFD never reorders across it), no character decomposes
    into one, and the prototypes neither map it nor produce it (checked in :func:`_prototypes`). A value
    holding "\n" itself (no valid id does) sends the values one by one. A small batch's skeletons are
    remembered (a skeleton depends on nothing but its id)."""
    values = list(values)
    if not values:
        return []
    if len(values) > _MEMO_BATCH:
        return _skeletons(values)
    memo = _MEMO  # shared by threads: read with get, the answer built from a dict of this call's own
    known = {v: k for v in values if (k := memo.get(v)) is not None}
    missing = [v for v in dict.fromkeys(values) if v not in known]
    if missing:
        made = dict(zip(missing, _skeletons(missing), strict=True))
        known.update(made)
        if len(memo) + len(made) > _MEMO_SIZE:
            memo.clear()
        memo.update(made)
    return [known[v] for v in values]


def _skeletons(values: list[str]) -> list[str]:
    text = "\n".join(values)
    if text.count("\n") != len(values) - 1:
        return [skeleton(v) for v in values]
    return unicodedata.normalize("NFD", _to_prototypes(text, decompose=True)).split("\n")


# _to_prototypes encodes a long text in chunks of this many characters, learning its alphabet as it goes.
_CHUNK = 1 << 13
_UNMAPPED = "\ufffe"  # the codecs' mark of an unused slot in a charmap table


def _decomposes_alone(c: str) -> bool:
    """Whether NFD maps ``c`` by itself wherever it stands: a starter whose decomposition begins with a starter, so
    no run of combining marks (the only thing NFD reorders) reaches across it into a neighbour's."""
    if unicodedata.combining(c):
        return False
    head = unicodedata.normalize("NFD", c)[0]
    return unicodedata.combining(head) == 0


def _to_prototypes(text: str, *, decompose: bool = False) -> str:
    """``text.translate(_prototypes())``, fast for a long text of few distinct characters; with ``decompose``,
    that of ``unicodedata.normalize("NFD", text)``.

    With ``decompose``, when every character of the text decomposes alone (:func:`_decomposes_alone`: NFD of the
    text is then the NFD of each character in turn) each one is mapped to the prototypes of its decomposition in
    the same pass; otherwise the text is decomposed first.

    ``str.translate`` looks each character up in the table (some 25 ns apiece); here the codecs' C charmaps do it.
    Each character is encoded as one byte, its place in the text's alphabet; a character whose prototype has
    several characters has its byte replaced (``bytes.replace``) by bytes of their own; and the bytes are decoded
    to the prototypes' characters. A text of more distinct characters than a byte tells apart (or holding U+FFFE,
    the codecs' mark of an unused byte) is translated as it is."""
    table = _prototypes()

    def plain() -> str:
        return (unicodedata.normalize("NFD", text) if decompose else text).translate(table)

    if len(text) <= _CHUNK:
        return plain()
    alphabet = {"\x00": 0}  # an encoding charmap wants NUL as byte 0
    encoding: Any = None
    encoded: list[bytes] = []
    for start in range(0, len(text), _CHUNK):
        chunk = text[start:start + _CHUNK]
        if encoding is not None:
            try:
                encoded.append(codecs.charmap_encode(chunk, "strict", encoding)[0])
                continue
            except UnicodeEncodeError:
                pass
        for c in set(chunk).difference(alphabet):  # characters not seen before: the alphabet grows
            alphabet[c] = len(alphabet)
        if len(alphabet) > 256 or _UNMAPPED in alphabet:
            return plain()
        encoding = codecs.charmap_build("".join(alphabet).ljust(256, _UNMAPPED))
        encoded.append(codecs.charmap_encode(chunk, "strict", encoding)[0])
    data = b"".join(encoded)
    if decompose and not all(map(_decomposes_alone, alphabet)):
        return plain()
    # byte -> the prototype of the character it encodes (of each character of its decomposition, with decompose)
    decoding = ["".join(table.get(ord(d), d) for d in unicodedata.normalize("NFD", c)) for c in alphabet] if (
        decompose) else [table.get(ord(c), c) for c in alphabet]
    for byte, target in enumerate(decoding[:len(alphabet)]):
        if len(target) != 1:  # bytes of its own for each character of the prototype, then one character a byte
            if len(decoding) + len(target) > 256:
                return plain()
            data = data.replace(bytes([byte]), bytes(range(len(decoding), len(decoding) + len(target))))
            decoding.extend(target)
            decoding[byte] = _UNMAPPED  # no longer in the data
    mapped: str = codecs.charmap_decode(data, "strict", "".join(decoding))[0]
    return mapped


def check_distinct(new: Iterable[str], existing: Iterable[str], *, field: str = "station",
                   source: str | None = None) -> None:
    """Refuse (:class:`IdClash`, naming both ids) a new id that looks like an existing one or like another new one.

    An id equal to an existing one is not a clash (it *is* that unit)."""
    existing = list(existing)
    new = list(new)
    old_keys = skeletons(existing)
    new_keys = skeletons(new)
    # Each skeleton's first id (dict() keeps the last of equal keys: the existing ids are given in reverse).
    seen = dict(zip(reversed(old_keys), reversed(existing), strict=True))
    if len(set(new_keys)) == len(new_keys) and seen.keys().isdisjoint(new_keys):
        return  # no two skeletons equal: nothing can clash
    for unit_id, key in zip(new, new_keys, strict=True):
        other = seen.get(key)
        if other is not None and other != unit_id:
            raise IdClash(f"id {unit_id!r} looks like the existing id {other!r} (same Unicode confusable skeleton); "
                          "choose an id that cannot be mistaken for it", source=source, field=field, value=unit_id)
        seen.setdefault(key, unit_id)


# -- ids joined from parts ---------------------------------------------------------------------------------------
# A reader that composed its station ids as ``head + "/" + leaf`` (a station's place, then its number) lets the
# checks judge the few distinct heads and leaves instead of every id. "/" makes that exact: it is printable and
# visible, a starter (combining class 0, its own decomposition) and in no character's canonical decomposition,
# so NFC and NFD neither compose, decompose nor reorder across it, and the prototypes do not map it
# (tests/test_ids.py asserts each of these of the running Unicode data).
_PART_SEPARATOR = "/"


def joined_ids_valid(heads: Sequence[str], leaves: Sequence[str]) -> bool:
    """True when :func:`check_id` accepts every ``head + "/" + leaf``, judged on the parts: each part is a valid
    id and the longest join is not too long. False when that is not sure (a part is not an id by itself, say a
    head ending in a space): the caller then checks the joined ids themselves."""
    if not heads or not leaves:
        return True
    return (max(map(len, heads)) + 1 + max(map(len, leaves)) <= MAX_ID
            and ids_valid(heads) and ids_valid(leaves))


def joined_skeletons_distinct(heads: Sequence[str], head_of: Any, leaves: Sequence[str], leaf_of: Any,
                              existing: Iterable[str]) -> bool:
    """True when the ids ``heads[head_of[i]] + "/" + leaves[leaf_of[i]]`` have pairwise different skeletons, none
    equal to the skeleton of an ``existing`` id: no id can clash. False when that is not sure (then
    :func:`check_distinct` decides, and names the clash).

    The skeleton of ``h + "/" + l`` is ``skeleton(h) + "/" + skeleton(l)`` (see above), and when no leaf's skeleton
    holds "/" it splits back at its last "/": two ids' skeletons are equal exactly when their heads' and their
    leaves' skeletons are. So the skeletons of the distinct heads and leaves are numbered (equal skeletons, one
    number), and the ids' pairs of numbers are compared."""
    import numpy as np

    if ord(_PART_SEPARATOR) in _prototypes():
        return False
    leaf_keys = skeletons(leaves)
    if any(_PART_SEPARATOR in k for k in leaf_keys):
        return False
    head_class: dict[str, int] = {}
    leaf_class: dict[str, int] = {}
    head_number = np.asarray([head_class.setdefault(k, len(head_class)) for k in skeletons(heads)], dtype=np.int64)
    leaf_number = np.asarray([leaf_class.setdefault(k, len(leaf_class)) for k in leaf_keys], dtype=np.int64)
    # Each id's pair of numbers as one integer (fewer than 2**63: at most as many heads and leaves as ids).
    keys = head_number[np.asarray(head_of, dtype=np.intp)] * len(leaf_class) + leaf_number[
        np.asarray(leaf_of, dtype=np.intp)]
    for key in skeletons(list(existing)):
        head, separator, leaf = key.rpartition(_PART_SEPARATOR)
        if separator and head in head_class and leaf in leaf_class and bool(
                np.any(keys == head_class[head] * len(leaf_class) + leaf_class[leaf])):
            return False  # an existing id looks like a new one (or is one): check_distinct tells which
    ordered = np.sort(keys, kind="stable")  # a file lists a place's stations together: nearly sorted, and timsort
    return not bool(np.any(ordered[1:] == ordered[:-1]))  # runs through them in one pass

"""Ids checked in bulk (check_ids, skeletons, check_distinct) give exactly what checking them one by one gives."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau import ids
from saylau.errors import InputError
from saylau.ids import IdClash, check_distinct, check_id, check_ids, skeleton, skeletons

ALL_CODE_POINTS = "".join(map(chr, range(0x110000)))


def _decompositions_holding(code: int) -> list[int]:
    """The code points whose canonical decomposition mapping holds ``code``."""
    hex_code = f"{code:04X}"
    return [c for c in range(0x110000)
            if (d := unicodedata.decomposition(chr(c))) and not d.startswith("<") and hex_code in d.split()]


def test_a_line_feed_survives_nfd_and_the_prototypes_unchanged() -> None:
    table = ids._prototypes()
    assert ord("\n") not in table and not any("\n" in proto for proto in table.values())
    assert unicodedata.combining("\n") == 0  # a starter: canonical reordering never crosses it
    assert _decompositions_holding(ord("\n")) == []  # no character decomposes into one
    assert ids._to_prototypes("\n") == "\n"


def test_check_ids_joins_with_a_character_nfc_never_crosses() -> None:
    join = ids._JOIN
    assert join.isprintable() and unicodedata.combining(join) == 0 and not unicodedata.decomposition(join)
    assert _decompositions_holding(ord(join)) == []  # so nothing composes with it either
    assert unicodedata.is_normalized("NFC", join)
    assert not ids._holds_invisible(join * 2000)


def test_the_invisible_character_class_is_the_invisible_set() -> None:
    found = {ord(c) for c in ids._INVISIBLE_CHARACTER.findall(ALL_CODE_POINTS)}
    assert found == set(ids._INVISIBLE)
    # The UTF-8 pre-check: a long text holding one of them is seen, wherever it is.
    for code in [*sorted(ids._INVISIBLE)[::7], max(ids._INVISIBLE)]:
        text = "Республика Татарстан/ТИК №1/" * 100
        for at in (0, len(text) // 2, len(text)):
            assert ids._holds_invisible(text[:at] + chr(code) + text[at:])
    assert not ids._holds_invisible("Республика Татарстан/ТИК №1/" * 100)


_ID_TEXT = st.text(st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(_ID_TEXT, max_size=30))
def test_skeletons_are_the_skeletons_one_by_one(values: list[str]) -> None:
    assert skeletons(values) == [skeleton(v) for v in values]
    # Long enough for the charmap path of _to_prototypes (or its fallbacks: many distinct characters).
    repeated = values * (ids._CHUNK // max(1, sum(map(len, values))) + 1)
    assert skeletons(repeated) == [skeleton(v) for v in repeated]


@settings(max_examples=100, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
       copies=st.integers(1, 3))
def test_to_prototypes_is_translate(text: str, copies: int) -> None:
    long = (text * (ids._CHUNK // len(text) + 1)) * copies
    assert ids._to_prototypes(long) == long.translate(ids._prototypes())


def test_to_prototypes_on_long_texts_of_many_characters() -> None:
    table = ids._prototypes()
    # Cyrillic ids (several prototypes of several characters: Ю -> lO, № -> No), letters met late in the text.
    text = "Республика Татарстан/ТИК Юдинский/УИК №1\n" * 4000 + "Щ Ф Э ы ъ Б ё й"
    assert ids._to_prototypes(text) == text.translate(table)
    # More distinct characters than a byte tells apart, and U+FFFE: translated as they are.
    for text in (ALL_CODE_POINTS[0x400:0x700] * 40, "abc\ufffe" * 20000):
        assert ids._to_prototypes(text) == text.translate(table)
    # Many prototypes of several characters: their characters get bytes of their own, until none are left.
    longer = "".join(chr(c) for c, proto in sorted(table.items()) if len(proto) > 1 and c < 0x10000)[:240]
    for text in (longer[:20] * 5000, longer * 500):
        assert ids._to_prototypes(text) == text.translate(table)


def test_skeletons_of_values_holding_a_line_feed_are_taken_one_by_one() -> None:
    values = ["a\nb", "с", "\n", ""]
    assert skeletons(values) == [skeleton(v) for v in values]
    assert skeletons([]) == [] and skeletons(iter(["A", "А"])) == [skeleton("A")] * 2


def _first_refusal(values: list[str | None]) -> tuple[str, str | None, int | None, object] | None:
    """What check_id, value by value, says of the first value it refuses (message, field, row, value)."""
    for row, v in enumerate(values, start=2):
        if v is None:
            continue
        try:
            check_id(v, field="station", row=row)
        except InputError as exc:
            return str(exc), exc.field, exc.row, exc.value
    return None


def _refusal(values: list[str | None]) -> tuple[str, str | None, int | None, object] | None:
    try:
        check_ids(values, field="station", rows=list(range(2, len(values) + 2)))
    except InputError as exc:
        return str(exc), exc.field, exc.row, exc.value
    return None


# Ids, good and bad: padded, empty, decomposed (NFC would change them), long, invisible, control, no-break space.
_PARTS = st.sampled_from(["Алма", "УИК №1", "a", " ", "", "\u0438\u0306", "\u0306", "й", "x" * 150, "\u200b",
                          "\ufe0f", "\x1f", "\u00a0", "/", "\u241e", "ᄀ", "ᅡ", "\U000e0100", "\u3164"])
_IDS = st.one_of(st.none(), st.lists(_PARTS, max_size=4).map("".join))


@settings(max_examples=400, deadline=None)
@given(values=st.lists(_IDS, max_size=12), repeat=st.sampled_from([1, 60]))
def test_check_ids_refuses_what_check_id_refuses_first(values: list[str | None], repeat: int) -> None:
    values = values * repeat  # 60 copies: past the sample, the distinct values are looked at
    assert _refusal(values) == _first_refusal(values)


def test_check_ids_on_many_good_ids_and_one_bad() -> None:
    good: list[str | None] = [f"Регион {i % 7}/ТИК {i % 300}/УИК №{i}" for i in range(3000)]
    good[5] = None
    assert _refusal(good) is None
    for bad in ("", " x", "x ", "x" * 301, "й".replace("й", "\u0438\u0306"), "a\u034fb", "a\u00a0b\u200b", "\ufeffa"):
        for at in (0, 1500, 2999):
            values = list(good)
            values[at] = bad
            assert _refusal(values) == _first_refusal(values) is not None
    assert _refusal(["x" * 300, "a\u00a0b"]) is None  # a no-break space is kept, as by check_id
    not_text: list[object] = ["a", None, 1]
    assert _refusal(not_text) == _first_refusal(not_text) is not None  # type: ignore[arg-type]


def _clash_one_by_one(new: list[str], existing: list[str]) -> str | None:
    """check_distinct as it was, one skeleton at a time: the message of the clash it finds, or None."""
    seen: dict[str, str] = {}
    for old in existing:
        seen.setdefault(skeleton(old), old)
    for unit_id in new:
        key = skeleton(unit_id)
        other = seen.get(key)
        if other is not None and other != unit_id:
            return f"id {unit_id!r} looks like the existing id {other!r}"
        seen.setdefault(key, unit_id)
    return None


_LOOK_ALIKES = st.text(st.sampled_from("AА0OornmlI1КKZЗ "), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(new=st.lists(_LOOK_ALIKES, max_size=6), existing=st.lists(_LOOK_ALIKES, max_size=6))
def test_check_distinct_finds_the_clash_it_found_one_by_one(new: list[str], existing: list[str]) -> None:
    expected = _clash_one_by_one(new, existing)
    if expected is None:
        check_distinct(iter(new), iter(existing))
    else:
        with pytest.raises(IdClash) as caught:
            check_distinct(iter(new), iter(existing), field="region", source="f.csv")
        assert str(caught.value).startswith("f.csv") and expected in str(caught.value)
        assert caught.value.field == "region"


def test_check_distinct_on_many_ids() -> None:
    stations = [f"Республика {r}/ТИК {t}/УИК №{s}" for r in range(3) for t in range(40) for s in range(100)]
    check_distinct(stations, [])
    check_distinct(stations, stations)  # the same ids are those units
    with pytest.raises(IdClash, match="УИК №7"):
        check_distinct([*stations, "Республика 0/ТИК 0/УИК No7"], [])  # № looks like No
    with pytest.raises(IdClash):
        check_distinct(["Pеспублика 1/TИK 3/УИK №50"], stations)


@pytest.mark.parametrize("sample", ["Йошкар-Ола/ТИК №1/УИК №1", "ёлка e\u0301", "\u0f73\u0f71 ཱི", "가각\u1100\u1161"])
def test_decomposing_in_the_same_pass_as_the_prototypes_is_nfd_then_the_prototypes(sample: str) -> None:
    text = (sample + "\n") * (ids._CHUNK // len(sample) + 2)  # long enough for the charmap path
    expected = unicodedata.normalize("NFD", text).translate(ids._prototypes())
    assert ids._to_prototypes(text, decompose=True) == expected
    # Whether the fold applies: a starter whose decomposition begins with a starter (not U+0F73, not a mark).
    assert ids._decomposes_alone("й") and ids._decomposes_alone("가")
    assert not ids._decomposes_alone("\u0f73") and not ids._decomposes_alone("\u0301")

"""Ids checked in bulk (check_ids, skeletons, check_distinct) give exactly what checking them one by one gives."""

from __future__ import annotations

import unicodedata
from pathlib import Path

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


# -- ids joined from parts (a reader's head + "/" + leaf) ------------------------------------------------------

def test_a_slash_is_a_separator_nfc_nfd_and_the_prototypes_never_cross() -> None:
    slash = ids._PART_SEPARATOR
    assert slash.isprintable() and not ids._holds_invisible(slash)
    assert unicodedata.combining(slash) == 0 and unicodedata.decomposition(slash) == ""  # a starter, itself in NFD
    assert _decompositions_holding(ord(slash)) == []  # nothing decomposes into it, so nothing composes with it
    assert ord(slash) not in ids._prototypes()  # its own prototype (others, like U+2044, map to it)


_PART = st.lists(_PARTS, min_size=1, max_size=3).map("".join)


@settings(max_examples=400, deadline=None)
@given(heads=st.lists(_PART, min_size=1, max_size=4, unique=True),
       leaves=st.lists(_PART, min_size=1, max_size=4, unique=True))
def test_joined_ids_are_called_valid_only_when_every_joined_id_is(heads: list[str], leaves: list[str]) -> None:
    joined: list[str | None] = [f"{h}/{leaf}" for h in heads for leaf in leaves]
    parts_fine = _first_refusal([*heads, *leaves]) is None  # type: ignore[list-item]
    short = max(map(len, heads)) + 1 + max(map(len, leaves)) <= ids.MAX_ID
    if ids.joined_ids_valid(heads, leaves):
        assert parts_fine and short and _first_refusal(joined) is None
    elif parts_fine and short:  # "not sure" only where the fast scan is: a printable-only text (no U+00A0)
        assert not all(part.isprintable() for part in [*heads, *leaves])


def test_joined_ids_valid_on_the_edges() -> None:
    assert ids.joined_ids_valid([], [])
    assert ids.joined_ids_valid(["Алматы/ТИК 1"], ["1"])
    head = "x" * 200
    assert ids.joined_ids_valid([head], ["y" * 99])  # 300 characters: the limit
    assert not ids.joined_ids_valid([head], ["y" * 100])  # 301: the ids themselves are then checked
    assert not ids.joined_ids_valid(["Алматы "], ["1"])  # a head ending in a space: not an id alone...
    assert _first_refusal(["Алматы /1"]) is None  # ...though the joined id is one; the caller checks it
    for bad in ("", " 1", "1 ", "1\u200b", "\u0438\u0306"):
        assert not ids.joined_ids_valid(["Алматы"], ["1", bad])


_LOOK_PART = st.text(st.sampled_from("AА0OornmlI1КKZЗ/\u2044 "), min_size=1, max_size=3)


@settings(max_examples=500, deadline=None)
@given(heads=st.lists(_LOOK_PART, min_size=1, max_size=4, unique=True),
       leaves=st.lists(_LOOK_PART, min_size=1, max_size=4, unique=True),
       picks=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=10),
       existing=st.lists(st.text(st.sampled_from("AА0OornmlI1КKZЗ/\u2044 "), max_size=7), max_size=4))
def test_joined_skeletons_distinct_is_exact_where_it_answers(heads: list[str], leaves: list[str],
                                                             picks: list[tuple[int, int]], existing: list[str]) -> None:
    head_of = [h % len(heads) for h, _ in picks]
    leaf_of = [leaf % len(leaves) for _, leaf in picks]
    new = [f"{heads[h]}/{leaves[leaf]}" for h, leaf in zip(head_of, leaf_of, strict=True)]
    keys = [skeleton(i) for i in new]
    truth = len(set(keys)) == len(keys) and not set(keys) & {skeleton(e) for e in existing}
    fast = ids.joined_skeletons_distinct(heads, head_of, leaves, leaf_of, existing)
    if any("/" in skeleton(leaf) for leaf in leaves):
        assert fast is False  # the skeletons would not split back: not sure, check_distinct decides
    else:
        assert fast == truth
    if fast:
        check_distinct(new, existing)  # nothing to refuse


def test_joined_skeletons_distinct_on_a_file_of_look_alikes() -> None:
    heads = [f"Республика {r}/ТИК {t}" for r in range(3) for t in range(40)]
    head_of = [h for h in range(len(heads)) for _ in range(100)]
    leaves = [f"УИК №{s}" for s in range(100)]
    leaf_of = list(range(100)) * len(heads)
    assert ids.joined_skeletons_distinct(heads, head_of, leaves, leaf_of, heads)
    # A leaf that looks like another (№ like No) under the same head: not distinct, wherever it is.
    assert not ids.joined_skeletons_distinct(heads, [*head_of, 7], [*leaves, "УИК No7"], [*leaf_of, 100], [])
    # A head that looks like another (a Latin P): its leaves clash with the other head's.
    assert not ids.joined_skeletons_distinct([*heads, "Pеспублика 0/ТИК 3"], [*head_of, len(heads)], leaves,
                                             [*leaf_of, 50], [])
    # An existing id looking like a new one; one looking like nothing new.
    assert not ids.joined_skeletons_distinct(heads, head_of, leaves, leaf_of, ["Республика 0/TИK 1/УИK №5"])
    assert ids.joined_skeletons_distinct(heads, head_of, leaves, leaf_of, ["Республика 0/ТИК 1/УИК №100"])


def test_the_shipped_prototypes_are_the_ones_built_from_the_confusables_data(tmp_path: Path) -> None:
    import json
    from importlib import resources

    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    assert ids._prototypes() == ids.build_prototypes(json.loads(raw))  # else: make data
    written = ids.write_prototypes(str(tmp_path / "p.json"))
    assert (tmp_path / "p.json").read_bytes() == resources.files("saylau").joinpath(ids.PROTOTYPES_FILE).read_bytes()
    assert written == str(tmp_path / "p.json")
    # Look-alikes the table must tell: Cyrillic and Latin letters, digits and letters, a sequence.
    for a, b in (("А", "A"), ("О", "0"), ("З", "3"), ("m", "rn"), ("№", "No")):
        assert skeleton(a) == skeleton(b)


def test_remembered_skeletons_stay_right_when_the_memo_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids, "_MEMO", {})
    monkeypatch.setattr(ids, "_MEMO_SIZE", 5)
    monkeypatch.setattr(ids, "_MEMO_BATCH", 4)
    batches = [["A", "А", "0", "O"], ["rn", "m", "A"], ["x" * 3, "А", "№1", "No1"], ["Ю", "lO"]]
    for _ in range(3):
        for values in batches:
            assert skeletons(values) == [skeleton(v) for v in values]
            assert len(ids._MEMO) <= 5
    big = [f"УИК №{i}" for i in range(9)]  # over the batch limit: not remembered
    assert skeletons(big) == [skeleton(v) for v in big] and not set(big) & set(ids._MEMO)

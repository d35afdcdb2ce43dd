"""Unit ids: NFC, no invisible or control character, and the UTS #39 confusable skeleton."""

from __future__ import annotations

import unicodedata

import pytest

from saylau.errors import InputError
from saylau.ids import IdClash, check_distinct, check_id, normalise_id, skeleton


@pytest.mark.parametrize("hidden", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u061c",
                                    "\x00", "\x07", "\x1f", "\x7f", "\u2028", "\u2029", "\ue000", "\u034f",
                                    "\ufe0f", "\u180e", "\U000e0001"])
def test_an_invisible_or_control_character_is_refused_with_the_field(hidden: str) -> None:
    for value in (f"A{hidden}B", f"{hidden}AB", f"AB{hidden}"):
        with pytest.raises(InputError) as caught:
            normalise_id(value, field="station")
        assert caught.value.field == "station" and f"U+{ord(hidden):04X}" in str(caught.value)


def test_ids_are_nfc_and_stripped_and_bounded() -> None:
    decomposed = "Алма" + "\u0438\u0306"  # и + combining breve: NFC makes й
    assert normalise_id(decomposed, field="station") == unicodedata.normalize("NFC", decomposed)
    assert normalise_id("  УИК №1 ", field="station") == "УИК №1"
    assert normalise_id("a\u00a0b", field="station") == "a\u00a0b"  # a no-break space is visible: kept
    with pytest.raises(InputError):
        check_id(decomposed, field="station")  # the store's writers take only normalised ids
    for bad in ("", "   ", "x" * 301):
        with pytest.raises(InputError):
            normalise_id(bad, field="station")
    assert normalise_id("x" * 300, field="station") == "x" * 300


@pytest.mark.parametrize(("one", "other"), [("Akmola", "\u0410kmola"), ("0001", "OOO1"), ("rn", "m"),
                                             ("l1", "Il"), ("КZ", "KZ"), ("УИК №3", "УИК №З")])
def test_look_alikes_share_a_skeleton(one: str, other: str) -> None:
    assert skeleton(one) == skeleton(other)
    with pytest.raises(IdClash) as caught:
        check_distinct([other], [one])
    assert one in str(caught.value) and other in str(caught.value)


def test_different_ids_are_kept_apart() -> None:
    ids = [f"Region {r}/Territory {t:02d}/{s:04d}" for r in range(3) for t in range(5) for s in range(40)]
    check_distinct(ids, [])  # no false alarm among ordinary station numbers
    assert len({skeleton(i) for i in ids}) == len(ids)
    check_distinct(["A"], ["A"])  # the same id is that unit, not a look-alike
    assert skeleton("a") != skeleton("b") and skeleton("2") != skeleton("Z")

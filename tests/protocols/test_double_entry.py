"""Double entry's pure part: which fields differ, and settling them field by field."""

from __future__ import annotations

import pytest

from saylau.errors import InputError
from saylau.protocols.double_entry import Difference, Entry, differences, settle

FIRST = Entry({"voters": 100, "valid": 60, "invalid": 2}, {"A": 40, "B": 20})


def test_identical_entries_have_no_difference() -> None:
    assert differences(FIRST, Entry(dict(FIRST.lines), dict(FIRST.votes))) == ()


def test_each_differing_field_is_named_with_both_values_in_form_order() -> None:
    second = Entry({"voters": 100, "valid": 61, "invalid": 3}, {"A": 40, "B": 21})
    assert differences(FIRST, second) == (Difference("lines.valid", 60, 61), Difference("lines.invalid", 2, 3),
                                          Difference("votes.B", 20, 21))
    # One apart is a difference; the same value is not (no tolerance).
    assert [d.field for d in differences(FIRST, Entry({**FIRST.lines, "voters": 99}, FIRST.votes))] == ["lines.voters"]


def test_a_field_only_one_entry_has_is_a_difference() -> None:
    second = Entry(FIRST.lines, {**FIRST.votes, "C": 0})
    assert differences(FIRST, second) == (Difference("votes.C", None, 0),)


def test_settling_keeps_the_chosen_side_per_field_and_every_agreed_field() -> None:
    second = Entry({"voters": 100, "valid": 61, "invalid": 3}, {"A": 40, "B": 21})
    settled = settle(FIRST, second, {"lines.valid": "second", "lines.invalid": "first", "votes.B": "second"})
    assert dict(settled.lines) == {"voters": 100, "valid": 61, "invalid": 2}
    assert dict(settled.votes) == {"A": 40, "B": 21}
    # The inputs are untouched.
    assert FIRST.lines["valid"] == 60 and second.votes["B"] == 21


def test_settling_refuses_an_agreed_field_a_missing_choice_and_an_unknown_side() -> None:
    second = Entry({**FIRST.lines, "valid": 61}, FIRST.votes)
    with pytest.raises(InputError) as agreed:
        settle(FIRST, second, {"lines.valid": "first", "lines.voters": "second"})
    assert agreed.value.field == "lines.voters"
    with pytest.raises(InputError) as missing:
        settle(FIRST, second, {})
    assert missing.value.field == "lines.valid"
    with pytest.raises(InputError) as side:
        settle(FIRST, second, {"lines.valid": "third"})
    assert side.value.field == "lines.valid"

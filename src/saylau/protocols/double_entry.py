"""Double entry, the pure part: two typists' entries of one protocol compared field by field, and settled.

A protocol is counted under double entry only when two entries by different
typists agree (the Dutch Electoral Council's Abacus does the same). When they
differ, a coordinator settles each differing field by keeping the first or the
second typist's value: nobody types again a field both typists agreed on.

An entry's fields are named ``lines.<key>`` (a form line) and ``votes.<code>``
(a party), in the form's and the ballot's order.

>>> first = Entry({"valid": 10, "invalid": 1}, {"A": 6, "B": 4})
>>> second = Entry({"valid": 10, "invalid": 2}, {"A": 6, "B": 4})
>>> differences(first, second)
(Difference(field='lines.invalid', first=1, second=2),)
>>> settle(first, second, {"lines.invalid": "second"}).lines["invalid"]
2
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from saylau.errors import InputError

__all__ = ["MODES", "SIDES", "Difference", "Entry", "differences", "settle"]

#: The election setting: ``off`` (protocols are submitted once), ``optional`` (entries may be made and a
#: direct submission is still counted), ``required`` (a station's or territory's protocol counts only
#: when two entries agree).
MODES = ("off", "optional", "required")
#: Whose value a coordinator keeps for a differing field.
SIDES = ("first", "second")

Side = Literal["first", "second"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One typist's entry: the form's lines by key and the votes by party code."""

    lines: Mapping[str, int]
    votes: Mapping[str, int]

    def value(self, field: str) -> int | None:
        """The value of ``lines.<key>`` or ``votes.<code>`` (None if the entry lacks it)."""
        group, _, key = field.partition(".")
        values = self.lines if group == "lines" else self.votes if group == "votes" else {}
        return values.get(key)

    def fields(self) -> list[str]:
        return [f"lines.{k}" for k in self.lines] + [f"votes.{c}" for c in self.votes]


@dataclass(frozen=True, slots=True)
class Difference:
    """A field the two entries disagree on, with both values."""

    field: str
    first: int | None
    second: int | None

    def to_dict(self) -> dict[str, object]:
        return {"field": self.field, "first": self.first, "second": self.second}


def differences(first: Entry, second: Entry) -> tuple[Difference, ...]:
    """Every field whose values differ (or that only one entry has), in the first entry's order."""
    fields = first.fields() + [f for f in second.fields() if first.value(f) is None]
    return tuple(Difference(f, first.value(f), second.value(f)) for f in fields if first.value(f) != second.value(f))


def settle(first: Entry, second: Entry, choices: Mapping[str, str]) -> Entry:
    """The protocol both entries make once each differing field is given a side.

    ``choices`` must name every differing field and nothing else (a field both
    entries agree on is never chosen, nor re-typed); each side is ``first`` or
    ``second``. Anything else is an InputError naming the field.
    """
    differing = {d.field: d for d in differences(first, second)}
    for field, side in choices.items():
        if field not in differing:
            raise InputError("both entries agree on this field (or it is not a field of the protocol): "
                             "nothing to choose", field=field, value=side)
        if side not in SIDES:
            raise InputError(f"choose one of {', '.join(SIDES)}", field=field, value=side)
    missing = [f for f in differing if f not in choices]
    if missing:
        raise InputError("choose the first or the second value of every differing field", field=missing[0],
                         value=None)
    lines, votes = dict(first.lines), dict(first.votes)
    for field, side in choices.items():
        d = differing[field]
        value = d.first if side == "first" else d.second
        group, _, key = field.partition(".")
        target = lines if group == "lines" else votes
        if value is None:  # the chosen entry lacks the field: entries of one form never do, but say so plainly
            raise InputError("the chosen entry has no value for this field", field=field, value=side)
        target[key] = value
    return Entry(lines, votes)

"""Legal thresholds, compared exactly at the line.

A threshold is a share of a base (valid votes, ballots cast or registered
voters) or an absolute number of votes, met with ``>=`` ("7% or more") or
``>`` ("more than 5%"). The comparison is an integer cross-product, so a list
with exactly 7% passes a ``>=`` threshold: the error votelib makes by
comparing a count with a rounded fraction cannot happen here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from saylau.core.numbers import decimal_str, parse_share

__all__ = ["BASES", "Base", "Threshold"]

Base = Literal["valid", "ballots_cast", "registered"]
BASES: tuple[Base, ...] = ("valid", "ballots_cast", "registered")
BASE_LABELS: dict[str, str] = {
    "valid": "valid votes",
    "ballots_cast": "ballots cast",
    "registered": "registered voters",
}


@dataclass(frozen=True, slots=True)
class Threshold:
    """A list passes when ``votes >= share × base`` (or ``>``), or ``votes >= votes_min``."""

    share: Fraction | None = None
    votes_min: int | None = None
    inclusive: bool = True
    base: Base = "valid"
    clause: str = ""
    # share = _num / _den, cached as plain ints for the hot path.
    _num: int = field(init=False, repr=False, compare=False, default=0)
    _den: int = field(init=False, repr=False, compare=False, default=1)

    def __post_init__(self) -> None:
        if self.share is not None:
            object.__setattr__(self, "_num", self.share.numerator)
            object.__setattr__(self, "_den", self.share.denominator)
        if (self.share is None) == (self.votes_min is None):
            raise ValueError("a threshold is either a share of a base or an absolute number of votes")
        if self.share is not None and not 0 <= self.share <= 1:
            raise ValueError(f"threshold {self.share} is outside [0, 1]")
        if self.votes_min is not None and self.votes_min < 0:
            raise ValueError(f"threshold of {self.votes_min} votes is negative")
        if self.base not in BASES:
            raise ValueError(f"unknown threshold base {self.base!r}; choose one of {', '.join(BASES)}")

    @classmethod
    def parse(cls, text: str, *, base: Base = "valid", inclusive: bool = True, clause: str = "") -> Threshold:
        """``'7%'``, a decimal share, ``'1/150'``, or ``'5000 votes'`` for an absolute count."""
        stripped = text.strip()
        if stripped.endswith("votes"):
            count = stripped[: -len("votes")].strip().replace(",", "").replace("_", "")
            if not count.isdigit():
                raise ValueError(f"not a vote count: {text!r}")
            return cls(votes_min=int(count), inclusive=inclusive, base=base, clause=clause)
        return cls(share=parse_share(stripped), inclusive=inclusive, base=base, clause=clause)

    def passes(self, votes: int, base_total: int) -> bool:
        if self.share is None:
            assert self.votes_min is not None
            return votes >= self.votes_min if self.inclusive else votes > self.votes_min
        left = votes * self._den
        right = self._num * base_total
        return left >= right if self.inclusive else left > right

    def passing(self, votes: Sequence[int], base_total: int) -> list[bool]:
        """:meth:`passes` for many lists at once."""
        if self.share is None:
            return [self.passes(v, base_total) for v in votes]
        den, line = self._den, self._num * base_total
        if self.inclusive:
            return [v * den >= line for v in votes]
        return [v * den > line for v in votes]

    def minimum_votes(self, base_total: int) -> int:
        """The fewest votes that pass, for a given base."""
        if self.share is None:
            assert self.votes_min is not None
            return self.votes_min if self.inclusive else self.votes_min + 1
        line = self.share * base_total
        whole = line.numerator // line.denominator
        if self.inclusive:
            return whole if line.denominator == 1 else whole + 1
        return whole + 1

    def describe(self) -> str:
        op = ">=" if self.inclusive else ">"
        if self.share is None:
            return f"{op} {self.votes_min} votes"
        return f"{op} {percent(self.share)} of {BASE_LABELS[self.base]}"


def percent(share: Fraction) -> str:
    """A share as a percentage, exact when it has few decimals (``7%``), else rounded to four places."""
    scaled = share * 100
    for places in range(4):
        if (scaled * 10**places).denominator == 1:
            return f"{decimal_str(scaled, places)}%"
    return f"{decimal_str(scaled, 4)}%"

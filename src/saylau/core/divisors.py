"""Divisor (highest-averages) methods, exact.

Every method is described by its *signposts* s(k), the divisor applied to a list
that already holds k seats, scaled so that k <= s(k) <= k + 1 (Pukelsheim,
*Proportional Representation*, 2017, ch. 3). A list's claim to its next seat
is votes / s(k). Huntington-Hill's signposts are square roots, so its claims
are compared squared: every comparison stays in integers and fractions.

The classic divisor sequences are the signposts times a constant, which does
not change any result: D'Hondt 1, 2, 3 ...; Sainte-Laguë 1, 3, 5 ...;
Danish 1, 4, 7 ...; modified Sainte-Laguë f, 3, 5 ... (f configurable).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "ADAMS",
    "DANISH",
    "DEAN",
    "DHONDT",
    "DIVISOR_METHODS",
    "HUNTINGTON_HILL",
    "SAINTE_LAGUE",
    "DivisorMethod",
    "modified_sainte_lague",
]

Signpost = Callable[[int], tuple[int, int]]


@dataclass(frozen=True, slots=True)
class DivisorMethod:
    """A divisor method: ``signpost(k) = (a, b)`` means s(k) = a / b (squared when ``squared``)."""

    name: str
    label: str
    sequence: str
    signpost: Signpost
    squared: bool = False

    def claim(self, votes: int, held: int) -> tuple[int, int]:
        """The list's claim to its next seat as ``(numerator, denominator)``.

        A zero denominator is an infinite claim (a first seat under Adams, Dean
        or Huntington-Hill). Squared methods return the claim squared.
        """
        a, b = self.signpost(held)
        if votes == 0:
            return (0, 1)
        power = votes * votes if self.squared else votes
        return (power * b, a)

    def seats_at(self, votes_times_seats: int, total: int) -> int:
        """Seats a list gets when its votes are divided by total / seats (the jump start).

        ``votes_times_seats / total`` is the list's ideal share x; the answer is
        the number of signposts below x. Signposts lie in [k, k + 1], so only
        the signpost at floor(x) needs a look.
        """
        if votes_times_seats == 0:
            return 0
        n = votes_times_seats // total
        a, b = self.signpost(n)
        # s(n) < x  <=>  a / b < (vs / total), squared where the method is.
        if self.squared:
            below = a * total * total < b * votes_times_seats * votes_times_seats
        else:
            below = a * total < b * votes_times_seats
        return n + 1 if below else n

    def divisor_text(self, held: int) -> str:
        """The classic divisor for a list holding ``held`` seats, for explanations."""
        a, b = self.signpost(held)
        scale = _CLASSIC_SCALE.get(self.name, 1)
        value = Fraction(a * scale, b)
        if self.squared:
            return f"√({value})" if value.denominator == 1 else f"√({value.numerator}/{value.denominator})"
        return str(value) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


# Multipliers that turn signposts back into the sequences people know.
_CLASSIC_SCALE = {"sainte-lague": 2, "modified-sainte-lague": 2, "danish": 3}


DHONDT = DivisorMethod("dhondt", "D'Hondt (Jefferson)", "1, 2, 3, 4, ...", lambda k: (k + 1, 1))
SAINTE_LAGUE = DivisorMethod(
    "sainte-lague", "Sainte-Laguë (Webster)", "1, 3, 5, 7, ...", lambda k: (2 * k + 1, 2)
)
DANISH = DivisorMethod("danish", "Danish", "1, 4, 7, 10, ...", lambda k: (3 * k + 1, 3))
ADAMS = DivisorMethod("adams", "Adams (smallest divisors)", "0, 1, 2, 3, ...", lambda k: (k, 1))
DEAN = DivisorMethod(
    "dean",
    "Dean (harmonic mean)",
    "2k(k+1)/(2k+1): 0, 4/3, 12/5, ...",
    lambda k: (2 * k * (k + 1), 2 * k + 1),
)
HUNTINGTON_HILL = DivisorMethod(
    "huntington-hill",
    "Huntington-Hill (equal proportions)",
    "√(k(k+1)): 0, √2, √6, ...",
    lambda k: (k * (k + 1), 1),
    squared=True,
)


def modified_sainte_lague(first: Fraction = Fraction(7, 5)) -> DivisorMethod:
    """Sainte-Laguë with the first divisor raised to ``first`` (Norway 7/5; Sweden 6/5 since 2018)."""
    if not 0 < first < 3:
        raise ValueError(f"the first divisor of modified Sainte-Laguë must lie in (0, 3), not {first}")
    a0, b0 = first.numerator, 2 * first.denominator

    def signpost(k: int) -> tuple[int, int]:
        return (a0, b0) if k == 0 else (2 * k + 1, 2)

    shown = str(first) if first.denominator == 1 else f"{first.numerator}/{first.denominator}"
    return DivisorMethod(
        "modified-sainte-lague", f"modified Sainte-Laguë (first divisor {shown})", f"{shown}, 3, 5, 7, ...", signpost
    )


DIVISOR_METHODS: dict[str, DivisorMethod] = {
    m.name: m
    for m in (DHONDT, SAINTE_LAGUE, modified_sainte_lague(), DANISH, HUNTINGTON_HILL, ADAMS, DEAN)
}

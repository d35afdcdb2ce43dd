"""Linear expressions over protocol lines (``ballots_issued_in_premises + ballots_issued_outside``).

A form writes each side of a control relation, and each standard total, as a
sum of line keys with optional whole-number coefficients (``2*x``, ``a - b``);
``parties`` stands for the sum of every party's votes. Expressions are parsed
once into coefficient tuples and evaluated with integer arithmetic: no
``eval``, no floats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["PARTIES", "LinearExpr", "parse_expr"]

PARTIES = "parties"
"""The pseudo-line that stands for the sum of all party votes."""

_TERM = re.compile(r"\s*([+-])?\s*(?:(\d+)\s*\*\s*)?([a-z][a-z0-9_]*)\s*")


@dataclass(frozen=True, slots=True)
class LinearExpr:
    """``sum(coefficient * line)`` over ``terms``; keys are line keys or :data:`PARTIES`."""

    terms: tuple[tuple[str, int], ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.terms)

    def evaluate(self, lines: Mapping[str, int], votes: Mapping[str, int]) -> int:
        """The expression's value for one protocol's ``lines`` and party ``votes``."""
        total = 0
        for key, coefficient in self.terms:
            value = sum(votes.values()) if key == PARTIES else lines[key]
            total += coefficient * value
        return total

    def minus(self, other: LinearExpr) -> dict[str, int]:
        """Coefficients of ``self - other``, zero terms dropped (a relation's difference vector)."""
        merged: dict[str, int] = {}
        for key, coefficient in self.terms:
            merged[key] = merged.get(key, 0) + coefficient
        for key, coefficient in other.terms:
            merged[key] = merged.get(key, 0) - coefficient
        return {key: c for key, c in merged.items() if c}

    def __str__(self) -> str:
        parts: list[str] = []
        for key, coefficient in self.terms:
            sign = "-" if coefficient < 0 else "+"
            magnitude = abs(coefficient)
            term = key if magnitude == 1 else f"{magnitude}*{key}"
            parts.append(f"{sign} {term}" if parts or sign == "-" else term)
        return " ".join(parts) if parts else "0"


def parse_expr(text: str) -> LinearExpr:
    """Parse ``"a + 2*b - c"``; raise ValueError with the offending position on bad syntax."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("an expression must be a non-empty string such as 'valid + invalid'")
    terms: list[tuple[str, int]] = []
    position = 0
    while position < len(text):
        match = _TERM.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"cannot read the expression {text!r} at character {position + 1}")
        sign, coefficient, key = match.groups()
        if terms and sign is None:
            raise ValueError(f"expected '+' or '-' before {key!r} in {text!r}")
        value = int(coefficient) if coefficient else 1
        terms.append((key, -value if sign == "-" else value))
        position = match.end()
    return LinearExpr(tuple(terms))

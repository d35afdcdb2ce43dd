"""Argument types shared by the commands: whole numbers checked where they are parsed."""

from __future__ import annotations

import argparse

from saylau.core.numbers import parse_count

__all__ = ["nonnegative_int", "positive_int"]


def nonnegative_int(text: str) -> int:
    """A count: digits 0-9 only, at most MAX_COUNT (10^10)."""
    try:
        return parse_count(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} {exc}") from None


def positive_int(text: str) -> int:
    value = nonnegative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, not {text!r}")
    return value

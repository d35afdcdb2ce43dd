"""How numbers read in a report, the same in every format."""

from __future__ import annotations

__all__ = ["change_text", "count_text", "percent_cell"]


def count_text(value: int | None, *, missing: str = "n/a") -> str:
    """``5148074`` → ``5,148,074``; ``None`` → ``missing``."""
    return missing if value is None else f"{value:,}"


def percent_cell(text: str | None) -> str:
    """``'71.09'`` → ``'71.09%'``; unknown shares stay ``n/a``."""
    if text is None or text == "n/a":
        return "n/a"
    return f"{text}%"


def change_text(change: int | None, *, minus: str = "−") -> str:
    """Seat change with its sign: ``+5``, ``−8``, ``0``; ``n/a`` when unknown.

    ``minus`` is the typographic minus in print; CSV uses ``-`` so the value parses.
    """
    if change is None:
        return "n/a"
    if change > 0:
        return f"+{change}"
    if change < 0:
        return f"{minus}{-change}"
    return "0"

"""CSV cells safe to open in a spreadsheet (formula injection, OWASP "CSV Injection").

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(...)`` in a party name), and a leading tab or carriage return hides one.
Every CSV saylau writes goes through :func:`writer`, which prefixes such a text cell
with ``'`` as OWASP recommends; numbers stay numbers (``-12``, ``+3``, ``-0.5``, ``12.5%``
are written as they are). The prefix is reversible: a cell that already starts with
quotes before such a character gets one more, and :func:`restore` takes one off, so
saylau's own files read back to the same text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

__all__ = ["neutralise", "restore", "writer"]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?%?")


def _needs_prefix(text: str) -> bool:
    rest = text.lstrip("'")
    return rest.startswith(_DANGEROUS) and not _NUMBER.fullmatch(rest)


def neutralise(cell: Any) -> Any:
    """``cell`` as a spreadsheet shows it and never runs it: a risky text cell gets a leading ``'``."""
    if isinstance(cell, str) and cell and _needs_prefix(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The text :func:`neutralise` was given (for readers of saylau's own CSV files)."""
    if cell.startswith("'") and _needs_prefix(cell[1:]):
        return cell[1:]
    return cell


class _SafeWriter:
    """A ``csv.writer`` whose every text cell is neutralised."""

    def __init__(self, handle: IO[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        write = self._writer.writerow
        for row in rows:
            write([neutralise(cell) for cell in row])


def writer(handle: IO[str], **options: Any) -> _SafeWriter:
    """A CSV writer over ``handle`` (options as for ``csv.writer``) that neutralises formula cells."""
    options.setdefault("lineterminator", "\n")
    return _SafeWriter(handle, **options)

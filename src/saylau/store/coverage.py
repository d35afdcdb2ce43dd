"""How the audit chain covers a table: the declaration every table of the schema carries in ``info["chain"]``.

* ``CHAINED`` (``Chained()``): every write records the hashes of the rows it made,
  changed or deleted in the chain's row ledger; verification recomputes every row's
  hash and names each row that differs from the ledger, is missing or was never
  recorded. ``Chained(derived={"column": "check"})`` leaves a column out of the row
  hash because verification recomputes it from the other rows (``check`` names
  the function in :mod:`saylau.store.chain` that does).
* ``LOG``: the chain itself (entries, head, ledger), verified link by link.
* ``Derived(check)``: a cache table verification recomputes from chained rows and
  compares (``check`` names the function in :mod:`saylau.store.chain`).
* ``Unaudited(reason)``: rows no result, status or right depends on; the reason
  is stated, and a test keeps the list of such tables short and explicit.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHAINED", "LOG", "Chained", "Coverage", "Derived", "Unaudited"]


@dataclass(frozen=True, slots=True)
class Coverage:
    kind: str


@dataclass(frozen=True, slots=True)
class Chained(Coverage):
    derived: tuple[tuple[str, str], ...]
    """(column, check) pairs: columns left out of the row hash, recomputed by verification instead."""

    def __init__(self, derived: dict[str, str] | None = None) -> None:
        object.__setattr__(self, "kind", "chained")
        object.__setattr__(self, "derived", tuple(sorted((derived or {}).items())))


@dataclass(frozen=True, slots=True)
class Derived(Coverage):
    check: str

    def __init__(self, check: str) -> None:
        object.__setattr__(self, "kind", "derived")
        object.__setattr__(self, "check", check)


@dataclass(frozen=True, slots=True)
class Unaudited(Coverage):
    reason: str

    def __init__(self, reason: str) -> None:
        object.__setattr__(self, "kind", "unaudited")
        object.__setattr__(self, "reason", reason)


CHAINED = Chained()
LOG = Coverage("log")

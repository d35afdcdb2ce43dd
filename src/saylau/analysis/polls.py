"""Opinion polls: reading them, and one recency-weighted average to project from.

The polls file has one row per poll: ``date,pollster,kind`` then one column
per party (its share in percent; blank when the poll did not report it).
``kind`` is ``poll``, ``exit_poll`` or ``result``; a ``result`` row is the
outcome itself and never enters an average (it is what a projection is
compared with).

The average. Each poll weighs ``0.5 ** (age / half_life)``, its age in days
counted back from ``as_of`` (default: the newest poll used), so a poll
``half_life`` days older counts half as much. A party's average is the
weighted mean over the polls that report it. Polls at the same date weigh
the same; pollsters are not otherwise corrected (no house effects).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from saylau.errors import InputError

__all__ = ["DEFAULT_HALF_LIFE", "KINDS", "Poll", "PollAverage", "average_polls", "read_polls"]

KINDS = ("poll", "exit_poll", "result")
#: Days after which a poll counts half as much as one taken on the ``as_of`` date.
DEFAULT_HALF_LIFE = 14.0
_FIXED = ("date", "pollster", "kind")


@dataclass(frozen=True, slots=True)
class Poll:
    """One poll: shares in percent by party (only the parties it reported)."""

    date: dt.date
    pollster: str
    kind: str
    shares: dict[str, float]
    row: int


@dataclass(frozen=True, slots=True)
class PollAverage:
    """Recency-weighted average shares (percent) and what went into them."""

    shares: dict[str, float]
    polls: tuple[Poll, ...]
    weights: tuple[float, ...]
    as_of: dt.date
    half_life: float

    @property
    def kish_factor(self) -> float:
        """(Σw)² / Σw²: how many equally weighted polls the weighted average is worth."""
        total = sum(self.weights)
        squares = sum(w * w for w in self.weights)
        return total * total / squares if squares else 0.0


def read_polls(path: str | Path) -> list[Poll]:
    """Read every row of a polls file; bad values raise :class:`InputError` naming row and field."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=source) from None
    reader = csv.DictReader(text.splitlines())
    fields = reader.fieldnames or []
    for name in _FIXED:
        if name not in fields:
            raise InputError(f"missing column {name!r}", source=source, row=1, field=name)
    parties = [f for f in fields if f not in _FIXED and f.strip()]
    if not parties:
        raise InputError("no party columns after date,pollster,kind", source=source, row=1)
    polls = []
    for row_no, row in enumerate(reader, start=2):
        try:
            date = dt.date.fromisoformat((row["date"] or "").strip())
        except ValueError:
            raise InputError("not a date (YYYY-MM-DD)", source=source, row=row_no, field="date",
                             value=row["date"]) from None
        kind = (row["kind"] or "").strip()
        if kind not in KINDS:
            raise InputError(f"kind must be one of {', '.join(KINDS)}", source=source, row=row_no, field="kind",
                             value=row["kind"])
        shares: dict[str, float] = {}
        for party in parties:
            cell = (row.get(party) or "").strip()
            if not cell:
                continue
            try:
                value = float(cell.rstrip("%"))
            except ValueError:
                raise InputError("not a percentage", source=source, row=row_no, field=party, value=cell) from None
            if not math.isfinite(value) or not 0 <= value <= 100:
                raise InputError("a share must lie between 0 and 100", source=source, row=row_no, field=party,
                                 value=cell)
            shares[party] = value
        if sum(shares.values()) > 100.5:  # half a point of rounding allowed
            raise InputError(f"shares add up to {sum(shares.values()):.2f}%, more than 100%", source=source,
                             row=row_no, field="shares", value=round(sum(shares.values()), 2))
        polls.append(Poll(date, (row["pollster"] or "").strip(), kind, shares, row_no))
    return polls


def average_polls(
    polls: Iterable[Poll],
    *,
    kinds: Sequence[str] = ("poll",),
    as_of: dt.date | None = None,
    half_life: float = DEFAULT_HALF_LIFE,
    source: str | None = None,
) -> PollAverage:
    """The recency-weighted average of the polls of ``kinds`` (never ``result`` rows) up to ``as_of``."""
    if "result" in kinds:
        raise InputError("a result is not a poll and never enters the average", field="kind", value="result")
    if not half_life > 0:
        raise InputError("the half-life must be a positive number of days", field="half_life", value=half_life)
    used = [p for p in polls if p.kind in kinds and p.shares and (as_of is None or p.date <= as_of)]
    if not used:
        raise InputError(f"no polls of kind {', '.join(kinds)}" + (f" up to {as_of}" if as_of else ""),
                         source=source, field="kind")
    when = as_of or max(p.date for p in used)
    weights = tuple(0.5 ** ((when - p.date).days / half_life) for p in used)
    totals: dict[str, float] = {}
    mass: dict[str, float] = {}
    for poll, w in zip(used, weights, strict=True):
        for party, share in poll.shares.items():
            totals[party] = totals.get(party, 0.0) + w * share
            mass[party] = mass.get(party, 0.0) + w
    shares = {party: totals[party] / mass[party] for party in totals}
    return PollAverage(shares, tuple(used), weights, when, half_life)

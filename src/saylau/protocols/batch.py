"""A batch of station protocols read from one source, kept both as records and as columns.

Readers build a batch column by column (fast for 95,225 rows); the records
(:class:`~saylau.protocols.model.StationProtocol`) are made on first use, and
a batch made from records gets its columns on first use. Either view is
exact integers. Rows a reader rejected travel with the batch as
:class:`RowError` values (``collect=True``, for ``--skip-invalid``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from saylau.errors import ProtocolError, located
from saylau.protocols.form import Form
from saylau.protocols.model import PartyInfo, StationProtocol
from saylau.protocols.station_paths import StationPaths

__all__ = ["KnownStation", "ProtocolBatch", "RowError", "StationTable", "raise_row_errors"]

#: How many bad rows an error message lists before "and N more".
SHOWN_ERRORS = 10


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad cell or row of an input file: where it is, what it holds and why it is refused."""

    source: str | None
    row: int | None
    field: str | None
    value: object
    reason: str
    station: str | None = None
    raw: tuple[str, ...] = ()
    """The row's cells as read, so that rejects can be written out again."""
    region: str | None = None
    territory: str | None = None
    """Where the row's station is, when the reader could tell: a rejected station is still a known station."""

    def describe(self) -> str:
        return located(self.reason, source=self.source, row=self.row, field=self.field, value=self.value)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "row": self.row, "field": self.field,
                "value": self.value if self.value is None or isinstance(self.value, (int, str)) else str(self.value),
                "reason": self.reason, "station": self.station}


@dataclass(frozen=True, slots=True)
class KnownStation:
    """A station its source lists without a protocol (no count published): known, not reported, never zero."""

    station: str
    region: str
    territory: str | None
    row: int | None = None
    registered: int | None = None
    """Voters on its list, where the source gives them without the rest of the protocol."""
    source: str | None = None


def raise_row_errors(errors: Sequence[RowError], source: str | None) -> None:
    """Raise one :class:`ProtocolError` listing the first bad rows; ``.violations`` holds them all."""
    if not errors:
        return
    rows = sorted({e.row for e in errors if e.row is not None})
    shown = "; ".join(e.describe() for e in errors[:SHOWN_ERRORS])
    more = f"; and {len(errors) - SHOWN_ERRORS} more" if len(errors) > SHOWN_ERRORS else ""
    first = errors[0]
    raise ProtocolError(
        f"{len(errors)} error(s) in {len(rows)} row(s), nothing accepted: {shown}{more}",
        violations=errors, source=source, row=first.row, field=first.field,
    )


@dataclass(slots=True)
class StationTable:
    """Protocols as columns: one list per line key and per party code, all of one length (a reader holding NumPy
    arrays may make each list when it is first asked for)."""

    stations: Sequence[str]
    """A list, or the :class:`ComposedIds` of ``paths``."""
    regions: list[str]
    territories: list[str | None]
    columns: Mapping[str, list[int]]
    rows: list[int | None]
    urls: list[str | None] | None = None
    synthetic: list[bool] | None = None
    """Per station; None means no station is synthetic."""
    extras: Sequence[Mapping[str, str]] | None = None
    arrays: Mapping[str, Any] | None = None
    """Optional NumPy int64 copies of ``columns`` (same keys, same values) that a reader already had;
    the checker uses them when present. A table is not modified after it is built."""
    distinct: bool = False
    """True when the reader saw that no station appears twice (False: not known)."""
    paths: StationPaths | None = None
    """How the reader composed the station ids, when it says (None: not known)."""

    def __len__(self) -> int:
        return len(self.stations)


class ProtocolBatch:
    """The protocols of one source with their form and parties (in ballot order)."""

    def __init__(
        self,
        form: Form,
        parties: Sequence[PartyInfo],
        protocols: Sequence[StationProtocol] | None = None,
        *,
        table: StationTable | None = None,
        source: str | None = None,
        rejects: Sequence[RowError] = (),
        meta: Mapping[str, Any] | None = None,
        unreported: Sequence[KnownStation] = (),
    ) -> None:
        if (protocols is None) == (table is None):
            raise ValueError("give either protocols or a table")
        self.form = form
        self.parties = tuple(sorted(parties, key=lambda p: p.registration_order))
        self.source = source
        self.rejects: list[RowError] = list(rejects)
        self.unreported: list[KnownStation] = list(unreported)
        """Stations the source lists without any count: stored as known stations without a protocol."""
        self.meta: dict[str, Any] = dict(meta or {})
        self._protocols = list(protocols) if protocols is not None else None
        self._table = table

    @property
    def party_codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.parties)

    @property
    def protocols(self) -> list[StationProtocol]:
        """The protocols as records, in source order (built from the columns on first use)."""
        if self._protocols is None:
            assert self._table is not None
            self._protocols = _records(self._table, self.form.line_keys, self.party_codes, self.source)
        return self._protocols

    @property
    def table(self) -> StationTable:
        """The protocols as columns (built from the records on first use)."""
        if self._table is None:
            assert self._protocols is not None
            self._table = _columns(self._protocols, self.form.line_keys, self.party_codes, self.source)
        return self._table

    def __len__(self) -> int:
        return len(self._protocols) if self._protocols is not None else len(self.table)

    def __iter__(self) -> Iterator[StationProtocol]:
        return iter(self.protocols)

    def column(self, key: str) -> list[int]:
        """One line's (or one party's) counts over all stations, in order."""
        return self.table.columns[key]

    def sums(self) -> dict[str, int]:
        """Sum of every line and every party's votes over the batch."""
        return {key: sum(values) for key, values in self.table.columns.items()}

    def totals(self) -> dict[str, int]:
        """The form's standard totals (registered, ballots_cast, valid, invalid, issued) summed over the batch."""
        sums = self.sums()
        lines = {key: sums[key] for key in self.form.line_keys}
        votes = {code: sums[code] for code in self.party_codes}
        return {name: expr.evaluate(lines, votes) for name, expr in self.form.total_exprs.items()}

    def __repr__(self) -> str:
        return (f"ProtocolBatch(form={self.form.name!r}, parties={len(self.parties)}, protocols={len(self)}, "
                f"rejects={len(self.rejects)}, unreported={len(self.unreported)}, source={self.source!r})")


def _records(table: StationTable, line_keys: Sequence[str], party_codes: Sequence[str],
             source: str | None) -> list[StationProtocol]:
    n = len(table)
    line_rows = list(zip(*(table.columns[k] for k in line_keys), strict=True)) if line_keys else [()] * n
    vote_rows = list(zip(*(table.columns[c] for c in party_codes), strict=True)) if party_codes else [()] * n
    synthetic = table.synthetic or [False] * n
    urls = table.urls or [None] * n
    extras: Sequence[Mapping[str, str]] = table.extras or [{}] * n
    keys, codes = tuple(line_keys), tuple(party_codes)
    return [
        StationProtocol(table.stations[i], table.regions[i], table.territories[i], dict(zip(keys, line_rows[i], strict=True)),
                        dict(zip(codes, vote_rows[i], strict=True)), synthetic[i], source, table.rows[i], urls[i],
                        extras[i])
        for i in range(n)
    ]


def _columns(protocols: Sequence[StationProtocol], line_keys: Sequence[str], party_codes: Sequence[str],
             source: str | None) -> StationTable:
    errors: list[RowError] = []
    codes = set(party_codes)
    for index, p in enumerate(protocols):
        row = p.row if p.row is not None else index + 1
        for key in line_keys:
            if key not in p.lines:
                errors.append(RowError(p.source or source, row, key, None, "missing form line", p.station))
        for code in party_codes:
            if code not in p.votes:
                errors.append(RowError(p.source or source, row, f"votes.{code}", None, "missing party", p.station))
        for code in p.votes:
            if code not in codes:
                errors.append(RowError(p.source or source, row, f"votes.{code}", None,
                                       "party not in the batch's parties", p.station))
    raise_row_errors(errors, source)
    columns = {key: [p.lines[key] for p in protocols] for key in line_keys}
    columns.update({code: [p.votes[code] for p in protocols] for code in party_codes})
    return StationTable(
        stations=[p.station for p in protocols],
        regions=[p.region for p in protocols],
        territories=[p.territory for p in protocols],
        columns=columns,
        rows=[p.row for p in protocols],
        urls=[p.url for p in protocols],
        synthetic=[p.synthetic for p in protocols],
        extras=[p.extra for p in protocols],
    )


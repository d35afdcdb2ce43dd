"""Station-level counts as NumPy integer arrays: the one shape every forensic test reads.

Protocols arrive one per station (from a reader or the store); the tests want
columns. ``StationData.from_protocols`` turns the first into the second once,
so that every test is vectorised over stations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from saylau.errors import InputError
from saylau.rules.definitions import Definitions

__all__ = ["RU_CEC", "StationData"]

RU_CEC = Definitions(turnout_count="issued", share_base="ballots_cast")
"""The Russian CEC's definitions, which the forensic papers use too: turnout is ballots issued over voters on
the list, a list's share is of the ballots of the voters who took part (valid + invalid found in the boxes)."""

_COUNT_FIELDS = ("voters", "issued", "valid", "invalid")


@dataclass(frozen=True, eq=False)
class StationData:
    """The counts of many polling stations, one array element per station.

    Every count is a non-negative ``int64`` array of the same length; ``votes``
    has one column per party, in ``party_codes`` order. ``found`` (ballots
    found in the boxes) is ``valid + invalid``, the denominator of a list's share.
    """

    station_ids: np.ndarray
    regions: np.ndarray
    voters: np.ndarray
    """Voters on the list (registered)."""
    issued: np.ndarray
    """Ballots issued (the numerator of turnout)."""
    valid: np.ndarray
    invalid: np.ndarray
    votes: np.ndarray
    party_codes: tuple[str, ...]
    party_names: tuple[str, ...]
    territories: np.ndarray | None = None
    source: str = ""
    definitions: Definitions = RU_CEC
    """What turnout and a share are (from the election's ruleset; the Russian CEC's by default)."""

    def __post_init__(self) -> None:
        n = len(self.station_ids)
        for name in (*_COUNT_FIELDS, "regions"):
            if len(getattr(self, name)) != n:
                raise InputError(f"{name} has {len(getattr(self, name))} entries for {n} stations",
                                 source=self.source or None, field=name)
        if self.votes.shape != (n, len(self.party_codes)):
            raise InputError(f"votes has shape {self.votes.shape}, expected ({n}, {len(self.party_codes)})",
                             source=self.source or None, field="votes")
        if len(self.party_names) != len(self.party_codes):
            raise InputError("party_names and party_codes differ in length", source=self.source or None,
                             field="party_names")
        for name in (*_COUNT_FIELDS, "votes"):
            column = getattr(self, name)
            if column.size and column.min() < 0:
                row, *col = np.argwhere(column < 0)[0]
                raise InputError("counts must not be negative", source=self.source or None, row=int(row) + 1,
                                 field=f"{name} (station {self.station_ids[row]})",
                                 value=int(column[(row, *col)]))

    def __len__(self) -> int:
        return len(self.station_ids)

    @property
    def found(self) -> np.ndarray:
        """Ballots found in the boxes: valid + invalid."""
        found: np.ndarray = self.valid + self.invalid
        return found

    @property
    def turnout_count(self) -> np.ndarray:
        """Turnout's numerator as ``definitions`` says: ballots issued, or ballots found in the boxes."""
        return self.issued if self.definitions.turnout_count == "issued" else self.found

    @property
    def share_base(self) -> np.ndarray:
        """A list's share is of this: valid votes, or the ballots of the voters who took part (found)."""
        return self.found if self.definitions.share_base == "ballots_cast" else self.valid

    @classmethod
    def from_arrays(
        cls,
        *,
        voters: Sequence[int] | np.ndarray,
        issued: Sequence[int] | np.ndarray,
        valid: Sequence[int] | np.ndarray,
        invalid: Sequence[int] | np.ndarray,
        votes: Sequence[Sequence[int]] | np.ndarray,
        party_codes: Sequence[str],
        party_names: Sequence[str] | None = None,
        station_ids: Sequence[str] | np.ndarray | None = None,
        regions: Sequence[str] | np.ndarray | None = None,
        territories: Sequence[str] | np.ndarray | None = None,
        source: str = "",
    ) -> StationData:
        """Build from plain sequences (tests, simulations); counts become ``int64``."""
        n = len(voters)
        ids = np.asarray(station_ids if station_ids is not None else [str(i + 1) for i in range(n)], dtype=object)
        reg = np.asarray(regions if regions is not None else [""] * n, dtype=object)
        return cls(
            station_ids=ids,
            regions=reg,
            voters=np.asarray(voters, dtype=np.int64),
            issued=np.asarray(issued, dtype=np.int64),
            valid=np.asarray(valid, dtype=np.int64),
            invalid=np.asarray(invalid, dtype=np.int64),
            votes=np.asarray(votes, dtype=np.int64).reshape(n, len(party_codes)),
            party_codes=tuple(party_codes),
            party_names=tuple(party_names if party_names is not None else party_codes),
            territories=np.asarray(territories, dtype=object) if territories is not None else None,
            source=source,
        )

    @classmethod
    def from_protocols(cls, protocols: Iterable[Any], form: Any, parties: Sequence[Any]) -> StationData:
        """Columns from ``StationProtocol`` records, their ``Form`` and the election's parties.

        ``form.totals(protocol)`` gives registered, issued, valid and invalid;
        ``parties`` are ``PartyInfo``-like objects (``code``, ``name``) or codes,
        in the order the columns should take. A party missing from a protocol
        has no votes there (a list not on that station's ballot).
        """
        codes = tuple(p if isinstance(p, str) else p.code for p in parties)
        names = tuple(p if isinstance(p, str) else (getattr(p, "name", "") or p.code) for p in parties)
        ids: list[str] = []
        regions: list[str] = []
        territories: list[str] = []
        counts: dict[str, list[int]] = {name: [] for name in _COUNT_FIELDS}
        votes: list[list[int]] = []
        source = ""
        for protocol in protocols:
            totals = _totals(form, protocol)
            ids.append(protocol.station)
            regions.append(protocol.region)
            territories.append(protocol.territory or "")
            source = source or (protocol.source or "")
            counts["voters"].append(totals["registered"])
            counts["issued"].append(totals["issued"])
            counts["valid"].append(totals["valid"])
            counts["invalid"].append(totals["invalid"])
            votes.append([int(protocol.votes.get(code, 0)) for code in codes])
        if not ids:
            raise InputError("no polling-station protocols to analyse", source=source or None)
        return cls.from_arrays(
            voters=counts["voters"], issued=counts["issued"], valid=counts["valid"], invalid=counts["invalid"],
            votes=np.asarray(votes, dtype=np.int64).reshape(len(ids), len(codes)),
            party_codes=codes, party_names=names, station_ids=ids, regions=regions, territories=territories,
            source=source,
        )

    @classmethod
    def from_batch(cls, batch: Any) -> StationData:
        """Columns straight from a ``ProtocolBatch``'s table (no per-station records): the fast path for files."""
        table = batch.table
        codes = tuple(p.code for p in batch.parties)
        columns = {key: np.asarray(values, dtype=np.int64) for key, values in table.columns.items()}
        votes = (np.column_stack([columns[c] for c in codes]) if codes
                 else np.zeros((len(table), 0), dtype=np.int64))
        return cls._from_columns(batch.form, columns, votes, codes, tuple(p.name for p in batch.parties),
                                 table.stations, table.regions, [t or "" for t in table.territories],
                                 batch.source or "")

    @classmethod
    def from_count_rows(cls, rows: Any, form: Any, parties: Sequence[Any]) -> StationData:
        """Columns from the store's integer rows (``Store.station_count_rows``): the fast path for a stored election."""
        if not rows.stations:
            raise InputError("no polling-station protocols to analyse")
        n = len(rows.stations)
        lines = np.asarray(rows.line_counts, dtype=np.int64).reshape(n, len(rows.line_keys))
        columns = {key: lines[:, i] for i, key in enumerate(rows.line_keys)}
        votes = np.asarray(rows.vote_counts, dtype=np.int64).reshape(n, len(rows.party_codes))
        names = {p.code: getattr(p, "name", "") or p.code for p in parties if not isinstance(p, str)}
        return cls._from_columns(form, columns, votes, tuple(rows.party_codes),
                                 tuple(names.get(c, c) for c in rows.party_codes),
                                 rows.stations, rows.regions, rows.territories, "")

    @classmethod
    def _from_columns(cls, form: Any, columns: Mapping[str, np.ndarray], votes: np.ndarray, codes: tuple[str, ...],
                      names: tuple[str, ...], stations: Sequence[str], regions: Sequence[str],
                      territories: Sequence[str], source: str) -> StationData:
        """The form's totals (registered, issued, valid, invalid) computed on whole columns."""
        from saylau.protocols.expr import PARTIES

        totals = {}
        for name in ("registered", "issued", "valid", "invalid"):
            total = np.zeros(len(stations), dtype=np.int64)
            for key, coefficient in form.total_exprs[name].terms:
                if key == PARTIES:
                    total += coefficient * votes.sum(axis=1)
                elif key in columns:
                    total += coefficient * columns[key]
                else:
                    raise InputError("the table lacks a line its form's totals need", source=source or None,
                                     field=key)
            totals[name] = total
        return cls.from_arrays(
            voters=totals["registered"], issued=totals["issued"], valid=totals["valid"], invalid=totals["invalid"],
            votes=votes, party_codes=codes, party_names=names, station_ids=stations, regions=regions,
            territories=territories, source=source,
        )

    def select(self, mask: np.ndarray) -> StationData:
        """The stations where ``mask`` is true."""
        return StationData(
            station_ids=self.station_ids[mask], regions=self.regions[mask], voters=self.voters[mask],
            issued=self.issued[mask], valid=self.valid[mask], invalid=self.invalid[mask],
            votes=self.votes[mask], party_codes=self.party_codes, party_names=self.party_names,
            territories=self.territories[mask] if self.territories is not None else None, source=self.source,
            definitions=self.definitions,
        )

    def in_unit(self, unit: str | None) -> StationData:
        """The stations of a region or territory (by name), or one station (by id); all when ``unit`` is None."""
        if unit is None:
            return self
        mask = (self.regions == unit) | (self.station_ids == unit)
        if self.territories is not None:
            mask |= self.territories == unit
        if not mask.any():
            raise InputError("no polling station lies in this unit (a region, a territory or a station id)",
                             source=self.source or None, field="unit", value=unit)
        return self.select(mask)

    def party_index(self, party: str | None = None) -> int:
        """Column of ``party`` (code or name); the leading list (most votes here) when None."""
        if not self.party_codes:
            raise InputError("the election has no party columns", source=self.source or None, field="party")
        if party is None:
            return int(np.argmax(self.votes.sum(axis=0)))
        for i, (code, name) in enumerate(zip(self.party_codes, self.party_names, strict=True)):
            if party in (code, name):
                return i
        raise InputError(f"unknown party; known: {', '.join(self.party_codes)}", source=self.source or None,
                         field="party", value=party)

    def party_label(self, index: int) -> str:
        code, name = self.party_codes[index], self.party_names[index]
        return code if name in ("", code) else f"{name} ({code})"

    def region_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """``(labels, codes)``: the distinct region labels and each station's index into them."""
        labels, codes = np.unique(self.regions.astype(str), return_inverse=True)
        return labels, codes


def _totals(form: Any, protocol: Any) -> Mapping[str, int]:
    try:
        totals: Mapping[str, int] = form.totals(protocol)
    except KeyError as exc:
        raise InputError("the protocol lacks a line its form's totals need", source=protocol.source,
                         row=protocol.row, field=str(exc.args[0]) if exc.args else None,
                         value=protocol.station) from None
    for key in ("registered", "issued", "valid", "invalid"):
        if totals.get(key) is None:
            raise InputError("the form gives no value for this total", source=protocol.source, row=protocol.row,
                             field=key, value=protocol.station)
    return totals

"""Ballots issued per unit, summed from the stored protocols: the count the Russian CEC's turnout is made of.

The store's aggregated totals carry registered voters, ballots cast, valid and
invalid ballots; ballots issued are a sum of protocol lines the form names
(``[totals] issued``). :func:`with_issued` reads the current protocols' lines
once and fills ``issued`` for the nation, regions, territories and stations it
can place, so that :class:`~saylau.rules.definitions.Definitions` computes the
turnout the ruleset defines. A unit it cannot place keeps ``issued = None``
(and its turnout label says ballots issued are not in the data).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from saylau.protocols.expr import PARTIES
from saylau.protocols.form import Form
from saylau.tabulate.model import ElectionData

__all__ = ["StationLines", "issued_by_unit", "with_issued"]


class StationLines(Protocol):
    """Every station's protocol lines as a matrix, a row per station (``Store.station_count_rows`` gives this)."""

    line_keys: Sequence[str]
    stations: Sequence[str]
    regions: Sequence[str]
    territories: Sequence[str]
    line_counts: Any


def issued_by_unit(rows: StationLines, form: Form, nation: str) -> dict[str, int] | None:
    """Ballots issued per unit id (nation, ``nation/region``, ``nation/region/territory``, each station).

    ``rows`` are the stations' stored lines; None when the
    form names no ballots-issued total or a line it names is not stored.
    """
    expr = form.total_exprs.get("issued")
    if expr is None or any(key == PARTIES or key not in rows.line_keys for key in expr.keys):
        return None
    terms = [(rows.line_keys.index(key), coefficient) for key, coefficient in expr.terms]
    # One column sum per term over the whole matrix, then plain integers per station.
    per_station = [0] * len(rows.stations)
    for index, coefficient in terms:
        column = rows.line_counts[:, index].tolist()
        per_station = [total + coefficient * v for total, v in zip(per_station, column, strict=True)]
    out: dict[str, int] = {nation: 0}
    for i, station in enumerate(rows.stations):
        issued = per_station[i]
        out[station] = issued
        out[nation] += issued
        region = f"{nation}/{rows.regions[i]}"
        out[region] = out.get(region, 0) + issued
        if rows.territories[i]:
            territory = f"{region}/{rows.territories[i]}"
            out[territory] = out.get(territory, 0) + issued
    return out


def with_issued(data: ElectionData, issued: Mapping[str, int] | None) -> ElectionData:
    """``data`` with ``issued`` filled in for every unit ``issued`` names (sums of the reported protocols,
    like every other total)."""
    if not issued:
        return data
    units = tuple(dataclasses.replace(u, issued=issued[u.unit_id]) if u.unit_id in issued else u
                  for u in data.units)
    return ElectionData(data.info, data.parties, units)

"""Synthetic polling-station protocols that add up exactly to an election's official results.

The official 2021 tables give votes by region and national totals, not the
10,060 station protocols. :func:`synthesize` draws stations that are
consistent with everything published:

* stations are divided among regions in proportion to regional votes (Hare,
  through the seat engine, at least one each) and grouped into a few
  territorial commissions per region (synthetic names);
* each region's votes for each party are split among its stations by a
  multinomial draw, so they sum exactly to the official regional votes;
* national invalid ballots and registered voters are split the same way, so
  national registered, ballots cast, valid and invalid equal the official totals;
* the remaining lines (issued in and outside the premises, received, cancelled)
  are drawn so that every relation of the form holds, warnings included.

Every protocol is marked ``synthetic``; the seed is recorded in ``batch.meta``.
Deterministic per seed (``numpy.random.default_rng``). Needs the ``sim`` extra.
"""

from __future__ import annotations

from typing import Any

from saylau.datasets import load_dataset
from saylau.errors import InputError
from saylau.protocols.batch import ProtocolBatch, StationTable
from saylau.protocols.registry import load_form

__all__ = ["synthesize"]

#: The protocol form the generator fills in (the Kazakh precinct protocol).
FORM = "kz-mazhilis-2021"

#: Stations per territorial commission, roughly; every region gets between 2 and 12 commissions.
STATIONS_PER_TERRITORY = 120


def synthesize(election: str = "kz-2021", stations: int = 10060, seed: int | None = 0) -> ProtocolBatch:
    """``stations`` synthetic protocols of ``election`` (a built-in with regional votes), drawn with ``seed``."""
    import numpy as np

    from saylau.engine import allocate

    data = load_dataset(election)
    form = load_form(FORM)
    regions = [u for u in data.units if u.level == "region"]
    nation = data.nation
    if not regions:
        raise InputError("this election has no regional votes to build stations from", field="election",
                         value=election)
    if nation.registered is None or nation.invalid is None or nation.ballots_cast is None:
        raise InputError("this election lacks official national totals (registered, ballots cast, invalid)",
                         field="election", value=election)
    if nation.ballots_cast != nation.valid + nation.invalid:
        raise InputError(f"official ballots cast {nation.ballots_cast} differ from valid + invalid "
                         f"{nation.valid + nation.invalid}", field="election", value=election)
    if isinstance(stations, bool) or not isinstance(stations, int) or stations < len(regions):
        raise InputError(f"needs at least one station per region ({len(regions)})", field="stations",
                         value=stations)
    codes = [p.code for p in data.parties]
    regional = {u.name: sum(u.votes.values()) for u in regions}
    split = allocate(regional, None, method="hare", seats=stations, min_seats=1).seats
    rng = np.random.default_rng(seed)

    region_names: list[str] = []
    territory_names: list[str | None] = []
    station_ids: list[str] = []
    votes: dict[str, list[Any]] = {code: [] for code in codes}
    for unit in regions:
        k = split[unit.name]
        size = rng.lognormal(0.0, 0.5, k)
        for code in codes:
            propensity = size * rng.gamma(20.0, 1 / 20, k)
            votes[code].append(rng.multinomial(unit.votes[code], propensity / propensity.sum()))
        territories = min(12, max(2, round(k / STATIONS_PER_TERRITORY)))
        for s in range(k):
            territory = f"{unit.name} territorial commission {s * territories // k + 1:02d}"
            region_names.append(unit.name)
            territory_names.append(territory)
            station_ids.append(f"{unit.name}/{territory}/{s + 1:04d}")
    party_votes = {code: np.concatenate(parts) for code, parts in votes.items()}
    valid = sum(party_votes.values())

    def spread(total: int, weight: Any) -> Any:
        noisy = weight * rng.gamma(10.0, 1 / 10, len(weight)) + 1e-9
        return rng.multinomial(total, noisy / noisy.sum())

    invalid = spread(nation.invalid, valid)
    in_boxes = valid + invalid
    issued = in_boxes + rng.binomial(in_boxes, 0.002)  # a few ballots issued but not put in a box
    slack = nation.registered - int(issued.sum())
    if slack < 0:
        raise InputError("official registered voters are fewer than ballots issued", field="election", value=election)
    registered = issued + spread(slack, issued)
    outside = rng.binomial(issued, rng.beta(2.0, 40.0, len(issued)))
    unused = registered - issued
    cancelled = unused - rng.binomial(unused, 0.1)
    lines = {
        "voters_on_list": registered,
        "ballots_received": issued + cancelled,
        "ballots_issued_in_premises": issued - outside,
        "ballots_issued_outside": outside,
        "ballots_cancelled": cancelled,
        "ballots_in_boxes": in_boxes,
        "invalid": invalid,
        "valid": valid,
    }
    assert set(lines) == set(form.line_keys), "the generator and the form disagree on the lines"
    columns = {key: lines[key].tolist() for key in form.line_keys}
    columns.update({code: party_votes[code].tolist() for code in codes})
    n = len(station_ids)
    table = StationTable(station_ids, region_names, territory_names, columns, list(range(1, n + 1)),
                         synthetic=[True] * n)
    meta = {"synthetic": True, "election": election, "seed": seed, "stations": n,
            "generator": "saylau.datasets.synth"}
    return ProtocolBatch(form, data.parties, table=table, source=f"synthetic:{election}:seed={seed}", meta=meta)

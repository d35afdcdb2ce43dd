"""Election night set-up: a built-in election with its expected stations, some of them already reported.

``make serve`` and the load benchmark use it: the election is created from
the built-in metadata (parties, ruleset, protocol form) without the official
results tables, so every count shown is the sum of protocols; the synthetic
stations are registered as expected, and the first ``reported`` of them are
ingested (marked synthetic). Double entry is ``required`` for the built-in
elections (each station's protocol counts when two typists agree); the load
benchmark sets it ``off`` for its synthetic election.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from saylau.store import Store
from saylau.web.units import ExpectedStation, register_stations

__all__ = ["prepare_election"]

FORM = "kz-mazhilis-2021"


def prepare_election(store: Store, election: str = "kz-2021", *, stations: int | None = None,
                     reported: int = 0, seed: int = 0, user: str = "setup",
                     double_entry: str = "required") -> dict[str, Any]:
    """Create ``election`` (if absent) for live counting; returns what was done and the synthetic batch."""
    from saylau.datasets import load_dataset
    from saylau.datasets.synth import synthesize
    from saylau.protocols import ProtocolBatch

    data = load_dataset(election)
    count = stations or data.nation.stations_total or 1000
    batch = synthesize(election, count, seed)
    info = dataclasses.replace(data.info, status="unofficial partial")
    created = store.create_election(info, data.parties, form=FORM, user=user, nation_name=data.nation.name)
    if created:
        store.set_double_entry(election, double_entry, user=user)
    protocols = list(batch)
    added = register_stations(store.engine, election,
                              [ExpectedStation(p.station, p.region, p.territory) for p in protocols], user=user)
    ingested = 0
    if reported:
        first = ProtocolBatch(batch.form, batch.parties, protocols[:reported], source=batch.source, meta=batch.meta)
        ingested = store.ingest(first, election_id=election, user=user).written
    return {"created": created, "registered": added, "ingested": ingested, "protocols": protocols,
            "batch": batch}

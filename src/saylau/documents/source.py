"""Build a document's model from a stored (or built-in) election: the only part of ``documents`` that reads data."""

from __future__ import annotations

from saylau.core import Allocation, Party
from saylau.documents.model import Document, results_summary, seat_protocol, station_protocol
from saylau.errors import AllocationError, InputError
from saylau.tabulate.model import ElectionData

__all__ = ["KINDS", "load_document"]

KINDS = ("seat-protocol", "station-protocol", "results-summary")


def load_document(kind: str, election: str, db: str | None = None, *, station: str | None = None,
                  blank: bool = False) -> Document:
    """The model of document ``kind`` for ``election`` (store first, then the built-in elections)."""
    from saylau.store.source import election_data

    if kind not in KINDS:
        raise InputError(f"unknown document; choose one of {', '.join(KINDS)}", field="kind", value=kind)
    if kind == "station-protocol":
        if not station:
            raise InputError("a station protocol needs --station", field="station")
        return _station(election, db, station, blank=blank)
    data = election_data(election, db, level=("nation", "region"))
    if kind == "seat-protocol":
        choices = _ballot_choices(election, db)
        if choices != "parties":
            raise InputError(f"a seat protocol is for party-list elections; the ballot of {election!r} offers "
                             f"{choices}", field="election", value=election)
        allocation = _allocate(data)
        if allocation is None:
            raise InputError(f"no ruleset is known for election {election!r}, so it has no seats to declare",
                             field="election", value=election)
        return seat_protocol(data, allocation)
    try:
        allocation = _allocate(data)
    except AllocationError:
        allocation = None  # the summary still states the votes
    return results_summary(data, allocation)


def _ballot_choices(election: str, db: str | None) -> str:
    """What the election's ballot offers (its protocol form's ``choices``); ``parties`` when it has no form."""
    from saylau.protocols.registry import load_form
    from saylau.store.store import open_store, store_exists

    if not store_exists(db):
        return "parties"  # a built-in election read from the official tables (reading must not create a store)
    with open_store(db) as store:
        form = store.election_form(election) if store.has_election(election) else None
    return load_form(form).choices if form else "parties"


def _allocate(data: ElectionData) -> Allocation | None:
    from saylau.engine import allocate

    if data.info.ruleset is None:
        return None
    nation = data.nation
    parties = [Party(p.code, nation.votes.get(p.code, 0), p.kind, p.registration_order, p.candidates)
               for p in data.parties]
    return allocate(parties, data.info.ruleset, valid=nation.valid, ballots_cast=nation.ballots_cast,
                    registered=nation.registered, source=data.info.id)


def _station(election: str, db: str | None, station: str, *, blank: bool) -> Document:
    from saylau.protocols.registry import FORMS, load_form
    from saylau.store import open_store
    from saylau.store.source import election_data

    data = election_data(election, db)
    try:
        unit = data.unit(station)
    except KeyError:
        unit = None
    if unit is None or unit.level != "station":
        raise InputError(f"no station {station!r} in election {election!r}", field="station", value=station)
    by_id = {u.unit_id: u for u in data.units}
    region = territory = None
    parent = by_id.get(unit.parent or "")
    while parent is not None:
        if parent.level == "region":
            region = parent.name
        elif parent.level == "territory":
            territory = parent.name
        parent = by_id.get(parent.parent or "")
    with open_store(db) as store:
        form_name = store.election_form(election)
        protocol = None if blank else next(iter(store.station_protocols(election, unit.unit_id)), None)
    if form_name is None and data.info.ruleset in FORMS.names():
        form_name = data.info.ruleset
    if form_name is None:
        raise InputError(f"election {election!r} has no protocol form", field="election", value=election)
    if not blank and protocol is None:
        raise InputError(f"station {station!r} has no protocol yet; --blank gives the blank form",
                         field="station", value=station)
    return station_protocol(data, load_form(form_name), unit.unit_id, region=region, territory=territory,
                            protocol=protocol)

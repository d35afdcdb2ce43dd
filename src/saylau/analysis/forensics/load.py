"""Where the station counts come from: the store (an election's current protocols) or a CEC file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from saylau.analysis.forensics.data import RU_CEC, StationData
from saylau.errors import InputError, SaylauError
from saylau.rules.definitions import Definitions

__all__ = ["station_data_from_file", "station_data_from_store"]


def station_data_from_store(election_id: str, db_url: str | None = None, unit: str | None = None) -> StationData:
    """The current protocols of ``election_id`` in the store (below ``unit`` when given) as arrays."""
    from saylau.protocols.registry import load_form
    from saylau.store import open_store

    with open_store(db_url, must_exist=True) as store:
        if not store.has_election(election_id):
            known = ", ".join(e.id for e in store.list_elections()) or "none"
            raise InputError(f"no such election in the store {store.url} (stored: {known})",
                             field="election", value=election_id)
        form_name = store.election_form(election_id)
        if form_name is None:
            raise InputError("this election has no polling-station protocols (it was loaded from result tables); "
                             "forensics needs station counts", field="election", value=election_id)
        form = load_form(form_name)
        definitions = _definitions(store.election_info(election_id).ruleset)
        parties = store.parties(election_id)
        rows = store.station_count_rows(election_id, unit)
    if not rows.stations:
        raise InputError("no polling-station protocol is stored for this election"
                         + (" below this unit" if unit else ""), field="unit" if unit else "election",
                         value=unit or election_id)
    # Only the lists are columns of the analysis (not 'against all' and the like).
    lists = {p.code for p in parties if p.kind == "list"}
    data = dataclasses.replace(StationData.from_count_rows(rows, form, parties), definitions=definitions)
    keep = [i for i, code in enumerate(data.party_codes) if code in lists]
    if len(keep) == len(data.party_codes):
        return data
    return dataclasses.replace(data, votes=data.votes[:, keep], party_codes=tuple(data.party_codes[i] for i in keep),
                               party_names=tuple(data.party_names[i] for i in keep))


def _definitions(ruleset: str | None) -> Definitions:
    """The definitions of the election's ruleset; the Russian CEC's (the papers') when it names none."""
    if not ruleset:
        return RU_CEC
    from saylau.rules.registry import resolve_ruleset

    try:
        return resolve_ruleset(ruleset).definitions
    except SaylauError:
        return RU_CEC  # a ruleset file no longer at hand: keep the papers' definitions


def station_data_from_file(path: str | Path, unit: str | None = None) -> StationData:
    """A Russian CEC station table (``.csv`` or ``.zip``), read and checked by ``saylau.formats.ru_cik``."""
    from saylau.formats.ru_cik import read_ru_cik

    return StationData.from_batch(read_ru_cik(path)).in_unit(unit)

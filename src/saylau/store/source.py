"""Where a command finds an election: the store first, then saylau's built-in elections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from saylau.errors import InputError
from saylau.tabulate.model import ElectionData, Level

__all__ = ["election_data"]


def election_data(election_id: str, db_url: str | None = None, *,
                  level: Level | Sequence[Level] | None = None, issued: bool = False) -> ElectionData:
    """The election ``election_id`` with its counts at every stored level (or only at ``level``, one or several).

    Looks in the store (``db_url``, default ``$SAYLAU_DB`` or ./saylau.sqlite)
    and falls back to the built-in elections (``kz-2021``, ``kz-2016``) read
    from the official tables. A store file that does not exist is not created.
    ``issued``: also sum the ballots issued per unit from the stored protocols
    (the Russian CEC's turnout count; a second pass over the protocols' lines).
    """
    from saylau.datasets import DATASETS, load_dataset
    from saylau.store.store import open_store, store_exists

    if store_exists(db_url):
        with open_store(db_url) as store:
            if store.has_election(election_id):
                data = store.election_data(election_id, level=level)
                return _with_issued(store, data) if issued else data
            known = [e.id for e in store.list_elections()]
    else:
        known = []
    if election_id in DATASETS:
        data = load_dataset(election_id)
        if level is None:
            return data
        levels = {level} if isinstance(level, str) else set(level)
        return ElectionData(data.info, data.parties, tuple(u for u in data.units if u.level in levels))
    names = sorted({*known, *DATASETS})
    raise InputError(f"no election {election_id!r} in the store or among the built-in elections; "
                     f"known: {', '.join(names)}", field="election", value=election_id)


def _with_issued(store: Any, data: ElectionData) -> ElectionData:
    from saylau.protocols import load_form
    from saylau.tabulate.issued import issued_by_unit, with_issued

    form = store.election_form(data.info.id)
    if form is None:
        return data
    rows = store.station_count_rows(data.info.id)
    return with_issued(data, issued_by_unit(rows, load_form(form), data.nation.unit_id))

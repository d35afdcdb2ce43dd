"""Where a command finds an election: the store first, then saylau's built-in elections."""

from __future__ import annotations

from saylau.tabulate.model import ElectionData

__all__ = ["election_data"]


def election_data(election_id: str, db_url: str | None = None) -> ElectionData:
    """The election ``election_id`` with its counts at every stored level.

    Looks in the store (``db_url``, default the embedded SQLite file) and falls
    back to the built-in elections (``kz-2021``, ``kz-2016``) read from the
    official tables.
    """
    # The store lookup is added by the tabulation work; until then built-ins only.
    from saylau.datasets import load_dataset

    return load_dataset(election_id)

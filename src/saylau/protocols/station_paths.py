"""Station ids as a reader composed them: a place (region and territory) and a station's number, joined by "/".

A reader that builds its ids this way (the CEC reader: ``region/tik/uik``) says
so with a :class:`StationPaths`; the checks and the store then work on the few
thousand distinct places and numbers instead of every id, and the ids
themselves (:class:`ComposedIds`) are made only when someone asks for them.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ComposedIds", "StationPaths", "place_head"]


def place_head(region: str, territory: str | None) -> str:
    """The head of a station id at a place: its region and territory joined by "/" (the region alone without one)."""
    return region if territory is None else f"{region}/{territory}"


@dataclass(frozen=True, slots=True)
class StationPaths:
    """How a reader composed its station ids: ``stations[i] == head(place_of[i]) + "/" + leaves[leaf_of[i]]``,
    where a place is a distinct (region, territory) pair and its head is the two joined by "/" (the region alone
    without a territory). The checks then judge the few distinct places and leaves instead of every id
    (:func:`saylau.ids.joined_ids_valid`), and a store numbers its places without hashing every station's pair."""

    places: list[tuple[str, str | None]]
    """Distinct, in order of first appearance."""
    place_of: Any
    """Each station's place: a NumPy integer array."""
    leaves: list[str]
    """Distinct."""
    leaf_of: Any
    """Each station's leaf: a NumPy integer array."""

    heads: list[str] = field(init=False, repr=False, compare=False)
    """Each place's head: its region and territory joined by "/" (the region alone without a territory)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "heads", [place_head(region, territory) for region, territory in self.places])

    def ids(self) -> list[str]:
        """The station ids, composed (each head with its "/" made once, not once per station)."""
        import numpy as np

        heads = np.asarray([f"{head}/" for head in self.heads], dtype=object)[self.place_of].tolist()
        return list(map(operator.add, heads, map(self.leaves.__getitem__, self.leaf_of.tolist())))

    def among(self, ids: Iterable[str]) -> list[str]:
        """Those of ``ids`` that are station ids of these paths, told from the parts (an id is split at its last
        "/" into a head and a leaf; with a leaf holding "/" the ids themselves are composed and compared)."""
        ids = list(ids)
        if any("/" in leaf for leaf in self.leaves):
            composed = set(self.ids())
            return [i for i in ids if i in composed]
        places: dict[str, list[int]] = {}  # places sharing a head (a region or territory holding "/")
        for k, head in enumerate(self.heads):
            places.setdefault(head, []).append(k)
        leaves = {leaf: k for k, leaf in enumerate(self.leaves)}
        candidates = [(i, places[head], leaves[leaf]) for i in ids
                      for head, slash, leaf in (i.rpartition("/"),) if slash and head in places and leaf in leaves]
        if not candidates:
            return []
        pairs = set(zip(self.place_of.tolist(), self.leaf_of.tolist(), strict=True))
        return [i for i, numbers, leaf in candidates if any((p, leaf) in pairs for p in numbers)]

    def distinct(self) -> bool:
        """Whether no two stations have the same id, told from the parts: different heads, leaves without "/"
        (an id then splits back into its head and leaf at its last "/") and no (place, leaf) pair twice."""
        import numpy as np

        heads = self.heads
        if len(set(heads)) != len(heads) or any("/" in leaf for leaf in self.leaves):
            return False
        pairs = np.sort(self.place_of.astype(np.int64) * len(self.leaves) + self.leaf_of, kind="stable")
        return not bool(np.any(pairs[1:] == pairs[:-1]))


class ComposedIds(Sequence[str]):
    """The station ids of a :class:`StationPaths`, composed only when asked for: one id by its index, all of them
    (once) when iterated. A bulk ingest that checks and stores ids by their parts never makes 95,000 strings."""

    __slots__ = ("_ids", "_paths")

    def __init__(self, paths: StationPaths) -> None:
        self._paths = paths
        self._ids: list[str] | None = None

    def ids(self) -> list[str]:
        if self._ids is None:
            self._ids = self._paths.ids()
        return self._ids

    def __len__(self) -> int:
        return len(self._paths.place_of)

    def __getitem__(self, i: Any) -> Any:
        if self._ids is not None or isinstance(i, slice):
            return self.ids()[i]
        paths = self._paths
        return f"{paths.heads[paths.place_of[i]]}/{paths.leaves[paths.leaf_of[i]]}"

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and not isinstance(other, str) and self.ids() == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ComposedIds({len(self)} stations)"

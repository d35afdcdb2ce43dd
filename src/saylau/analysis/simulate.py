"""Monte Carlo elections: draws from one SeedSequence, in fixed chunks, locally or on a Dask cluster.

One simulated election is drawn in two stages:

1. the true shares, ``Dirichlet(n_eff × p)`` around the expected shares ``p``:
   the sampling error of a poll of ``n_eff`` respondents (the variance of a
   share is ``p(1 − p) / (n_eff + 1)``);
2. the count, ``Multinomial(votes_cast, shares)``: whole votes that add up
   to ``votes_cast``, as a real count does.

Each row is then allocated exactly (:func:`saylau.analysis.vectorised.allocate_batch`).

Reproducibility. The draws are cut into chunks of ``chunk`` rows, a size
that does not depend on the workers; chunk ``i`` draws from child ``i`` of
``numpy.random.SeedSequence(seed)``. The result is the chunks concatenated in
order, so the same seed gives the same elections locally and on any number
of Dask workers. Without a seed, fresh entropy is drawn and recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from saylau.core import Party, System
from saylau.errors import InputError

__all__ = ["CHUNK", "Draws", "simulate"]

#: Rows per chunk: the unit of work and of random streams (never derived from the worker count).
CHUNK = 25_000


@dataclass(frozen=True, slots=True)
class Draws:
    """The simulated elections and their seats."""

    votes_cast: int
    n_eff: float
    seed: int
    """The SeedSequence entropy: passing it again replays every draw."""
    chunk: int
    seats: Any
    """``(sims, lines)`` seats per simulated election."""
    passed: Any
    ok: Any
    """False where the rules gave no result (no list passed)."""
    fallback: int
    """Rows the core engine computed (the vectorised path could not)."""

    @property
    def sims(self) -> int:
        return int(self.seats.shape[0])


def simulate(
    shares: Sequence[float],
    parties: Sequence[Party],
    system: System,
    *,
    n_eff: float,
    votes_cast: int,
    sims: int,
    seed: int | None = None,
    chunk: int = CHUNK,
    scheduler: str | None = None,
) -> Draws:
    """Simulate ``sims`` elections around ``shares`` (one per ballot line, adding up to 1).

    ``scheduler`` is a Dask scheduler address (``tcp://host:port``); without
    it the chunks run here, one after another.
    """
    import numpy as np

    if sims < 1:
        raise InputError("the number of simulations must be >= 1", field="sims", value=sims)
    if not n_eff > 0:
        raise InputError("the effective sample size must be positive", field="n", value=n_eff)
    if votes_cast < 1:
        raise InputError("votes cast must be >= 1", field="votes_cast", value=votes_cast)
    if chunk < 1:
        raise InputError("the chunk size must be >= 1", field="chunk", value=chunk)
    p = np.asarray(shares, dtype=float)
    if p.shape != (len(parties),) or (p < 0).any() or not np.isclose(p.sum(), 1.0) or not (p > 0).any():
        raise InputError("expected shares must be one non-negative number per line, adding up to 1",
                         field="shares", value=[round(float(x), 6) for x in p])
    root = np.random.SeedSequence(seed)
    entropy = int(root.entropy)  # type: ignore[arg-type]
    sizes = [min(chunk, sims - start) for start in range(0, sims, chunk)]
    children = root.spawn(len(sizes))
    specs = [(child, size, p, float(n_eff), int(votes_cast), tuple(parties), system)
             for child, size in zip(children, sizes, strict=True)]
    parts = _on_cluster(scheduler, specs) if scheduler else [run_chunk(spec) for spec in specs]
    seats = np.concatenate([part[0] for part in parts])
    passed = np.concatenate([part[1] for part in parts])
    ok = np.concatenate([part[2] for part in parts])
    return Draws(int(votes_cast), float(n_eff), entropy, chunk, seats, passed, ok, sum(part[3] for part in parts))


def run_chunk(spec: tuple[Any, ...]) -> tuple[Any, Any, Any, int]:
    """Draw and allocate one chunk: ``(seed_sequence, rows, shares, n_eff, votes_cast, parties, system)``."""
    import numpy as np

    from saylau.analysis.vectorised import allocate_batch

    child, rows, p, n_eff, votes_cast, parties, system = spec
    rng = np.random.default_rng(child)
    live = p > 0
    true = np.zeros((rows, len(p)))
    true[:, live] = rng.dirichlet(n_eff * p[live], size=rows)
    votes = rng.multinomial(votes_cast, true)
    batch = allocate_batch(votes, system, parties)
    return batch.seats.astype(np.int32), batch.passed, batch.ok, batch.fallback


def _on_cluster(address: str, specs: list[tuple[Any, ...]]) -> list[tuple[Any, Any, Any, int]]:
    import socket
    from urllib.parse import urlsplit

    from distributed import Client

    try:
        # A refused connection fails at once here; the client would keep retrying until its timeout.
        parts = urlsplit(address if "://" in address else f"tcp://{address}")
        if parts.scheme == "tcp" and parts.hostname and parts.port:
            socket.create_connection((parts.hostname, parts.port), timeout=10).close()
        client = Client(address, timeout=30, set_as_default=False)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler: {exc}", field="scheduler", value=address) from None
    with client:
        futures = client.map(run_chunk, specs, pure=False)
        return list(client.gather(futures))

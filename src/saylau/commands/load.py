"""``saylau load kz-2021``: put a built-in election (its official national and regional results) in the store.

With ``--synth`` the election's synthetic station protocols (``saylau synth``)
are ingested too, marked synthetic; the official units keep their official counts.
"""

from __future__ import annotations

import argparse

from saylau.commands.ingest import add_db_option, add_user_option

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from saylau.datasets import DATASETS

    p = sub.add_parser("load", help="store a built-in election's official results",
                       description="Store a built-in election (official national and regional results read from "
                                   "the official tables) so that results, reports and the web app find it. Loading "
                                   "again is a no-op; different counts for a stored unit are refused.")
    p.add_argument("election", choices=DATASETS, metavar="ELECTION", help=f"one of {', '.join(DATASETS)}")
    add_db_option(p)
    add_user_option(p)
    p.add_argument("--synth", action="store_true",
                   help="also ingest synthetic station protocols that sum to the official regional votes")
    p.add_argument("--stations", type=int, default=None, metavar="N",
                   help="synthetic stations (default: the official number of stations)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the synthetic stations (0)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from saylau.cli import UsageError

    if (args.stations is not None) and not args.synth:
        raise UsageError("--stations needs --synth")
    load_builtin(args.election, args.db, user=args.user,
                 stations=(args.stations or 0) if args.synth else None, seed=args.seed)
    return 0


def load_builtin(election: str, db: str | None, *, user: str | None = None, stations: int | None = None,
                 seed: int = 0) -> None:
    """Store a built-in election; with ``stations`` (0 = the official number) its synthetic protocols too."""
    from saylau.datasets import data_dir, load_dataset
    from saylau.store import open_store

    data = load_dataset(election)
    with open_store(db) as store:
        stored = store.put_election_data(data, source=f"built-in {election} ({data_dir()})", user=user)
    print(f"{election}: {'loaded' if stored else 'already loaded'} ({len(data.units)} units)")
    if stations is not None:
        from saylau.commands.ingest import store_batch
        from saylau.datasets.synth import synthesize

        count = stations or data.nation.stations_total or 1000
        batch = synthesize(election, count, seed)
        report = store_batch(batch, db, election, user=user)
        print(f"synthetic stations (seed {seed}): {report.summary()}")

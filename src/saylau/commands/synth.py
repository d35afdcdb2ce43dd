"""``saylau synth kz-2021 --stations 10060 --seed S``: synthetic station protocols that sum to the official results."""

from __future__ import annotations

import argparse
import sys

from saylau.commands.argtypes import positive_int
from saylau.formats.protocol_files import write_protocol_csv, write_protocol_json
from saylau.protocols.batch import ProtocolBatch

__all__ = ["add_synth_arguments", "build_batch", "register", "run"]


def add_synth_arguments(p: argparse.ArgumentParser) -> None:
    """The options that say which synthetic stations to draw (shared with commands that ingest them)."""
    p.add_argument("election", metavar="ELECTION", help="built-in election with regional votes (kz-2021)")
    p.add_argument("--stations", type=positive_int, default=10060, metavar="N", help="number of stations (10060)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed, recorded with the batch (0)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "synth", help="generate synthetic station protocols",
        description="Draw synthetic polling-station protocols of a built-in election: every protocol satisfies "
                    "its form's relations, regional party votes sum exactly to the official regional votes and "
                    "national registered, ballots cast, valid and invalid to the official totals. Every "
                    "protocol is marked synthetic. Deterministic per seed.")
    add_synth_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    p.add_argument("--db", metavar="URL", default=None,
                   help="store the election and its synthetic protocols instead of writing them "
                        "(same as 'saylau load ELECTION --synth')")
    p.add_argument("--format", choices=("csv", "json"), default=None,
                   help="csv or json (default: from FILE's extension, else csv)")
    p.set_defaults(run=run)


def build_batch(args: argparse.Namespace) -> ProtocolBatch:
    """The synthetic batch the arguments describe."""
    from saylau.datasets.synth import synthesize

    return synthesize(args.election, args.stations, args.seed)


def run(args: argparse.Namespace) -> int:
    if args.db is not None:
        from saylau.commands.load import load_builtin

        load_builtin(args.election, args.db, stations=args.stations, seed=args.seed)
        return 0
    batch = build_batch(args)
    fmt = args.format or ("json" if args.output and args.output.lower().endswith(".json") else "csv")
    (write_protocol_json if fmt == "json" else write_protocol_csv)(batch, args.output)
    if args.output and args.output != "-":
        print(f"wrote {args.output}: {len(batch.table):,} synthetic protocols of {args.election} ({fmt})",
              file=sys.stderr)
    return 0

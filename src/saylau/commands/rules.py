"""``saylau rules list`` and ``saylau rules show NAME``."""

from __future__ import annotations

import argparse
import sys

from saylau.rules import RULESETS, dump_ruleset, resolve_ruleset

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="list and show rulesets", description="Built-in and file rulesets.")
    rs = p.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    ls = rs.add_parser("list", help="list the built-in rulesets")
    ls.set_defaults(run=run_list)
    show = rs.add_parser("show", help="show a ruleset as TOML (a name or a file)")
    show.add_argument("name", metavar="NAME|PATH")
    show.set_defaults(run=run_show)


def run_list(args: argparse.Namespace) -> int:
    rows = [("name", "date", "seats", "method", "threshold", "title")]
    for r in RULESETS:
        lists = r.lists
        seats = "given" if r.total_seats is None else str(r.total_seats)
        method = lists.method if lists else str(r.list_spec.get("method", ""))
        threshold = lists.threshold.describe() if lists and lists.threshold else "—"
        rows.append((r.name, r.election_date.isoformat() if r.election_date else "—", seats, method, threshold,
                     r.title))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        sys.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5] + "\n")
    return 0


def run_show(args: argparse.Namespace) -> int:
    sys.stdout.write(dump_ruleset(resolve_ruleset(args.name)))
    return 0

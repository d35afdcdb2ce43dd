"""``saylau allocate VOTES.csv``: seats from a votes file under a ruleset or ad hoc options."""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

from saylau.commands.argtypes import nonnegative_int, positive_int
from saylau.core import METHODS, TIE_POLICIES, Allocation, percent_str
from saylau.core.thresholds import BASES
from saylau.engine import allocate
from saylau.errors import InputError
from saylau.formats import csvsafe
from saylau.formats.votes_csv import read_votes_csv
from saylau.rules import RULESETS

__all__ = ["add_system_options", "register", "render_allocation", "system_options"]

FORMATS = ("table", "json", "csv", "markdown")


def add_system_options(parser: argparse.ArgumentParser, *, default_rules: str | None = None) -> None:
    """The options that describe a system ad hoc; shared by every command that allocates."""
    g = parser.add_argument_group("system (a ruleset, with any of these laid over it)")
    g.add_argument("--rules", metavar="NAME|PATH", default=default_rules,
                   help="built-in ruleset name (see 'saylau rules list') or a ruleset TOML file")
    g.add_argument("--method", choices=METHODS, help="apportionment method")
    g.add_argument("--seats", type=positive_int, metavar="N", help="list seats to fill")
    g.add_argument("--threshold", metavar="T", help="'7%%', '0.07', '1/150' or '5000 votes'")
    g.add_argument("--threshold-base", choices=BASES, help="what the threshold is a share of")
    g.add_argument("--min-seats", type=nonnegative_int, metavar="N", help="minimum seats of every admitted list")
    g.add_argument("--max-seats", type=positive_int, metavar="N", help="maximum seats of any list")
    g.add_argument("--first-divisor", metavar="F", help="first divisor of modified Sainte-Laguë (default 1.4)")
    g.add_argument("--tie", choices=TIE_POLICIES,
                   help="tie policy: registration order, more votes (then registration), lot (needs --seed), error")
    g.add_argument("--seed", help="seed of a tie drawn by lot (recorded in the result)")


def system_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "method": args.method,
        "seats": args.seats,
        "threshold": args.threshold,
        "threshold_base": args.threshold_base,
        "min_seats": args.min_seats,
        "max_seats": args.max_seats,
        "tie": args.tie,
        "first_divisor": args.first_divisor,
    }


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("allocate", help="allocate seats from a votes file",
                       description="Allocate seats from VOTES.csv (columns party,votes and optionally kind, "
                                   "registration_order, candidates) under a ruleset or ad hoc options.")
    p.add_argument("votes", metavar="VOTES.csv")
    p.add_argument("--delimiter", choices=(",", ";", "tab"), default=",",
                   help="what separates the file's cells (';' from spreadsheets in comma-decimal locales)")
    add_system_options(p)
    t = p.add_argument_group("totals (the threshold base may be any of them)")
    t.add_argument("--valid", type=nonnegative_int, metavar="N", help="valid votes (default: the file's sum)")
    t.add_argument("--ballots-cast", type=nonnegative_int, metavar="N", help="ballots cast")
    t.add_argument("--registered", type=nonnegative_int, metavar="N", help="registered voters")
    p.add_argument("--explain", action="store_true", help="print the step-by-step explanation")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    parties = read_votes_csv(args.votes, delimiter=delimiter)  # the file's own errors first, with row and field
    if args.rules is None and args.method is None:
        # No ruleset is ever assumed: the Kazakh one silently applied (and its appointed seats added)
        # would be a wrong result for any other election.
        raise InputError("give the rules: --rules NAME|PATH, or --method and --seats; rulesets: "
                         + ", ".join(RULESETS.names()), field="--rules")
    allocation = allocate(parties, args.rules, valid=args.valid, ballots_cast=args.ballots_cast,
                          registered=args.registered, seed=args.seed, source=args.votes,
                          **system_options(args))
    if args.seed is None and allocation.system.lists.ties == "lot":
        print(f"no --seed given: the lot's seed {allocation.seed} was drawn from the OS and is recorded in the "
              "result (give --seed to replay it)", file=sys.stderr)
    sys.stdout.write(render_allocation(allocation, args.format, explain=args.explain))
    return 0


def render_allocation(allocation: Allocation, fmt: str, *, explain: bool = False) -> str:
    if fmt == "json":
        return json.dumps(allocation.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(allocation)
    if fmt == "markdown":
        text = _markdown(allocation)
        if explain:
            text += "\n" + "\n".join(f"{i}. {s.render()}" for i, s in enumerate(allocation.steps, 1)) + "\n"
        return text
    return (allocation.explain() if explain else _plain(allocation)) + "\n"


def _rows(allocation: Allocation) -> list[dict[str, str]]:
    valid = allocation.totals.valid
    rows = []
    for ln in allocation.lines:
        rows.append({
            "party": ln.party,
            "votes": str(ln.votes),
            "percent_valid": percent_str(ln.votes, valid) or "",
            "admitted": "yes" if ln.admitted else "no",
            "seats": str(ln.seats) if ln.kind == "list" else "",
            "vacant": str(ln.vacant) if ln.vacant else "",
        })
    return rows


def _csv(allocation: Allocation) -> str:
    out = io.StringIO()
    rows = _rows(allocation)
    writer = csvsafe.writer(out)
    writer.writerow(list(rows[0]))
    writer.writerows(row.values() for row in rows)
    for tier in allocation.system.tiers:
        writer.writerow((tier.name, "", "", "", str(tier.seats), ""))
    return out.getvalue()


def _markdown(allocation: Allocation) -> str:
    vacant = any(ln.vacant for ln in allocation.lines)
    lines = [f"**{allocation.system.title or allocation.system.name}** — {allocation.house} list seats", "",
             "| party | votes | % valid | seats |" + (" vacant |" if vacant else ""),
             "|---|---:|---:|---:|" + ("---:|" if vacant else "")]
    for r in _rows(allocation):
        lines.append(f"| {r['party'].replace('|', '/')} | {int(r['votes']):,} | {r['percent_valid']}% | {r['seats'] or '—'} |"
                     + (f" {r['vacant']} |" if vacant else ""))
    for tier in allocation.system.tiers:
        lines.append(f"| *{tier.name}* |  |  | {tier.seats} |" + ("  |" if vacant else ""))
    return "\n".join(lines) + "\n"


def _plain(allocation: Allocation) -> str:
    from saylau.core.explain import results_table

    return results_table(allocation)

"""``saylau whatif``: one election's seats under several rulesets or options, side by side."""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

from saylau.commands.allocate import FORMATS, add_system_options, system_options
from saylau.formats import csvsafe

__all__ = ["add_ballot_options", "ballot_from_args", "register", "render_comparison"]


def add_ballot_options(parser: argparse.ArgumentParser) -> None:
    """``--election ID [--db URL]`` or ``--votes FILE``: where the analysed votes come from."""
    g = parser.add_argument_group("votes (one of)")
    src = g.add_mutually_exclusive_group(required=True)
    src.add_argument("--election", metavar="ID", help="election id (built-in: kz-2021, kz-2016)")
    src.add_argument("--votes", metavar="VOTES.csv", help="a votes file (the format of 'saylau allocate')")
    g.add_argument("--db", metavar="URL", help="store URL or SQLite path (default: $SAYLAU_DB or ./saylau.sqlite)")


def ballot_from_args(args: argparse.Namespace) -> Any:
    from saylau.analysis.ballot import ballot_from_election, ballot_from_votes_file

    if args.election:
        return ballot_from_election(args.election, args.db)
    return ballot_from_votes_file(args.votes)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "whatif", help="seats under other rules, side by side", conflict_handler="resolve",
        description="Allocate one election's votes under several systems and show the seats side by side. "
                    "The first column is the baseline (the election's own ruleset, or --baseline); each "
                    "--rules is one more column, each --variant 'key=value,...' another, and any ad hoc "
                    "flags (--method, --threshold, ...) make one more laid over the baseline. Changes from "
                    "the baseline are marked (+n / -n). Variant keys: rules, method, seats, threshold "
                    "('none' for no threshold), base, min_seats, max_seats, tie, first_divisor, "
                    "runner_up=none, label.")
    add_ballot_options(p)
    add_system_options(p)
    # Here --rules is repeatable: each one is a variant (replaces the single --rules above).
    p.add_argument("--rules", metavar="NAME|PATH", action="append", default=[],
                   help="a ruleset to compare (repeatable; each is one variant)")
    p.add_argument("--baseline", metavar="NAME|PATH",
                   help="the baseline ruleset (default: the election's own, else kz-mazhilis-2021)")
    p.add_argument("--variant", metavar="SPEC", action="append", default=[],
                   help="a variant as key=value pairs, e.g. 'method=dhondt,threshold=5%%' (repeatable)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from saylau.analysis.whatif import compare, parse_variant, variant
    from saylau.engine import build_system
    from saylau.errors import InputError

    ballot = ballot_from_args(args)
    base_rules = args.baseline or ballot.ruleset or "kz-mazhilis-2021"
    baseline = build_system(base_rules)
    variants = [variant(baseline, {}, label=str(base_rules))]
    for rules in args.rules:
        variants.append(variant(baseline, {"rules": rules}, label=str(rules)))
    for spec in args.variant:
        variants.append(variant(baseline, parse_variant(spec), label=spec))
    adhoc = {k: v for k, v in system_options(args).items() if v is not None}
    if adhoc:
        variants.append(variant(baseline, adhoc))
    if len(variants) == 1:
        raise InputError("give at least one variant: --rules, --variant or ad hoc options such as --threshold 5%",
                         field="variant")
    sys.stdout.write(render_comparison(compare(ballot, variants), args.format))
    return 0


def render_comparison(comparison: Any, fmt: str) -> str:
    """The comparison as ``table``, ``json``, ``csv`` or ``markdown``."""
    if fmt == "json":
        return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n"
    header, rows, notes = _grid(comparison, marks=fmt != "csv")
    if fmt == "csv":
        return _csv(comparison)
    if fmt == "markdown":
        out = ["| " + " | ".join(h.replace("|", "/") for h in header) + " |",
               "|" + "---|" + "---:|" * (len(header) - 1)]
        for row in rows:
            out.append("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
        return "\n".join(out) + "\n" + "".join(f"\n{n}\n" for n in notes)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n" + "".join(f"{n}\n" for n in notes)


def _percent(votes: int, valid: int) -> str:
    from saylau.core import percent_str

    return percent_str(votes, valid) or ""

def _grid(comparison: Any, *, marks: bool) -> tuple[list[str], list[list[str]], list[str]]:
    ballot = comparison.ballot
    valid = ballot.valid if ballot.valid is not None else sum(p.votes for p in ballot.parties)
    header = ["party", "votes", "%", *(o.variant.label for o in comparison.outcomes)]
    rows = []
    for p in ballot.parties:
        row = [ballot.label(p.name), f"{p.votes:,}", _percent(p.votes, valid)]
        for i, out in enumerate(comparison.outcomes):
            seats = out.seats
            if seats is None:
                row.append("no result")
                continue
            cell = str(seats[p.name])
            d = comparison.diff(i)
            if i and d and d[p.name] and marks:
                cell += f" ({d[p.name]:+d})"
            row.append(cell)
        rows.append(row)
    total = ["total", f"{sum(p.votes for p in ballot.parties):,}", ""]
    for out in comparison.outcomes:
        total.append(str(sum(out.seats.values())) if out.seats is not None else "—")
    rows.append(total)
    notes = [f"{out.variant.label}: no result: {out.error}" for out in comparison.outcomes if out.error]
    return header, rows, notes


def _csv(comparison: Any) -> str:
    out = io.StringIO()
    writer = csvsafe.writer(out)
    labels = [o.variant.label for o in comparison.outcomes]
    writer.writerow(["party", "votes", *labels, *(f"{lab} change" for lab in labels[1:])])
    diffs = [comparison.diff(i) for i in range(1, len(comparison.outcomes))]
    for p in comparison.ballot.parties:
        seats = [("" if o.seats is None else o.seats[p.name]) for o in comparison.outcomes]
        changes = [("" if d is None else d[p.name]) for d in diffs]
        writer.writerow([p.name, p.votes, *seats, *changes])
    return out.getvalue()

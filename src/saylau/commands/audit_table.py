"""``saylau audit-table COUNTS.csv PUBLISHED.csv``: recompute a published table's percentages and flag misprints."""

from __future__ import annotations

import argparse
import json
import sys

from saylau.commands.argtypes import nonnegative_int
from saylau.tabulate.audit_table import TableAudit, audit_table_files

__all__ = ["register", "render", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "audit-table", help="recompute a published table's percentages from its counts",
        description="Recompute each percentage in PUBLISHED.csv as the party's share of its row's votes in "
                    "COUNTS.csv (sum of the integer party columns), rounded half up to --places decimals exactly, "
                    "and flag every mismatch. Exit 1 if any, 0 if none.")
    p.add_argument("counts", metavar="COUNTS.csv")
    p.add_argument("published", metavar="PUBLISHED.csv")
    p.add_argument("--places", type=nonnegative_int, default=2, metavar="N", help="decimals printed (2)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    audit = audit_table_files(args.counts, args.published, places=args.places)
    sys.stdout.write(render(audit, args.format))
    return 0 if audit.ok else 1


def render(audit: TableAudit, fmt: str) -> str:
    """The audit as a plain table or JSON."""
    if fmt == "json":
        return json.dumps({"cells_checked": audit.cells, "places": audit.places, "ok": audit.ok,
                           "mismatches": [m.to_dict() for m in audit.mismatches]},
                          ensure_ascii=False, indent=2) + "\n"
    rows = [("row", audit.key, "column", "printed", "recomputed", "difference")]
    rows += [(str(m.row), m.unit, m.column, m.printed, m.recomputed, m.difference) for m in audit.mismatches]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.rjust(w) if i >= 3 else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths, strict=True)))
             .rstrip() for r in rows] if audit.mismatches else []
    summary = (f"{len(audit.mismatches)} of {audit.cells} printed percentages do not match their counts "
               f"(rounded half up to {audit.places} places)" if audit.mismatches else
               f"all {audit.cells} printed percentages match their counts (rounded half up to {audit.places} places)")
    return "\n".join([*lines, summary]) + "\n"

"""The report as one tidy CSV: a ``table`` column says which block of the report each row belongs to.

Blocks: ``national`` (one row per ballot line), ``appointed`` (seats not from
these votes), ``totals`` (one row per item) and ``regional`` (one row per unit
and party). Numbers are plain (no thousands separators, ``-`` for minus) so the
file parses back; unknown values are empty.
"""

from __future__ import annotations

import csv
import io

from saylau.report.fmt import change_text
from saylau.report.model import Report

__all__ = ["COLUMNS", "render_csv"]

COLUMNS = ("table", "unit", "code", "item", "value", "percent", "seats", "previous_seats", "change", "synthetic")


def _n(value: int | None) -> str:
    return "" if value is None else str(value)


def _pct(text: str | None) -> str:
    return "" if text is None or text == "n/a" else text


def render_csv(report: Report) -> str:
    """Every block of the report as rows of :data:`COLUMNS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    nation = report.nation
    synthetic = "yes" if report.synthetic else ""
    for p in report.parties:
        writer.writerow({
            "table": "national", "unit": nation, "code": p.code, "item": p.name, "value": p.votes,
            "percent": _pct(p.percent), "seats": _n(p.seats),
            "previous_seats": _n(p.previous_seats),
            "change": "" if p.change is None else change_text(p.change, minus="-"), "synthetic": synthetic,
        })
    for a in report.appointed:
        writer.writerow({"table": "appointed", "unit": nation, "code": a.key, "item": a.name, "seats": a.seats})
    t = report.totals
    for item, value, percent in (
        ("valid", t.valid, None),
        ("invalid", t.invalid, None),
        ("ballots_cast", t.ballots_cast, None),
        ("registered", t.registered, None),
        ("turnout", None, t.turnout),
        ("stations_reported", t.stations_reported, None),
        ("stations_total", t.stations_total, None),
        ("list_seats", report.list_seats, None),
        ("total_seats", report.total_seats, None),
    ):
        writer.writerow({"table": "totals", "unit": nation, "item": item, "value": _n(value),
                         "percent": _pct(percent), "synthetic": synthetic})
    for r in report.regions:
        for code, votes, pct in zip(report.region_parties, r.votes, r.percents, strict=True):
            writer.writerow({"table": "regional", "unit": r.name, "code": code, "item": "votes", "value": votes,
                             "percent": _pct(pct), "synthetic": "yes" if r.synthetic else ""})
    return out.getvalue()

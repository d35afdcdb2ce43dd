"""The report as one tidy CSV: a ``table`` column says which block of the report each row belongs to.

Blocks: ``national`` (one row per ballot line), ``appointed`` (seats not from
these votes), ``totals`` (one row per item) and ``regional`` (one row per unit
and party). Numbers are plain (no thousands separators, ``-`` for minus) so the
file parses back; unknown values are empty.
"""

from __future__ import annotations

import io

from saylau.formats import csvsafe
from saylau.report.fmt import change_text
from saylau.report.model import Report

__all__ = ["COLUMNS", "render_csv"]

COLUMNS = ("table", "unit", "code", "item", "value", "percent", "seats", "previous_seats", "change", "synthetic")


def _n(value: int | None) -> str:
    return "" if value is None else str(value)


def _pct(text: str | None) -> str:
    return "" if text is None or text == "n/a" else text


def render_csv(report: Report) -> str:
    """Every block of the report as rows of :data:`COLUMNS` (empty where a block has no such column)."""
    out = io.StringIO()
    writer = csvsafe.writer(out)  # tuples in COLUMNS order: no dict per row to unpack
    writer.writerow(COLUMNS)
    nation = report.nation
    synthetic = "yes" if report.synthetic else ""
    writer.writerows(
        ("national", nation, p.code, p.name, p.votes, _pct(p.percent), _n(p.seats), _n(p.previous_seats),
         "" if p.change is None else change_text(p.change, minus="-"), synthetic)
        for p in report.parties)
    writer.writerows(("appointed", nation, a.key, a.name, "", "", a.seats, "", "", "") for a in report.appointed)
    t = report.totals
    writer.writerows(("totals", nation, "", item, _n(value), _pct(percent), "", "", "", synthetic)
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
                     ))
    for r in report.regions:
        region_synthetic = "yes" if r.synthetic else ""
        writer.writerows(("regional", r.name, code, "votes", votes, _pct(pct), "", "", "", region_synthetic)
                         for code, votes, pct in zip(report.region_parties, r.votes, r.percents, strict=True))
    return out.getvalue()

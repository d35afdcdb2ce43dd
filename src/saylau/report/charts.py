"""Charts of a report: votes against seats per party, and party shares in each region.

Shares are exact fractions; they become floats only to place shapes, and every
printed number comes from the report's exact text.
"""

from __future__ import annotations

from fractions import Fraction

from saylau.core import decimal_str
from saylau.report.model import Report
from saylau.report.scene import Group, Rect, Scene, Text, safe_id

__all__ = ["regions_scene", "votes_seats_scene"]

BAR_W = 400.0
BAR_H = 13.0
TILE_W = 250.0
TILE_H = 58.0
COLUMNS = 3
LIGHT = "#d9d9d9"


def _pct(share: Fraction) -> str:
    return f"{decimal_str(share * 100, 2)}%"


def votes_seats_scene(report: Report, *, scene_id: str = "votes-seats") -> Scene | None:
    """Per list: its share of valid votes and its share of list seats; None without seats."""
    if not report.has_seats or not report.list_seats:
        return None
    rows = [p for p in report.parties if p.kind == "list"]
    valid = report.totals.valid
    items: list[Rect | Text | Group] = [
        Rect(5, 8, 12, 12, "#1a1a1a"), Text(21, 18, "share of valid votes", size=11),
        Rect(145, 8, 12, 12, LIGHT, "#1a1a1a"), Text(161, 18, "share of list seats", size=11),
    ]
    y = 46.0
    for p in rows:
        votes = Fraction(p.votes, valid) if valid else Fraction(0)
        seats = Fraction(p.seats or 0, report.list_seats)
        bar = y + 6
        parts = (
            Text(5, y, p.name, size=12, bold=True),
            Rect(5, bar, max(float(votes) * BAR_W, 0.5), BAR_H, p.color, "", "bar votes",
                 f"{p.name}: {_pct(votes)} of valid votes"),
            Text(9 + float(votes) * BAR_W, bar + 11, _pct(votes), size=11),
            Rect(5, bar + BAR_H + 2, max(float(seats) * BAR_W, 0.5), BAR_H, LIGHT, p.color, "bar seats",
                 f"{p.name}: {_pct(seats)} of list seats"),
            Text(9 + float(seats) * BAR_W, bar + 2 * BAR_H + 1, _pct(seats), size=11),
        )
        items.append(Group(f"{scene_id}-{safe_id(p.code)}", parts, p.name, (("party", p.code),)))
        y += 2 * BAR_H + 32
    desc = "; ".join(
        f"{p.name}: {_pct(Fraction(p.votes, valid) if valid else Fraction(0))} of votes, "
        f"{_pct(Fraction(p.seats or 0, report.list_seats))} of seats" for p in rows)
    return Scene(scene_id, BAR_W + 60, y - 14, "Votes and seats by party", desc + ".", tuple(items))


def regions_scene(report: Report, *, scene_id: str = "regions") -> Scene | None:
    """One tile per region: a bar split by party shares and the leading party; None without regions."""
    if not report.regions:
        return None
    parties = {p.code: p for p in report.parties}
    codes = report.region_parties
    items: list[Rect | Text | Group] = []
    x = 5.0
    for code in codes:
        items.append(Rect(x, 6, 12, 12, parties[code].color, "#1a1a1a"))
        items.append(Text(x + 16, 16, code, size=11))
        x += 28 + 7 * len(code)
    top = 28.0
    descs = []
    for index, row in enumerate(report.regions):
        col, line = index % COLUMNS, index // COLUMNS
        tx, ty = 5 + col * TILE_W, top + line * TILE_H
        name = row.name + (" (synthetic)" if row.synthetic else "")
        parts: list[Rect | Text] = [Text(tx, ty + 13, name, size=12, bold=True)]
        offset = 0.0
        for code, votes, text in zip(codes, row.votes, row.percents, strict=True):
            share = Fraction(votes, row.valid) if row.valid else Fraction(0)
            width = float(share) * (TILE_W - 15)
            if width > 0:
                parts.append(Rect(tx + offset, ty + 19, width, 16, parties[code].color, "", "segment",
                                  f"{row.name}, {parties[code].name}: {text}%"))
            offset += width
        lead = max(range(len(codes)), key=lambda i: row.votes[i]) if codes and row.valid else None
        caption = "no votes" if lead is None else f"{codes[lead]} {row.percents[lead]}%"
        parts.append(Text(tx, ty + 49, caption, size=11))
        items.append(Group(f"{scene_id}-{index + 1}", tuple(parts), name, (("unit", row.unit_id),)))
        descs.append(f"{name}: " + ", ".join(f"{c} {t}%" for c, t in zip(codes, row.percents, strict=True)))
    lines = (len(report.regions) + COLUMNS - 1) // COLUMNS
    return Scene(scene_id, COLUMNS * TILE_W + 5, top + lines * TILE_H, "Party shares by region",
                 "; ".join(descs) + ".", tuple(items))

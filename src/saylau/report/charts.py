"""Charts of a report: votes against seats per party, and party shares in each region.

Shares are exact fractions; they become floats only to place shapes, and every
printed number comes from the report's exact text.
"""

from __future__ import annotations

from fractions import Fraction

from saylau.i18n import catalog, percent
from saylau.i18n.names import party_name, place_name
from saylau.report.model import Report
from saylau.report.scene import Group, Rect, Scene, Text, safe_id

__all__ = ["regions_scene", "votes_seats_scene"]

BAR_W = 400.0
BAR_H = 13.0
TILE_W = 250.0
TILE_H = 58.0
COLUMNS = 3
LIGHT = "#d9d9d9"


def _pct(share: Fraction, lang: str = "en") -> str:
    return percent(share * 100, lang)


def votes_seats_scene(report: Report, *, scene_id: str = "votes-seats", lang: str = "en") -> Scene | None:
    """Per list: its share of valid votes and its share of list seats; None without seats."""
    if not report.has_seats or not report.list_seats:
        return None
    t = catalog(lang)
    rows = [p for p in report.parties if p.kind == "list"]
    valid = report.totals.valid
    votes_label, seats_label = t["report.bars_votes"], t["report.bars_seats"]
    # The second key starts after the first one's text (about 6 units a character at size 11).
    second = 40 + 6.2 * len(votes_label)
    items: list[Rect | Text | Group] = [
        Rect(5, 8, 12, 12, "#1a1a1a"), Text(21, 18, votes_label, size=11),
        Rect(second, 8, 12, 12, LIGHT, "#1a1a1a"), Text(second + 16, 18, seats_label, size=11),
    ]
    y = 46.0
    for p in rows:
        name = party_name(p.name, lang, dict(p.names))
        votes = Fraction(p.votes, valid) if valid else Fraction(0)
        seats = Fraction(p.seats or 0, report.list_seats)
        bar = y + 6
        parts = (
            Text(5, y, name, size=12, bold=True),
            Rect(5, bar, max(float(votes) * BAR_W, 0.5), BAR_H, p.color, "", "bar votes",
                 f"{name}: {_pct(votes, lang)} ({votes_label})"),
            Text(9 + float(votes) * BAR_W, bar + 11, _pct(votes, lang), size=11),
            Rect(5, bar + BAR_H + 2, max(float(seats) * BAR_W, 0.5), BAR_H, LIGHT, p.color, "bar seats",
                 f"{name}: {_pct(seats, lang)} ({seats_label})"),
            Text(9 + float(seats) * BAR_W, bar + 2 * BAR_H + 1, _pct(seats, lang), size=11),
        )
        items.append(Group(f"{scene_id}-{safe_id(p.code)}", parts, name, (("party", p.code),)))
        y += 2 * BAR_H + 32
    desc = "; ".join(
        f"{party_name(p.name, lang, dict(p.names))}: {_pct(Fraction(p.votes, valid) if valid else Fraction(0), lang)}, "
        f"{_pct(Fraction(p.seats or 0, report.list_seats), lang)}" for p in rows)
    return Scene(scene_id, max(BAR_W + 60, second + 16 + 6.2 * len(seats_label)), y - 14, t["report.bars_title"],
                 desc + ".", tuple(items))


def regions_scene(report: Report, *, scene_id: str = "regions", lang: str = "en") -> Scene | None:
    """One tile per region: a bar split by party shares and the leading party; None without regions.

    The legend names each party as the tables do (one line per party), so the colours read without codes.
    """
    if not report.regions:
        return None
    t = catalog(lang)
    parties = {p.code: p for p in report.parties}
    names = {code: party_name(parties[code].name, lang, dict(parties[code].names)) for code in parties}
    codes = report.region_parties
    items: list[Rect | Text | Group] = []
    legend_columns = 2
    for i, code in enumerate(codes):
        lx, ly = 5 + (i % legend_columns) * (COLUMNS * TILE_W / legend_columns), 6 + (i // legend_columns) * 18
        items.append(Rect(lx, ly, 12, 12, parties[code].color, "#1a1a1a"))
        items.append(Text(lx + 16, ly + 10, names[code], size=11))
    top = 14.0 + 18 * ((len(codes) + legend_columns - 1) // legend_columns)
    descs = []
    for index, row in enumerate(report.regions):
        col, line = index % COLUMNS, index // COLUMNS
        tx, ty = 5 + col * TILE_W, top + line * TILE_H
        name = place_name(row.name, lang) + (f" ({t['report.synthetic_tag']})" if row.synthetic else "")
        parts: list[Rect | Text] = [Text(tx, ty + 13, name, size=12, bold=True)]
        offset = 0.0
        for code, votes, text in zip(codes, row.votes, row.percents, strict=True):
            share = Fraction(votes, row.valid) if row.valid else Fraction(0)
            width = float(share) * (TILE_W - 15)
            if width > 0:
                parts.append(Rect(tx + offset, ty + 19, width, 16, parties[code].color, "", "segment",
                                  f"{name}, {names[code]}: {percent(text, lang)}"))
            offset += width
        lead = max(range(len(codes)), key=lambda i: row.votes[i]) if codes and row.valid else None
        caption = t["report.no_votes"] if lead is None else f"{_short(names[codes[lead]])} {percent(row.percents[lead], lang)}"
        parts.append(Text(tx, ty + 49, caption, size=11))
        items.append(Group(f"{scene_id}-{index + 1}", tuple(parts), name, (("unit", row.unit_id),)))
        descs.append(f"{name}: " + ", ".join(f"{names[c]} {percent(p, lang)}" for c, p in zip(codes, row.percents, strict=True)))
    lines = (len(report.regions) + COLUMNS - 1) // COLUMNS
    return Scene(scene_id, COLUMNS * TILE_W + 5, top + lines * TILE_H, t["report.regions_title"],
                 "; ".join(descs) + ".", tuple(items))


def _short(name: str, limit: int = 28) -> str:
    """A party name that fits under a tile (the full name is in the legend and the tooltip)."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"

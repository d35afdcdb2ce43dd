"""The parliament arch: every seat of the house as a dot, coloured by party.

Seat positions come from ``parliamentarch`` (its hemicycle geometry); saylau
writes the SVG itself so that it can be inlined in HTML with a title, a
description, stable ids and one ``class="seat"`` element per seat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from saylau.report.model import Report
from saylau.report.scene import Circle, Group, Rect, Scene, Text, safe_id

__all__ = ["ArchGroup", "arch_groups", "arch_scene"]

APPOINTED_COLOR = "#757575"
CANVAS = 175.0
MARGIN = 5.0
LEGEND_LINE = 18.0


@dataclass(frozen=True, slots=True)
class ArchGroup:
    key: str
    label: str
    color: str
    seats: int
    vacant: bool = False


def arch_groups(report: Report, lang: str = "en") -> list[ArchGroup]:
    """Seat groups left to right: lists by votes, seats left vacant, then appointed tiers; names in ``lang``."""
    from saylau.i18n import catalog
    from saylau.i18n.names import body_name, party_name

    t = catalog(lang)
    groups = [ArchGroup(p.code, party_name(p.name, lang, dict(p.names)), p.color, p.seats)
              for p in report.parties if p.seats]
    groups += [ArchGroup(f"vacant-{p.code}", t("report.arch_vacant", party=party_name(p.name, lang, dict(p.names))),
                         p.color, p.vacant, vacant=True) for p in report.parties if p.vacant]
    groups += [ArchGroup(a.key, body_name(a.name, lang), APPOINTED_COLOR, a.seats) for a in report.appointed if a.seats]
    return groups


def arch_scene(groups: Sequence[ArchGroup], *, title: str, scene_id: str = "arch", lang: str = "en") -> Scene:
    """The arch of ``groups`` with a legend below it; its description in ``lang``."""
    from parliamentarch.geometry import (  # type: ignore[import-untyped]
        get_nrows_from_nseats,
        get_row_thickness,
        get_seats_centers,
    )

    from saylau.i18n import catalog, number

    total = sum(g.seats for g in groups)
    width = 2 * CANVAS + 2 * MARGIN
    arch_bottom = CANVAS + 2 * MARGIN
    height = arch_bottom + 10 + LEGEND_LINE * len(groups)
    items: list[Circle | Rect | Text | Group] = []
    if total:
        centers = get_seats_centers(total)
        # Highest angle first is left to right, as parliamentarch itself dispatches seats.
        ordered = sorted(centers, key=lambda xy: centers[xy], reverse=True)
        radius = 0.8 * get_row_thickness(get_nrows_from_nseats(total)) * CANVAS
        start = 0
        for g in groups:
            seats = ordered[start:start + g.seats]
            start += g.seats
            fill, stroke = ("#ffffff", g.color) if g.vacant else (g.color, "")
            circles = tuple(Circle(MARGIN + CANVAS * x, MARGIN + CANVAS * (1 - y), radius, fill, stroke,
                                   "seat vacant" if g.vacant else "seat") for x, y in seats)
            items.append(Group(f"{scene_id}-{safe_id(g.key)}", circles, f"{g.label}: {g.seats}",
                               (("party", g.key), ("seats", str(g.seats)))))
    items.append(Text(MARGIN + CANVAS, MARGIN + CANVAS * 0.95, number(total, lang), size=36, anchor="middle",
                      bold=True))
    y = arch_bottom + 10
    for g in groups:
        fill, stroke = ("#ffffff", g.color) if g.vacant else (g.color, "#1a1a1a")
        items.append(Rect(MARGIN, y, 12, 12, fill, stroke))
        items.append(Text(MARGIN + 18, y + 11, f"{g.label} — {number(g.seats, lang)}", size=12))
        y += LEGEND_LINE
    t = catalog(lang)
    desc = "; ".join(f"{g.label}: {number(g.seats, lang)}" for g in groups) or t["report.arch_empty"]
    return Scene(scene_id, width, height, title, f"{t('report.arch_desc', seats=number(total, lang))} {desc}.",
                 tuple(items))

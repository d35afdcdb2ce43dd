"""Pictures: the arch holds every seat once, charts print the exact shares, output is deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from saylau.report import build_report
from saylau.report.arch import ArchGroup, arch_groups, arch_scene
from saylau.report.charts import regions_scene, votes_seats_scene
from saylau.report.scene import Circle, Group, Scene, Text, num, safe_id, to_svg
from saylau.tabulate.model import ElectionData

SVG = "{http://www.w3.org/2000/svg}"


def _seats_by_group(svg: str) -> dict[str, int]:
    root = ET.fromstring(svg)
    return {g.get("data-party", ""): len(g.findall(f"{SVG}circle[@class='seat']"))
            for g in root.iter(f"{SVG}g")}


def test_arch_has_107_seats_coloured_by_party(kz2021: ElectionData) -> None:
    report = build_report(kz2021)
    svg = to_svg(arch_scene(arch_groups(report), title="Seats"))
    assert _seats_by_group(svg) == {"QHP": 10, "NO": 76, "AJ": 12, "tier-1": 9}
    root = ET.fromstring(svg)
    colours = {g.get("data-party"): {c.get("fill") for c in g.iter(f"{SVG}circle")} for g in root.iter(f"{SVG}g")}
    assert colours["NO"] == {kz2021.party("NO").color}
    assert colours["AJ"] == {kz2021.party("AJ").color}
    # Accessible: a title and a description the svg is labelled by.
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "arch-title arch-desc"
    assert root.find(f"{SVG}desc").text.startswith("107 seats.")


def test_arch_seats_do_not_overlap() -> None:
    groups = [ArchGroup("A", "A", "#111111", 60), ArchGroup("B", "B", "#222222", 47)]
    scene = arch_scene(groups, title="t")
    circles = [c for g in scene.items if isinstance(g, Group) for c in g.items if isinstance(c, Circle)]
    assert len(circles) == 107
    centres = {(round(c.cx, 2), round(c.cy, 2)) for c in circles}
    assert len(centres) == 107
    r = circles[0].r
    for i, a in enumerate(circles):
        for b in circles[i + 1:]:
            assert (a.cx - b.cx) ** 2 + (a.cy - b.cy) ** 2 >= (2 * r) ** 2 * 0.99


def test_arch_of_an_empty_house_is_still_a_picture() -> None:
    svg = to_svg(arch_scene([], title="No seats"))
    assert "<circle" not in svg and "no seats" in svg


def test_votes_seats_chart_prints_exact_shares(kz2021: ElectionData) -> None:
    scene = votes_seats_scene(build_report(kz2021))
    assert scene is not None
    svg = to_svg(scene)
    # 76 of 98 seats = 77.551...% -> 77.55%; 5,148,074 of 7,241,562 votes -> 71.09%.
    assert ">77.55%</text>" in svg and ">71.09%</text>" in svg
    assert ">10.20%</text>" in svg  # 10/98 = 10.204...
    ET.fromstring(svg)


def test_regions_chart_has_one_tile_per_unit(kz2021: ElectionData) -> None:
    scene = regions_scene(build_report(kz2021))
    assert scene is not None
    root = ET.fromstring(to_svg(scene))
    tiles = [g for g in root.iter(f"{SVG}g") if g.get("data-unit")]
    assert len(tiles) == 17
    assert {t.get("data-unit") for t in tiles} == {u.unit_id for u in kz2021.units if u.level == "region"}


def test_charts_without_data_are_none(kz2021: ElectionData) -> None:
    no_seats = build_report(replace(kz2021, info=replace(kz2021.info, ruleset=None), units=(kz2021.nation,)))
    assert votes_seats_scene(no_seats) is None
    assert regions_scene(no_seats) is None


def test_svg_text_is_escaped_and_ids_are_safe() -> None:
    scene = Scene("s<1>", 10, 10, 'a "b" & <c>', "d", (Group(safe_id("A B/C"), (Text(1, 1, "<x>"),)),))
    svg = to_svg(scene)
    ET.fromstring(svg)  # well-formed
    assert "&lt;x&gt;" in svg and 'id="A-B-C"' in svg


@pytest.mark.parametrize(("value", "text"), [(1.0, "1"), (1.005, "1"), (2.5, "2.5"), (-0.001, "0"),
                                             (12.345678, "12.35"), (0, "0"), (-3.1, "-3.1")])
def test_number_formatting_is_fixed(value: float, text: str) -> None:
    assert num(value) == text


def test_png_is_deterministic(kz2021: ElectionData) -> None:
    pytest.importorskip("matplotlib")
    from saylau.report.raster import to_png

    scene = arch_scene(arch_groups(build_report(kz2021)), title="Seats")
    first = to_png(scene)
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(first[16:20], "big"), int.from_bytes(first[20:24], "big")
    assert (width, height) == (round(scene.width * 2), round(scene.height * 2))
    assert to_png(scene) == first


def test_html_without_parliamentarch_keeps_the_page(kz2021: ElectionData, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from saylau.report.html import render_html

    monkeypatch.setitem(sys.modules, "parliamentarch", None)
    monkeypatch.setitem(sys.modules, "parliamentarch.geometry", None)
    html = render_html(build_report(kz2021))
    assert 'id="arch"' not in html and "saylau[charts]" in html
    assert re.search(r'data-seats="76"', html)

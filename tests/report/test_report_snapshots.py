"""The 2021 report in every text format and every picture, compared with committed snapshots.

``SAYLAU_UPDATE_SNAPSHOTS=1 pytest tests/report`` rewrites them after an intended change.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from saylau.report import Report, build_report, render
from saylau.report.arch import arch_groups, arch_scene
from saylau.report.charts import regions_scene, votes_seats_scene
from saylau.report.scene import to_svg
from saylau.tabulate.model import ElectionData

Snapshot = Callable[[str, str], None]


@pytest.fixture(scope="module")
def report(kz2021: ElectionData, kz2016: ElectionData) -> Report:
    return build_report(kz2021, previous=kz2016)


@pytest.mark.parametrize(("fmt", "name"), [
    ("html", "kz-2021.html"),
    ("markdown", "kz-2021.md"),
    ("csv", "kz-2021.csv"),
    ("json", "kz-2021.json"),
])
def test_report_text_snapshot(report: Report, snapshot: Snapshot, fmt: str, name: str) -> None:
    snapshot(name, render(report, fmt))


def test_arch_svg_snapshot(report: Report, snapshot: Snapshot) -> None:
    snapshot("kz-2021-arch.svg", to_svg(arch_scene(arch_groups(report), title=f"Seats of {report.title}")))


def test_votes_seats_svg_snapshot(report: Report, snapshot: Snapshot) -> None:
    scene = votes_seats_scene(report)
    assert scene is not None
    snapshot("kz-2021-votes-seats.svg", to_svg(scene))


def test_regions_svg_snapshot(report: Report, snapshot: Snapshot) -> None:
    scene = regions_scene(report)
    assert scene is not None
    snapshot("kz-2021-regions.svg", to_svg(scene))


def test_rendering_twice_gives_the_same_bytes(kz2021: ElectionData) -> None:
    first = render(build_report(kz2021), "html")
    assert render(build_report(kz2021), "html") == first

"""The 2021 report in every text format and every picture, compared with committed snapshots.

``SAYLAU_UPDATE_SNAPSHOTS=1 pytest tests/report`` rewrites them after an intended change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from saylau.report import Report, build_report, render
from saylau.report.arch import arch_groups, arch_scene
from saylau.report.charts import regions_scene, votes_seats_scene
from saylau.report.scene import to_svg
from saylau.tabulate.model import ElectionData

Snapshot = Callable[[str, str], None]
#: The export time every snapshot is built at (a report states when it was exported).
EXPORTED = dt.datetime(2021, 1, 11, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def report(kz2021: ElectionData, kz2016: ElectionData) -> Report:
    return build_report(kz2021, previous=kz2016, exported_at=EXPORTED)


@pytest.mark.parametrize(("fmt", "name"), [
    ("html", "kz-2021.html"),
    ("markdown", "kz-2021.md"),
    ("csv", "kz-2021.csv"),
    ("json", "kz-2021.json"),
])
def test_report_text_snapshot(report: Report, snapshot: Snapshot, fmt: str, name: str) -> None:
    snapshot(name, render(report, fmt))


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(("fmt", "suffix"), [("html", "html"), ("markdown", "md")])
def test_report_in_kazakh_and_russian_snapshot(report: Report, snapshot: Snapshot, fmt: str, suffix: str,
                                               lang: str) -> None:
    snapshot(f"kz-2021.{lang}.{suffix}", render(report, fmt, lang=lang))


def test_arch_svg_snapshot(report: Report, snapshot: Snapshot) -> None:
    snapshot("kz-2021-arch.svg", to_svg(arch_scene(arch_groups(report), title="Seats of the house")))


def test_votes_seats_svg_snapshot(report: Report, snapshot: Snapshot) -> None:
    scene = votes_seats_scene(report)
    assert scene is not None
    snapshot("kz-2021-votes-seats.svg", to_svg(scene))


def test_regions_svg_snapshot(report: Report, snapshot: Snapshot) -> None:
    scene = regions_scene(report)
    assert scene is not None
    snapshot("kz-2021-regions.svg", to_svg(scene))


def test_rendering_twice_gives_the_same_bytes(kz2021: ElectionData) -> None:
    first = render(build_report(kz2021, exported_at=EXPORTED), "html")
    assert render(build_report(kz2021, exported_at=EXPORTED), "html") == first

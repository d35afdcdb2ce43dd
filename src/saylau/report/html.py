"""The report as one self-contained HTML page: inline CSS, inline SVG, no external requests."""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from saylau.report.arch import arch_groups, arch_scene
from saylau.report.charts import regions_scene, votes_seats_scene
from saylau.report.fmt import change_text, count_text, percent_cell
from saylau.report.model import Report
from saylau.report.scene import to_svg

__all__ = ["render_html"]


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("saylau.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["n"] = count_text
    env.filters["pct"] = percent_cell
    env.filters["change"] = change_text
    return env


def _css() -> str:
    return (resources.files("saylau.report") / "templates" / "report.css").read_text(encoding="utf-8").strip()


def render_html(report: Report, *, figures: bool = True) -> str:
    """The page; ``figures=False`` leaves out the SVG pictures (tables and text only)."""
    arch = bars = regions = None
    arch_note = ""
    if figures and report.has_seats:
        try:
            arch = Markup(to_svg(arch_scene(arch_groups(report), title=f"Seats of {report.title}")))
        except ImportError:
            # parliamentarch comes with the 'charts' extra; the page stays complete without the picture.
            arch_note = "The seat arch needs the 'charts' extra: pip install 'saylau[charts]'."
        bars_scene = votes_seats_scene(report)
        bars = Markup(to_svg(bars_scene)) if bars_scene else None
    if figures:
        regions_chart = regions_scene(report)
        regions = Markup(to_svg(regions_chart)) if regions_chart else None
    return _environment().get_template("report.html.j2").render(
        r=report,
        css=Markup(_css()),
        names={p.code: p.name for p in report.parties},
        arch=arch,
        arch_note=arch_note,
        bars=bars,
        regions_chart=regions,
    )

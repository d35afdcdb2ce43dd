"""The report as one self-contained HTML page in the reader's language: inline CSS and SVG, no external requests."""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from saylau.i18n import catalog, date_text, language, number, percent, signed
from saylau.report import words
from saylau.report.arch import arch_groups, arch_scene
from saylau.report.charts import regions_scene, votes_seats_scene
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
    env.filters["n"] = number
    env.filters["pct"] = percent
    env.filters["signed"] = signed
    env.filters["day"] = date_text
    return env


def _css() -> str:
    return (resources.files("saylau.report") / "templates" / "report.css").read_text(encoding="utf-8").strip()


def render_html(report: Report, *, figures: bool = True, lang: str = "en") -> str:
    """The page in ``lang`` (``en``, ``kk``, ``ru``); ``figures=False`` leaves out the SVG pictures."""
    lang = language(lang)
    t = catalog(lang)
    arch = bars = regions = None
    arch_note = ""
    if figures and report.has_seats:
        try:
            arch = Markup(to_svg(arch_scene(arch_groups(report, lang), title=t["report.arch_title"], lang=lang)))
        except ImportError:
            # parliamentarch comes with the 'charts' extra; the page stays complete without the picture.
            arch_note = t["report.arch_missing"]
        bars_scene = votes_seats_scene(report, lang=lang)
        bars = Markup(to_svg(bars_scene)) if bars_scene else None
    if figures:
        regions_chart = regions_scene(report, lang=lang)
        regions = Markup(to_svg(regions_chart)) if regions_chart else None
    return _environment().get_template("report.html.j2").render(
        r=report,
        t=t,
        lang=lang,
        title=words.title(report, lang),
        css=Markup(_css()),
        names={p.code: words.party_label(p, lang) for p in report.parties},
        party=lambda p: words.party_label(p, lang),
        region=lambda row: words.region_label(row, lang),
        appointed=lambda a: words.appointed_text(a, lang),
        no_seats=words.no_seats_text(report, lang),
        seats_sentence=words.seats_text(report, lang) if report.has_seats else "",
        official=words.official_text(report, lang),
        stations=words.stations_text(report.totals.stations_reported, report.totals.stations_total, lang),
        steps=words.steps(report, lang),
        notes=words.notes(report, lang),
        provenance=words.provenance_rows(report, lang),
        turnout_label=words.definitions(report, lang)[0],
        share_label=words.definitions(report, lang)[1],
        arch=arch,
        arch_note=arch_note,
        bars=bars,
        regions_chart=regions,
    )

"""Published results: the report model, its renderings (HTML, Markdown, CSV, JSON) and its pictures.

Build the model once, then render it::

    from saylau.report import build_report, render
    report = build_report(election_data("kz-2021"))
    html = render(report, "html")
"""

from __future__ import annotations

import json

from saylau.report.model import Report, build_report

__all__ = ["FORMATS", "Report", "build_report", "render"]

#: Text formats :func:`render` writes.
FORMATS = ("html", "markdown", "csv", "json")


def render(report: Report, fmt: str, *, lang: str = "en") -> str:
    """``report`` as text in ``fmt`` (one of :data:`FORMATS`); HTML and Markdown in ``lang`` (en, kk, ru)."""
    if fmt == "html":
        from saylau.report.html import render_html

        return render_html(report, lang=lang)
    if fmt == "markdown":
        from saylau.report.markdown import render_markdown

        return render_markdown(report, lang=lang)
    if fmt == "csv":
        from saylau.report.csvtable import render_csv

        return render_csv(report)
    if fmt == "json":
        from saylau.report.export import report_record

        return json.dumps(report_record(report), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")

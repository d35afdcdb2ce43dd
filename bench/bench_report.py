"""Published results: report model, HTML page, arch SVG, CSV and NIST export/import of kz-2021.

Anchors, measured in the same run: parliamentarch's own SVG writer for the arch,
pandas' ``to_csv`` for the tidy CSV, and plain ``json.dumps``/``json.loads`` of
the same NIST document (the floor any NIST writer/reader pays).
"""

from __future__ import annotations

import json

from bench.common import Report, fmt_seconds, per_call


def run(report: Report) -> None:
    from saylau.datasets import load_dataset
    from saylau.formats.nist import export_nist, from_nist, to_nist
    from saylau.report import build_report, render
    from saylau.report.arch import arch_groups, arch_scene
    from saylau.report.scene import to_svg

    data = load_dataset("kz-2021")
    previous = load_dataset("kz-2016")
    model = build_report(data, previous=previous)

    build_s = per_call(lambda: build_report(data, previous=previous))
    html_s = per_call(lambda: render(model, "html"))
    report.figure("report model of kz-2021 (engine included)", fmt_seconds(build_s).strip())
    report.figure("HTML page of kz-2021 (3 inline SVGs)", fmt_seconds(html_s).strip(), "< 50 ms", html_s < 0.05)

    import parliamentarch

    groups = arch_groups(model)
    attribution = {parliamentarch.SeatData(g.label, g.color): g.seats for g in groups}
    from saylau.report.scene import num

    def arch_cold() -> str:
        num.cache_clear()  # measure a first drawing, not the number cache of the previous loop
        return to_svg(arch_scene(groups, title="Seats"))

    ours = per_call(arch_cold)
    anchor = per_call(lambda: parliamentarch.get_svg_from_attribution(attribution))
    # No target (issue 4 sets none): ours also writes the title, legend, per-seat classes and accessible text.
    report.compare("arch SVG, 107 seats", ours, "parliamentarch", anchor)

    import pandas as pd

    from saylau.report.csvtable import render_csv

    rows = [{"unit": r.name, "code": c, "value": v, "percent": p}
            for r in model.regions for c, v, p in zip(model.region_parties, r.votes, r.percents, strict=True)]
    ours = per_call(lambda: render_csv(model))
    anchor = per_call(lambda: pd.DataFrame(rows).to_csv(index=False))
    report.compare("tidy CSV of the report", ours, "pandas to_csv", anchor, 1.0)

    generated = "2021-01-12T00:00:00Z"
    doc = to_nist(data, generated=generated)
    text = export_nist(data, generated=generated)
    ours = per_call(lambda: export_nist(data, generated=generated))
    anchor = per_call(lambda: json.dumps(doc, ensure_ascii=False, indent=2))
    report.compare("NIST export (build + write)", ours, "json.dumps alone", anchor, 0.5)
    ours = per_call(lambda: from_nist(json.loads(text)))
    anchor = per_call(lambda: json.loads(text))
    report.compare("NIST import (parse + check + build)", ours, "json.loads alone", anchor, 0.2)

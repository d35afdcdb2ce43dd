"""``saylau report --election ID``: the published result as HTML, Markdown, CSV, JSON, NIST or a picture."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from saylau.commands.allocate import add_system_options, system_options
from saylau.errors import InputError, SaylauError
from saylau.report import FORMATS, Report, build_report, render
from saylau.tabulate.model import ElectionData

__all__ = ["FIGURES", "register", "write_output"]

FIGURES = ("arch", "votes-seats", "regions")
ALL_FORMATS = (*FORMATS, "nist", "svg", "png")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report", help="publish an election's result (HTML, Markdown, CSV, JSON, NIST, SVG/PNG pictures)",
        description="The national table (votes, % of valid, seats, change since the previous election), "
                    "totals, appointed seats, regional table and the seat explanation. Seats come from the "
                    "election's ruleset unless system options are given.")
    p.add_argument("--election", required=True, metavar="ID", help="election id (built-in: kz-2021, kz-2016)")
    p.add_argument("--db", metavar="URL", help="store URL or SQLite path (default: $SAYLAU_DB or ./saylau.sqlite)")
    p.add_argument("--format", choices=ALL_FORMATS, default="html",
                   help="html (self-contained page), markdown, csv, json (the report model), "
                        "nist (SP 1500-100 v2 JSON), svg or png (one picture, see --figure)")
    p.add_argument("--figure", choices=FIGURES, default="arch", help="the picture of --format svg|png")
    p.add_argument("--lang", choices=("en", "kk", "ru"), default="en",
                   help="language of the page, the Markdown and the pictures: English, Kazakh or Russian")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (replaced whole, never half-written)")
    add_system_options(p)
    p.set_defaults(run=run)


def _load(election: str, db: str | None, rules: str | None = None) -> tuple[ElectionData, ElectionData | None]:
    from saylau.rules import resolve_ruleset
    from saylau.store.source import election_data

    data = election_data(election, db)
    name = rules or data.info.ruleset
    if name is not None:
        try:
            issued = resolve_ruleset(name).definitions.turnout_count == "issued"
        except SaylauError:
            issued = False  # build_report reports an unusable ruleset
        if issued:  # the ruleset's turnout counts ballots issued: summed from the stored protocols
            data = election_data(election, db, issued=True)
    previous = None
    if data.info.previous:
        try:
            previous = election_data(data.info.previous, db)
        except SaylauError:
            previous = None  # the change column then relies on the parties' own previous seats
    return data, previous


def run(args: argparse.Namespace) -> int:
    data, previous = _load(args.election, args.db, args.rules)
    options = system_options(args)
    report = build_report(data, rules=args.rules, options=options, previous=previous, seed=args.seed)
    payload: str | bytes
    if args.format == "nist":
        from saylau.formats.nist import export_nist

        seats = dict(data.info.official_seats) or (
            {p.code: p.seats for p in report.parties if p.seats is not None} if report.has_seats else {})
        payload = export_nist(data, seats=seats)
    elif args.format in ("svg", "png"):
        payload = _figure(report, args.figure, args.format, args.lang)
    else:
        payload = render(report, args.format, lang=args.lang)
    kind = f"{args.figure} figure ({args.format})" if args.format in ("svg", "png") else f"{args.format} report"
    write_output(payload, args.output, what=f"{kind} of {args.election}")
    return 0


def _figure(report: Report, figure: str, fmt: str, lang: str = "en") -> str | bytes:
    from saylau.i18n import catalog
    from saylau.report.arch import arch_groups, arch_scene
    from saylau.report.charts import regions_scene, votes_seats_scene
    from saylau.report.scene import to_svg

    if figure == "arch":
        scene = (arch_scene(arch_groups(report, lang), title=catalog(lang)["report.arch_title"], lang=lang)
                 if report.has_seats else None)
    elif figure == "votes-seats":
        scene = votes_seats_scene(report, lang=lang)
    else:
        scene = regions_scene(report, lang=lang)
    if scene is None:
        why = report.seats_note if figure != "regions" else "the election has no regional counts"
        raise InputError(f"nothing to draw: {why}", field="figure", value=figure)
    if fmt == "png":
        from saylau.report.raster import to_png

        return to_png(scene)
    return to_svg(scene)


def write_output(payload: str | bytes, output: str | None, *, what: str = "") -> None:
    """Write to ``output`` through a temporary file and a rename, or to standard output.

    A file written is said in one line on standard error (standard output stays the data's):
    ``wrote FILE: WHAT, N bytes``.
    """
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    if output is None or output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("the output folder does not exist", source=str(target), field="output", value=output)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private; a published report gets the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    print(f"wrote {output}: {what + ', ' if what else ''}{len(data):,} bytes", file=sys.stderr)

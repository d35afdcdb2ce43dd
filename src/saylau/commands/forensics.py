"""``saylau forensics TEST``: statistical diagnostics on an election's polling-station counts.

NumPy, SciPy and matplotlib (the ``forensics`` extra) are imported when the
command runs, never when ``saylau`` starts.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from typing import Any

from saylau.commands.argtypes import nonnegative_int, positive_int
from saylau.errors import InputError

__all__ = ["TESTS", "register", "run"]

TESTS = ("turnout-share", "integer-percent", "second-digit", "last-digit", "klimek")
FORMATS = ("table", "json")
_DEFAULT_REPS = {"integer-percent": 1000, "second-digit": 1000, "last-digit": 1000, "klimek": 4}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "forensics", help="statistical diagnostics on polling-station counts (not proof)",
        description="Election forensics on polling-station counts: turnout/share fingerprint (turnout-share), "
                    "excess whole-number percentages (integer-percent, Kobak et al. 2016), digit tests "
                    "(second-digit = Mebane's 2BL, last-digit), and a model-based ballot-stuffing fit "
                    "(klimek, after Klimek et al. 2012). These are diagnostics, not proof of fraud.")
    p.add_argument("test", choices=TESTS, metavar="TEST", help=f"one of: {', '.join(TESTS)}")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--election", metavar="ID", help="an election stored with its station protocols")
    source.add_argument("--file", metavar="PATH", help="a Russian CEC station table (.csv or .zip) instead")
    p.add_argument("--db", metavar="URL", help="store URL or SQLite path (default $SAYLAU_DB or ./saylau.sqlite)")
    p.add_argument("--party", metavar="P", help="list code or name (default: the leading list; digit tests: every list)")
    p.add_argument("--unit", metavar="U", help="only the stations of this region or territory")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--plot", metavar="FILE", help="also draw a figure (PNG, SVG or PDF by extension)")
    p.add_argument("--reps", type=positive_int, metavar="N",
                   help="resamplings (integer-percent, digit bootstraps: default 1000) or simulated "
                        "replicates (klimek: default 4)")
    p.add_argument("--seed", type=nonnegative_int, metavar="S", help="random seed (recorded in the output; drawn if omitted)")
    p.add_argument("--cap-99", action="store_true",
                   help="integer-percent: the capped reading (stations above 99 percent left out, a resampled value "
                        "above 99 percent not a hit); the default counts 100 percent as the paper does")
    p.add_argument("--null", choices=("binomial", "law"), default="binomial",
                   help="digit tests: compare with clean binomial counts of the same stations (default; its "
                        "false-positive rate is measured) or with the law itself (no rate stated)")
    p.set_defaults(run=run)


def _missing_extra(plot: bool) -> list[str]:
    """Modules of the ``forensics`` extra this run needs but cannot import."""
    needed = ("numpy", "scipy", "matplotlib") if plot else ("numpy", "scipy")
    return [name for name in needed if importlib.util.find_spec(name) is None]


def run(args: argparse.Namespace) -> int:
    missing = _missing_extra(bool(args.plot))
    if missing:
        print(f"saylau: error: this command needs the 'forensics' extra ({', '.join(missing)} missing): "
              "pip install 'saylau[forensics]'", file=sys.stderr)
        return 4
    from saylau.analysis.forensics.load import station_data_from_file, station_data_from_store

    if args.db and args.file:
        raise InputError("--db applies to --election, not to --file", field="--db", value=args.db)
    if args.election:
        data = station_data_from_store(args.election, args.db, args.unit)
    else:
        data = station_data_from_file(args.file, args.unit)
    result = analyse(data, args.test, party=args.party, reps=args.reps, seed=args.seed, cap_99=args.cap_99,
                     null=args.null)
    if args.plot:
        from saylau.analysis.forensics.plots import plot_result

        plot_result(result, args.plot, title=args.election or "")
    if args.format == "json":
        doc = {**to_json(result, args.test), "definitions": data.definitions.to_dict()}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        from saylau.analysis.forensics.render import render_table

        sys.stdout.write(render_table(result, definitions=data.definitions))
    return 0


def analyse(data: Any, test: str, *, party: str | None = None, reps: int | None = None,
            seed: int | None = None, cap_99: bool = False, null: str = "binomial") -> Any:
    """Run forensic ``test`` on ``data`` (a ``StationData``); the result object the renderers take."""
    from saylau.analysis.forensics.digits import digit_test
    from saylau.analysis.forensics.integer_percent import integer_percent
    from saylau.analysis.forensics.klimek import klimek_fit
    from saylau.analysis.forensics.turnout_share import turnout_share

    reps = reps if reps is not None else _DEFAULT_REPS.get(test, 0)
    if test == "turnout-share":
        return turnout_share(data, party)
    if test == "integer-percent":
        return integer_percent(data, party, reps=reps, seed=seed, cap_99=cap_99)
    if test in ("second-digit", "last-digit"):
        return digit_test(data, test, party, reps=reps, seed=seed, null=null)  # type: ignore[arg-type]
    if test == "klimek":
        return klimek_fit(data, party, replicates=reps, seed=seed)
    raise InputError(f"unknown test; known: {', '.join(TESTS)}", field="TEST", value=test)


def to_json(result: Any, test: str) -> dict[str, Any]:
    """The JSON document of a result (digit tests: one entry per list under ``results``)."""
    if isinstance(result, list):
        from saylau.analysis.forensics.common import DISCLAIMER

        return {"test": test, "disclaimer": DISCLAIMER, "results": [r.to_dict() for r in result]}
    return result.to_dict()  # type: ignore[no-any-return]

"""``make bench``: every benchmark, each figure printed beside the anchor it must beat.

Each module ``bench/bench_*.py`` defines ``run(report)``; ``report`` prints one
line per figure: what, saylau's time, the anchor's time, the ratio, the target.
``python -m bench NAME`` runs the modules whose name contains NAME.

Every figure, target and verdict of the run is also written to ``bench/results.json``
(not committed: it belongs to the machine that ran it). The exit code is 1 when a
target was missed (``make bench``), 0 with ``--no-fail`` (``make bench-report``).
Timed tests do not exist: time is judged here, never in the test suite.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Report

RESULTS = Path(__file__).resolve().parent / "results.json"


def main(argv: list[str]) -> int:
    args = argv[1:]
    fail = "--no-fail" not in args
    wanted = [a for a in args if a != "--no-fail"] or [""]
    report = Report()
    folder = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not info.name.startswith("bench_") or not any(w in info.name for w in wanted):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        report.section(module.__doc__.strip().splitlines()[0] if module.__doc__ else info.name)
        module.run(report)
    report.summary()
    report.write_json(RESULTS, wanted)
    print(f"figures written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 1 if fail and report.missed() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

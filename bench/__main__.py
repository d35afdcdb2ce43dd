"""``make bench``: every benchmark, each figure printed beside the anchor it must beat.

Each module ``bench/bench_*.py`` defines ``run(report)``; ``report`` prints one
line per figure: what, saylau's time, the anchor's time, the ratio, the target.
Benchmarks are not tests: nothing here fails on time. ``python -m bench NAME``
runs the modules whose name contains NAME.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Report


def main(argv: list[str]) -> int:
    wanted = argv[1:] or [""]
    report = Report()
    folder = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not info.name.startswith("bench_") or not any(w in info.name for w in wanted):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        report.section(module.__doc__.strip().splitlines()[0] if module.__doc__ else info.name)
        module.run(report)
    report.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Timing helpers and the report format shared by every benchmark."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["Report", "per_call", "per_call_together"]


def per_call(fn: Callable[[], Any], *, min_time: float = 0.3, repeat: int = 5) -> float:
    """Best-of-``repeat`` seconds per call, each run looping for at least ``min_time / repeat`` seconds."""
    return per_call_together({"fn": fn}, min_time=min_time, repeat=repeat)["fn"]


def _calibrated(fn: Callable[[], Any], min_time: float) -> int:
    """How many calls of ``fn`` take at least ``min_time`` seconds."""
    fn()  # warm up
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - start >= min_time or number >= 1 << 20:
            return number
        number *= 2


def per_call_together(fns: dict[str, Callable[[], Any]], *, min_time: float = 0.3,
                      repeat: int = 7) -> dict[str, float]:
    """Best-of-``repeat`` seconds per call of each function, the functions timed in turn within each round.

    On a shared or virtual machine the speed drifts over seconds; timing saylau and its anchor one after the
    other, round after round, lets both see the same machine, so their ratio is steadier than that of two
    separate measurements."""
    numbers = {name: _calibrated(fn, min_time / repeat) for name, fn in fns.items()}
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            number = numbers[name]
            start = time.perf_counter()
            for _ in range(number):
                fn()
            best[name] = min(best[name], (time.perf_counter() - start) / number)
    return best


def fmt_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:9.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:9.2f} ms"
    return f"{seconds:9.3f} s "


class Report:
    """Prints figures as they come, a summary of targets met, and keeps every figure for results.json."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, bool | None]] = []
        self.records: list[dict[str, Any]] = []
        self._section = ""

    def section(self, title: str) -> None:
        self._section = title
        print(f"\n== {title}")

    def compare(self, what: str, ours: float, anchor_name: str, anchor: float, target: float | None = None) -> None:
        """``ours`` and ``anchor`` in seconds; ``target`` is the speed-up ours must reach (anchor / ours)."""
        ratio = anchor / ours if ours > 0 else float("inf")
        met = None if target is None else ratio >= target
        mark = "" if met is None else ("  OK" if met else "  MISSED")
        goal = "" if target is None else f" (target >= {target:g}x)"
        print(f"  {what:<48} saylau {fmt_seconds(ours)} | {anchor_name} {fmt_seconds(anchor)} | "
              f"{ratio:8.1f}x{goal}{mark}")
        self.rows.append((what, met))
        self.records.append({"section": self._section, "what": what, "saylau_seconds": ours, "anchor": anchor_name,
                             "anchor_seconds": anchor, "ratio": ratio, "target": target, "met": met})

    def figure(self, what: str, value: str, target: str = "", met: bool | None = None) -> None:
        mark = "" if met is None else ("  OK" if met else "  MISSED")
        print(f"  {what:<48} {value}{'  (target ' + target + ')' if target else ''}{mark}")
        self.rows.append((what, met))
        self.records.append({"section": self._section, "what": what, "value": value, "target": target or None,
                             "met": met})

    def missed(self) -> list[str]:
        return [w for w, m in self.rows if m is False]

    def summary(self) -> None:
        judged = [(w, m) for w, m in self.rows if m is not None]
        missed = self.missed()
        print(f"\n{len(judged) - len(missed)}/{len(judged)} targets met" + (f"; missed: {', '.join(missed)}" if missed else ""))

    def write_json(self, path: Path, selection: list[str]) -> None:
        """Every figure of this run, its target and verdict, as JSON (written whole, then renamed)."""
        document = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "selection": selection,
            "targets_judged": sum(1 for _, m in self.rows if m is not None),
            "targets_missed": self.missed(),
            "figures": self.records,
        }
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(path)

    @staticmethod
    def median(values: list[float]) -> float:
        return statistics.median(values)

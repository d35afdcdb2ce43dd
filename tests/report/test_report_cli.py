"""``saylau report``: every format through the command line, files written whole, errors located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saylau.cli import main
from saylau.report import build_report, render
from saylau.tabulate.model import ElectionData


def test_markdown_to_stdout_is_the_rendered_report(kz2021: ElectionData, kz2016: ElectionData,
                                                    capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["report", "--election", "kz-2021", "--format", "markdown"]) == 0
    out = capfdbinary.readouterr().out.decode("utf-8")
    assert out == render(build_report(kz2021, previous=kz2016), "markdown")
    assert "| Nur Otan | 5,148,074 | 71.09% | 76 | −8 |" in out


@pytest.mark.parametrize("fmt", ["html", "csv", "json", "nist"])
def test_each_format_writes_a_file(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    assert main(["report", "--election", "kz-2021", "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "5148074" in text.replace(",", "")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind
    if fmt in ("json", "nist"):
        json.loads(text)


def test_nist_from_report_carries_declared_seats(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["report", "--election", "kz-2021", "--format", "nist", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    seats = sum(c["Count"] for s in doc["Election"][0]["Contest"][0]["ContestSelection"]
                for c in s["VoteCounts"] if c.get("OtherType") == "seats-won")
    assert seats == 98


@pytest.mark.parametrize(("figure", "marker"), [("arch", 'class="seat"'), ("votes-seats", 'class="bar votes"'),
                                                 ("regions", 'data-unit="KZ/Shymkent"')])
def test_svg_figures(tmp_path: Path, figure: str, marker: str) -> None:
    out = tmp_path / f"{figure}.svg"
    assert main(["report", "--election", "kz-2021", "--format", "svg", "--figure", figure, "-o", str(out)]) == 0
    assert marker in out.read_text(encoding="utf-8")


def test_png_figure(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "arch.png"
    assert main(["report", "--election", "kz-2021", "--format", "png", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")


def test_ad_hoc_system_options_reach_the_engine(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["report", "--election", "kz-2021", "--format", "json", "--rules", "hare", "--seats", "10"]) == 0
    doc = json.loads(capfdbinary.readouterr().out)
    assert doc["seats"]["list_seats"] == 10 and sum(p["seats"] for p in doc["parties"]) == 10


def test_unknown_election_exits_2_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "--election", "kz-1999", "-o", str(out)]) == 2
    assert "field 'election', value 'kz-1999'" in capsys.readouterr().err
    assert not out.exists()


def test_bad_ruleset_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--election", "kz-2021", "--rules", "no-such-rules"]) == 2
    assert "no-such-rules" in capsys.readouterr().err


def test_missing_output_folder_exits_2(tmp_path: Path) -> None:
    assert main(["report", "--election", "kz-2021", "-o", str(tmp_path / "nope" / "r.html")]) == 2


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    out = tmp_path / "r.html"
    out.write_text("previous report", encoding="utf-8")

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        main(["report", "--election", "kz-2021", "-o", str(out)])
    assert out.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_nothing_to_draw_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--election", "kz-2016", "--format", "svg", "--figure", "regions"]) == 2
    assert "no regional counts" in capsys.readouterr().err

"""The CLI reference in docs/cli.md is generated from the parser and documents every command."""

from __future__ import annotations

from pathlib import Path

from saylau.cli import _subcommands, build_parser, reference_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_reference_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == reference_markdown(), "run `make docs` to regenerate docs/cli.md"


def test_every_command_is_documented_with_help() -> None:
    text = DOC.read_text(encoding="utf-8")
    commands = _subcommands(build_parser())
    assert {"allocate", "rules", "rules list", "rules show"} <= {name for name, _ in commands}
    for name, sub in commands:
        assert f"## saylau {name}\n" in text
        assert sub.description or sub.format_usage(), name

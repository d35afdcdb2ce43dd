"""``-o FILE`` says what it wrote: one line on standard error, standard output left empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.cli import main


@pytest.mark.parametrize(("args", "what"), [
    (["report", "--election", "kz-2021", "--format", "markdown"], "markdown report of kz-2021"),
    (["report", "--election", "kz-2021", "--format", "svg", "--figure", "arch"], "arch figure (svg) of kz-2021"),
    (["nist", "export", "--election", "kz-2021"], "NIST SP 1500-100 results of kz-2021"),
    (["synth", "kz-2021", "--stations", "40", "--seed", "3"], "40 synthetic protocols of kz-2021 (csv)"),
])
def test_each_command_with_o_says_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                spec_data: Path, args: list[str], what: str) -> None:
    target = tmp_path / "out.file"
    assert main([*args, "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"wrote {target}: {what}")
    if "bytes" in err:
        assert f"{target.stat().st_size:,} bytes" in err


def test_writing_to_standard_output_says_nothing_more(capsys: pytest.CaptureFixture[str], spec_data: Path) -> None:
    assert main(["report", "--election", "kz-2021", "--format", "markdown"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("#") and err == ""

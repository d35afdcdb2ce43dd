"""Every command block of the README runs as written, in a fresh folder with ../shared beside it.

The ``sh`` blocks are taken from README.md and each line runs in bash, in order (later lines use
what earlier ones made: the store of ``saylau load``, the ``votes.csv`` the README writes).
``saylau`` is this checkout's. The one exception is the block of ``make`` targets: they create
``.venv`` and install into it (``demo``), run this very suite (``test``) or serve until Ctrl-C
(``serve``); CI runs them itself, and this test checks only that the Makefile defines them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

pytestmark = pytest.mark.slow


def _blocks() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [[line for line in block.splitlines() if line.strip()] for block in blocks]


def test_the_readme_has_command_blocks() -> None:
    lines = [line for block in _blocks() for line in block]
    assert sum(line.startswith("saylau ") for line in lines) >= 10


def test_the_make_targets_the_readme_names_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for line in (line for block in _blocks() for line in block if line.startswith("make ")):
        target = line.split()[1]
        assert re.search(rf"^{re.escape(target)}:", makefile, flags=re.MULTILINE), target


def test_every_readme_command_runs_as_written(tmp_path: Path, spec_data: Path) -> None:
    shared = spec_data.parents[1]
    (tmp_path / "shared").symlink_to(shared, target_is_directory=True)
    work = tmp_path / "work"
    work.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "saylau"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m saylau "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAYLAU_")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(ROOT / "src"))
    ran = 0
    for block in _blocks():
        for line in block:
            if line.startswith("make "):
                continue  # see the module's docstring
            proc = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True,
                                  check=False, timeout=600)
            assert proc.returncode == 0, f"README: {line}\nexit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
            ran += 1
    assert ran >= 10
    assert (work / "report.html").is_file() and (work / "stations.csv").is_file()

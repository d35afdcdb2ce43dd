"""The CLI starts fast: a command line imports only its own command's module, and nothing heavy it does not use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from saylau.cli import COMMANDS, _named_command, _subcommands, build_parser, main

HEAVY = ("pandas", "numpy", "matplotlib")


def _imported_after(code: str) -> dict[str, bool]:
    """Which heavy modules a fresh interpreter holds after running ``code`` (then printing sys.modules)."""
    script = f"import json, sys\n{code}\nprint(json.dumps({{m: m in sys.modules for m in {list(HEAVY)!r}}}))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    found: dict[str, bool] = json.loads(proc.stdout.splitlines()[-1])
    return found


def test_importing_the_cli_imports_neither_pandas_nor_numpy_nor_matplotlib() -> None:
    assert _imported_after("import saylau.cli") == dict.fromkeys(HEAVY, False)
    # The check itself sees an import when there is one.
    assert _imported_after("import saylau.cli, numpy")["numpy"]


def test_help_and_version_import_no_command_module() -> None:
    code = ("from saylau.cli import main, COMMAND_MODULES\n"
            "for argv in (['--help'], ['--version']):\n"
            "    try:\n"
            "        main(argv)\n"
            "    except SystemExit:\n"
            "        pass\n"
            "loaded = [m for m in COMMAND_MODULES if m in sys.modules]\n"
            "assert loaded == [], loaded\n"
            "assert 'saylau.engine' not in sys.modules and 'sqlalchemy' not in sys.modules\n")
    assert _imported_after(code) == dict.fromkeys(HEAVY, False)


def test_results_from_a_store_imports_neither_pandas_nor_numpy(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite")
    assert main(["load", "kz-2021", "--db", db]) == 0
    code = ("from saylau.cli import main\n"
            f"assert main(['results', '--election', 'kz-2021', '--db', {db!r}, '--level', 'region']) == 0\n")
    assert _imported_after(code) == dict.fromkeys(HEAVY, False)


def test_the_listed_commands_are_the_modules_own() -> None:
    full = build_parser()
    listed = build_parser(set())  # every command listed from COMMANDS, no module imported
    assert listed.format_help() == full.format_help()
    full_commands = dict(_subcommands(full))
    assert [name for name, _, _ in COMMANDS] == [name for name in full_commands if " " not in name]
    for name, _, _ in COMMANDS:
        one = build_parser({name})
        assert one.format_help() == full.format_help(), name
        # The named command is whole: its help and its subcommands' are the full parser's.
        for sub_name, sub in _subcommands(one):
            if sub_name == name or sub_name.startswith(f"{name} "):
                assert sub.format_help() == full_commands[sub_name].format_help(), sub_name


@pytest.mark.parametrize(("argv", "named"), [
    ([], set()), (["--help"], set()), (["--version"], set()), (["results", "--election", "x"], {"results"}),
    (["-h", "rules", "list"], {"rules"}), (["--", "rules"], {"rules"}), (["nonsense"], {"nonsense"}),
])
def test_the_command_a_line_names(argv: list[str], named: set[str]) -> None:
    assert _named_command(argv) == named


def test_version_and_usage_errors_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import metadata

    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0 and capsys.readouterr().out == f"saylau {metadata.version('saylau')}\n"
    with pytest.raises(SystemExit) as caught:
        main(["nonsense"])
    err = capsys.readouterr().err
    assert caught.value.code == 2 and "invalid choice: 'nonsense'" in err and "'allocate'" in err
    assert main(["rules", "list"]) == 0 and "kz-mazhilis-2021" in capsys.readouterr().out


def _console(*argv: str, extra: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m saylau ARGV`` (the console entry point), ``extra`` run first in the same interpreter."""
    script = f"import sys\n{extra}\nsys.argv = ['saylau', *{list(argv)!r}]\nfrom saylau.cli import console\nconsole()"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)


def test_the_console_exit_keeps_the_code_the_output_and_the_exit_handlers(tmp_path: Path) -> None:
    # It skips the interpreter's teardown: the exit code, every byte written and the atexit handlers stay.
    marker = tmp_path / "atexit-ran"
    handler = f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')"
    done = _console("rules", "list", extra=handler)
    assert done.returncode == 0 and marker.read_text() == "yes"
    assert done.stdout.count("\n") > 3 and "kz-mazhilis-2021" in done.stdout  # buffered output flushed
    refused = _console("results", "--election", "nope", "--db", str(tmp_path / "s.sqlite"))
    assert refused.returncode == 2 and "no election 'nope'" in refused.stderr
    assert (Path(sys.executable).parent / "saylau").read_text().count("console") >= 1  # the installed command

"""``saylau users add`` without a terminal: a clear error asking for --password-env, never an EOFError traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("argon2")


def test_users_add_without_a_terminal_asks_for_password_env(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite")
    done = subprocess.run([sys.executable, "-m", "saylau", "users", "add", "alice", "--role", "central", "--db", db],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "--password-env" in done.stderr and "Traceback" not in done.stderr and "EOFError" not in done.stderr
    ok = subprocess.run([sys.executable, "-m", "saylau", "users", "add", "alice", "--role", "central", "--db", db,
                         "--password-env", "SAYLAU_TEST_PW"], stdin=subprocess.DEVNULL, capture_output=True,
                        text=True, timeout=120, env={**__import__("os").environ, "SAYLAU_TEST_PW": "a-long-password"})
    assert ok.returncode == 0, ok.stderr
    assert "user alice: central" in ok.stdout

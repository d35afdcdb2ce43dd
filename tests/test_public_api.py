"""The public API is small, sorted and complete; the seat engine imports only the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import saylau
import saylau.core

SRC = Path(saylau.__file__).parent


def test_all_is_sorted_and_exported() -> None:
    for module in (saylau, saylau.core):
        names = module.__all__
        assert sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n)) == names or names == sorted(names)
        for name in names:
            assert hasattr(module, name), name


def test_all_lists_every_public_name() -> None:
    for module in (saylau, saylau.core):
        public = {n for n in vars(module) if not n.startswith("_")}
        submodules = {n for n in public if type(getattr(module, n)).__name__ == "module"}
        assert public - submodules - {"annotations"} == set(module.__all__)


def test_core_imports_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"saylau"}
    for path in (SRC / "core").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                assert root in allowed, f"{path.name} imports {root}"
            if roots == ["saylau"] and isinstance(node, ast.ImportFrom):
                assert node.module in ("saylau.errors",) or node.module.startswith("saylau.core"), node.module


def test_core_has_no_float_literals() -> None:
    for path in (SRC / "core").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        floats = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, float)]
        calls = [n.lineno for n in ast.walk(tree)
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "float"]
        assert not floats and not calls, (path.name, floats, calls)

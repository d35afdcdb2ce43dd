"""The house rules of the code, checked on its import graph (built with ``ast`` over src/saylau).

1. SQL lives only in ``saylau.store``: no other module imports sqlalchemy or alembic or holds SQL text.
2. Subpackages import in one direction and never in a circle:
   core → rules → protocols → tabulate → store → analysis/report → web/commands.

Today's offenders are listed in ALLOWLISTs below. Other work is removing them; the lists may only
shrink: an entry that is no longer an offender fails the test too, so a fixed one must be deleted.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "saylau"

# The layer of each part of the package, lowest first; a module may import its own layer's
# modules (if no circle results) and any lower layer, never a higher one.
LAYERS: dict[str, int] = {
    # foundations every layer may use: error types, the package-data registry
    "errors": 0, "datafiles": 0,
    # reader-facing words, names and number/date formats (standard library only), used by report, web, documents
    "i18n": 0,
    # unit ids: normalised, invisible characters refused, look-alikes found (readers, store and web use it)
    "ids": 0,
    # cyclic garbage collection paused around bulk work (readers and the store)
    "gcpause": 0,
    "core": 1,
    # pandas data frames of results (imports pandas only when one is asked for), plugged into core.tables
    "frames": 1,
    # the rulesets and the public allocation API over core + rules
    "rules": 2, "engine": 2,
    "protocols": 3,
    "tabulate": 4,
    # readers of files and of the built-in elections: they produce tabulate/protocols models
    "formats": 5, "datasets": 5,
    "store": 6,
    "analysis": 7, "report": 7,
    # official documents (PDF): built from the store and the engine, beside the report
    "documents": 7,
    # the entry points may import anything below them
    "web": 8, "commands": 8, "cli": 8, "__main__": 8, "__init__": 8,
}

# SQL outside saylau.store (module → what it imports or holds). Empty since the web's users, tokens,
# sessions, board, status and migrations moved into store functions (issue 16).
SQL_ALLOWLIST: set[tuple[str, str]] = set()

# Imports against the direction (importing module → imported part). Empty since the circles through
# tabulate (issue 16) were removed: the election loader moved to store.source, the synthetic-protocol
# generator to datasets.synth, and PartyInfo down to protocols.model.
DIRECTION_ALLOWLIST: set[tuple[str, str]] = set()

_SQL_TEXT = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b|\bALTER\s+TABLE\b|\bDROP\s+(?:TABLE|INDEX)\b"
    r"|\bPRAGMA\s+\w+")  # SQL keywords as SQL is written here (upper case), so prose never matches


def _modules() -> dict[str, tuple[Path, ast.Module]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return found


def _imports(name: str, path: Path, tree: ast.Module) -> set[str]:
    """Every module named by an import statement anywhere in the file (lazy and TYPE_CHECKING ones too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            # ``from saylau import store`` names the subpackage through its alias
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _part(module: str) -> str | None:
    """The part of saylau a module belongs to (its subpackage or top-level module)."""
    parts = module.split(".")
    if parts[0] != "saylau":
        return None
    if len(parts) == 1:
        return "__init__"
    return parts[1] if parts[1] in LAYERS else None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, tree) for name, (path, tree) in modules.items()}


def sql_offenders() -> set[tuple[str, str]]:
    offenders = set()
    for name, (path, tree) in _modules().items():
        if name == "saylau.store" or name.startswith("saylau.store."):
            continue
        for imported in _imports(name, path, tree):
            root = imported.split(".")[0]
            if root in {"sqlalchemy", "alembic"}:
                offenders.add((name, root))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL_TEXT.search(node.value):
                offenders.add((name, "SQL text"))
    return offenders


def direction_offenders() -> set[tuple[str, str]]:
    offenders = set()
    for name, imported in _graph().items():
        source = _part(name)
        assert source is not None, f"{name} belongs to no layer: add its part to LAYERS"
        for target_module in imported:
            target = _part(target_module)
            if target is None or target == source or target == "__init__":
                continue
            if LAYERS[target] > LAYERS[source]:
                offenders.add((name, target))
    return offenders


def part_cycles() -> list[list[str]]:
    """Circles in the graph between parts (subpackages and top-level modules), each as a path."""
    edges: dict[str, set[str]] = defaultdict(set)
    for name, imported in _graph().items():
        source = _part(name)
        for target_module in imported:
            target = _part(target_module)
            allowed = (name, target) in DIRECTION_ALLOWLIST
            if source and target and target not in (source, "__init__") and not allowed:
                edges[source].add(target)
    return _cycles(edges)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    cycles = []
    for start in sorted(edges):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(edges.get(node, ())):
                if nxt == start:
                    cycles.append([*path, start])
                elif nxt not in path and nxt > start:  # report each circle once, from its smallest part
                    stack.append((nxt, [*path, nxt]))
    return cycles


def test_every_module_belongs_to_a_layer():
    unknown = sorted(name for name in _modules() if _part(name) is None)
    assert unknown == [], f"modules in no layer (add their part to LAYERS): {unknown}"


def test_sql_lives_only_in_the_store():
    offenders = sql_offenders()
    new = sorted(offenders - SQL_ALLOWLIST)
    assert new == [], f"SQL outside saylau.store (add a store function that names what it asks for): {new}"


def test_sql_allowlist_only_shrinks():
    stale = sorted(SQL_ALLOWLIST - sql_offenders())
    assert stale == [], f"no longer offenders, delete them from SQL_ALLOWLIST: {stale}"


def test_imports_follow_the_layers():
    new = sorted(direction_offenders() - DIRECTION_ALLOWLIST)
    assert new == [], f"imports against core → rules → protocols → tabulate → store → analysis/report → web/commands: {new}"


def test_direction_allowlist_only_shrinks():
    stale = sorted(DIRECTION_ALLOWLIST - direction_offenders())
    assert stale == [], f"no longer offenders, delete them from DIRECTION_ALLOWLIST: {stale}"


def test_no_import_circle_between_parts():
    assert part_cycles() == []


def test_the_checks_see_what_they_claim(tmp_path):
    # The SQL pattern and the import reader themselves: a query is found, prose is not.
    assert _SQL_TEXT.search("SELECT id FROM units WHERE parent = ?")
    assert _SQL_TEXT.search("INSERT INTO audit_log VALUES (?)")
    assert not _SQL_TEXT.search("select a ruleset from the list, then delete from the cache")  # prose
    source = tmp_path / "saylau" / "tabulate" / "x.py"
    source.parent.mkdir(parents=True)
    source.write_text("from ..store import open_store\nfrom saylau import report\n", encoding="utf-8")
    tree = ast.parse(source.read_text())
    found = _imports("saylau.tabulate.x", source, tree)
    assert "saylau.store" in found and "saylau.report" in found
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": {"c"}}) == []

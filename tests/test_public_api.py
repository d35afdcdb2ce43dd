"""The public API is small, sorted and complete; the seat engine imports only the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

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
        public = {n for n in dir(module) if not n.startswith("_")}  # dir(): the names saylau imports lazily too
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


# --- saylau.allocate: no ruleset assumed, the ruleset and its system remembered ------------------

def test_allocate_without_rules_or_method_is_an_error_listing_the_rulesets() -> None:
    import pytest

    with pytest.raises(saylau.InputError) as caught:
        saylau.allocate({"A": 600, "B": 400})
    assert "kz-mazhilis-2021" in str(caught.value) and "hare" in str(caught.value)


def test_allocate_ad_hoc_without_a_ruleset_file() -> None:
    votes = {"A": 600, "B": 300, "C": 99}
    result = saylau.allocate(votes, seats=10, method="dhondt", threshold="10%")
    system = saylau.System("ad hoc", saylau.ListTier(10, "dhondt", saylau.Threshold.parse("10%", base="valid")))
    assert result.seats == saylau.allocate_system(votes, system).seats
    assert result.seats["C"] == 0  # 99 of 999 is below 10%
    assert saylau.allocate({"A": 600, "B": 300, "C": 100}, seats=10, method="dhondt", threshold="10%").seats["C"] > 0


@pytest.mark.parametrize(("name", "options"), [("kz-mazhilis-2023", {"seats": 98}), ("kz-mazhilis-2021", {})])
def test_a_ruleset_name_is_resolved_and_built_once(monkeypatch, name: str, options: dict) -> None:  # type: ignore[no-untyped-def, type-arg]
    """With options (the cache of built systems) and without (the name's own fast look-up): the second call
    touches no file and builds no system, and gives the same result and explanation."""
    import os
    from pathlib import Path

    from saylau.rules.ruleset import Ruleset

    votes = {"A": 659_019, "B": 5_148_074, "C": 792_828}
    first = saylau.allocate(votes, name, **options)
    built = []
    monkeypatch.setattr(Ruleset, "system", lambda self, **kw: built.append(kw))

    def no_file_system(*args: object, **kwargs: object) -> None:
        raise AssertionError("file system touched for a ruleset name")

    monkeypatch.setattr(Path, "is_file", no_file_system)
    monkeypatch.setattr(os, "stat", no_file_system)
    monkeypatch.setattr("builtins.open", no_file_system)
    again = saylau.allocate(votes, name, **options)
    assert again == first and again.explain() == first.explain() and built == []


def test_a_reregistered_ruleset_is_used_at_once() -> None:
    from saylau.rules import RULESETS, parse_ruleset

    votes = {"A": 600, "B": 300, "C": 100}
    original = RULESETS.get("hare")
    assert saylau.allocate(votes, "hare", seats=10).seats == {"A": 6, "B": 3, "C": 1}
    try:
        RULESETS.register(parse_ruleset('name = "hare"\n[lists]\nmethod = "dhondt"\n'))
        assert saylau.allocate(votes, "hare", seats=10).system.lists.method == "dhondt"
    finally:
        RULESETS.register(original)
    assert saylau.allocate(votes, "hare", seats=10).system.lists.method == "hare"


def test_a_name_asked_without_options_follows_a_new_registration() -> None:
    from saylau.rules import RULESETS, parse_ruleset

    votes = {"A": 600, "B": 300, "C": 100}
    try:
        RULESETS.register(parse_ruleset('name = "mine-test"\n[lists]\nseats = 10\nmethod = "hare"\n'))
        assert saylau.allocate(votes, "mine-test").seats == {"A": 6, "B": 3, "C": 1}
        assert saylau.allocate(votes, "mine-test").seats == {"A": 6, "B": 3, "C": 1}  # from memory
        RULESETS.register(parse_ruleset('name = "mine-test"\n[lists]\nseats = 20\nmethod = "hare"\n'))
        assert saylau.allocate(votes, "mine-test").seats == {"A": 12, "B": 6, "C": 2}
    finally:
        RULESETS._load().pop("mine-test", None)


def test_a_ruleset_file_that_changed_is_read_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mine.toml"
    votes = {"A": 600, "B": 300, "C": 100}
    for seats in (10, 20, 30):  # same length each time, written at once: the bytes decide, not the clock
        path.write_text(f'name = "mine"\n[lists]\nseats = {seats}\nmethod = "hare"\n', encoding="utf-8")
        assert saylau.allocate(votes, str(path)).house == seats
        assert saylau.allocate(votes, path).house == seats
    assert saylau.resolve_ruleset(str(path)) is saylau.resolve_ruleset(str(path))  # unchanged: not parsed again


# --- for analysts: version, data frames, notebook tables ----------------------------------------

def test_version_comes_from_the_package_metadata() -> None:
    from importlib import metadata

    assert saylau.__version__ == metadata.version("saylau")


def test_an_allocation_converts_to_pandas_exactly() -> None:
    import pytest

    pd = pytest.importorskip("pandas")
    from fractions import Fraction

    votes = {"A": 900, "B": 100, "C": 0}
    result = saylau.allocate(votes, seats=10, method="hare")
    frame = result.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(saylau.core.result.ALLOCATION_COLUMNS)
    assert dict(zip(frame["party"], frame["seats"], strict=True)) == result.seats
    assert list(frame["votes"]) == list(votes.values())
    assert list(frame["share_of_valid"]) == [Fraction(9, 10), Fraction(1, 10), Fraction(0)]


def test_a_missing_pandas_names_the_extra(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import builtins

    import pytest

    real_import = builtins.__import__

    def no_pandas(name: str, *args: object, **kwargs: object) -> object:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(saylau.MissingExtra, match=r"pip install 'saylau\[pandas\]'"):
        saylau.allocate({"A": 1, "B": 2}, seats=1, method="dhondt").to_pandas()


def test_notebooks_show_an_allocation_as_an_escaped_table() -> None:
    result = saylau.allocate({"<b>A</b>": 900, "B & co": 100}, "kz-mazhilis-2021", valid=1000)
    page = result._repr_html_()
    assert page.startswith("<table>") and page.endswith("</table>")
    assert "&lt;b&gt;A&lt;/b&gt;" in page and "B &amp; co" in page and "<b>" not in page
    assert f"<td>{result.system.tiers[0].name}</td>" in page  # the appointed seats are a row of their own
    import html

    rows = page.split("<tr>")
    for party, seats in result.seats.items():
        (row,) = [r for r in rows if r.startswith(f"<td>{html.escape(party)}</td>")]
        assert row.endswith(f">{seats}</td></tr>") or f">{seats}</td></tr>" in row


def test_vacancies_show_in_the_notebook_table() -> None:
    result = saylau.allocate([saylau.Party("A", 900, candidates=5), saylau.Party("B", 100)], seats=10, method="hare")
    page = result._repr_html_()
    assert "<th" in page and ">vacant</th>" in page and ">4</td>" in page


def test_election_data_converts_to_pandas(spec_data) -> None:  # type: ignore[no-untyped-def]
    import pytest

    pytest.importorskip("pandas")
    from saylau.datasets import load_dataset

    election = load_dataset("kz-2021")
    frame = election.to_pandas()
    assert list(frame["unit_id"]) == [u.unit_id for u in election.units]
    for party in election.parties:
        assert list(frame[party.code]) == [u.votes.get(party.code, 0) for u in election.units]
    assert "<table>" in election._repr_html_()

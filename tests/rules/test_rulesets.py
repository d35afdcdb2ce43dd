"""Rulesets as data: the built-in ones, the registry, and malformed files reported by file, line and key."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from saylau.errors import RulesetError
from saylau.rules import RULESETS, get_ruleset, parse_ruleset, resolve_ruleset, ruleset_for_date


def test_builtin_kazakh_rulesets() -> None:
    r2021 = get_ruleset("kz-mazhilis-2021")
    assert r2021.lists is not None and r2021.lists.seats == 98 and r2021.total_seats == 107
    assert r2021.lists.threshold is not None and r2021.lists.threshold.share == Fraction(7, 100)
    assert r2021.lists.threshold.inclusive and r2021.lists.threshold.base == "valid"
    assert r2021.lists.runner_up is not None and r2021.lists.runner_up.factor == Fraction(7, 10)
    assert r2021.lists.runner_up.min_seats == 2
    assert [(t.kind, t.seats) for t in r2021.tiers] == [("appointed", 9)]
    r2007 = get_ruleset("kz-mazhilis-2007")
    assert r2007.lists is not None and r2007.lists.runner_up is None
    r2023 = get_ruleset("kz-mazhilis-2023")
    assert r2023.lists is not None and r2023.lists.seats == 69 and r2023.total_seats == 98
    assert r2023.lists.threshold is not None and r2023.lists.threshold.share == Fraction(5, 100)
    assert [(t.kind, t.seats) for t in r2023.tiers] == [("plurality", 29)]
    for r in (r2007, r2021, r2023):
        assert r.legal_basis and r.election_date and r.family == "kz-mazhilis"


def test_rulesets_by_date() -> None:
    assert ruleset_for_date("kz-mazhilis", dt.date(2007, 8, 18)).name == "kz-mazhilis-2007"
    assert ruleset_for_date("kz-mazhilis", dt.date(2016, 3, 20)).name == "kz-mazhilis-2021"
    assert ruleset_for_date("kz-mazhilis", dt.date(2023, 3, 19)).name == "kz-mazhilis-2023"
    with pytest.raises(RulesetError):
        ruleset_for_date("kz-mazhilis", dt.date(1995, 1, 1))


def test_generic_rulesets_need_seats() -> None:
    with pytest.raises(RulesetError, match="seats"):
        get_ruleset("dhondt").system()
    assert get_ruleset("dhondt").system(seats=7).lists.seats == 7


def test_registry_never_imports_strings() -> None:
    with pytest.raises(RulesetError, match="unknown ruleset"):
        resolve_ruleset("os.system")
    assert "kz-mazhilis-2021" in RULESETS


MALFORMED = [
    ('name = "x"\n[lists]\nseats = 98\nmethod = "hair"\n', 4, "lists.method"),
    ('name = "x"\n[lists]\nseats = 0\n', 3, "lists.seats"),
    ('name = "x"\n[lists]\nseats = 98\n\n[lists.threshold]\nshare = "7 percent"\n', 6, "lists.threshold.share"),
    ('name = "x"\n[lists]\nseats = 98\n[lists.threshold]\nshare = 0.07\n', 5, "lists.threshold.share"),
    ('name = "x"\n[lists]\nseats = 98\n[lists.threshold]\nshare = "7%"\nbase = "voters"\n', 6, "lists.threshold.base"),
    ('name = "x"\n[lists]\nseats = 98\nthreshhold = 1\n', 4, "lists.threshhold"),
    ('name = "x"\n[lists]\nseats = 98\n[[tiers]]\nname = "a"\nseats = 9\n[[tiers]]\nname = "b"\nseats = -1\n', 9,
     "tiers[1].seats"),
    ('name = "x"\n[lists]\nseats = 98\n[lists.runner_up]\nfactor = 0.7\n', 5, "lists.runner_up.factor"),
    ('name = "X Y"\n[lists]\nseats = 98\n', 1, "name"),
    ('name = "x"\n[lists\nseats = 98\n', 2, None),
]


@pytest.mark.parametrize(("text", "line", "key"), MALFORMED)
def test_malformed_ruleset_names_file_line_and_key(text: str, line: int, key: str | None) -> None:
    with pytest.raises(RulesetError) as info:
        parse_ruleset(text, source="bad.toml")
    error = info.value
    assert error.source == "bad.toml" and error.line == line
    if key is not None:
        assert error.field == key
    assert str(error).startswith(f"bad.toml, line {line}")


def test_ruleset_file_not_found(tmp_path: object) -> None:
    with pytest.raises(RulesetError, match="cannot read"):
        resolve_ruleset("/nonexistent/rules.toml")

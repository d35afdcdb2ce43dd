"""Protocol forms: the built-in forms load with their lines, relations and totals; bad forms are located."""

from __future__ import annotations

import pytest
from protocol_samples import good_protocol

from saylau.protocols import FORMS, TOTALS, FormError, load_form, parse_expr, parse_form

MINIMAL = """\
format = 1
name = "tiny"
languages = ["en"]

[totals]
registered = "voters"
ballots_cast = "cast"
valid = "cast"
invalid = "cast"
issued = "cast"

[[lines]]
key = "voters"
number = 1
en = "Voters"

[[lines]]
key = "cast"
number = 2
en = "Ballots cast"

[[relations]]
name = "cast_within_voters"
left = "voters"
operator = ">="
right = "cast"
severity = "error"
"""


def test_builtin_forms_are_registered() -> None:
    assert set(FORMS.names()) >= {"kz-mazhilis-2021", "ru-duma-2021", "ru-duma-2011"}


def test_kz_form_lines_and_labels() -> None:
    form = load_form("kz-mazhilis-2021")
    assert form.line_keys == ("voters_on_list", "ballots_received", "ballots_issued_in_premises",
                              "ballots_issued_outside", "ballots_cancelled", "ballots_in_boxes", "invalid", "valid")
    assert [line.number for line in form.lines] == list(range(1, 9))
    assert form.first_party_line == 9
    for line in form.lines:
        assert set(line.labels) == {"en", "ru", "kk"}
    severities = {r.name: r.severity for r in form.relations}
    assert severities == {"ballots_accounted": "error", "list_covers_issued": "error",
                          "boxes_are_valid_and_invalid": "error", "valid_is_party_votes": "error",
                          "boxes_within_issued": "warning"}


def test_ru_forms_follow_the_printed_numbering() -> None:
    ru2021 = load_form("ru-duma-2021")
    ru2011 = load_form("ru-duma-2011")
    assert [line.number for line in ru2021.lines] == list(range(1, 13))
    assert ru2021.line("ballots_lost").number == 11 and ru2021.line("ballots_unaccounted").number == 12
    assert [line.number for line in ru2011.lines] == list(range(1, 19))
    assert ru2011.line("ballots_lost").number == 17 and ru2011.line("ballots_unaccounted").number == 18
    assert ru2011.first_party_line == 19 and ru2021.first_party_line == 13
    accounted = ru2011.relation("ballots_accounted")
    assert accounted.operator == "="
    assert dict(accounted.difference) == {"ballots_received": 1, "ballots_issued_early": -1,
                                          "ballots_issued_in_premises": -1, "ballots_issued_outside": -1,
                                          "ballots_cancelled": -1, "ballots_lost": -1, "ballots_unaccounted": 1}


@pytest.mark.parametrize("name", ["kz-mazhilis-2021", "ru-duma-2021", "ru-duma-2011"])
def test_totals_name_the_standard_lines(name: str) -> None:
    form = load_form(name)
    protocol = good_protocol(name)
    totals = form.totals(protocol)
    assert set(totals) == set(TOTALS)
    lines = protocol.lines
    assert totals["registered"] == lines["voters_on_list"]
    assert totals["valid"] == lines["valid"] and totals["invalid"] == lines["invalid"]
    assert totals["ballots_cast"] == lines["valid"] + lines["invalid"]
    if name.startswith("ru"):
        assert totals["ballots_cast"] == lines["ballots_in_portable_boxes"] + lines["ballots_in_stationary_boxes"]
        assert totals["issued"] == (lines["ballots_issued_early"] + lines["ballots_issued_in_premises"]
                                    + lines["ballots_issued_outside"])
    else:
        assert totals["ballots_cast"] == lines["ballots_in_boxes"]
        assert totals["issued"] == lines["ballots_issued_in_premises"] + lines["ballots_issued_outside"]


def test_a_form_file_loads_by_path(tmp_path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    form = load_form(path)
    assert form.name == "tiny" and form.line_keys == ("voters", "cast")
    assert str(form.relations[0]) == "voters >= cast"


@pytest.mark.parametrize(("old", "new", "line", "field"), [
    ('operator = ">="', 'operator = "=>"', 25, "relations[0].operator"),
    ('right = "cast"', 'right = "cast + ghost"', 26, "relations[0].right"),
    ('severity = "error"', 'severity = "fatal"', 27, "relations[0].severity"),
    ('number = 2', 'number = 1', 19, "lines[1].number"),
    ('en = "Ballots cast"', 'fr = "Bulletins"', 20, "lines[1].fr"),
    ('issued = "cast"', 'issued = "cast +"', 10, "totals.issued"),
])
def test_a_malformed_form_names_file_line_and_key(old: str, new: str, line: int, field: str) -> None:
    assert old in MINIMAL
    with pytest.raises(FormError) as caught:
        parse_form(MINIMAL.replace(old, new), source="bad.toml")
    error = caught.value
    assert (error.source, error.line, error.field) == ("bad.toml", line, field)
    assert "bad.toml" in str(error) and f"line {line}" in str(error)


def test_a_missing_total_is_refused() -> None:
    with pytest.raises(FormError, match="missing total") as caught:
        parse_form(MINIMAL.replace('issued = "cast"\n', ""), source="bad.toml")
    assert caught.value.field == "totals.issued"


def test_invalid_toml_reports_its_line() -> None:
    with pytest.raises(FormError) as caught:
        parse_form(MINIMAL.replace('name = "tiny"', 'name = tiny'), source="bad.toml")
    assert caught.value.line == 2


def test_unknown_form_name_suggests() -> None:
    with pytest.raises(FormError, match="did you mean ru-duma-2021, ru-duma-2016, ru-duma-2011"):
        load_form("ru-duma-2012")


def test_expressions_parse_exactly() -> None:
    expr = parse_expr("a + 2*b - c")
    assert expr.terms == (("a", 1), ("b", 2), ("c", -1))
    assert expr.evaluate({"a": 5, "b": 3, "c": 4}, {}) == 7
    assert parse_expr("valid - parties").evaluate({"valid": 10}, {"X": 4, "Y": 5}) == 1
    for bad in ("", "a +", "a b", "a * b", "2*", "a + 1.5*b"):
        with pytest.raises(ValueError):
            parse_expr(bad)

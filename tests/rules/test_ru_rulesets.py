"""The Russian rulesets as data: kinds, the Duma clauses by year, the CEC's definitions, malformed files."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import pytest

from saylau.errors import RulesetError
from saylau.rules import get_ruleset, parse_ruleset, ruleset_for_date
from saylau.rules.definitions import DEFAULT, Definitions


def test_duma_rulesets_by_year() -> None:
    for name, seats, share, cover in (("ru-duma-2007", 450, 7, 60), ("ru-duma-2011", 450, 7, 60),
                                      ("ru-duma-2016", 225, 5, 50), ("ru-duma-2021", 225, 5, 50)):
        r = get_ruleset(name)
        assert r.kind == "lists" and r.lists is not None and r.lists.seats == seats, name
        th = r.lists.threshold
        assert th is not None and th.share == Fraction(share, 100) and th.inclusive and th.base == "ballots_cast"
        cov = r.lists.coverage
        assert cov is not None and cov.share == Fraction(cover, 100) and not cov.inclusive and cov.min_lists == 2
        assert r.lists.method == "hare" and r.lists.ties == "votes"
        assert r.definitions == Definitions("issued", "ballots_cast")
        assert r.legal_basis and r.lists.clause("coverage") and r.family == "ru-duma"
    # The 5-7% seats: in the 2011 law (from 2009), not in 2007's, gone by 2016.
    assert get_ruleset("ru-duma-2007").lists.bands == ()  # type: ignore[union-attr]
    bands = get_ruleset("ru-duma-2011").lists.bands  # type: ignore[union-attr]
    assert [(b.lower, b.upper, b.seats) for b in bands] == [(Fraction(5, 100), Fraction(6, 100), 1),
                                                             (Fraction(6, 100), Fraction(7, 100), 2)]
    assert get_ruleset("ru-duma-2021").total_seats == 450


def test_duma_rulesets_resolve_by_date() -> None:
    import datetime as dt

    assert ruleset_for_date("ru-duma", dt.date(2007, 12, 2)).name == "ru-duma-2007"
    assert ruleset_for_date("ru-duma", dt.date(2011, 12, 4)).name == "ru-duma-2011"
    assert ruleset_for_date("ru-duma", dt.date(2016, 9, 18)).name == "ru-duma-2016"


def test_candidate_and_question_rulesets_have_no_seats() -> None:
    president = get_ruleset("ru-president")
    assert president.kind == "candidate" and president.candidate is not None and president.lists is None
    assert president.candidate.majority.share == Fraction(1, 2) and not president.candidate.majority.inclusive
    assert president.candidate.majority.base == "ballots_cast" and president.candidate.runoff == 2
    vote = get_ruleset("ru-constitution-2020")
    assert vote.kind == "question" and vote.question is not None and "ДА" in vote.question.yes
    for r in (president, vote):
        assert not r.has_seats
        with pytest.raises(RulesetError, match="has no seats"):
            r.system()


def test_kazakh_rulesets_keep_the_default_definitions() -> None:
    assert get_ruleset("kz-mazhilis-2021").definitions == DEFAULT == Definitions("ballots_cast", "valid")


def test_definitions_compute_and_name_turnout_and_shares() -> None:
    ru = get_ruleset("ru-duma-2011").definitions
    unit = SimpleNamespace(registered=1000, ballots_cast=590, valid=580, invalid=10, issued=602)
    assert ru.turnout(unit) == Fraction(602, 1000)
    assert ru.share(290, unit) == Fraction(290, 590)
    assert DEFAULT.turnout(unit) == Fraction(590, 1000) and DEFAULT.share(290, unit) == Fraction(290, 580)
    assert "ballots issued" in ru.turnout_label(unit) and "took part" in ru.share_label()
    for language in ("kk", "ru", "en"):
        assert ru.turnout_label(unit, language) and ru.share_label(language)
    assert ru.share_label("ru") != ru.share_label("en") != ru.share_label("kk")
    # A unit without ballots issued: turnout by ballots cast, and the label says so.
    bare = SimpleNamespace(registered=1000, ballots_cast=590, valid=580)
    assert ru.turnout(bare) == Fraction(590, 1000)
    assert ru.to_dict(bare)["turnout"] == "issued-missing" and "not in this data" in ru.turnout_label(bare)
    assert ru.turnout(SimpleNamespace(registered=0, ballots_cast=0, valid=0, issued=0)) is None


HEAD = 'name = "x"\n'


@pytest.mark.parametrize(("text", "field", "message"), [
    (HEAD + 'kind = "poll"\n[lists]\nseats = 1\n', "kind", "kind must be one of"),
    (HEAD + 'kind = "candidate"\n[lists]\nseats = 1\n', "lists", "has no seats"),
    (HEAD + 'kind = "question"\n', "question", "yes and no"),
    (HEAD + 'kind = "question"\n[question]\nyes = "да"\nno = "ДА"\n', "question.no", "both yes and no"),
    (HEAD + 'kind = "question"\n[question]\nyes = []\nno = "нет"\n', "question.yes", "line's name"),
    (HEAD + 'kind = "candidate"\n[candidate]\nrunoff = 1\n', "candidate.runoff", ">= 2"),
    (HEAD + 'kind = "candidate"\n[candidate.majority]\nshare = 0.5\n', "candidate.majority.share", "string"),
    (HEAD + 'kind = "candidate"\n[candidate.majority]\nbase = "polls"\n', "candidate.majority.base", "base"),
    (HEAD + 'kind = "candidate"\n[question]\nyes = "a"\nno = "b"\n', "question", "belongs to kind"),
    (HEAD + '[lists]\nseats = 10\n[lists.coverage]\nshare = "60%"\n', "lists.coverage", "threshold"),
    (HEAD + '[lists]\nseats = 10\n[lists.threshold]\nshare = "7%"\n[lists.coverage]\nshare = "160%"\n',
     "lists.coverage.share", "outside"),
    (HEAD + '[lists]\nseats = 10\n[lists.threshold]\nshare = "7%"\n[lists.coverage]\nshare = "60%"\nmin_lists = -1\n',
     "lists.coverage.min_lists", ">= 0"),
    (HEAD + '[lists]\nseats = 10\n[lists.threshold]\nshare = "7%"\n[[lists.bands]]\nlower = "6%"\nupper = "5%"\n'
     'seats = 1\n', "lists.bands[0].upper", "below upper"),
    (HEAD + '[lists]\nseats = 10\n[lists.threshold]\nshare = "7%"\n[[lists.bands]]\nlower = "5%"\nupper = "6%"\n'
     'seats = 1\n[[lists.bands]]\nlower = "5.5%"\nupper = "7%"\nseats = 2\n', "lists.bands[1].lower", "overlap"),
    (HEAD + '[lists]\nseats = 10\n[lists.threshold]\nshare = "7%"\n[[lists.bands]]\nlower = "5%"\nupper = "6%"\n'
     'seats = 0\n', "lists.bands[0].seats", ">= 1"),
    (HEAD + '[definitions]\nturnout = "voted"\n[lists]\nseats = 1\n', "definitions.turnout", "turnout must be"),
    (HEAD + '[definitions]\nshare_base = "registered"\n[lists]\nseats = 1\n', "definitions.share_base",
     "share_base must be"),
])
def test_malformed_russian_ruleset_names_the_key(text: str, field: str, message: str) -> None:
    with pytest.raises(RulesetError, match=message) as info:
        parse_ruleset(text, source="bad.toml")
    assert info.value.field == field and info.value.source == "bad.toml"
    table = field.rsplit(".", 1)[-1].split("[")[0]
    assert (info.value.line is not None) == (table + " =" in text or f"{table}]" in text)

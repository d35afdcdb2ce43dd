"""The ``[candidate]`` and ``[question]`` tables of a ruleset, built into the engine's rules for them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from saylau.core import CandidateRule, Majority, QuestionRule
from saylau.core.thresholds import BASES
from saylau.core.ties import TIE_POLICIES
from saylau.rules.lists import share
from saylau.rules.locate import Fail, check_known
from saylau.rules.schema import CANDIDATE, MAJORITY, QUESTION

__all__ = ["build_candidate", "build_question"]


def build_candidate(raw: Any, fail: Fail) -> CandidateRule:
    check_known(raw, CANDIDATE, "candidate", fail)
    runoff = raw.get("runoff", 2)
    if isinstance(runoff, bool) or not isinstance(runoff, int) or runoff < 2:
        raise fail("runoff must be a whole number >= 2", "candidate", "runoff", runoff)
    ties = raw.get("ties", "registration")
    if ties not in TIE_POLICIES:
        raise fail(f"unknown tie policy; choose one of {', '.join(TIE_POLICIES)}", "candidate", "ties", ties)
    clause = raw.get("runoff_clause", "")
    if not isinstance(clause, str):
        raise fail("a clause reference must be a string", "candidate", "runoff_clause", clause)
    return CandidateRule(_majority(raw.get("majority", {}), "candidate.majority", fail), runoff, ties, clause)


def build_question(raw: Any, fail: Fail) -> QuestionRule:
    check_known(raw, QUESTION, "question", fail)
    names = {key: _names(raw, key, fail) for key in ("yes", "no")}
    if {n.casefold() for n in names["yes"]} & {n.casefold() for n in names["no"]}:
        raise fail("a name cannot be both yes and no", "question", "no", raw.get("no"))
    return QuestionRule(_majority(raw.get("majority", {}), "question.majority", fail), names["yes"], names["no"])


def _names(raw: Mapping[str, Any], key: str, fail: Fail) -> tuple[str, ...]:
    value = raw.get(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail("give the line's name, or a list of names", "question", key, value)
    return tuple(v.strip() for v in value)


def _majority(raw: Any, table: str, fail: Fail) -> Majority:
    check_known(raw, MAJORITY, table, fail)
    comparison = raw.get("comparison", ">")
    if comparison not in (">=", ">"):
        raise fail("comparison must be '>=' or '>'", table, "comparison", comparison)
    base = raw.get("base", "ballots_cast")
    if base not in BASES:
        raise fail(f"base must be one of {', '.join(BASES)}", table, "base", base)
    clause = raw.get("clause", "")
    if not isinstance(clause, str):
        raise fail("a clause reference must be a string", table, "clause", clause)
    return Majority(share(raw.get("share", "1/2"), table, "share", fail), comparison == ">=", base, clause)

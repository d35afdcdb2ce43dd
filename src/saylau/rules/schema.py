"""The ruleset file's grammar: the keys each table may hold.

The grammar (one file per ruleset, format 1)::

    name = "kz-mazhilis-2021"          # registry name: family-year
    family = "kz-mazhilis"             # rulesets of one body, chosen by date
    title = "..."                      # human title
    election_date = 2021-01-10         # the election it was written for
    in_force_from = 2009-02-09         # optional: first date it governs
    legal_basis = "..."                # the law, cited
    jurisdiction = "KZ"
    notes = "..."                      # optional
    kind = "lists"                     # lists (seats, the default) | candidate | question

    [definitions]                      # optional: how turnout and shares are computed (and labelled)
    turnout = "ballots_cast"           # ballots_cast | issued (early + in the premises + outside), over registered
    share_base = "valid"               # valid | ballots_cast (the ballots of voters who took part)

    [lists]                            # the party-list tier
    seats = 98                         # optional in generic rulesets (then given at use)
    method = "hare"                    # hare droop hagenbach-bischoff imperiali dhondt sainte-lague
                                       # modified-sainte-lague danish huntington-hill adams dean
    first_divisor = "1.4"              # modified-sainte-lague only
    ties = "registration"              # registration | lot | error
    exhaustion = "vacant"              # vacant | redistribute | error
    min_seats = 0
    max_seats = 10                     # optional

    [lists.threshold]                  # optional
    share = "7%"                       # or "0.07" or "1/150"; or votes = 5000
    comparison = ">="                  # >= | >
    base = "valid"                     # valid | ballots_cast | registered

    [lists.coverage]                   # optional: Russia's "the admitted lists hold more than 60%"
    share = "60%"
    comparison = ">"                   # > (more than, the default) | >=
    min_lists = 2                      # at least this many lists are admitted
    clause = "..."

    [[lists.bands]]                    # optional: seats for a share just below the threshold
    lower = "5%"                       # lower <= share < upper (of the threshold's base)
    upper = "6%"
    seats = 1
    clause = "..."

    [lists.runner_up]                  # optional: Kazakhstan's only-one-list clause
    factor = "0.7"
    min_seats = 2

    [lists.clauses]                    # legal references by topic
    seats = "..."                      # also method, threshold, ties, runner_up, exhaustion, no_list, bounds

    [[tiers]]                          # seats beside the list tier
    name = "Assembly of People"
    kind = "appointed"                 # appointed | plurality
    seats = 9
    body = "..."
    clause = "..."

A candidate election (``kind = "candidate"``) has no [lists] but::

    [candidate]
    runoff = 2                         # the leaders who go to a second round without a majority
    ties = "registration"              # a tie for a runoff place
    runoff_clause = "..."
    [candidate.majority]
    share = "1/2"                      # elected with more than half ...
    comparison = ">"
    base = "ballots_cast"              # ... of the ballots of voters who took part
    clause = "..."

and a question (``kind = "question"``)::

    [question]
    yes = ["ДА", "yes"]                # the names of the yes line (any of them, case aside)
    no = ["НЕТ", "no"]
    [question.majority]                # as for a candidate

Lines of kind ``against_all`` count in the base but are never candidates.

Numbers that decide seats are strings so that they stay exact. Every error
names the file, line and key.
"""

from __future__ import annotations

__all__ = ["BAND", "CANDIDATE", "CLAUSES", "COVERAGE", "DEFINITIONS", "FORMAT", "KINDS", "LISTS", "MAJORITY",
           "QUESTION", "RUNNER_UP", "THRESHOLD", "TIER", "TOP"]

FORMAT = 1

TOP = frozenset({"format", "name", "family", "title", "election_date", "in_force_from", "legal_basis",
                 "jurisdiction", "notes", "lists", "tiers", "kind", "candidate", "question", "definitions"})
KINDS = ("lists", "candidate", "question")
LISTS = frozenset({"seats", "method", "first_divisor", "ties", "exhaustion", "min_seats", "max_seats",
                   "threshold", "runner_up", "clauses", "name", "coverage", "bands"})
THRESHOLD = frozenset({"share", "votes", "comparison", "base", "clause"})
RUNNER_UP = frozenset({"factor", "min_seats", "clause"})
CLAUSES = frozenset({"seats", "method", "threshold", "ties", "runner_up", "exhaustion", "no_list", "bounds",
                     "coverage", "bands"})
COVERAGE = frozenset({"share", "comparison", "min_lists", "clause"})
BAND = frozenset({"lower", "upper", "seats", "clause"})
CANDIDATE = frozenset({"majority", "runoff", "ties", "runoff_clause"})
QUESTION = frozenset({"majority", "yes", "no"})
MAJORITY = frozenset({"share", "comparison", "base", "clause"})
DEFINITIONS = frozenset({"turnout", "share_base"})
TIER = frozenset({"name", "kind", "seats", "body", "clause"})

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

Numbers that decide seats are strings so that they stay exact. Every error
names the file, line and key.
"""

from __future__ import annotations

__all__ = ["CLAUSES", "FORMAT", "LISTS", "RUNNER_UP", "THRESHOLD", "TIER", "TOP"]

FORMAT = 1

TOP = frozenset({"format", "name", "family", "title", "election_date", "in_force_from", "legal_basis",
                 "jurisdiction", "notes", "lists", "tiers"})
LISTS = frozenset({"seats", "method", "first_divisor", "ties", "exhaustion", "min_seats", "max_seats",
                   "threshold", "runner_up", "clauses", "name"})
THRESHOLD = frozenset({"share", "votes", "comparison", "base", "clause"})
RUNNER_UP = frozenset({"factor", "min_seats", "clause"})
CLAUSES = frozenset({"seats", "method", "threshold", "ties", "runner_up", "exhaustion", "no_list", "bounds"})
TIER = frozenset({"name", "kind", "seats", "body", "clause"})

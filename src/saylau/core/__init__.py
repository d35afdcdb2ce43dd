"""The law made executable: exact seat allocation, standard library only.

Import from here: the submodules are implementation detail.
"""

from saylau.core.allocators import Apportionment, highest_averages, largest_remainder
from saylau.core.compose import allocate_system, normalise_parties
from saylau.core.divisors import DIVISOR_METHODS, DivisorMethod, modified_sainte_lague
from saylau.core.explain import Step
from saylau.core.numbers import decimal_str, fraction_str, parse_rational, parse_share, percent_str
from saylau.core.outcome import (
    CandidateOutcome,
    CandidateRule,
    Majority,
    QuestionOutcome,
    QuestionRule,
    decide_candidate,
    decide_question,
)
from saylau.core.quotas import QUOTAS, Quota
from saylau.core.result import Allocation, ListLine, Round, Totals
from saylau.core.system import (
    METHODS,
    Coverage,
    FixedTier,
    ListTier,
    Party,
    RunnerUp,
    ShareBand,
    System,
    method_family,
)
from saylau.core.thresholds import BASES, Threshold
from saylau.core.ties import TIE_POLICIES, TieBreak, TieBreaker

__all__ = [
    "BASES",
    "DIVISOR_METHODS",
    "METHODS",
    "QUOTAS",
    "TIE_POLICIES",
    "Allocation",
    "Apportionment",
    "CandidateOutcome",
    "CandidateRule",
    "Coverage",
    "DivisorMethod",
    "FixedTier",
    "ListLine",
    "ListTier",
    "Majority",
    "Party",
    "QuestionOutcome",
    "QuestionRule",
    "Quota",
    "Round",
    "RunnerUp",
    "ShareBand",
    "Step",
    "System",
    "Threshold",
    "TieBreak",
    "TieBreaker",
    "Totals",
    "allocate_system",
    "decide_candidate",
    "decide_question",
    "decimal_str",
    "fraction_str",
    "highest_averages",
    "largest_remainder",
    "method_family",
    "modified_sainte_lague",
    "normalise_parties",
    "parse_rational",
    "parse_share",
    "percent_str",
]

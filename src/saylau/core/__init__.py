"""The law made executable: exact seat allocation, standard library only.

Import from here: the submodules are implementation detail.
"""

from saylau.core.allocators import Apportionment, highest_averages, largest_remainder
from saylau.core.compose import allocate_system, normalise_parties
from saylau.core.divisors import DIVISOR_METHODS, DivisorMethod, modified_sainte_lague
from saylau.core.explain import Step
from saylau.core.numbers import decimal_str, fraction_str, parse_rational, parse_share, percent_str
from saylau.core.quotas import QUOTAS, Quota
from saylau.core.result import Allocation, ListLine, Round, Totals
from saylau.core.system import METHODS, FixedTier, ListTier, Party, RunnerUp, System, method_family
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
    "DivisorMethod",
    "FixedTier",
    "ListLine",
    "ListTier",
    "Party",
    "Quota",
    "Round",
    "RunnerUp",
    "Step",
    "System",
    "Threshold",
    "TieBreak",
    "TieBreaker",
    "Totals",
    "allocate_system",
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

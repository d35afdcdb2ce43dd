"""saylau: from an election's counts to its official result, exactly, explained.

>>> import saylau
>>> result = saylau.allocate({"A": 600, "B": 300, "C": 100}, "hare", seats=10)
>>> result.seats
{'A': 6, 'B': 3, 'C': 1}
"""

from importlib import metadata as _metadata

from saylau import frames as _frames  # noqa: F401  (installs the pandas converter behind .to_pandas())
from saylau.core import (
    METHODS,
    Allocation,
    FixedTier,
    ListTier,
    Party,
    RunnerUp,
    System,
    Threshold,
    allocate_system,
)
from saylau.engine import allocate, build_system
from saylau.errors import (
    AllocationError,
    InputError,
    MissingExtra,
    NoListPassed,
    ProtocolError,
    RulesetError,
    SaylauError,
    StorageError,
    TieUnresolved,
)
from saylau.rules import RULESETS, Ruleset, get_ruleset, load_ruleset, resolve_ruleset

try:
    __version__ = _metadata.version("saylau")
except _metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "METHODS",
    "RULESETS",
    "Allocation",
    "AllocationError",
    "FixedTier",
    "InputError",
    "ListTier",
    "MissingExtra",
    "NoListPassed",
    "Party",
    "ProtocolError",
    "Ruleset",
    "RulesetError",
    "RunnerUp",
    "SaylauError",
    "StorageError",
    "System",
    "Threshold",
    "TieUnresolved",
    "allocate",
    "allocate_system",
    "build_system",
    "get_ruleset",
    "load_ruleset",
    "resolve_ruleset",
]

"""saylau: from an election's counts to its official result, exactly, explained.

>>> import saylau
>>> result = saylau.allocate({"A": 600, "B": 300, "C": 100}, "hare", seats=10)
>>> result.seats
{'A': 6, 'B': 3, 'C': 1}
"""

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

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

if _TYPE_CHECKING:
    from saylau.engine import allocate, build_system
    from saylau.rules import RULESETS, Ruleset, get_ruleset, load_ruleset, resolve_ruleset

    __version__: str

# Imported when first asked for (``saylau.allocate``, ``from saylau import RULESETS``): a program that imports
# some other part of saylau (the CLI, to print its --help) does not load the engine and the rulesets with it.
_LAZY = {
    "allocate": "saylau.engine",
    "build_system": "saylau.engine",
    "RULESETS": "saylau.rules",
    "Ruleset": "saylau.rules",
    "get_ruleset": "saylau.rules",
    "load_ruleset": "saylau.rules",
    "resolve_ruleset": "saylau.rules",
}


def __getattr__(name: str) -> _Any:
    if name == "__version__":  # from the installed package's metadata (importlib.metadata is slow to import)
        from importlib import metadata

        try:
            value: _Any = metadata.version("saylau")
        except metadata.PackageNotFoundError:  # run from a source tree that was never installed
            value = "0+unknown"
    elif name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, "__version__"})


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

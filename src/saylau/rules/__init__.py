"""Electoral rulesets as dated, cited data, and the registry that resolves them."""

from saylau.rules.dump import dump_ruleset
from saylau.rules.parse import load_ruleset, parse_ruleset
from saylau.rules.registry import RULESETS, Registry, get_ruleset, resolve_ruleset, ruleset_for_date
from saylau.rules.ruleset import Ruleset
from saylau.rules.schema import FORMAT

__all__ = [
    "FORMAT",
    "RULESETS",
    "Registry",
    "Ruleset",
    "dump_ruleset",
    "get_ruleset",
    "load_ruleset",
    "parse_ruleset",
    "resolve_ruleset",
    "ruleset_for_date",
]

"""Electoral rulesets as dated, cited data, and the registry that resolves them."""

from saylau.rules.registry import RULESETS, Registry, get_ruleset, resolve_ruleset, ruleset_for_date
from saylau.rules.schema import FORMAT, Ruleset, dump_ruleset, load_ruleset, parse_ruleset

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

"""The seat engine's explanation in the reader's language.

English is the engine's own sentence (party codes replaced by names). Kazakh
and Russian are written from each step's code and values through the catalog
(``step.*`` messages), numbers in the language's format; a clause of the law is
shown where the names catalog has it in that language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from saylau.i18n import Catalog, catalog, decimal, number, percent
from saylau.i18n.names import body_name, clause_text
from saylau.report.model import Step

__all__ = ["note_text", "step_text"]


def step_text(step: Step, lang: str, names: Mapping[str, str]) -> tuple[str, str]:
    """``(text, clause)`` of one step in ``lang``; ``names`` maps party codes to the names shown."""
    clause = clause_text(step.clause, lang) or ""
    writer = _WRITERS.get(step.code)
    if lang == "en" or writer is None:
        text = step.text.strip()
        for code, name in sorted(names.items(), key=lambda kv: -len(kv[0])):
            text = re.sub(rf"(?<![\w-]){re.escape(code)}(?![\w-])", name, text)
        return text, clause
    return writer(catalog(lang), dict(step.values), lang, names), clause


def note_text(note: str, lang: str) -> str:
    return clause_text(note, lang) or note


def _dec(value: Any, lang: str, places: int = 4) -> str:
    if isinstance(value, str):  # a claim already written by the engine (``12.5``, ``≈3.1623``, ``∞``)
        approx = value.startswith("≈")
        core = value.removeprefix("≈")
        text = decimal(core, lang) if re.fullmatch(r"-?\d+(\.\d+)?", core) else core
        return ("≈" if approx else "") + text
    return decimal(Fraction(value), lang, places=places)


def _share(value: Fraction, lang: str) -> str:
    # Thresholds are round numbers (7%): written without trailing zeros, else to four places.
    scaled = value * 100
    for places in range(4):
        if (scaled * 10**places).denominator == 1:
            return percent(scaled, lang, places=places)
    return percent(scaled, lang, places=4)


def _rule(t: Catalog, v: dict[str, Any], lang: str) -> str:
    op = "≥" if v["inclusive"] else ">"
    if v["share"] is None:
        return t("step.rule.votes", op=op, votes=number(v["votes_min"], lang))
    return t("step.rule.share", op=op, share=_share(v["share"], lang), base=t[f"step.base.{v['base']}"])


def _totals(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    how = t["step.totals.given"] if v["valid_given"] else t["step.totals.summed"]
    parts = [t("step.totals.valid", valid=number(v["valid"], lang), how=how)]
    if v["ballots_cast"] is not None:
        parts.append(t("step.totals.ballots_cast", count=number(v["ballots_cast"], lang)))
    if v["registered"] is not None:
        parts.append(t("step.totals.registered", count=number(v["registered"], lang)))
    return t("step.totals", parts="; ".join(parts))


def _threshold_share(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return t("step.threshold_share", rule=_rule(t, v, lang), share=_share(v["share"], lang),
             base_total=number(v["base_total"], lang), line=_dec(v["line"], lang, 2),
             minimum=number(v["minimum"], lang))


def _threshold_votes(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return t("step.threshold_votes", rule=_rule(t, v, lang), minimum=number(v["minimum"], lang))


def _line_threshold(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    share = ""
    if v["share"] is not None:
        share = t("step.line_share", share=percent(v["share"] * 100, lang), base=t[f"step.base.{v['base']}"])
    return t("step.line_threshold", party=names.get(v["party"], v["party"]), votes=number(v["votes"], lang),
             share=share, verdict=t["step.passes"] if v["passed"] else t["step.fails"])


def _party_list(items: Any, names: Mapping[str, str]) -> str:
    return ", ".join(names.get(p, p) for p in items)


def _simple(key: str, **how: Callable[[Any, str, Mapping[str, str]], str]) -> Any:
    """A writer that fills ``step.<key>`` from the step's values, each through its formatter."""

    def write(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
        return t(f"step.{key}", **{name: fmt(v.get(name), lang, names) for name, fmt in how.items()})

    return write


def _n(value: Any, lang: str, names: Mapping[str, str]) -> str:
    return number(value, lang)


def _p(value: Any, lang: str, names: Mapping[str, str]) -> str:
    return names.get(value, value)


def _q(value: Any, lang: str, names: Mapping[str, str]) -> str:
    return _dec(value, lang)


def _tie(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    if v["policy"] == "lot":
        how = t("step.tie.lot", seed=str(v["seed"]), draw=_party_list(v["draw"], names))
    else:
        how = t["step.tie.registration"]
    return t("step.tie", seat=number(v["seat"], lang), lists=_party_list(v["lists"], names), how=how,
             winners=_party_list(v["winners"], names) or t["step.nobody"])


def _tier(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    key = "step.tier.plurality" if v["kind"] == "plurality" else "step.tier.appointed"
    return t(key, name=body_name(v["name"], lang), seats=number(v["seats"], lang),
             body=body_name(v["body"] or v["name"], lang))


def _result(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    won = ", ".join(f"{names.get(p, p)} {number(s, lang)}" for p, s in v["won"])
    return t("step.result", won=won, seats=number(v["seats"], lang))


def _bounds(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    held = ", ".join(t("step.held", party=names.get(p, p), why=t.get(f"step.why.{why}", why) or why,
                       count=number(count, lang)) for p, count, why in v["held"])
    return t("step.bounds", round=number(v["round"], lang), held=held, seats=number(v["seats"], lang))


def _quotient(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    weight = "" if v["weight"] is None else f" × {_dec(v['weight'], lang)}"
    return t("step.quotient", party=names.get(v["party"], v["party"]), votes=number(v["votes"], lang),
             quota=_dec(v["quota"], lang), weight=weight, quotient=_dec(v["quotient"], lang),
             integer=number(v["integer"], lang), remainder=_dec(v["remainder"], lang))


def _remainders_left(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    given = ", ".join(f"{names.get(p, p)} ({_dec(r, lang)})" + (f" {t('step.unfilled', count=number(extra, lang))}"
                                                               if extra > 0 else "") for p, r, extra in v["given"])
    return t("step.remainders_left", whole=number(v["whole"], lang), left=number(v["left"], lang), given=given)


def _last_seat(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    following = "" if v["next"] is None else t("step.next_claim", claim=_dec(v["next"], lang))
    return t("step.last_seat", last=_dec(v["last"], lang), following=following)


def _runner_up(t: Catalog, v: dict[str, Any], lang: str, names: Mapping[str, str]) -> str:
    return t("step.runner_up", leader=names.get(v["leader"], v["leader"]), runner=names.get(v["runner"], v["runner"]),
             seats=number(v["seats"], lang), factor=_dec(v["factor"], lang, 2), min_seats=number(v["min_seats"], lang))


def _text(value: Any, lang: str, names: Mapping[str, str]) -> str:
    return str(value)


def _names(value: Any, lang: str, names: Mapping[str, str]) -> str:
    return _party_list(value, names)


_WRITERS: dict[str, Callable[[Catalog, dict[str, Any], str, Mapping[str, str]], str]] = {
    "totals": _totals,
    "no_threshold": _simple("no_threshold"),
    "threshold_share": _threshold_share,
    "threshold_votes": _threshold_votes,
    "against_all": _simple("against_all", party=_p, votes=_n),
    "line_threshold": _line_threshold,
    "runner_up": _runner_up,
    "sole_list": _simple("sole_list", party=_p),
    "tie": _tie,
    "vacant": _simple("vacant", party=_p, won=_n, candidates=_n, vacant=_n),
    "tier": _tier,
    "result": _result,
    "bounds": _bounds,
    "quota": _simple("quota", label=_text, seats=_n, total=_n, quota=_q),
    "quotient": _quotient,
    "remainders_left": _remainders_left,
    "remainders_over": _simple("remainders_over", whole=_n, over=_n, back=_names),
    "remainders_exact": _simple("remainders_exact", whole=_n),
    "divisors": _simple("divisors", label=_text, sequence=_text, lists=_n, seats=_n),
    "award": _simple("award", seat=_n, party=_p, votes=_n, divisor=_text, claim=_q),
    "last_seat": _last_seat,
    "divisor_line": _simple("divisor_line", party=_p, votes=_n, seats=_n),
}

"""What turnout and a share are, as the ruleset defines them, and what to call them where they are shown.

Commissions define these differently. Russia's CEC publishes turnout as the
ballots issued (early, in the premises and outside) over registered voters,
and every share (and the threshold) over the ballots of voters who took part
(valid + invalid ballots found in the boxes); Kazakhstan's CEC publishes shares
of valid votes. Results, reports, web pages, NIST export and forensics all ask
:meth:`Definitions.turnout` and :meth:`Definitions.share` so that they agree,
and show :meth:`Definitions.label` beside the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Protocol

__all__ = ["DEFAULT", "SHARE_BASES", "TURNOUTS", "Counts", "Definitions", "ShareBase", "Turnout"]

Turnout = Literal["ballots_cast", "issued"]
ShareBase = Literal["valid", "ballots_cast"]
TURNOUTS: tuple[Turnout, ...] = ("ballots_cast", "issued")
SHARE_BASES: tuple[ShareBase, ...] = ("valid", "ballots_cast")

# Reader-facing labels, in every language saylau publishes (kk, ru, en).
_TURNOUT_LABELS: dict[str, dict[str, str]] = {
    "ballots_cast": {
        "en": "turnout: ballots cast over registered voters",
        "ru": "явка: число бюллетеней в ящиках к числу избирателей в списке",
        "kk": "сайлаушылардың келуі: жәшіктердегі бюллетеньдердің тізімдегі сайлаушылар санына қатынасы",
    },
    "issued": {
        "en": "turnout: ballots issued (early, in the premises and outside) over registered voters",
        "ru": "явка: число выданных бюллетеней (досрочно, в помещении и вне помещения) "
              "к числу избирателей в списке",
        "kk": "сайлаушылардың келуі: берілген бюллетеньдер (мерзімінен бұрын, үй-жайда және одан тыс) "
              "тізімдегі сайлаушылар санына қатынасы",
    },
    "issued-missing": {
        "en": "turnout: ballots cast over registered voters (ballots issued are not in this data)",
        "ru": "явка: число бюллетеней в ящиках к числу избирателей в списке (числа выданных бюллетеней "
              "нет в этих данных)",
        "kk": "сайлаушылардың келуі: жәшіктердегі бюллетеньдердің тізімдегі сайлаушылар санына қатынасы "
              "(берілген бюллетеньдер саны бұл деректерде жоқ)",
    },
}
_SHARE_LABELS: dict[str, dict[str, str]] = {
    "valid": {
        "en": "% of valid votes",
        "ru": "% от действительных голосов",
        "kk": "жарамды дауыстардың %",
    },
    "ballots_cast": {
        "en": "% of voters who took part (valid + invalid ballots)",
        "ru": "% от числа избирателей, принявших участие в голосовании (действительные + недействительные)",
        "kk": "дауыс беруге қатысқан сайлаушылардың % (жарамды + жарамсыз бюллетеньдер)",
    },
}


class Counts(Protocol):
    """The totals a unit carries (a :class:`~saylau.tabulate.model.UnitCounts`, or anything shaped so)."""

    @property
    def registered(self) -> int | None: ...
    @property
    def ballots_cast(self) -> int | None: ...
    @property
    def valid(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Definitions:
    """How turnout and shares are computed under one ruleset."""

    turnout_count: Turnout = "ballots_cast"
    """The turnout's numerator (its denominator is always registered voters)."""
    share_base: ShareBase = "valid"
    """What every share (and the threshold, for the Russian rulesets) is a share of."""

    def __post_init__(self) -> None:
        if self.turnout_count not in TURNOUTS:
            raise ValueError(f"turnout must be one of {', '.join(TURNOUTS)}, not {self.turnout_count!r}")
        if self.share_base not in SHARE_BASES:
            raise ValueError(f"share_base must be one of {', '.join(SHARE_BASES)}, not {self.share_base!r}")

    def turnout_numerator(self, unit: Counts) -> tuple[Turnout | Literal["issued-missing"], int | None]:
        """Which count the turnout of ``unit`` is made of, and that count.

        A unit that does not carry ballots issued (``issued`` absent or None)
        falls back to ballots cast, and says so: ``"issued-missing"``.
        """
        if self.turnout_count == "issued":
            issued = getattr(unit, "issued", None)
            if issued is not None:
                return "issued", issued
            return "issued-missing", unit.ballots_cast
        return "ballots_cast", unit.ballots_cast

    def turnout(self, unit: Counts) -> Fraction | None:
        """Turnout of ``unit`` as an exact fraction, or None where a count is unknown or nobody is registered."""
        _, count = self.turnout_numerator(unit)
        if count is None or not unit.registered:
            return None
        return Fraction(count, unit.registered)

    def base(self, unit: Counts) -> int | None:
        """The share base of ``unit``: valid votes, or the ballots of voters who took part (valid + invalid)."""
        return unit.valid if self.share_base == "valid" else unit.ballots_cast

    def share(self, votes: int, unit: Counts) -> Fraction | None:
        """``votes`` as an exact share of the base of ``unit`` (None when the base is unknown or zero)."""
        base = self.base(unit)
        return Fraction(votes, base) if base else None

    def turnout_label(self, unit: Counts | None = None, language: str = "en") -> str:
        """What the turnout shown for ``unit`` is, in ``language`` (kk, ru or en)."""
        kind = self.turnout_count if unit is None else self.turnout_numerator(unit)[0]
        labels = _TURNOUT_LABELS[kind]
        return labels.get(language, labels["en"])

    def share_label(self, language: str = "en") -> str:
        """What the shares shown are shares of, in ``language`` (kk, ru or en)."""
        labels = _SHARE_LABELS[self.share_base]
        return labels.get(language, labels["en"])

    def to_dict(self, unit: Counts | None = None) -> dict[str, str]:
        """The definitions as named in JSON output (English labels; the keys are stable)."""
        kind = self.turnout_count if unit is None else self.turnout_numerator(unit)[0]
        return {"turnout": kind, "turnout_label": self.turnout_label(unit),
                "share_base": self.share_base, "share_label": self.share_label()}


DEFAULT = Definitions()
"""Turnout as ballots cast over registered voters; shares of valid votes (saylau's behaviour before definitions)."""

"""The report model: everything a published result shows, computed once, rendered per format.

``build_report`` reads an :class:`~saylau.tabulate.model.ElectionData`, asks
the engine for the seats and returns a frozen :class:`Report` of plain values.
Renderers (HTML, Markdown, CSV, JSON) only lay these values out; percentages
are exact (half-up from fractions) and already formatted here, so every format
prints the same digits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saylau.core import Allocation, Party, System, percent_str
from saylau.engine import allocate
from saylau.errors import AllocationError, InputError, RulesetError
from saylau.rules import Ruleset, resolve_ruleset
from saylau.rules.definitions import DEFAULT, Definitions
from saylau.tabulate.model import ElectionData, PartyInfo, UnitCounts
from saylau.tabulate.outcome import decide_unit, outcome_record

__all__ = [
    "AppointedRow",
    "Difference",
    "PartyRow",
    "Provenance",
    "RegionRow",
    "Report",
    "Step",
    "TotalsBlock",
    "build_report",
    "percent_text",
]

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
FALLBACK_COLOR = "#888888"


@dataclass(frozen=True, slots=True)
class PartyRow:
    """One ballot line of the national table."""

    code: str
    name: str
    color: str
    kind: str
    votes: int
    percent: str
    """Share of the ruleset's base (valid votes by default; the voters who took part under the Russian
    rulesets), two decimals, half-up; ``n/a`` when the base is zero or unknown."""
    valid: int
    """The base the share is of (valid votes by default): the exact share is ``votes / valid``."""
    admitted: bool | None
    seats: int | None
    """Filled seats; None when the report has no seats (or the line cannot win any)."""
    vacant: int
    previous_seats: int | None
    change: int | None
    """Seats minus previous seats; None when either is unknown or the bases are not comparable."""
    names: Mapping[str, str] = field(default_factory=dict)
    """The party's own names by language (``kk``, ``ru``) where the election gives them."""


@dataclass(frozen=True, slots=True)
class AppointedRow:
    """Seats not taken from these votes (appointed by a body, or single-member districts)."""

    key: str
    name: str
    seats: int
    kind: str
    body: str


@dataclass(frozen=True, slots=True)
class Difference:
    """A party whose computed seats differ from the officially declared ones."""

    code: str
    name: str
    seats: int
    declared: int


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the figures come from and when they were exported: what a printed result must say."""

    source: str
    """``official`` (the published official tables) or ``protocols`` (polling-station protocols tabulated here)."""
    status: str
    stations_reported: int | None
    stations_total: int | None
    exported_at: str
    """ISO 8601 UTC time the report was built."""
    version: str
    """The saylau version that built it."""
    ruleset: str | None


@dataclass(frozen=True, slots=True)
class TotalsBlock:
    valid: int
    invalid: int | None
    ballots_cast: int | None
    registered: int | None
    turnout: str | None
    """Turnout in percent, two decimals, half-up, as the ruleset defines it (see ``turnout_label``)."""
    stations_reported: int | None
    stations_total: int | None
    issued: int | None = None
    """Ballots issued, where known (the Russian CEC's turnout count)."""
    turnout_label: str = ""
    """What the turnout is, in words (ballots cast, or ballots issued, over registered voters)."""


@dataclass(frozen=True, slots=True)
class RegionRow:
    unit_id: str
    name: str
    kind: str
    valid: int
    votes: tuple[int, ...]
    """Votes in the order of :attr:`Report.region_parties`."""
    percents: tuple[str, ...]
    synthetic: bool


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the engine's explanation and the clause it applies."""

    topic: str
    clause: str
    text: str
    code: str = ""
    """What kind of step it is (``quota``, ``quotient``, ...): with ``values`` it is written in any language."""
    values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """A published result as plain values; see the module docstring."""

    election_id: str
    title: str
    nation: str
    """Name of the unit the national table counts (``Kazakhstan``)."""
    date: str | None
    status: str
    ruleset: str | None
    previous: str | None
    """The previous election: its year where it could be read, else its id."""
    parties: tuple[PartyRow, ...]
    totals: TotalsBlock
    has_seats: bool
    seats_note: str
    """Why the table has no seats (empty when it has them)."""
    list_seats: int | None
    appointed: tuple[AppointedRow, ...]
    total_seats: int | None
    official_check: str
    """How the seats compare with the officially declared ones (empty when none are declared)."""
    official_differences: tuple[Difference, ...]
    """The parties whose seats differ from the declared ones (empty when they match or none are declared)."""
    seats_reason: str
    """Why there are no seats, as a catalog key (``no_ruleset``, ``no_result``, ``unusable_rules``); empty with seats."""
    change_comparable: bool
    """Whether the previous election's seats are comparable (the same list seats to fill): the change column."""
    provenance: Provenance
    region_parties: tuple[str, ...]
    regions: tuple[RegionRow, ...]
    explanation: tuple[Step, ...]
    notes: tuple[str, ...]
    synthetic: bool
    synthetic_units: int
    units: int
    kind: str = "lists"
    """``lists`` (seats), ``candidate`` or ``question``: what the ruleset decides."""
    outcome: Mapping[str, Any] | None = None
    """A candidate election's ``{"elected": NAME}`` or ``{"runoff": [A, B]}``; a question's
    ``{"approved": ..., "yes_share": ..., "yes": ..., "no": ..., "base": ...}`` (see
    :func:`saylau.tabulate.outcome.outcome_record`)."""
    share_label: str = DEFAULT.share_label()
    labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """The turnout's and the shares' definitions in each language: ``{"ru": (turnout, shares)}``."""
    """What every percentage of the party table is a share of."""

    @property
    def shares_of_valid(self) -> bool:
        """Whether the party table's percentages are of valid votes (they then add up to 100%)."""
        return self.share_label == DEFAULT.share_label()

    @property
    def has_change(self) -> bool:
        """Whether the change column is shown: comparable previous seats are known for some party."""
        return self.change_comparable and any(p.previous_seats is not None for p in self.parties)

    def party(self, code: str) -> PartyRow:
        for row in self.parties:
            if row.code == code:
                return row
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the whole report (numbers as numbers, null as null)."""
        from saylau.report.export import report_record

        return report_record(self)


def percent_text(part: int, whole: int | None) -> str:
    """``part`` as a percentage of ``whole``, two decimals, half-up; ``n/a`` without a whole."""
    return percent_str(part, whole) or "n/a"


def _color(value: str) -> str:
    # Colours reach SVG attributes and CSS: only plain hex colours pass.
    return value if _COLOR.match(value or "") else FALLBACK_COLOR


def build_report(
    data: ElectionData,
    *,
    rules: str | Path | Ruleset | System | None = None,
    options: Mapping[str, Any] | None = None,
    previous: ElectionData | None = None,
    seed: int | str | None = None,
    definitions: Definitions | None = None,
    exported_at: dt.datetime | None = None,
) -> Report:
    """The report of ``data``; seats come from the engine under ``rules`` (default: the election's ruleset).

    ``options`` are ad hoc system options laid over the ruleset (as
    :func:`saylau.engine.allocate` takes them). A ruleset given here that
    cannot be used raises; the election's own ruleset missing or giving no
    result leaves the report without seats, saying why. ``previous`` supplies
    the previous election's declared seats where the parties do not carry them.
    ``definitions`` overrides the ruleset's turnout and share definitions (a
    unit's page, counted without the national ruleset, keeps the election's).
    """
    nation = data.nation
    ruleset = _ruleset(rules if rules is not None else data.info.ruleset)
    if definitions is None:
        definitions = ruleset.definitions if ruleset is not None else DEFAULT
    outcome: Mapping[str, Any] | None = None
    if ruleset is not None and not ruleset.has_seats:
        allocation, seats_note, seats_reason = None, f"a {ruleset.kind} election has no seats", "outcome"
        outcome = outcome_record(decide_unit(ruleset, data, nation, seed=seed), data)
    else:
        allocation, seats_note, seats_reason = _allocation(data, nation, rules, options or {}, seed)
    previous_seats = _previous_seats(data.parties, previous)
    base = definitions.base(nation)
    # A change of seats means something only against a house of the same number of list seats.
    comparable = (allocation is not None and bool(previous_seats)
                  and sum(previous_seats.values()) == allocation.house)
    rows = [_party_row(p, nation, allocation, previous_seats.get(p.code), base, comparable) for p in data.parties]
    # A printed result lists parties by votes (ties in ballot order); against-all lines come last.
    order = {p.code: i for i, p in enumerate(data.parties)}
    parties = tuple(sorted(rows, key=lambda r: (r.kind != "list", -r.votes, order[r.code])))
    appointed: tuple[AppointedRow, ...] = ()
    list_seats = total_seats = None
    explanation: tuple[Step, ...] = ()
    notes: tuple[str, ...] = ()
    if allocation is not None:
        appointed = tuple(AppointedRow(f"tier-{i}", t.name, t.seats, t.kind, t.body)
                          for i, t in enumerate(allocation.system.tiers, start=1))
        list_seats = allocation.house
        total_seats = allocation.total_seats
        explanation = tuple(Step(s.topic, s.clause, s.text, s.code, s.values) for s in allocation.steps)
        notes = tuple(allocation.notes)
    regions = tuple(u for u in data.children(nation.unit_id) if u.level == "region")
    region_parties = tuple(p.code for p in parties) if regions else ()
    synthetic_units = sum(1 for u in data.units if u.synthetic)
    ruleset_name = allocation.system.name if allocation is not None else (
        str(rules) if isinstance(rules, str | Path) else data.info.ruleset)
    below_region = any(u.level in ("territory", "station") for u in data.units)
    when = (exported_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    return Report(
        election_id=data.info.id,
        title=data.info.title,
        nation=nation.name,
        date=data.info.date.isoformat() if data.info.date else None,
        status=data.info.status,
        ruleset=ruleset_name,
        previous=_previous_label(data, previous),
        parties=parties,
        totals=TotalsBlock(
            valid=nation.valid,
            invalid=nation.invalid,
            ballots_cast=nation.ballots_cast,
            registered=nation.registered,
            turnout=_turnout(definitions, nation),
            stations_reported=nation.stations_reported,
            stations_total=nation.stations_total,
            issued=nation.issued,
            turnout_label=definitions.turnout_label(nation),
        ),
        has_seats=allocation is not None,
        seats_note=seats_note,
        list_seats=list_seats,
        appointed=appointed,
        total_seats=total_seats,
        official_check=_official_check(data, allocation),
        official_differences=_differences(data, allocation),
        seats_reason=seats_reason,
        change_comparable=comparable,
        provenance=Provenance(
            source="protocols" if below_region or synthetic_units or data.info.status != "certified" else "official",
            status=data.info.status,
            stations_reported=nation.stations_reported,
            stations_total=nation.stations_total,
            exported_at=when.isoformat(),
            version=_version(),
            ruleset=ruleset_name,
        ),
        region_parties=region_parties,
        regions=tuple(_region_row(u, region_parties) for u in regions),
        explanation=explanation,
        notes=notes,
        synthetic=synthetic_units > 0,
        synthetic_units=synthetic_units,
        units=len(data.units),
        kind=ruleset.kind if ruleset is not None else "lists",
        outcome=outcome,
        share_label=definitions.share_label(),
        labels={lang: (definitions.turnout_label(nation, lang), definitions.share_label(lang))
                for lang in ("en", "kk", "ru")},
    )


def _ruleset(rules: str | Path | Ruleset | System | None) -> Ruleset | None:
    """The ruleset behind ``rules`` (its kind and definitions), or None for an ad hoc system or an unknown name."""
    if rules is None or isinstance(rules, System):
        return None
    try:
        return resolve_ruleset(rules)
    except RulesetError:
        return None  # _allocation reports an unusable ruleset where it matters


def _turnout(definitions: Definitions, unit: UnitCounts) -> str | None:
    _, count = definitions.turnout_numerator(unit)
    return percent_text(count, unit.registered) if count is not None and unit.registered else None


def _allocation(
    data: ElectionData,
    nation: UnitCounts,
    rules: str | Path | Ruleset | System | None,
    options: Mapping[str, Any],
    seed: int | str | None,
) -> tuple[Allocation | None, str, str]:
    given = rules is not None or options.get("seats") is not None
    chosen = rules if rules is not None else data.info.ruleset
    if chosen is None and not given:
        return None, "no ruleset is known for this election, so no seats are shown", "no_ruleset"
    lines = [Party(p.code, nation.votes.get(p.code, 0), p.kind, p.registration_order, p.candidates)
             for p in data.parties]
    try:
        allocation = allocate(lines, chosen, valid=nation.valid, ballots_cast=nation.ballots_cast,
                              registered=nation.registered, seed=seed, source=data.info.id,
                              **{k: v for k, v in options.items() if v is not None})
    except AllocationError as exc:
        return None, f"the rules give no seats for these votes: {exc}", "no_result"
    except InputError as exc:
        if given:
            raise
        return None, f"no seats: {exc}", "unusable_rules"
    return allocation, "", ""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("saylau")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _previous_label(data: ElectionData, previous: ElectionData | None) -> str | None:
    if previous is None:
        return data.info.previous
    return str(previous.info.date.year) if previous.info.date else previous.info.title


def _previous_seats(parties: tuple[PartyInfo, ...], previous: ElectionData | None) -> dict[str, int]:
    known = {p.code: p.previous_seats for p in parties if p.previous_seats is not None}
    if previous is not None:
        for code, seats in previous.info.official_seats.items():
            known.setdefault(code, seats)
    return known


def _party_row(party: PartyInfo, nation: UnitCounts, allocation: Allocation | None,
               previous: int | None, base: int | None, comparable: bool) -> PartyRow:
    votes = nation.votes.get(party.code, 0)
    seats = admitted = None
    vacant = 0
    if allocation is not None:
        line = allocation.line(party.code)
        admitted = line.admitted
        vacant = line.vacant
        if line.kind == "list":
            seats = line.seats
    return PartyRow(
        code=party.code,
        name=party.name,
        color=_color(party.color),
        kind=party.kind,
        votes=votes,
        percent=percent_text(votes, base),
        valid=base or 0,
        admitted=admitted,
        seats=seats,
        vacant=vacant,
        previous_seats=previous,
        change=None if seats is None or previous is None or not comparable else seats - previous,
        names={k: v for k, v in party.names.items() if k != "en"},
    )


def _region_row(unit: UnitCounts, codes: tuple[str, ...]) -> RegionRow:
    votes = tuple(unit.votes.get(code, 0) for code in codes)
    return RegionRow(
        unit_id=unit.unit_id,
        name=unit.name,
        kind=unit.kind or unit.level,
        valid=unit.valid,
        votes=votes,
        percents=tuple(percent_text(v, unit.valid) for v in votes),
        synthetic=unit.synthetic,
    )


def _official_check(data: ElectionData, allocation: Allocation | None) -> str:
    official = data.info.official_seats
    if not official or allocation is None:
        return ""
    differ = [f"{code} {allocation.seats.get(code, 0)} (declared {seats})"
              for code, seats in official.items() if allocation.seats.get(code, 0) != seats]
    if differ:
        return "differs from the officially declared seats: " + ", ".join(differ)
    return "matches the officially declared seats"


def _differences(data: ElectionData, allocation: Allocation | None) -> tuple[Difference, ...]:
    if allocation is None:
        return ()
    names = {p.code: p.name for p in data.parties}
    return tuple(Difference(code, names.get(code, code), allocation.seats.get(code, 0), seats)
                 for code, seats in data.info.official_seats.items() if allocation.seats.get(code, 0) != seats)

"""What each official document states, as plain exact values, and the hash that seals it.

A document model is built from a stored election (and, for the seat
protocol, the engine's :class:`~saylau.core.Allocation`) and holds only
figures and names: integers, exact fractions, dates, and names in every
language. Renderers lay a model out in one language; the wording is theirs.

**The hash.** ``digest(model)`` is the SHA-256, in lower-case hex, of
``canonical_json(model)``: the model as JSON with keys sorted, no
whitespace (separators ``,`` and ``:``), non-ASCII characters kept as UTF-8,
fractions written ``"numerator/denominator"`` in lowest terms, dates
``YYYY-MM-DD``. The JSON carries names in kk, ru and en and no wording, so
the Kazakh, Russian and English renderings of one document carry the same
hash: it certifies the figures, whatever the language. The renderer attaches
these exact bytes to the PDF as ``figures.json``, so anyone can recompute the
hash with ``sha256sum`` after extracting it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from saylau.core import Allocation
from saylau.i18n.names import body_name, party_name, place_name
from saylau.protocols.expr import PARTIES, LinearExpr
from saylau.protocols.form import Form
from saylau.protocols.model import StationProtocol
from saylau.tabulate.model import ElectionData, PartyInfo

__all__ = [
    "FORMAT",
    "Appointed",
    "FormLine",
    "ListResult",
    "Quota",
    "RegionResult",
    "ResultsSummary",
    "RunnerUp",
    "SeatProtocol",
    "StationProtocolDocument",
    "ThresholdTest",
    "TieDecision",
    "canonical_json",
    "digest",
    "results_summary",
    "seat_protocol",
    "station_protocol",
]

FORMAT = 1
"""Version of the figures' layout; part of the hashed JSON, raised when the layout changes."""

Names = Mapping[str, str]
LANGUAGES = ("kk", "ru", "en")
"""Every name in a model is given in each of these (the hash then covers all three)."""


@dataclass(frozen=True, slots=True)
class ListResult:
    """One ballot line of the seat protocol."""

    code: str
    names: Names
    ballot_no: int
    kind: str
    votes: int
    admission: str
    """How the engine admitted the list (``threshold``, ``runner-up``, ``below threshold``, ...)."""
    admitted: bool
    """Took part in the division of seats."""
    quotient: Fraction | None
    whole_seats: int | None
    remainder: Fraction | None
    remainder_seats: int
    seats_won: int
    seats: int
    candidates: int | None

    @property
    def vacant(self) -> int:
        return self.seats_won - self.seats


@dataclass(frozen=True, slots=True)
class ThresholdTest:
    share: Fraction | None
    """The share of the base a list needs (7/100), or None for an absolute number of votes."""
    inclusive: bool
    """``>=`` (the law's "seven and more percent") when True, ``>`` when False."""
    base: str
    """``valid``, ``ballots_cast`` or ``registered``."""
    base_votes: int | None
    line: Fraction | None
    """share × base: the exact number of votes the comparison is made against."""
    minimum_votes: int
    """The fewest whole votes that pass."""


@dataclass(frozen=True, slots=True)
class Quota:
    votes: int
    """The numerator as the law computes it: the votes of the admitted lists (Hare)."""
    seats: int
    """The denominator: the seats to distribute (Hare)."""
    value: Fraction
    method: str


@dataclass(frozen=True, slots=True)
class TieDecision:
    stage: str
    seat: int
    seats: int
    lists: tuple[str, ...]
    winners: tuple[str, ...]
    policy: str
    seed: str | None
    draw: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunnerUp:
    leader: str
    runner: str
    factor: Fraction
    minimum: int


@dataclass(frozen=True, slots=True)
class Appointed:
    """Seats not taken from the votes: appointed by a body or won in single-member districts."""

    names: Names
    """The body's (or tier's) name by language."""
    kind: str
    seats: int


@dataclass(frozen=True, slots=True)
class SeatProtocol:
    """The protocol on the distribution of seats: the legal act declaring a party-list result."""

    election: str
    country: str
    family: str
    """The ruleset family (``kz-mazhilis``): picks the title's wording."""
    date: dt.date | None
    status: str
    synthetic: bool
    registered: int | None
    ballots_cast: int | None
    valid: int
    invalid: int | None
    method: str
    threshold: ThresholdTest | None
    quota: Quota | None
    lists: tuple[ListResult, ...]
    list_seats: int
    appointed: tuple[Appointed, ...]
    total_seats: int
    runner_up: RunnerUp | None
    ties: tuple[TieDecision, ...]
    kind: str = "seat-protocol"

    def line(self, code: str) -> ListResult:
        return next(x for x in self.lists if x.code == code)


@dataclass(frozen=True, slots=True)
class FormLine:
    """One numbered line of a station protocol; ``value`` None on a blank form."""

    number: int
    key: str
    labels: Names
    value: int | None
    party: bool


@dataclass(frozen=True, slots=True)
class StationProtocolDocument:
    election: str
    country: str
    family: str
    date: dt.date | None
    form: str
    station: str
    region: Names | None
    territory: Names | None
    lines: tuple[FormLine, ...]
    relations: tuple[str, ...]
    """Each control relation in line numbers: ``6 = 7 + 8``."""
    choices: str
    """What the ballot offers: ``parties``, ``candidates`` or ``answers`` (the form's ``choices``)."""
    blank: bool
    synthetic: bool
    kind: str = "station-protocol"


@dataclass(frozen=True, slots=True)
class RegionResult:
    unit: str
    names: Names
    valid: int
    votes: tuple[int, ...]
    """In the order of :attr:`ResultsSummary.parties`."""
    synthetic: bool


@dataclass(frozen=True, slots=True)
class PartyResult:
    code: str
    names: Names
    ballot_no: int
    votes: int
    seats: int | None


@dataclass(frozen=True, slots=True)
class ResultsSummary:
    election: str
    country: str
    family: str
    date: dt.date | None
    status: str
    synthetic: bool
    registered: int | None
    ballots_cast: int | None
    valid: int
    invalid: int | None
    stations_reported: int | None
    stations_total: int | None
    parties: tuple[PartyResult, ...]
    list_seats: int | None
    appointed: tuple[Appointed, ...]
    total_seats: int | None
    regions: tuple[RegionResult, ...]
    kind: str = "results-summary"


Document = SeatProtocol | StationProtocolDocument | ResultsSummary


# -- the hash ------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    raise TypeError(f"cannot put {type(value).__name__} in a document's figures")


def canonical_json(document: Document) -> bytes:
    """The figures a document states, as the exact bytes its hash is taken over (see the module docstring)."""
    body = {"format": FORMAT, "document": _plain(document)}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(document: Document) -> str:
    """SHA-256 (hex) of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(document)).hexdigest()


# -- building the models -------------------------------------------------------------------------------


def _family(ruleset: str | None) -> str:
    """``kz-mazhilis-2021`` → ``kz-mazhilis`` (the part before a trailing year)."""
    return re.sub(r"-\d{4}$", "", ruleset or "")


def _party_names(party: PartyInfo) -> dict[str, str]:
    return {lang: party_name(party.name, lang, dict(party.names)) for lang in LANGUAGES}


def _unit_names(name: str) -> dict[str, str]:
    return {lang: place_name(name, lang) for lang in LANGUAGES}


def _appointed(allocation: Allocation) -> tuple[Appointed, ...]:
    return tuple(Appointed({lang: body_name(tier.name, lang) for lang in LANGUAGES}, tier.kind, tier.seats)
                 for tier in allocation.system.tiers)


def seat_protocol(data: ElectionData, allocation: Allocation) -> SeatProtocol:
    """The seat protocol of ``data``'s nation under ``allocation`` (party-list seats)."""
    nation = data.nation
    country = data.info.country
    tier = allocation.system.lists
    lists = []
    for line in allocation.lines:
        party = data.party(line.party)
        lists.append(ListResult(
            code=line.party, names=_party_names(party), ballot_no=line.registration_order, kind=line.kind,
            votes=line.votes, admission=line.admission, admitted=line.admitted, quotient=line.quotient, whole_seats=line.integer_part,
            remainder=line.remainder, remainder_seats=line.remainder_seats, seats_won=line.seats_won,
            seats=line.seats, candidates=line.candidates))
    threshold = None
    if tier.threshold is not None:
        t = tier.threshold
        base = allocation.threshold_base
        line_votes = t.share * base if t.share is not None and base is not None else None
        threshold = ThresholdTest(t.share, t.inclusive, t.base, base, line_votes,
                                  t.minimum_votes(base or 0))
    quota = None
    last = allocation.rounds[-1].apportionment if allocation.rounds else None
    if last is not None and last.quota_ratio is not None:
        quota = Quota(last.quota_ratio[0], last.quota_ratio[1], Fraction(*last.quota_ratio), tier.method)
    runner = None
    if allocation.runner_up is not None and tier.runner_up is not None:
        leader = next(x.party for x in allocation.lines if x.passed)
        runner = RunnerUp(leader, allocation.runner_up, tier.runner_up.factor, tier.runner_up.min_seats)
    ties = tuple(TieDecision(t.stage, t.seat, t.seats, tuple(t.lists), tuple(t.winners), t.policy,
                             None if t.seed is None else str(t.seed), tuple(t.draw)) for t in allocation.ties)
    return SeatProtocol(
        election=data.info.id, country=country, family=_family(allocation.system.name or data.info.ruleset),
        date=data.info.date, status=data.info.status, synthetic=any(u.synthetic for u in data.units),
        registered=nation.registered, ballots_cast=nation.ballots_cast, valid=nation.valid, invalid=nation.invalid,
        method=tier.method, threshold=threshold, quota=quota, lists=tuple(lists), list_seats=tier.seats,
        appointed=_appointed(allocation), total_seats=allocation.total_seats, runner_up=runner, ties=ties)


def _relation_text(expr: LinearExpr, numbers: Mapping[str, int], party_span: str) -> str:
    parts: list[str] = []
    for key, coefficient in expr.terms:
        term = party_span if key == PARTIES else str(numbers[key])
        magnitude = abs(coefficient)
        term = term if magnitude == 1 else f"{magnitude}×{term}"
        if parts:
            parts.append(("− " if coefficient < 0 else "+ ") + term)
        else:
            parts.append(("−" if coefficient < 0 else "") + term)
    return " ".join(parts) if parts else "0"


def station_protocol(data: ElectionData, form: Form, station: str, *, region: str | None = None,
                     territory: str | None = None, protocol: StationProtocol | None = None) -> StationProtocolDocument:
    """A station's protocol in the form's lines and ballot order: filled from ``protocol``, or blank without one."""
    country = data.info.country
    lines = [FormLine(line.number, line.key, {lang: line.label(lang) for lang in LANGUAGES},
                      None if protocol is None else protocol.lines.get(line.key), False) for line in form.lines]
    first = form.first_party_line or (max(line.number for line in form.lines) + 1)
    parties = sorted(data.parties, key=lambda p: p.registration_order)
    for i, party in enumerate(parties):
        lines.append(FormLine(first + i, party.code, _party_names(party),
                              None if protocol is None else protocol.votes.get(party.code, 0), True))
    numbers = {line.key: line.number for line in lines}
    span = f"Σ({first}…{first + len(parties) - 1})" if len(parties) > 1 else str(first)
    relations = tuple(f"{_relation_text(r.left, numbers, span)} {_OPERATOR[r.operator]} "
                      f"{_relation_text(r.right, numbers, span)}" for r in form.relations)
    region = region if region is not None else (protocol.region if protocol is not None else None)
    territory = territory if territory is not None else (protocol.territory if protocol is not None else None)
    return StationProtocolDocument(
        election=data.info.id, country=country, family=_family(data.info.ruleset or form.name), date=data.info.date,
        form=form.name, station=station, region=_unit_names(region) if region else None,
        territory=_unit_names(territory) if territory else None, lines=tuple(lines), relations=relations,
        choices=form.choices, blank=protocol is None,
        synthetic=bool(protocol is not None and protocol.synthetic))


_OPERATOR = {"=": "=", ">=": "≥", "<=": "≤"}


def results_summary(data: ElectionData, allocation: Allocation | None) -> ResultsSummary:
    """The national and regional tables of ``data``; seats from ``allocation`` when there is one."""
    nation = data.nation
    country = data.info.country
    seats = allocation.seats if allocation is not None else {}
    parties = tuple(PartyResult(p.code, _party_names(p), p.registration_order, nation.votes.get(p.code, 0),
                                seats.get(p.code) if allocation is not None and p.kind == "list" else None)
                    for p in data.parties)
    regions = tuple(RegionResult(u.unit_id, _unit_names(u.name), u.valid,
                                 tuple(u.votes.get(p.code, 0) for p in data.parties), u.synthetic)
                    for u in data.children(nation.unit_id) if u.level == "region")
    return ResultsSummary(
        election=data.info.id, country=country, family=_family(data.info.ruleset), date=data.info.date,
        status=data.info.status, synthetic=any(u.synthetic for u in data.units), registered=nation.registered,
        ballots_cast=nation.ballots_cast, valid=nation.valid, invalid=nation.invalid,
        stations_reported=nation.stations_reported, stations_total=nation.stations_total, parties=parties,
        list_seats=allocation.house if allocation is not None else None,
        appointed=_appointed(allocation) if allocation is not None else (),
        total_seats=allocation.total_seats if allocation is not None else None, regions=regions)

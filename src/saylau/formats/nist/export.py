"""Writing an election as a NIST SP 1500-100 v2 ``ElectionReport`` (JSON); the mapping is in the package docstring."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from saylau.errors import InputError, RulesetError
from saylau.formats.nist.vocabulary import (
    ISSUER,
    SEATS_OTHER_TYPE,
    STATUS_OUT,
    UNIT_TYPES,
    P,
    slug,
    unique_ids,
)
from saylau.rules import resolve_ruleset
from saylau.rules.definitions import DEFAULT, Definitions
from saylau.tabulate.model import ElectionData, PartyInfo, UnitCounts

__all__ = ["dumps", "export_nist", "to_nist"]


def _text(content: str, language: str = "en") -> dict[str, Any]:
    return {"@type": P + "InternationalizedText",
            "Text": [{"@type": P + "LanguageString", "Content": content, "Language": language}]}


def _texts(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {"@type": P + "InternationalizedText",
            "Text": [{"@type": P + "LanguageString", "Content": c, "Language": lang} for lang, c in pairs]}


def _ext(kind: str, value: str) -> dict[str, Any]:
    return {"@type": P + "ExternalIdentifier", "OtherType": f"saylau-{kind}", "Type": "other", "Value": value}


def _generated(when: dt.datetime | str | None) -> str:
    if isinstance(when, str):
        return when
    if when is None:
        # SOURCE_DATE_EPOCH: the reproducible-builds convention for a fixed "now".
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_nist(
    data: ElectionData,
    *,
    seats: Mapping[str, int] | None = None,
    generated: dt.datetime | str | None = None,
) -> dict[str, Any]:
    """``data`` as a NIST ``ElectionReport`` (a JSON-ready dict).

    ``seats`` (party code → seats) default to the officially declared seats;
    ``generated`` defaults to ``$SOURCE_DATE_EPOCH`` or now.
    """
    info = data.info
    if info.date is None:
        raise InputError("a NIST election needs a date (StartDate/EndDate)", source=info.id, field="date")
    nation = data.nation
    unit_ids = unique_ids("gpu", [u.unit_id for u in data.units])
    party_ids = unique_ids("party", [p.code for p in data.parties])
    seat_counts = dict(info.official_seats if seats is None else seats)

    children: dict[str, list[str]] = {}
    for u in data.units:
        if u.parent is not None:
            children.setdefault(u.parent, []).append(unit_ids[u.unit_id])
    gp_units = [_unit(u, unit_ids, children.get(u.unit_id, [])) for u in data.units]
    parties = [_party(p, party_ids) for p in data.parties]
    persons = [{"@id": f"person-{party_ids[p.code][len('party-'):]}-leader", "@type": P + "Person",
                "FullName": _text(p.leader)} for p in data.parties if p.leader]
    selections = []
    for p in data.parties:
        counts = [{"@type": P + "VoteCounts", "Count": u.votes[p.code], "GpUnitId": unit_ids[u.unit_id],
                   "Type": "total"} for u in data.units if p.code in u.votes]
        if p.code in seat_counts:
            counts.append({"@type": P + "VoteCounts", "Count": seat_counts[p.code],
                           "GpUnitId": unit_ids[nation.unit_id], "OtherType": SEATS_OTHER_TYPE, "Type": "other"})
        selections.append({"@id": f"ps-{party_ids[p.code][len('party-'):]}", "@type": P + "PartySelection",
                           "PartyIds": [party_ids[p.code]], "SequenceOrder": p.registration_order,
                           "VoteCounts": counts})
    contest: dict[str, Any] = {
        "@id": f"contest-{slug(info.id)}",
        "@type": P + "PartyContest",
        "ContestSelection": selections,
        "ElectionDistrictId": unit_ids[nation.unit_id],
        "Name": info.title,
        "VoteVariation": "proportional",
    }
    if nation.stations_reported is not None:
        contest["SubUnitsReported"] = nation.stations_reported
    if nation.stations_total is not None:
        contest["TotalSubUnits"] = nation.stations_total
    ballots = []
    for u in data.units:
        if u.ballots_cast is None and u.invalid is None:
            continue
        entry: dict[str, Any] = {"@type": P + "BallotCounts"}
        if u.ballots_cast is not None:
            entry["BallotsCast"] = u.ballots_cast
        if u.invalid is not None:
            entry["BallotsRejected"] = u.invalid
        entry.update({"GpUnitId": unit_ids[u.unit_id], "Type": "total"})
        ballots.append(entry)
    election_ids = [_ext("election-id", info.id)]
    if info.ruleset:
        election_ids.append(_ext("ruleset", info.ruleset))
    if info.previous:
        election_ids.append(_ext("previous-election", info.previous))
    if info.country:
        election_ids.append(_ext("country", info.country))
    definitions = _definitions(info.ruleset)
    if definitions is not None and definitions != DEFAULT:
        # NIST has no turnout or share fields: name the ruleset's definitions so a reader computes the same.
        election_ids.append(_ext("turnout", definitions.turnout_count))
        election_ids.append(_ext("share-base", definitions.share_base))
    election: dict[str, Any] = {
        "@type": P + "Election",
        "BallotCounts": ballots,
        "Contest": [contest],
        "ElectionScopeId": unit_ids[nation.unit_id],
        "EndDate": info.date.isoformat(),
        "ExternalIdentifier": election_ids,
        "Name": _text(info.title),
        "StartDate": info.date.isoformat(),
        "Type": "general",
    }
    report: dict[str, Any] = {
        "@type": P + "ElectionReport",
        "Election": [election],
        "Format": "precinct-level" if any(u.level == "station" for u in data.units) else "summary-contest",
        "GeneratedDate": _generated(generated),
        "GpUnit": gp_units,
        "Issuer": ISSUER,
        "IssuerAbbreviation": ISSUER,
    }
    if any(u.synthetic for u in data.units):
        report["Notes"] = "Includes synthetic (simulated) protocols; units so marked carry saylau-synthetic."
    report["Party"] = parties
    if persons:
        report["Person"] = persons
    report.update({"SequenceEnd": 1, "SequenceStart": 1, "Status": STATUS_OUT[info.status],
                   "VendorApplicationId": ISSUER})
    return report


def _definitions(ruleset: str | None) -> Definitions | None:
    """The definitions of the election's ruleset, or None when it has none saylau knows."""
    if ruleset is None:
        return None
    try:
        return resolve_ruleset(ruleset).definitions
    except RulesetError:
        return None


def _unit(u: UnitCounts, unit_ids: Mapping[str, str], children: list[str]) -> dict[str, Any]:
    ids = [_ext("unit-id", u.unit_id), _ext("level", u.level)]
    if u.synthetic:
        ids.append(_ext("synthetic", "true"))
    if u.valid != sum(u.votes.values()):
        ids.append(_ext("valid", str(u.valid)))
    if u.issued is not None:
        ids.append(_ext("issued", str(u.issued)))
    out: dict[str, Any] = {"@id": unit_ids[u.unit_id], "@type": P + "ReportingUnit"}
    if children:
        out["ComposingGpUnitIds"] = children
    out["ExternalIdentifier"] = ids
    out["Name"] = _text(u.name)
    if u.kind in UNIT_TYPES:
        out["Type"] = u.kind
    else:
        out["OtherType"] = u.kind or u.level
        out["Type"] = "other"
    if u.stations_reported is not None:
        out["SubUnitsReported"] = u.stations_reported
    if u.stations_total is not None:
        out["TotalSubUnits"] = u.stations_total
    if u.ballots_cast is not None:
        out["VotersParticipated"] = u.ballots_cast
    if u.registered is not None:
        out["VotersRegistered"] = u.registered
    return dict(sorted(out.items()))


def _party(p: PartyInfo, party_ids: Mapping[str, str]) -> dict[str, Any]:
    ids = []
    if p.candidates is not None:
        ids.append(_ext("candidates", str(p.candidates)))
    if p.previous_seats is not None:
        ids.append(_ext("previous-seats", str(p.previous_seats)))
    if p.kind != "list":
        ids.append(_ext("kind", p.kind))
    names = [("en", p.name)] + [(lang, text) for lang, text in sorted(p.names.items()) if lang != "en"]
    out: dict[str, Any] = {"@id": party_ids[p.code], "@type": P + "Party", "Abbreviation": _text(p.code)}
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", p.color):
        out["Color"] = p.color[1:].lower()
    if ids:
        out["ExternalIdentifier"] = ids
    if p.leader:
        out["LeaderPersonIds"] = [f"person-{party_ids[p.code][len('party-'):]}-leader"]
    out["Name"] = _texts(names)
    return out


def dumps(report: Mapping[str, Any]) -> str:
    """The report as JSON text: two-space indent, UTF-8 characters kept, newline at the end."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def export_nist(data: ElectionData, **options: Any) -> str:
    """``dumps(to_nist(data, **options))``."""
    return dumps(to_nist(data, **options))

"""NIST SP 1500-100 v2 election results (JSON): export an election, and import one back.

The mapping, one element per saylau concept:

=====================  ==========================================================
ElectionReport         one per file; ``Status`` from the election's status,
                       ``Format`` precinct-level when stations are included
Election               title, date, scope = the nation; ``BallotCounts`` per unit
                       (ballots cast, rejected = invalid ballots)
PartyContest           the list contest; one ``PartySelection`` per ballot line
                       (``SequenceOrder`` = registration order)
VoteCounts             ``total`` per unit; declared seats at the nation as
                       ``Type: other, OtherType: seats-won`` (the results-profile
                       convention; the plain ``seats`` type is read too)
Party                  name (English and other languages), code as
                       ``Abbreviation``, colour, leader as a ``Person``
ReportingUnit          the unit tree (``ComposingGpUnitIds``), registered voters,
                       voters participated (ballots cast), stations reported/total
=====================  ==========================================================

What NIST has no field for is kept in ``ExternalIdentifier`` entries of type
``other`` whose ``OtherType`` starts with ``saylau-`` (unit ids and levels, the
ruleset, candidates, previous seats, synthetic flags). ``@id`` values are
derived from saylau's ids (``gpu-KZ``, ``party-NO``), so an export is
deterministic; export → import → export gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saylau.errors import InputError
from saylau.tabulate.model import ElectionData, ElectionInfo, Level, PartyInfo, UnitCounts

__all__ = ["NistImport", "dumps", "export_nist", "from_nist", "read_nist", "to_nist"]

P = "ElectionResults."
ISSUER = "saylau"
SEATS_OTHER_TYPE = "seats-won"
UNIT_TYPES = frozenset({
    "ballot-batch", "ballot-style-area", "borough", "city", "city-council", "combined-precinct",
    "congressional", "country", "county", "county-council", "drop-box", "judicial", "municipality",
    "polling-place", "precinct", "school", "special", "split-precinct", "state", "state-house",
    "state-senate", "town", "township", "utility", "village", "vote-center", "ward", "water",
})
_STATUS_OUT = {"unofficial partial": "unofficial-partial", "unofficial complete": "unofficial-complete",
               "certified": "certified"}
_STATUS_IN = {"unofficial-partial": "unofficial partial", "unofficial-complete": "unofficial complete",
              "certified": "certified", "correction": "certified", "recount": "unofficial complete",
              "pre-election": "unofficial partial"}
_LEVELS: tuple[Level, ...] = ("nation", "region", "territory", "station")
_STATION_TYPES = frozenset({"precinct", "polling-place", "split-precinct", "combined-precinct", "vote-center"})


# ---------------------------------------------------------------- export

def _text(content: str, language: str = "en") -> dict[str, Any]:
    return {"@type": P + "InternationalizedText",
            "Text": [{"@type": P + "LanguageString", "Content": content, "Language": language}]}


def _texts(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {"@type": P + "InternationalizedText",
            "Text": [{"@type": P + "LanguageString", "Content": c, "Language": lang} for lang, c in pairs]}


def _ext(kind: str, value: str) -> dict[str, Any]:
    return {"@type": P + "ExternalIdentifier", "OtherType": f"saylau-{kind}", "Type": "other", "Value": value}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"


def _unique_ids(prefix: str, keys: Sequence[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        base = f"{prefix}-{_slug(key)}"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        ids[key] = candidate
    return ids


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
    unit_ids = _unique_ids("gpu", [u.unit_id for u in data.units])
    party_ids = _unique_ids("party", [p.code for p in data.parties])
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
        "@id": f"contest-{_slug(info.id)}",
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
    report.update({"SequenceEnd": 1, "SequenceStart": 1, "Status": _STATUS_OUT[info.status],
                   "VendorApplicationId": ISSUER})
    return report


def _unit(u: UnitCounts, unit_ids: Mapping[str, str], children: list[str]) -> dict[str, Any]:
    ids = [_ext("unit-id", u.unit_id), _ext("level", u.level)]
    if u.synthetic:
        ids.append(_ext("synthetic", "true"))
    if u.valid != sum(u.votes.values()):
        ids.append(_ext("valid", str(u.valid)))
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


# ---------------------------------------------------------------- import

@dataclass(frozen=True, slots=True)
class NistImport:
    """An imported election and the report header needed to write the same file again."""

    data: ElectionData
    generated: str
    seats: dict[str, int]
    """Seats per party code as the file gives them (``seats-won``), also the election's declared seats."""


class _Reader:
    """Typed access to a parsed document; every failure names the file and the JSON path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str, value: object = None) -> InputError:
        return InputError(message, source=self.source, field=path, value=value)

    def obj(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "expected a JSON object", _short(value))
        return value

    def array(self, parent: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{path}.{key}", "expected a JSON array", _short(value))
        return value

    def text(self, parent: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = parent.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value):
            raise self.fail(f"{path}.{key}", "expected a non-empty string", _short(value))
        return value

    def count(self, parent: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> int | None:
        value = parent.get(key)
        if value is None and not required:
            return None
        # Counts are whole numbers: 12.0 or true would hide a broken export.
        if type(value) is not int or value < 0:
            raise self.fail(f"{path}.{key}", "expected a whole number >= 0", _short(value))
        return value


def _short(value: object) -> object:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _ext_map(r: _Reader, obj: Mapping[str, Any], path: str) -> dict[str, str]:
    out = {}
    for i, e in enumerate(r.array(obj, "ExternalIdentifier", path)):
        e = r.obj(e, f"{path}.ExternalIdentifier[{i}]")
        other = e.get("OtherType")
        if e.get("Type") == "other" and isinstance(other, str) and other.startswith("saylau-"):
            out[other[len("saylau-"):]] = r.text(e, "Value", f"{path}.ExternalIdentifier[{i}]") or ""
    return out


def _int_ext(r: _Reader, ids: Mapping[str, str], key: str, path: str) -> int | None:
    if key not in ids:
        return None
    if not re.fullmatch(r"\d+", ids[key]):
        raise r.fail(f"{path}.ExternalIdentifier[saylau-{key}]", "expected a whole number >= 0", ids[key])
    return int(ids[key])


def _read_text(r: _Reader, obj: Mapping[str, Any], key: str, path: str) -> dict[str, str]:
    """An InternationalizedText as language → content, in file order."""
    if key not in obj:
        return {}
    text = r.obj(obj[key], f"{path}.{key}")
    out: dict[str, str] = {}
    for i, s in enumerate(r.array(text, "Text", f"{path}.{key}")):
        where = f"{path}.{key}.Text[{i}]"
        s = r.obj(s, where)
        lang = r.text(s, "Language", where) or ""
        out.setdefault(lang, r.text(s, "Content", where, required=False) or "")
    return out


def _first(texts: Mapping[str, str], fallback: str) -> str:
    return texts.get("en") or next(iter(texts.values()), "") or fallback


def from_nist(document: Mapping[str, Any] | Any, *, source: str = "<nist>") -> NistImport:
    """Read a parsed NIST ``ElectionReport`` into an :class:`ElectionData`; bad input raises InputError."""
    r = _Reader(source)
    doc = r.obj(document, "$")
    if doc.get("@type") != P + "ElectionReport":
        raise r.fail("$.@type", f"expected {P}ElectionReport", _short(doc.get("@type")))
    elections = r.array(doc, "Election", "$")
    if not elections:
        raise r.fail("$.Election", "the report holds no election")
    epath = "$.Election[0]"
    election = r.obj(elections[0], epath)
    status = r.text(doc, "Status", "$") or ""
    if status not in _STATUS_IN:
        raise r.fail("$.Status", "unknown results status", status)
    generated = r.text(doc, "GeneratedDate", "$") or ""

    persons = {}
    for i, person in enumerate(r.array(doc, "Person", "$")):
        person = r.obj(person, f"$.Person[{i}]")
        persons[r.text(person, "@id", f"$.Person[{i}]")] = _first(_read_text(r, person, "FullName", f"$.Person[{i}]"), "")

    units, unit_of = _read_units(r, doc, r.text(election, "ElectionScopeId", epath) or "", epath)

    contests = [(i, c) for i, c in enumerate(r.array(election, "Contest", epath))
                if isinstance(c, Mapping) and c.get("@type") == P + "PartyContest"]
    if not contests:
        raise r.fail(f"{epath}.Contest", "no PartyContest: saylau reads party-list results only")
    ci, contest = contests[0]
    cpath = f"{epath}.Contest[{ci}]"
    party_objs = {}
    for i, party in enumerate(r.array(doc, "Party", "$")):
        party = r.obj(party, f"$.Party[{i}]")
        party_objs[r.text(party, "@id", f"$.Party[{i}]")] = (i, party)

    parties: list[PartyInfo] = []
    votes: dict[str, dict[str, int]] = {u: {} for u in units}
    seats: dict[str, int] = {}
    for si, sel in enumerate(r.array(contest, "ContestSelection", cpath)):
        spath = f"{cpath}.ContestSelection[{si}]"
        sel = r.obj(sel, spath)
        pids = r.array(sel, "PartyIds", spath)
        if not pids or pids[0] not in party_objs:
            raise r.fail(f"{spath}.PartyIds", "must name a Party of the report", _short(pids))
        pi, pobj = party_objs[pids[0]]
        party = _read_party(r, pobj, f"$.Party[{pi}]", persons,
                            r.count(sel, "SequenceOrder", spath) or si + 1)
        if any(p.code == party.code for p in parties):
            raise r.fail(f"{spath}.PartyIds", "the same party appears twice in the contest", party.code)
        parties.append(party)
        split: dict[str, int] = {}
        for vi, vc in enumerate(r.array(sel, "VoteCounts", spath)):
            vpath = f"{spath}.VoteCounts[{vi}]"
            vc = r.obj(vc, vpath)
            gp = r.text(vc, "GpUnitId", vpath) or ""
            if gp not in unit_of:
                raise r.fail(f"{vpath}.GpUnitId", "names no ReportingUnit of the report", gp)
            count = r.count(vc, "Count", vpath, required=True) or 0
            kind = vc.get("Type")
            if kind == "seats" or (kind == "other" and vc.get("OtherType") in (SEATS_OTHER_TYPE, "seats")):
                seats[party.code] = count
            elif kind == "total":
                votes[unit_of[gp]][party.code] = count
            elif kind != "other":
                # Ballot-type splits (early, election-day...) add up when no total is given.
                split[gp] = split.get(gp, 0) + count
        for gp, count in split.items():
            votes[unit_of[gp]].setdefault(party.code, count)

    ballots = _read_ballots(r, election, unit_of, epath)
    ids = _ext_map(r, election, epath)
    start = r.text(election, "StartDate", epath) or ""
    try:
        date = dt.date.fromisoformat(start)
    except ValueError:
        raise r.fail(f"{epath}.StartDate", "expected a date YYYY-MM-DD", start) from None
    title = _first(_read_text(r, election, "Name", epath), ids.get("election-id", ""))
    info = ElectionInfo(
        id=ids.get("election-id") or _slug(title).lower(),
        title=title,
        date=date,
        ruleset=ids.get("ruleset"),
        country=ids.get("country", ""),
        previous=ids.get("previous-election"),
        status=_STATUS_IN[status],  # type: ignore[arg-type]
        official_seats=dict(seats),
    )
    counts = []
    for uid, u in units.items():
        unit_votes = {p.code: votes[uid][p.code] for p in parties if p.code in votes[uid]}
        cast, invalid = ballots.get(uid, (None, None))
        counts.append(UnitCounts(
            unit_id=u["unit_id"], name=u["name"], level=u["level"], parent=u["parent"], votes=unit_votes,
            valid=u["valid"] if u["valid"] is not None else sum(unit_votes.values()),
            registered=u["registered"], ballots_cast=cast if cast is not None else u["participated"],
            invalid=invalid, stations_reported=u["reported"], stations_total=u["total"],
            synthetic=u["synthetic"], kind=u["kind"],
        ))
    parties.sort(key=lambda p: p.registration_order)
    return NistImport(ElectionData(info, tuple(parties), tuple(counts)), generated, seats)


def _read_units(r: _Reader, doc: Mapping[str, Any], scope: str,
                epath: str) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    raw: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for i, gp in enumerate(r.array(doc, "GpUnit", "$")):
        path = f"$.GpUnit[{i}]"
        gp = r.obj(gp, path)
        if gp.get("@type") != P + "ReportingUnit":
            continue  # reporting devices carry no counts saylau reads
        gid = r.text(gp, "@id", path) or ""
        if gid in raw:
            raise r.fail(f"{path}.@id", "duplicate @id", gid)
        raw[gid] = (path, gp)
    if scope not in raw:
        raise r.fail(f"{epath}.ElectionScopeId", "names no ReportingUnit of the report", scope)
    parent: dict[str, str] = {}
    for gid, (path, gp) in raw.items():
        for child in r.array(gp, "ComposingGpUnitIds", path):
            if child not in raw:
                raise r.fail(f"{path}.ComposingGpUnitIds", "names no ReportingUnit of the report", child)
            parent.setdefault(child, gid)
    depth = {scope: 0}
    queue = deque([scope])
    while queue:
        gid = queue.popleft()
        for child in r.array(raw[gid][1], "ComposingGpUnitIds", raw[gid][0]):
            if child not in depth:
                depth[child] = depth[gid] + 1
                queue.append(child)
    units: dict[str, dict[str, Any]] = {}
    unit_of: dict[str, str] = {}
    seen: set[str] = set()
    for gid, (path, gp) in raw.items():
        ids = _ext_map(r, gp, path)
        kind_type = r.text(gp, "Type", path) or ""
        kind = (r.text(gp, "OtherType", path, required=False) or "") if kind_type == "other" else kind_type
        if gid == scope:
            level: Level = "nation"
        elif ids.get("level") in _LEVELS:
            level = ids["level"]  # type: ignore[assignment]
        elif kind_type in _STATION_TYPES:
            level = "station"
        else:
            level = _LEVELS[min(max(depth.get(gid, 1), 1), 3)]
        unit_id = ids.get("unit-id", gid)
        if unit_id in seen:
            raise r.fail(f"{path}.ExternalIdentifier", "duplicate saylau unit id", unit_id)
        seen.add(unit_id)
        unit_of[gid] = unit_id
        up = parent.get(gid, None if gid == scope else scope)
        units[gid] = {
            "unit_id": unit_id,
            "name": _first(_read_text(r, gp, "Name", path), gid),
            "level": level,
            "parent_gid": up,
            "kind": kind,
            "registered": r.count(gp, "VotersRegistered", path),
            "participated": r.count(gp, "VotersParticipated", path),
            "reported": r.count(gp, "SubUnitsReported", path),
            "total": r.count(gp, "TotalSubUnits", path),
            "synthetic": ids.get("synthetic") == "true",
            "valid": _int_ext(r, ids, "valid", path),
        }
    for u in units.values():
        u["parent"] = None if u["parent_gid"] is None else unit_of[u["parent_gid"]]
    # Nation first, then the file's order: ElectionData.nation and children() rely on nothing else.
    ordered = dict(sorted(units.items(), key=lambda kv: kv[0] != scope))
    return {unit_of[g]: u for g, u in ordered.items()}, unit_of


def _read_party(r: _Reader, obj: Mapping[str, Any], path: str, persons: Mapping[str | None, str],
                order: int) -> PartyInfo:
    names = _read_text(r, obj, "Name", path)
    gid = r.text(obj, "@id", path) or ""
    code = _first(_read_text(r, obj, "Abbreviation", path), gid.removeprefix("party-"))
    ids = _ext_map(r, obj, path)
    color = r.text(obj, "Color", path, required=False)
    if color is not None and not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        raise r.fail(f"{path}.Color", "expected six hex digits", color)
    leaders = r.array(obj, "LeaderPersonIds", path)
    kind = ids.get("kind", "list")
    if kind not in ("list", "against_all"):
        raise r.fail(f"{path}.ExternalIdentifier[saylau-kind]", "expected list or against_all", kind)
    return PartyInfo(
        code=code,
        name=_first(names, code),
        registration_order=order,
        candidates=_int_ext(r, ids, "candidates", path),
        color=f"#{color}" if color else "#888888",
        kind=kind,  # type: ignore[arg-type]
        names=names,
        leader=persons.get(leaders[0], "") if leaders else "",
        previous_seats=_int_ext(r, ids, "previous-seats", path),
    )


def _read_ballots(r: _Reader, election: Mapping[str, Any], unit_of: Mapping[str, str],
                  epath: str) -> dict[str, tuple[int | None, int | None]]:
    out: dict[str, tuple[int | None, int | None]] = {}
    for i, bc in enumerate(r.array(election, "BallotCounts", epath)):
        path = f"{epath}.BallotCounts[{i}]"
        bc = r.obj(bc, path)
        if bc.get("Type") != "total":
            continue
        gp = r.text(bc, "GpUnitId", path) or ""
        if gp not in unit_of:
            raise r.fail(f"{path}.GpUnitId", "names no ReportingUnit of the report", gp)
        out[unit_of[gp]] = (r.count(bc, "BallotsCast", path), r.count(bc, "BallotsRejected", path))
    return out


def read_nist(path: str | Path) -> NistImport:
    """Read a NIST SP 1500-100 JSON file."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", source=source) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=source) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", source=source, line=exc.lineno) from None
    return from_nist(document, source=source)

"""Reading a NIST SP 1500-100 v2 ``ElectionReport`` back into saylau's election shape."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saylau.errors import InputError
from saylau.formats.nist.reader import Reader, ext_map, first_text, int_ext, read_text, short
from saylau.formats.nist.vocabulary import (
    LEVELS,
    SEATS_OTHER_TYPE,
    STATION_TYPES,
    STATUS_IN,
    P,
    slug,
)
from saylau.tabulate.model import ElectionData, ElectionInfo, Level, PartyInfo, UnitCounts

__all__ = ["NistImport", "from_nist", "read_nist"]


@dataclass(frozen=True, slots=True)
class NistImport:
    """An imported election and the report header needed to write the same file again."""

    data: ElectionData
    generated: str
    seats: dict[str, int]
    """Seats per party code as the file gives them (``seats-won``), also the election's declared seats."""


def from_nist(document: Mapping[str, Any] | Any, *, source: str = "<nist>") -> NistImport:
    """Read a parsed NIST ``ElectionReport`` into an :class:`ElectionData`; bad input raises InputError."""
    r = Reader(source)
    doc = r.obj(document, "$")
    if doc.get("@type") != P + "ElectionReport":
        raise r.fail("$.@type", f"expected {P}ElectionReport", short(doc.get("@type")))
    elections = r.array(doc, "Election", "$")
    if not elections:
        raise r.fail("$.Election", "the report holds no election")
    epath = "$.Election[0]"
    election = r.obj(elections[0], epath)
    status = r.text(doc, "Status", "$") or ""
    if status not in STATUS_IN:
        raise r.fail("$.Status", "unknown results status", status)
    generated = r.text(doc, "GeneratedDate", "$") or ""

    persons = {}
    for i, person in enumerate(r.array(doc, "Person", "$")):
        person = r.obj(person, f"$.Person[{i}]")
        persons[r.text(person, "@id", f"$.Person[{i}]")] = first_text(read_text(r, person, "FullName", f"$.Person[{i}]"), "")

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
            raise r.fail(f"{spath}.PartyIds", "must name a Party of the report", short(pids))
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
    ids = ext_map(r, election, epath)
    start = r.text(election, "StartDate", epath) or ""
    try:
        date = dt.date.fromisoformat(start)
    except ValueError:
        raise r.fail(f"{epath}.StartDate", "expected a date YYYY-MM-DD", start) from None
    title = first_text(read_text(r, election, "Name", epath), ids.get("election-id", ""))
    info = ElectionInfo(
        id=ids.get("election-id") or slug(title).lower(),
        title=title,
        date=date,
        ruleset=ids.get("ruleset"),
        country=ids.get("country", ""),
        previous=ids.get("previous-election"),
        status=STATUS_IN[status],  # type: ignore[arg-type]
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
            synthetic=u["synthetic"], kind=u["kind"], issued=u["issued"],
        ))
    parties.sort(key=lambda p: p.registration_order)
    return NistImport(ElectionData(info, tuple(parties), tuple(counts)), generated, seats)


def _read_units(r: Reader, doc: Mapping[str, Any], scope: str,
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
        ids = ext_map(r, gp, path)
        kind_type = r.text(gp, "Type", path) or ""
        kind = (r.text(gp, "OtherType", path, required=False) or "") if kind_type == "other" else kind_type
        if gid == scope:
            level: Level = "nation"
        elif ids.get("level") in LEVELS:
            level = ids["level"]  # type: ignore[assignment]
        elif kind_type in STATION_TYPES:
            level = "station"
        else:
            level = LEVELS[min(max(depth.get(gid, 1), 1), 3)]
        unit_id = ids.get("unit-id", gid)
        if unit_id in seen:
            raise r.fail(f"{path}.ExternalIdentifier", "duplicate saylau unit id", unit_id)
        seen.add(unit_id)
        unit_of[gid] = unit_id
        up = parent.get(gid, None if gid == scope else scope)
        units[gid] = {
            "unit_id": unit_id,
            "name": first_text(read_text(r, gp, "Name", path), gid),
            "level": level,
            "parent_gid": up,
            "kind": kind,
            "registered": r.count(gp, "VotersRegistered", path),
            "participated": r.count(gp, "VotersParticipated", path),
            "reported": r.count(gp, "SubUnitsReported", path),
            "total": r.count(gp, "TotalSubUnits", path),
            "synthetic": ids.get("synthetic") == "true",
            "valid": int_ext(r, ids, "valid", path),
            "issued": int_ext(r, ids, "issued", path),
        }
    for u in units.values():
        u["parent"] = None if u["parent_gid"] is None else unit_of[u["parent_gid"]]
    # Nation first, then the file's order: ElectionData.nation and children() rely on nothing else.
    ordered = dict(sorted(units.items(), key=lambda kv: kv[0] != scope))
    return {unit_of[g]: u for g, u in ordered.items()}, unit_of


def _read_party(r: Reader, obj: Mapping[str, Any], path: str, persons: Mapping[str | None, str],
                order: int) -> PartyInfo:
    names = read_text(r, obj, "Name", path)
    gid = r.text(obj, "@id", path) or ""
    code = first_text(read_text(r, obj, "Abbreviation", path), gid.removeprefix("party-"))
    ids = ext_map(r, obj, path)
    color = r.text(obj, "Color", path, required=False)
    if color is not None and not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        raise r.fail(f"{path}.Color", "expected six hex digits", color)
    leaders = r.array(obj, "LeaderPersonIds", path)
    kind = ids.get("kind", "list")
    if kind not in ("list", "against_all"):
        raise r.fail(f"{path}.ExternalIdentifier[saylau-kind]", "expected list or against_all", kind)
    return PartyInfo(
        code=code,
        name=first_text(names, code),
        registration_order=order,
        candidates=int_ext(r, ids, "candidates", path),
        color=f"#{color}" if color else "#888888",
        kind=kind,  # type: ignore[arg-type]
        names=names,
        leader=persons.get(leaders[0], "") if leaders else "",
        previous_seats=int_ext(r, ids, "previous-seats", path),
    )


def _read_ballots(r: Reader, election: Mapping[str, Any], unit_of: Mapping[str, str],
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

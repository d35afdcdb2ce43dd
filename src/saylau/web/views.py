"""What each page shows, as one JSON-ready dict: the JSON twin returns it and the template renders it.

One function per page kind: :func:`results_view` (the nation, a region, a
territorial commission, a station) and the board (``progress.progress_board``).
No business logic lives here: counts come from the store's aggregation, seats,
percentages and the explanation from the report model (the seat engine), the
arch from the report's pictures.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import quote

from saylau.errors import RulesetError
from saylau.protocols import load_form
from saylau.report import build_report
from saylau.report.export import json_value, percent_number
from saylau.report.model import Report, percent_text
from saylau.rules import resolve_ruleset
from saylau.rules.definitions import DEFAULT, Definitions
from saylau.store import Store
from saylau.tabulate.model import ElectionData, UnitCounts
from saylau.web.i18n import LANGUAGES
from saylau.web.render import human_time
from saylau.web.status import change_counter, last_updated, live_status, stored_status
from saylau.web.units import NotFound, unit_row

__all__ = ["UPPER_LEVELS", "results_view"]

#: Levels summed in SQL by territory: cheap at any size (stations are read only for a commission's page).
UPPER_LEVELS = ("nation", "region", "territory")


def results_view(store: Store, election_id: str, unit_id: str | None = None) -> dict[str, Any]:
    """The page of the nation (``unit_id`` None) or of one unit; InputError if either is unknown."""
    with store.engine.connect() as conn:
        seq = change_counter(conn)
        stored = stored_status(conn, election_id)
        updated = last_updated(conn, election_id)
        row = unit_row(conn, election_id, unit_id) if unit_id is not None else None
    if unit_id is not None and row is None:
        raise NotFound("no such unit in this election", field="unit", value=unit_id)
    if row is not None and row.level == "station":
        return _station_view(store, election_id, row.unit_id, row.parent, seq, stored, updated)
    data = store.election_data(election_id, level=UPPER_LEVELS)
    nation = data.nation
    unit = nation if unit_id is None or unit_id == nation.unit_id else data.unit(unit_id)
    if unit.level == "nation":
        report = build_report(data)
    else:
        # Seats are won nationally: a unit's report has its votes and shares, and says why it has no seats.
        alone = ElectionData(dataclasses.replace(data.info, ruleset=None), data.parties,
                             (dataclasses.replace(unit, level="nation", parent=None),))
        report = build_report(alone, definitions=_definitions(data.info.ruleset))
    codes = [p.code for p in report.parties]  # children's columns in the order of the twin's parties
    children = (_station_children(store, election_id, unit, data, codes) if unit.level == "territory"
                else [_child(c, codes) for c in data.children(unit.unit_id)])
    view = _common(data, unit, report, seq, stored, updated, _path(data, unit))
    view["children"] = children
    view["seats"] = _seats(report, unit.level == "nation", election_id, view["status"])
    if unit.level == "nation":
        # Not part of the twin (keys starting with "_" are never encoded): the page and arch.svg use it.
        view["_arch"] = {lang: arch_svg(report, lang) for lang in LANGUAGES}
    return view


def _common(data: ElectionData, unit: UnitCounts, report: Report, seq: int, stored: str, updated: str | None,
            path: list[dict[str, str]]) -> dict[str, Any]:
    info = data.info
    reported, total = unit.stations_reported, unit.stations_total
    return {
        "$schema": f"/elections/{quote(info.id, safe='')}.schema.json",
        "election": {"id": info.id, "title": info.title, "date": info.date.isoformat() if info.date else None,
                     "ruleset": info.ruleset},
        "unit": {"unit_id": unit.unit_id, "name": unit.name, "level": unit.level, "parent": unit.parent},
        "path": path,
        "status": live_status(stored, data.nation.stations_reported, data.nation.stations_total),
        "stations": {"reported": reported, "total": total,
                     "percent": percent_number(percent_text(reported or 0, total)) if total else None},
        "last_updated": updated,
        "last_updated_text": {lang: human_time(updated, lang) for lang in LANGUAGES},
        "change": seq,
        "totals": {**dataclasses.asdict(report.totals), "turnout": percent_number(report.totals.turnout)},
        "parties": [{"code": p.code, "name": p.name, "names": dict(data.party(p.code).names), "color": p.color,
                     "kind": p.kind, "votes": p.votes, "percent": percent_number(p.percent), "admitted": p.admitted,
                     "seats": p.seats, "vacant": p.vacant} for p in report.parties],
        "synthetic": unit.synthetic,
        "kind": report.kind,
        "outcome": json_value(dict(report.outcome)) if report.outcome else None,
        "definitions": _definitions_view(_definitions(info.ruleset), unit),
    }


def _definitions(ruleset: str | None) -> Definitions:
    """The election's turnout and share definitions (the default when its ruleset is unknown)."""
    if ruleset is None:
        return DEFAULT
    try:
        return resolve_ruleset(ruleset).definitions
    except RulesetError:
        return DEFAULT


def _definitions_view(definitions: Definitions, unit: UnitCounts) -> dict[str, Any]:
    """What turnout and the shares are, named in every language the pages speak."""
    return {"turnout": definitions.turnout_numerator(unit)[0], "share_base": definitions.share_base,
            "turnout_label": {lang: definitions.turnout_label(unit, lang) for lang in LANGUAGES},
            "share_label": {lang: definitions.share_label(lang) for lang in LANGUAGES}}


def _seats(report: Report, national: bool, election_id: str, status: str = "unofficial partial") -> dict[str, Any]:
    """The seats block of a twin; the arch is linked (``arch_url``), never embedded."""
    if not national:
        return {"has_seats": False, "national_only": True, "reason": "national_only",
                "national_url": f"/elections/{quote(election_id, safe='')}"}
    arch_url = None
    if report.has_seats and _charts():
        arch_url = f"/elections/{quote(election_id, safe='')}/arch.svg"
    declared = bool(report.official_check)
    return {
        "has_seats": report.has_seats, "national_only": False, "reason": report.seats_reason or None,
        "list_seats": report.list_seats, "total_seats": report.total_seats,
        "appointed": [{**dataclasses.asdict(a), "body": a.body or None} for a in report.appointed],
        # Seats of partial counts are no discrepancy with the declared ones: compared once every station reported.
        "official_check": None if not declared or status == "unofficial partial" else {
            "matches": not report.official_differences,
            "differences": [dataclasses.asdict(d) for d in report.official_differences]},
        "official_check_pending": declared and status == "unofficial partial",
        "threshold": _threshold(report),
        "arch_url": arch_url,
        "explanation": [{"topic": s.topic, "clause": s.clause or None, "text": s.text, "code": s.code or None,
                         "values": {k: json_value(v) for k, v in s.values}} for s in report.explanation],
        "notes": list(report.notes),
    }


def _threshold(report: Report) -> dict[str, Any] | None:
    """The list threshold as numbers (for the results table's marker), from the engine's own step."""
    from fractions import Fraction

    for step in report.explanation:
        if step.code == "threshold_share":
            values = dict(step.values)
            share: Fraction = values["share"]
            return {"percent": percent_number(percent_text(share.numerator, share.denominator)),
                    "inclusive": values["inclusive"], "base": values["base"], "minimum_votes": values["minimum"]}
        if step.code == "threshold_votes":
            values = dict(step.values)
            return {"percent": None, "inclusive": values["inclusive"], "base": values["base"],
                    "minimum_votes": values["minimum"]}
    return None


def _charts() -> bool:
    """Whether the seat arch can be drawn (parliamentarch comes with the 'charts' extra)."""
    from importlib.util import find_spec

    return find_spec("parliamentarch") is not None


def arch_svg(report: Report, lang: str) -> str | None:
    """The seat arch of a national report in ``lang`` (served at ``/elections/{id}/arch.svg``)."""
    if not report.has_seats or not _charts():
        return None
    from saylau.i18n import catalog
    from saylau.report.arch import arch_groups, arch_scene
    from saylau.report.scene import to_svg

    return to_svg(arch_scene(arch_groups(report, lang), title=catalog(lang)["report.arch_title"], lang=lang))


def _child(unit: UnitCounts, codes: list[str]) -> dict[str, Any]:
    leader = max(codes, key=lambda c: unit.votes.get(c, 0)) if unit.valid else None
    return {"unit_id": unit.unit_id, "name": unit.name, "level": unit.level,
            "reported": unit.stations_reported, "total": unit.stations_total, "valid": unit.valid,
            "votes": [unit.votes.get(c, 0) for c in codes],
            "percents": [percent_number(percent_text(unit.votes.get(c, 0), unit.valid)) for c in codes],
            "leader": leader}


def _station_children(store: Store, election_id: str, unit: UnitCounts, data: ElectionData,
                      codes: list[str]) -> list[dict[str, Any]]:
    """A commission's stations, reported or not, in the order they were registered."""
    from saylau.store.live import stations_registered_under

    with store.engine.connect() as conn:
        expected = stations_registered_under(conn, election_id, unit.unit_id)
    protocols = {p.station: p for p in store.station_protocols(election_id, unit.unit_id)}
    rows = []
    for station in expected:
        p = protocols.get(station)
        valid = sum(p.votes.values()) if p is not None else 0
        counts = UnitCounts(station, station, "station", unit.unit_id, dict(p.votes) if p else {}, valid,
                            stations_reported=1 if p else 0, stations_total=1)
        rows.append(_child(counts, codes))
    return rows


def _path(data: ElectionData, unit: UnitCounts) -> list[dict[str, str]]:
    chain: list[dict[str, str]] = []
    current: UnitCounts | None = unit
    while current is not None:
        chain.append({"unit_id": current.unit_id, "name": current.name, "level": current.level})
        current = data.unit(current.parent) if current.parent is not None else None
    return chain[::-1]


def _station_view(store: Store, election_id: str, station: str, parent: str | None, seq: int, stored: str,
                  updated: str | None) -> dict[str, Any]:
    data = store.election_data(election_id, level=UPPER_LEVELS)
    history = store.protocol_history(election_id, station)
    current = next((v for v in history if v.current), None)
    form_name = store.election_form(election_id)
    form = load_form(form_name) if form_name else None
    if current is not None:
        p = current.protocol
        valid = sum(p.votes.values())
        unit = UnitCounts(station, station, "station", parent, dict(p.votes), valid,
                          registered=current.totals.get("registered"), ballots_cast=current.totals.get("ballots_cast"),
                          invalid=current.totals.get("invalid"), stations_reported=1, stations_total=1,
                          synthetic=p.synthetic)
    else:
        unit = UnitCounts(station, station, "station", parent, {c.code: 0 for c in data.parties}, 0,
                          stations_reported=0, stations_total=1)
    alone = ElectionData(dataclasses.replace(data.info, ruleset=None), data.parties,
                         (dataclasses.replace(unit, level="nation", parent=None),))
    report = build_report(alone)
    path = _path(data, data.unit(parent)) if parent is not None else []
    view = _common(data, unit, report, seq, stored, updated,
                   [*path, {"unit_id": station, "name": station, "level": "station"}])
    view["children"] = []
    view["seats"] = _seats(report, False, election_id)
    lines = []
    if current is not None and form is not None:
        lines = [{"key": line.key, "number": line.number, "labels": dict(line.labels),
                  "value": current.protocol.lines.get(line.key)} for line in form.lines]
    warnings = _ranked([w.to_dict() for w in store.warnings(election_id) if w.station == station])
    view["protocol"] = {
        "reported": current is not None, "version": current.version if current else None,
        "versions": len(history), "recorded_by": current.recorded_by if current else None,
        "recorded_at": current.recorded_at if current else None, "lines": lines,
        "warnings": warnings,
        "history_url": f"/api/elections/{election_id}/stations/{station}/history",
    }
    return view


def _ranked(warnings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A station's warnings, open ones first, most severe first; each with its ``severity`` (3 high … 1 low)."""
    from saylau.tabulate.alarms import severity_of

    for w in warnings:
        w["severity"] = severity_of(str(w["relation"]))
    return sorted(warnings, key=lambda w: (bool(w["handled"]), -w["severity"]))

"""Elections, their parties and their official unit-level results, as rows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, select, update

from saylau.errors import ConflictError, InputError
from saylau.store import audit, chain
from saylau.store.bulk import fetch_rows, query_rows
from saylau.store.schema import elections, parties, unit_results, units
from saylau.tabulate.model import ElectionData, ElectionInfo, PartyInfo, UnitCounts

__all__ = ["attach_form", "create_election", "election_row", "info_from_row", "line_keys_of", "next_ordinal", "parties_of",
           "put_election_data", "register_stations", "set_status", "unit_parents"]

_RESULT_FIELDS = ("votes", "valid", "registered", "ballots_cast", "invalid", "synthetic")


def election_row(conn: Connection, election_id: str) -> Any:
    """The election's row; InputError naming the stored elections if there is none."""
    row = conn.execute(select(elections).where(elections.c.id == election_id)).mappings().first()
    if row is None:
        known = [r.id for r in conn.execute(select(elections.c.id).order_by(elections.c.id))]
        hint = f"; stored: {', '.join(known)}" if known else "; the store has no elections"
        raise InputError(f"no election {election_id!r} in the store{hint}", field="election", value=election_id)
    return row


def info_from_row(row: Any) -> ElectionInfo:
    return ElectionInfo(id=row["id"], title=row["title"],
                        date=dt.date.fromisoformat(row["date"]) if row["date"] else None,
                        ruleset=row["ruleset"], country=row["country"], previous=row["previous"],
                        status=row["status"], official_seats=json.loads(row["official_seats"]))


def line_keys_of(row: Any) -> list[str] | None:
    """The order the election's protocols store their lines in (None for an election without protocols)."""
    return json.loads(row["line_keys"]) if row["line_keys"] else None


def parties_of(conn: Connection, election_id: str) -> tuple[PartyInfo, ...]:
    """The election's parties in registration order."""
    rows = conn.execute(select(parties).where(parties.c.election_id == election_id)
                        .order_by(parties.c.registration_order, parties.c.code)).mappings()
    return tuple(PartyInfo(code=r["code"], name=r["name"], registration_order=r["registration_order"],
                           candidates=r["candidates"], color=r["color"], kind=r["kind"], names=json.loads(r["names"]),
                           leader=r["leader"], previous_seats=r["previous_seats"]) for r in rows)


def unit_parents(conn: Connection, election_id: str) -> dict[str, str | None]:
    """Every unit id of the election with its parent."""
    return dict(fetch_rows(conn, units, ("unit_id", "parent"), (("election_id", election_id),)))


def next_ordinal(conn: Connection, election_id: str) -> int:
    ((value,),) = query_rows(conn, "SELECT max(ordinal) FROM units WHERE election_id = ?", (election_id,))
    return 0 if value is None else int(value) + 1


def create_election(conn: Connection, info: ElectionInfo, party_list: Sequence[PartyInfo], *, form: str | None,
                    user: str, line_keys: Sequence[str] | None = None, nation_unit: str | None = None,
                    nation_name: str | None = None) -> bool:
    """Insert an election, its parties and its nation unit; False if an identical one exists (under the lock)."""
    if not info.id or "/" in info.id:
        raise InputError("an election id must be non-empty and contain no '/'", field="election", value=info.id)
    if not party_list:
        raise InputError("an election needs at least one party", field="parties")
    codes = [p.code for p in party_list]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise InputError("duplicate party code", field="parties", value=duplicates[0])
    row = _election_values(info, form, nation_unit)
    row["line_keys"] = json.dumps(list(line_keys)) if line_keys is not None else None
    party_rows = [_party_values(info.id, p) for p in sorted(party_list, key=lambda p: p.registration_order)]
    existing = conn.execute(select(elections).where(elections.c.id == info.id)).mappings().first()
    if existing is not None:
        stored_parties = [dict(r) for r in conn.execute(
            select(parties).where(parties.c.election_id == info.id).order_by(parties.c.registration_order))
            .mappings()]
        if all(existing[k] == v for k, v in row.items()) and stored_parties == party_rows:
            return False
        raise ConflictError(f"election {info.id!r} is already stored with different metadata or parties")
    payload = audit.payload_hash([row, party_rows])
    entry = audit.append_entry(conn, actor=user, action="create-election", election_id=info.id, subject=info.title,
                               payload_hash=payload)
    conn.execute(elections.insert().values(**row, created_at=entry.at))
    conn.execute(parties.insert(), party_rows)
    conn.execute(units.insert().values(election_id=info.id, unit_id=row["nation_unit"], ordinal=0,
                                       name=nation_name or row["nation_unit"], level="nation", parent=None,
                                       kind="country", synthetic=False, stations_total=None))
    chain.track(conn, elections, [(info.id,)])
    chain.track(conn, parties, [(info.id, p["code"]) for p in party_rows])
    chain.track_where(conn, units, "unit_id", [row["nation_unit"]], also=[("election_id", info.id)])
    return True


def attach_form(conn: Connection, election_id: str, form: str, line_keys: Sequence[str], *, user: str) -> None:
    """Give an election loaded from tables the protocol form its (e.g. synthetic) station protocols use."""
    row = election_row(conn, election_id)
    if row["form"] is not None:
        return
    keys = json.dumps(list(line_keys))
    entry_payload = audit.payload_hash([election_id, form, keys])
    audit.append_entry(conn, actor=user, action="set-form", election_id=election_id, subject=f"protocol form {form}",
                       payload_hash=entry_payload)
    conn.execute(update(elections).where(elections.c.id == election_id).values(form=form, line_keys=keys))
    chain.track(conn, elections, [(election_id,)])


def set_status(conn: Connection, election_id: str, status: str, *, user: str, summary: object = None,
               reason: str | None = None) -> bool:
    """Set the election's status under the lock; False if it already has it. Certifying is action ``certify``."""
    if not status or len(status) > 40:
        raise InputError("a status must be 1 to 40 characters", field="status", value=status)
    if election_row(conn, election_id)["status"] == status:
        return False
    audit.append_entry(conn, actor=user, action="certify" if status == "certified" else "set-status",
                       election_id=election_id, subject=f"election {election_id} {status}", reason=reason,
                       payload_hash=audit.payload_hash(summary))
    conn.execute(update(elections).where(elections.c.id == election_id).values(status=status))
    chain.track(conn, elections, [(election_id,)])
    return True


def register_stations(conn: Connection, election_id: str, stations: Iterable[tuple[str, str, str | None]], *,
                      user: str) -> int:
    """Add the expected stations (and their regions and territories) not yet known; how many stations were added.

    The tree's rules hold (:mod:`saylau.store.unit_tree`): ids normalised and unlike any other, parents of a
    higher level; the audit entry names every unit added and its parent."""
    from saylau.store.unit_tree import check_level, check_new_units, unit_tree

    nation = election_row(conn, election_id)["nation_unit"]
    tree = unit_tree(conn, election_id)
    known = {unit_id: parent for unit_id, (_, parent) in tree.items()}
    levels = {unit_id: level for unit_id, (level, _) in tree.items()}
    ordinal = next_ordinal(conn, election_id)
    rows: list[dict[str, Any]] = []
    added = 0

    def add(unit_id: str, name: str, level: str, parent: str) -> None:
        rows.append({"election_id": election_id, "unit_id": unit_id, "ordinal": ordinal + len(rows), "name": name,
                     "level": level, "parent": parent, "kind": level, "synthetic": False, "stations_total": None})
        known[unit_id] = parent
        levels[unit_id] = level

    for station, region, territory in stations:
        region_id = f"{nation}/{region}"
        if region_id not in known:
            add(region_id, region, "region", nation)
        check_level(region_id, "region", levels[region_id])
        # The ids ingest gives: a station's commission is its territory, else its region.
        parent = f"{region_id}/{territory}" if territory else region_id
        if parent not in known:
            add(parent, territory or region, "territory", region_id)
        check_level(parent, "territory" if territory else "region", levels[parent])
        if station in known:
            check_level(station, "station", levels[station])
            if known[station] != parent:
                raise InputError(f"station {station!r} is registered under {known[station]!r}", field="station",
                                 value=station)
            continue
        add(station, station, "station", parent)
        added += 1
    if rows:
        check_new_units([(r["unit_id"], r["level"], r["parent"]) for r in rows], tree)
        audit.append_entry(conn, actor=user, action="register-stations", election_id=election_id,
                           subject=f"{added} expected stations",
                           payload_hash=audit.payload_hash([[r["unit_id"], r["parent"]] for r in rows]))
        conn.execute(units.insert(), rows)
        chain.track_where(conn, units, "unit_id", [r["unit_id"] for r in rows], also=[("election_id", election_id)])
    return added


def put_election_data(conn: Connection, data: ElectionData, *, source: str | None, user: str) -> bool:
    """Store an election with unit-level counts; False if all of it is already stored identically."""
    nation = data.nation
    created = create_election(conn, data.info, data.parties, form=None, user=user, nation_unit=nation.unit_id,
                              nation_name=nation.name)
    election_id = data.info.id
    codes = [p.code for p in data.parties]
    known_units = unit_parents(conn, election_id)
    stored = {r.unit_id: r for r in conn.execute(select(unit_results).where(unit_results.c.election_id == election_id))}
    rows: list[dict[str, Any]] = []
    new_units: list[dict[str, Any]] = []
    updated_units: list[str] = []
    ordinal = next_ordinal(conn, election_id)
    for unit in data.units:
        if unit.parent is not None and unit.parent not in known_units:
            raise InputError(f"unit {unit.unit_id!r} names a parent that is not given before it",
                             source=source, field="parent", value=unit.parent)
        row = _unit_result_values(election_id, unit, codes, source)
        old = stored.get(unit.unit_id)
        if old is not None:
            if any(getattr(old, k) != row[k] for k in _RESULT_FIELDS):
                raise ConflictError(f"{election_id}: unit {unit.unit_id!r} is already stored with different counts")
            continue
        rows.append(row)
        if unit.unit_id not in known_units:
            new_units.append({"election_id": election_id, "unit_id": unit.unit_id, "ordinal": ordinal,
                              "name": unit.name, "level": unit.level, "parent": unit.parent,
                              "kind": unit.kind or unit.level, "synthetic": unit.synthetic,
                              "stations_total": unit.stations_total})
            known_units[unit.unit_id] = unit.parent
            ordinal += 1
        elif unit.stations_total is not None:
            conn.execute(update(units).where(and_(units.c.election_id == election_id, units.c.unit_id == unit.unit_id))
                         .values(stations_total=unit.stations_total, kind=unit.kind or unit.level, name=unit.name))
            updated_units.append(unit.unit_id)
    if not rows:
        return created
    rows.sort(key=lambda r: r["unit_id"])  # the order verification recomputes the payload in
    payload = audit.payload_hash([
        audit.unit_result_record(r["unit_id"], r["votes"], r["valid"], r["registered"], r["ballots_cast"],
                                 r["invalid"], r["synthetic"]) for r in rows])
    entry = audit.append_entry(conn, actor=user, action="load", election_id=election_id,
                               subject=f"{len(rows)} unit results", reason=source, payload_hash=payload)
    if new_units:
        conn.execute(units.insert(), new_units)
    conn.execute(unit_results.insert(), [r | {"audit_seq": entry.seq} for r in rows])
    chain.track_where(conn, units, "unit_id", [u["unit_id"] for u in new_units] + updated_units,
                      also=[("election_id", election_id)])
    chain.track(conn, unit_results, [(election_id, r["unit_id"]) for r in rows])
    return True


def _election_values(info: ElectionInfo, form: str | None, nation_unit: str | None) -> dict[str, Any]:
    return {
        "id": info.id, "title": info.title, "date": _date_text(info.date), "ruleset": info.ruleset, "form": form,
        "status": info.status, "previous": info.previous, "country": info.country or "",
        "nation_unit": nation_unit or info.country or "nation",
        "official_seats": json.dumps(dict(info.official_seats), ensure_ascii=False, sort_keys=True),
    }


def _date_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InputError("not a date (YYYY-MM-DD)", field="date", value=value) from None


def _party_values(election_id: str, p: PartyInfo) -> dict[str, Any]:
    return {"election_id": election_id, "code": p.code, "name": p.name, "registration_order": p.registration_order,
            "candidates": p.candidates, "color": p.color, "kind": p.kind,
            "names": json.dumps(dict(p.names), ensure_ascii=False, sort_keys=True), "leader": p.leader,
            "previous_seats": p.previous_seats}


def _unit_result_values(election_id: str, unit: UnitCounts, codes: Sequence[str], source: str | None) -> dict[str, Any]:
    extra = sorted(set(unit.votes) - set(codes))
    missing = [c for c in codes if c not in unit.votes]
    if extra or missing:
        raise InputError(f"unit {unit.unit_id!r} does not give votes for exactly the election's parties",
                         source=source, field="votes", value=(extra or missing)[0])
    for code in codes:
        value = unit.votes[code]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"unit {unit.unit_id!r}: votes must be whole numbers >= 0", source=source,
                             field=f"votes.{code}", value=value)
    return {"election_id": election_id, "unit_id": unit.unit_id,
            "votes": json.dumps([unit.votes[c] for c in codes], separators=(",", ":")),
            "valid": unit.valid, "registered": unit.registered, "ballots_cast": unit.ballots_cast,
            "invalid": unit.invalid, "stations_reported": unit.stations_reported,
            "stations_total": unit.stations_total, "synthetic": unit.synthetic, "source": source}


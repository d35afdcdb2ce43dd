"""Many protocol submissions in one transaction, each checked, authorised, planned and audited on its own.

A web server receiving many single-protocol submissions at once commits them
together (group commit): one transaction and one sync for the group, while
each protocol keeps everything it would have had alone: its own checks, its
own authorisation (made under the write lock, so it cannot race a
certification), its own audit entry (actor, action, subject, payload hash)
and its own outcome. A protocol that fails its checks, its authorisation or
conflicts with the accepted one gets its error and does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, select, update

from saylau.errors import InputError, ProtocolError, SaylauError
from saylau.ids import check_id
from saylau.protocols import Form, ProtocolBatch, StationProtocol, Violation, check_protocols
from saylau.store import audit, chain
from saylau.store.bulk import insert_rows, query_rows, reserve_ids
from saylau.store.elections import election_row, line_keys_of, parties_of
from saylau.store.engine import write_transaction
from saylau.store.protocol_rows import TOTAL_NAMES, Current, Encoded, encode_batch, plan_writes
from saylau.store.records import StoredWarning, Submission, SubmitContext, SubmitResult
from saylau.store.schema import protocol_batches, protocol_versions, protocol_warnings
from saylau.store.unit_tree import (
    CLERKS_OPEN_STATIONS,
    check_level,
    check_new_units,
    election_settings,
    unit_tree,
)
from saylau.store.validation import Checked, resolve_form
from saylau.store.writer import _IN_BATCH, _VERSION_COLUMNS, _extra, ensure_units, url_refs
from saylau.tabulate.model import PartyInfo

__all__ = ["Authorise", "Ballot", "ExtraWarnings", "Outcome", "ballot", "submit_protocols"]

#: Called under the write lock for each submission that passed its checks; raises to refuse it.
Authorise = Callable[[Submission, SubmitContext], None]
#: Extra (relation, message) warnings of a protocol, given its totals (``registered``, ``ballots_cast``, ...).
ExtraWarnings = Callable[[StationProtocol, Mapping[str, int | None]], Sequence[tuple[str, str]]]
#: Per submission: what was stored, or why it was refused.
Outcome = SubmitResult | SaylauError


class _Item:
    """One submission on its way through: its index, its encoding and its warnings."""

    __slots__ = ("encoded", "form_warnings", "index", "submission", "warnings")

    def __init__(self, index: int, submission: Submission, encoded: Encoded, form_warnings: tuple[Violation, ...],
                 warnings: list[tuple[str, str]]) -> None:
        self.index = index
        self.submission = submission
        self.encoded = encoded
        self.form_warnings = form_warnings
        """The form's warning relations it fails (returned as ``SubmitResult.warnings``)."""
        self.warnings = warnings
        """Every warning to store: the form's and the caller's, as (relation, message)."""


class Ballot(NamedTuple):
    """What an election's protocols are checked and encoded against: fixed once it takes protocols."""

    form: Form
    parties: tuple[PartyInfo, ...]
    line_keys: list[str]
    codes: list[str]


def ballot(engine: Engine, election_id: str, cache: dict[str, Ballot] | None = None) -> Ballot:
    """The election's form, parties and stored line order (remembered in ``cache``: none of them changes
    once the election has a form)."""
    if cache is not None and election_id in cache:
        return cache[election_id]
    with engine.connect() as conn:
        row = election_row(conn, election_id)
        line_keys = line_keys_of(row)
        parties = parties_of(conn, election_id)
    if row["form"] is None or line_keys is None:
        raise InputError(f"election {election_id!r} was loaded from result tables and takes no protocols",
                         field="election", value=election_id)
    found = Ballot(resolve_form(row["form"]), parties, line_keys, [p.code for p in parties])
    if cache is not None:
        cache[election_id] = found
    return found


def submit_protocols(engine: Engine, election_id: str, submissions: Sequence[Submission], *,
                     authorise: Authorise | None = None, extra_warnings: ExtraWarnings | None = None,
                     ballots: dict[str, Ballot] | None = None) -> list[Outcome]:
    """Check and store ``submissions`` in one transaction; one outcome per submission, in order.

    Raises only for what concerns them all (an unknown election, one that takes
    no protocols, a database failure: then nothing is stored).
    """
    outcomes: list[Outcome | None] = [None] * len(submissions)
    form, parties, line_keys, codes = ballot(engine, election_id, ballots)
    ready: list[int] = []
    for i, s in enumerate(submissions):
        problem = _shape_problem(s, form, codes)
        if problem is not None:
            outcomes[i] = problem
        else:
            ready.append(i)
    items = _checked_items(submissions, ready, form, parties, line_keys, codes, outcomes, extra_warnings)
    if items:
        with write_transaction(engine) as conn:
            ((status, nation, settings_text),) = query_rows(
                conn, "SELECT status, nation_unit, settings FROM elections WHERE id = ?", (election_id,))
            settings = election_settings({"settings": settings_text})
            # A station named twice goes in a later round, planned against what the round before stored.
            while items:
                first_of: dict[str, _Item] = {}
                later: list[_Item] = []
                for it in items:
                    if it.encoded.station in first_of:
                        later.append(it)
                    else:
                        first_of[it.encoded.station] = it
                _write_round(conn, election_id, list(first_of.values()), status, nation, settings, authorise,
                             outcomes)
                items = later
    assert all(o is not None for o in outcomes)
    return outcomes  # type: ignore[return-value]


def _shape_problem(s: Submission, form: Form, codes: Sequence[str]) -> SaylauError | None:
    """The first thing wrong with a submission's shape: a correction without reason, a missing or unknown key."""
    p = s.protocol
    try:
        for field, value in (("station", p.station), ("region", p.region), ("territory", p.territory)):
            if value is not None:
                check_id(value, field=field, source=p.source, row=p.row)
    except InputError as exc:
        return exc
    if s.correction and not (s.reason and s.reason.strip()):
        return InputError("a correction needs a reason (--reason TEXT)", source=p.source, field="reason")
    for what, given, expected in (("lines", p.lines, form.line_keys), ("votes", p.votes, codes)):
        unknown = sorted(set(given) - set(expected))
        if unknown:
            return ProtocolError(f"station {p.station}: not a {what} key of this election", source=p.source,
                                 row=p.row, field=f"{what}.{unknown[0]}", value=unknown[0])
        missing = [k for k in expected if k not in given]
        if missing:
            return ProtocolError(f"station {p.station}: missing {what} key", source=p.source, row=p.row,
                                 field=f"{what}.{missing[0]}")
    return None


def _checked_items(submissions: Sequence[Submission], ready: list[int], form: Form, parties: Any,
                   line_keys: Sequence[str], codes: Sequence[str], outcomes: list[Outcome | None],
                   extra_warnings: ExtraWarnings | None) -> list[_Item]:
    """Check the well-formed submissions as one batch; the ones without errors, encoded, with their warnings."""
    if not ready:
        return []
    protocols = [submissions[i].protocol for i in ready]
    batch = ProtocolBatch(form, parties, protocols)
    errors: dict[int, list[Violation]] = {}
    warned: dict[int, list[Violation]] = {}
    for v in check_protocols(batch, form):
        assert v.index is not None
        (errors if v.is_error else warned).setdefault(v.index, []).append(v)
    for k, violations in errors.items():
        outcomes[ready[k]] = Checked((), tuple(violations), source=protocols[k].source).error()
    accepted = [k for k in range(len(ready)) if k not in errors]
    encoded = encode_batch(batch, form, line_keys, codes, accepted)
    items = []
    for e in encoded:
        p = protocols[e.index]
        found = [(v.relation, v.describe()) for v in warned.get(e.index, ())]
        if extra_warnings is not None:
            found.extend(extra_warnings(p, dict(zip(TOTAL_NAMES, e.totals, strict=True))))
        items.append(_Item(ready[e.index], submissions[ready[e.index]], e, tuple(warned.get(e.index, ())), found))
    return items


def _check_new_station(e: Encoded, nation: str, tree: dict[str, tuple[str, str | None]],
                       source: str | None) -> list[tuple[str, str, str | None]]:
    """Refuse a submission adding a station the tree's rules forbid (its own outcome, before anything is
    written); the units (id, level, parent) it would add."""
    region_id = f"{nation}/{e.region}"
    place = f"{region_id}/{e.territory}" if e.territory else region_id
    new = [(region_id, "region", nation)] if region_id not in tree else []
    if e.territory and place not in tree:
        new.append((place, "territory", region_id))
    check_level(region_id, "region", tree[region_id][0] if region_id in tree else None, source=source)
    check_level(place, "territory" if e.territory else "region", tree[place][0] if place in tree else None,
                source=source)
    new.append((e.station, "station", place))
    check_new_units(new, tree, source=source)
    return new


def _write_round(conn: Connection, election_id: str, items: list[_Item], status: str, nation: str,
                 settings: Mapping[str, Any], authorise: Authorise | None, outcomes: list[Outcome | None]) -> None:
    """Authorise, plan and write submissions naming distinct stations."""
    stations = [it.encoded.station for it in items]
    known, current, other_levels = _stations_now(conn, election_id, stations)
    parents = {unit_id: parent for unit_id, (_, parent) in known.items()}
    tree: dict[str, tuple[str, str | None]] | None = None  # read once, if a submission names a new station
    writes: list[tuple[_Item, Current | None]] = []
    unchanged: list[tuple[_Item, Current]] = []
    for it in items:
        s, station = it.submission, it.encoded.station
        try:
            check_level(station, "station", other_levels.get(station), source=s.protocol.source)
            adds: list[tuple[str, str, str | None]] = []
            if station not in known:
                if tree is None:
                    tree = unit_tree(conn, election_id)
                adds = _check_new_station(it.encoded, nation, tree, s.protocol.source)
            if authorise is not None:
                authorise(s, SubmitContext(election_id, status, nation, parents.get(station),
                                           registered=station in known,
                                           clerks_open_stations=bool(settings.get(CLERKS_OPEN_STATIONS))))
            accepted = {station: current[station]} if station in current else {}
            plan = plan_writes([it.encoded], accepted, correction=s.correction, source=s.protocol.source)
        except SaylauError as exc:
            outcomes[it.index] = exc
            continue
        if tree is not None:  # the units it adds are known to the submissions after it
            tree.update((unit_id, (level, parent)) for unit_id, level, parent in adds)
        if plan.unchanged:
            unchanged.append((it, current[station]))
        else:
            writes.append((it, current.get(station)))
    if unchanged:
        kept = _warnings_of(conn, election_id, [old.id for _, old in unchanged])
        for it, old in unchanged:
            outcomes[it.index] = SubmitResult("unchanged", old.station, old.version, (), None,
                                              tuple(kept.get(old.id, ())))
    if writes:
        _write(conn, election_id, nation, writes, known, outcomes)


def _stations_now(conn: Connection, election_id: str, stations: Sequence[str]
                  ) -> tuple[dict[str, tuple[int, str | None]], dict[str, Current], dict[str, str]]:
    """Each registered station's unit key and parent, its current version if it has one, and the level of each
    of ``stations`` that is the id of a unit of another level (one query)."""
    known: dict[str, tuple[int, str | None]] = {}
    current: dict[str, Current] = {}
    others: dict[str, str] = {}
    ordered = sorted(set(stations))
    for i in range(0, len(ordered), _IN_BATCH):
        chunk = ordered[i:i + _IN_BATCH]
        marks = ", ".join(["?"] * len(chunk))
        rows = query_rows(conn, "SELECT u.unit_id, u.id, u.parent, u.level, v.id, v.version, v.region, v.territory, "
                                "v.lines, v.votes, v.synthetic FROM units u LEFT JOIN protocol_versions v "
                                "ON v.election_id = ? AND v.unit_ref = u.id AND v.is_current "
                                f"WHERE u.election_id = ? AND u.unit_id IN ({marks})",
                          (election_id, election_id, *chunk))
        for unit_id, ref, parent, level, vid, version, region, territory, lines, votes, synthetic in rows:
            if level != "station":
                others[unit_id] = level
                continue
            known[unit_id] = (ref, parent)
            if vid is not None:
                current[unit_id] = Current(vid, unit_id, version, region, territory, lines, votes, bool(synthetic))
    return known, current, others


def _unit_refs(conn: Connection, election_id: str, nation: str, encoded: Sequence[Encoded],
               known: Mapping[str, tuple[int, str | None]]) -> dict[str, int]:
    """The unit key of each protocol's station: known already on election night (the stations are
    registered); otherwise the store adds the units (or moves a station a correction moves)."""
    refs: dict[str, int] = {}
    for e in encoded:
        place = f"{nation}/{e.region}/{e.territory}" if e.territory else f"{nation}/{e.region}"
        unit = known.get(e.station)
        if unit is None or unit[1] != place:
            return ensure_units(conn, election_id, encoded)
        refs[e.station] = unit[0]
    return refs


def _write(conn: Connection, election_id: str, nation: str, writes: list[tuple[_Item, Current | None]],
           known: Mapping[str, tuple[int, str | None]], outcomes: list[Outcome | None]) -> None:
    """Store new versions, one audit entry each, and their warnings (ids reserved first, so nothing is read back)."""
    encoded = [it.encoded for it, _ in writes]
    versions = [1 if old is None else old.version + 1 for _, old in writes]
    entries = audit.append_entries(conn, [{
        "actor": it.submission.user, "action": "submit" if old is None else "correct", "election_id": election_id,
        "subject": f"station {e.station}", "reason": it.submission.reason,
        "payload_hash": audit.protocols_payload_hash([e.station], [v], [e.region], [e.territory], [e.lines],
                                                     [e.votes], [e.synthetic])}
        for (it, old), e, v in zip(writes, encoded, versions, strict=True)])
    seqs = [entry.seq for entry in entries]
    insert_rows(conn, protocol_batches, ("audit_seq", "source"),
                [(seq, it.submission.protocol.source) for seq, (it, _) in zip(seqs, writes, strict=True)])
    for seq in seqs:
        chain.track(conn, protocol_batches, [seq], seq=seq)
    unit_refs = _unit_refs(conn, election_id, nation, encoded, known)
    protocols = [it.submission.protocol for it, _ in writes]
    urls = [p.url for p in protocols]
    refs_of_urls = url_refs(conn, urls) if any(urls) else {}
    superseded = [old.id for _, old in writes if old is not None]
    for i in range(0, len(superseded), 500):
        conn.execute(update(protocol_versions).where(protocol_versions.c.id.in_(superseded[i:i + 500]))
                     .values(is_current=False))
    n = len(writes)
    first = reserve_ids(conn, protocol_versions, n)
    extras = [_extra([p.extra], 0) for p in protocols]
    insert_rows(conn, protocol_versions, _VERSION_COLUMNS, list(zip(
        range(first, first + n), repeat(election_id, n), [unit_refs[e.station] for e in encoded],
        [e.station for e in encoded], versions, repeat(True, n), [e.region for e in encoded],
        [e.territory for e in encoded], [e.lines for e in encoded], [e.votes for e in encoded],
        *zip(*(e.totals for e in encoded), strict=True), [e.synthetic for e in encoded], [p.row for p in protocols],
        [refs_of_urls.get(u) for u in urls], extras, seqs, strict=True)))
    for k, seq in enumerate(seqs):
        chain.track(conn, protocol_versions, [first + k], seq=seq)
    warning_count = sum(len(it.warnings) for it, _ in writes)
    first_warning = reserve_ids(conn, protocol_warnings, warning_count) if warning_count else 0
    rows: list[tuple[Any, ...]] = []
    stored: list[list[StoredWarning]] = []
    for k, ((it, _), e, version) in enumerate(zip(writes, encoded, versions, strict=True)):
        mine = []
        if it.warnings:
            chain.track_range(conn, protocol_warnings, first_warning + len(rows),
                              first_warning + len(rows) + len(it.warnings) - 1, seq=seqs[k])
        for relation, message in it.warnings:
            wid = first_warning + len(rows)
            rows.append((wid, first + k, relation, message, False))
            mine.append(StoredWarning(wid, election_id, e.station, version, relation, message, False, None, None,
                                      None))
        stored.append(mine)
    insert_rows(conn, protocol_warnings, ("id", "version_id", "relation", "message", "handled"), rows)
    for (it, old), e, version, seq, mine in zip(writes, encoded, versions, seqs, stored, strict=True):
        outcomes[it.index] = SubmitResult("stored" if old is None else "corrected", e.station, version,
                                          it.form_warnings, seq, tuple(mine))


def _warnings_of(conn: Connection, election_id: str, version_ids: list[int]) -> dict[int, list[StoredWarning]]:
    pv, pw = protocol_versions.c, protocol_warnings.c
    query = (select(pw.id, pv.election_id, pv.station, pv.version, pw.relation, pw.message, pw.handled,
                    pw.explanation, pw.handled_by, pw.handled_at, pw.version_id)
             .join_from(protocol_warnings, protocol_versions, pw.version_id == pv.id)
             .where(pw.version_id.in_(version_ids)).order_by(pw.id))
    found: dict[int, list[StoredWarning]] = {}
    for r in conn.execute(query):
        found.setdefault(r.version_id, []).append(StoredWarning(r.id, r.election_id, r.station, r.version, r.relation,
                                                                r.message, bool(r.handled), r.explanation,
                                                                r.handled_by, r.handled_at))
    return found

"""The store: elections, their units, parties, protocol versions and results, and the audit log.

Open one with :func:`open_store`. Every write runs in one transaction under the
store's write lock (see :func:`~saylau.store.engine.write_transaction`) and
appends one audit entry; reads never take the lock.
"""

from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from saylau.errors import InputError, SaylauError, StorageError
from saylau.gcpause import gc_paused
from saylau.ids import check_ids, ids_valid, joined_ids_valid
from saylau.protocols import ProtocolBatch, StationProtocol
from saylau.protocols.double_entry import Entry
from saylau.store import audit, blocks, chain, elections, entries, reads, unit_tree
from saylau.store.audit import AuditCheck, AuditEntry
from saylau.store.bulk import query_rows
from saylau.store.engine import make_engine, resolve_url, sync_log, write_transaction
from saylau.store.migrate import current_revision, head_revision, upgrade
from saylau.store.protocol_rows import encode_batch, plan_writes
from saylau.store.records import (
    IngestReport,
    ProtocolVersion,
    StoredWarning,
    Submission,
    SubmitResult,
)
from saylau.store.schema import (
    audit_head,
    audit_log,
    protocol_entries,
    protocol_versions,
    protocol_warnings,
    unit_results,
    units,
)
from saylau.store.schema import elections as elections_table
from saylau.store.submissions import Authorise, Ballot, ExtraWarnings
from saylau.store.submissions import submit_protocols as submit_many
from saylau.store.unit_tree import check_new_stations
from saylau.store.validation import check_batch, resolve_form
from saylau.store.writer import (
    begin_protocol_write,
    current_versions,
    ensure_units,
    station_parents,
    urls_of,
    write_plan,
)
from saylau.tabulate.model import ElectionData, ElectionInfo, Level, PartyInfo

__all__ = ["Store", "default_user", "open_store"]


def default_user() -> str:
    """Who is acting: ``$SAYLAU_USER``, else the login name."""
    try:
        return os.environ.get("SAYLAU_USER") or getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"


def open_store(url: str | os.PathLike[str] | None = None, *, migrate: bool = True,
               sync_on_commit: bool = True, must_exist: bool = False) -> Store:
    """Open the store at ``url``: a SQLAlchemy URL, ``postgresql://...``, or a SQLite file path.

    The default is ``$SAYLAU_DB``, else ``./saylau.sqlite``. The schema is
    migrated to the newest version first unless ``migrate`` is False. With
    ``sync_on_commit`` False (a group committer), a SQLite commit is durable
    only after :meth:`Store.sync`, which the caller runs before acknowledging it.
    With ``must_exist`` a SQLite file that is not there is an InputError (a
    reader must not leave an empty database behind).
    """
    if must_exist:
        _require_sqlite_file(url)
    engine = make_engine(url, sync_on_commit=sync_on_commit)
    try:
        if migrate:
            upgrade(engine)
    except OperationalError as exc:
        engine.dispose()
        raise StorageError(f"cannot open the database {engine.url.render_as_string()}: {exc.orig}") from None
    return Store(engine)


def store_exists(url: str | os.PathLike[str] | None = None) -> bool:
    """Whether the store at ``url`` is there to read: a SQLite file exists (reading must not create one);
    a server URL counts as existing."""
    parsed = make_url(resolve_url(url))
    return not (parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
                and not Path(parsed.database).is_file())


def _require_sqlite_file(url: str | os.PathLike[str] | None) -> None:
    if not store_exists(url):
        raise InputError("no such database file", field="--db", value=make_url(resolve_url(url)).database)


_M = TypeVar("_M", bound=Callable[..., Any])


def _reads_blocks(method: _M) -> _M:
    """A method that reads pending protocol blocks itself, or touches no station: no unpacking first."""
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with blocks.reading_blocks():
            return method(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


class Store:
    """An open store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._ballots: dict[str, Ballot] = {}
        blocks.install(engine)  # a connection opened for rows first unpacks pending protocol blocks

    def close(self) -> None:
        self.engine.dispose()

    def sync(self) -> None:
        """Make every commit so far durable (needed only for a store opened with ``sync_on_commit=False``)."""
        sync_log(self.engine)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # -- elections ---------------------------------------------------------------------------------

    @_reads_blocks
    def list_elections(self) -> list[ElectionInfo]:
        """Every stored election, by id."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(elections_table).order_by(elections_table.c.id)).mappings().all()
        return [elections.info_from_row(row) for row in rows]

    @_reads_blocks
    def has_election(self, election_id: str) -> bool:
        with self.engine.connect() as conn:  # straight through the driver: every ingest and request asks it
            return bool(query_rows(conn, "SELECT id FROM elections WHERE id = ?", (election_id,)))

    @_reads_blocks
    def election_info(self, election_id: str) -> ElectionInfo:
        """The election's metadata; InputError if it is not stored."""
        with self.engine.connect() as conn:
            return elections.info_from_row(elections.election_row(conn, election_id))

    @_reads_blocks
    def election_form(self, election_id: str) -> str | None:
        """The name of the protocol form of the election's protocols (None for one loaded from tables)."""
        with self.engine.connect() as conn:
            return elections.election_row(conn, election_id)["form"]  # type: ignore[no-any-return]

    @_reads_blocks
    def nation_unit(self, election_id: str) -> str:
        """The id of the election's nation unit (the top of its unit tree)."""
        with self.engine.connect() as conn:
            return str(elections.election_row(conn, election_id)["nation_unit"])

    @_reads_blocks
    def parties(self, election_id: str) -> tuple[PartyInfo, ...]:
        """The election's parties in registration order."""
        with self.engine.connect() as conn:
            elections.election_row(conn, election_id)
            return elections.parties_of(conn, election_id)

    def create_election(self, info: ElectionInfo, parties: Sequence[PartyInfo], *, form: str | None = None,
                        user: str | None = None, nation_name: str | None = None) -> bool:
        """Store a new election with its parties (and the protocol form its stations use).

        ``nation_name`` names the nation unit (its id is the country code, e.g.
        ``KZ``; the name shown is e.g. ``Kazakhstan``). Returns False if an
        identical election is stored; a different one under the same id is
        refused with ConflictError.
        """
        line_keys = resolve_form(form).line_keys if form else None
        with write_transaction(self.engine) as conn:
            return elections.create_election(conn, info, parties, form=form, user=user or default_user(),
                                             line_keys=line_keys, nation_name=nation_name)

    def set_election_status(self, election_id: str, status: str, *, user: str | None = None,
                            summary: object = None, reason: str | None = None) -> bool:
        """Set the election's status (e.g. ``certified``) with an audit entry hashing ``summary``; False if
        it already has that status. Protocol writes read the status under the same lock
        (:meth:`submit_protocols`' ``authorise``), so none can slip in after a certification."""
        with write_transaction(self.engine) as conn:
            return elections.set_status(conn, election_id, status, user=user or default_user(), summary=summary,
                                        reason=reason)

    def certify(self, election_id: str, *, user: str | None = None, status: str = "certified",
                reason: str | None = None) -> tuple[bool, dict[str, object]]:
        """Certify the election: read its national totals and set its status in ONE write transaction, so the
        totals the audit entry records are exactly the ones certified (no protocol can land in between).

        Returns (changed, the totals recorded); changed is False if it already had that status.
        """
        with write_transaction(self.engine) as conn:
            nation = reads.election_data(conn, election_id, ["nation"]).nation
            summary: dict[str, object] = {
                "votes": dict(nation.votes), "valid": nation.valid, "invalid": nation.invalid,
                "ballots_cast": nation.ballots_cast, "registered": nation.registered,
                "stations_reported": nation.stations_reported, "stations_total": nation.stations_total}
            changed = elections.set_status(conn, election_id, status, user=user or default_user(), summary=summary,
                                           reason=reason)
        return changed, summary

    def register_stations(self, election_id: str, stations: Iterable[tuple[str, str, str | None]], *,
                          user: str | None = None) -> int:
        """Register the stations an election expects a protocol from, as ``(station, region, territory)``,
        before their protocols arrive (so "stations reported X of Y" has its Y); how many were new.

        The units get the ids and parents ingest gives them; a station already
        registered under another commission is an InputError. One audit entry.
        """
        with write_transaction(self.engine) as conn:
            return elections.register_stations(conn, election_id, stations, user=user or default_user())

    def unit_tree(self, election_id: str) -> dict[str, tuple[str, str | None]]:
        """Every unit of the election: its level and its parent (see :mod:`saylau.store.unit_tree`)."""
        with self.engine.connect() as conn:
            elections.election_row(conn, election_id)
            return unit_tree.unit_tree(conn, election_id)

    def unit(self, election_id: str, unit_id: str) -> tuple[str, str | None] | None:
        """A unit's level and parent (None if the election has no such unit)."""
        with self.engine.connect() as conn:
            return unit_tree.unit_of(conn, election_id, unit_id)

    def unit_levels(self, unit_id: str, election_id: str | None = None) -> dict[str, str]:
        """The level of the unit ``unit_id`` in each election that has one (only ``election_id``, if given)."""
        with self.engine.connect() as conn:
            return unit_tree.levels_of(conn, unit_id, election_id)

    def stations_below(self, election_id: str, unit: str) -> set[str]:
        """The station ids at or below ``unit`` (an id, or a name); InputError for an unknown unit."""
        with self.engine.connect() as conn:
            return reads.stations_below(conn, election_id, unit)

    @_reads_blocks
    def change_counter(self) -> int:
        """The number of the newest audit entry: it grows with every write."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(audit_head.c.seq).where(audit_head.c.id == 1)).scalar_one())

    @_reads_blocks
    def election_settings(self, election_id: str) -> dict[str, object]:
        """The election's settings, every known one (see :data:`saylau.store.unit_tree.SETTINGS`)."""
        with self.engine.connect() as conn:
            return unit_tree.election_settings(elections.election_row(conn, election_id))

    def set_election_settings(self, election_id: str, changes: dict[str, object], *,
                              user: str | None = None) -> dict[str, object]:
        """Change election settings (one audit entry naming the changes, none if nothing changes); all of them."""
        with write_transaction(self.engine) as conn:
            row = elections.election_row(conn, election_id)
            return unit_tree.set_election_settings(conn, election_id, row, changes, user=user or default_user())

    def put_election_data(self, data: ElectionData, *, source: str | None = None, user: str | None = None) -> bool:
        """Store an election with unit-level counts (e.g. an official results table).

        Returns False if it is already stored identically; different counts for a
        stored unit are refused with ConflictError (accepted data is never
        silently changed).
        """
        with write_transaction(self.engine) as conn:
            return elections.put_election_data(conn, data, source=source, user=user or default_user())

    # -- protocols ---------------------------------------------------------------------------------

    @_reads_blocks
    def ingest(self, batch: ProtocolBatch, *, election_id: str, correction: bool = False, reason: str | None = None,
               user: str | None = None, skip_invalid: bool = False, info: ElectionInfo | None = None,
               chunk_size: int | None = None, progress: Callable[[int], None] | None = None,
               authorise: Callable[[str, dict[str, str | None]], None] | None = None) -> IngestReport:
        """Check and store a batch of protocols.

        Every protocol is checked before anything is written: a row the reader
        refused or a failed error relation raises ProtocolError listing every
        problem, and nothing is written (with ``skip_invalid`` those protocols
        are left out and returned in ``rejected``). The election is created on
        its first ingest (from ``info``, else from the batch: its parties and
        form). An identical protocol for an accepted station is a no-op; a
        different one raises ConflictError unless ``correction`` with a
        ``reason``, which stores a new version and keeps the old.

        The write is one transaction; with ``chunk_size`` it is one transaction
        per chunk (each with its own audit entry), so an interrupted import
        keeps whole chunks and can simply be rerun. ``progress(n)`` is called
        after each chunk with the number of protocols it held.

        ``authorise(status, registered_under)`` runs inside each chunk's write
        transaction, before anything is written, with the election's status and
        the unit each registered station of the chunk belongs to (read under the
        write lock, so no certification can slip in between); whatever it raises
        aborts the chunk.
        """
        with gc_paused():
            return self._ingest(batch, election_id=election_id, correction=correction, reason=reason,
                                user=user or default_user(), skip_invalid=skip_invalid, info=info,
                                chunk_size=chunk_size, progress=progress, authorise=authorise)

    def _ingest(self, batch: ProtocolBatch, *, election_id: str, correction: bool, reason: str | None, user: str,
                skip_invalid: bool, info: ElectionInfo | None, chunk_size: int | None,
                progress: Callable[[int], None] | None,
                authorise: Callable[[str, dict[str, str | None]], None] | None = None) -> IngestReport:
        _require_reason(correction, reason)
        form = resolve_form(batch.form)
        table = batch.table
        paths = table.paths
        # With the reader's paths, the few distinct parts are judged first; the ids one by one (naming the first
        # refused and its row) only when that fails.
        for field, values, parts_valid in (
                ("station", table.stations, lambda p: joined_ids_valid(p.heads, p.leaves)),
                ("region", table.regions, lambda p: ids_valid([r for r, _ in p.places])),
                ("territory", table.territories, lambda p: ids_valid([t for _, t in p.places]))):
            if paths is None or not parts_valid(paths):
                check_ids(values, field=field, source=batch.source, rows=table.rows)
        checked = check_batch(batch, form)
        if checked.errors and not skip_invalid:
            raise checked.error()
        created = False
        new_election = not self.has_election(election_id)
        if new_election:
            # Created in the first chunk's transaction: an ingest that fails leaves no election behind.
            line_keys = list(form.line_keys)
            codes = [p.code for p in sorted(batch.parties, key=lambda p: (p.registration_order, p.code))]
        else:
            with self.engine.connect() as conn:
                row = elections.election_row(conn, election_id)
            if row["form"] is None:  # loaded from result tables: its stations' protocols use this form from now on
                with write_transaction(self.engine) as conn:
                    elections.attach_form(conn, election_id, form.name, form.line_keys, user=user)
            with self.engine.connect() as conn:
                row = elections.election_row(conn, election_id)
                line_keys = elections.line_keys_of(row)
                codes = [p.code for p in elections.parties_of(conn, election_id)]
            if row["form"] != form.name or line_keys is None:
                raise InputError(f"election {election_id!r} uses the form {row['form']!r}", source=batch.source,
                                 field="form", value=form.name)
        rows = batch.table.rows
        totals = {"stored": 0, "corrected": 0, "unchanged": 0, "warned": 0}
        seqs: list[int] = []
        everything = len(checked.accepted) == len(table)  # accepted is ascending: equal length means every row
        accepted_stations = table.stations if everything else [table.stations[i] for i in checked.accepted]
        if not correction and (chunk_size is None or chunk_size >= len(checked.accepted)):
            # A new election's stations (or any batch of new stations no row or block holds yet) go in one block.
            # Rows of a table whose reader saw every station once are distinct (any subset of them too).
            distinct = table.distinct or len(set(accepted_stations)) == len(accepted_stations)
            with self.engine.connect() as conn:
                as_block = blocks.blockable(conn, election_id, accepted_stations, distinct=distinct)
            written = False
            if as_block:
                with write_transaction(self.engine) as conn:
                    if new_election:
                        base = info or ElectionInfo(id=election_id, title=election_id, country=form.country)
                        created = elections.create_election(conn, base, batch.parties, form=form.name, user=user,
                                                            line_keys=form.line_keys)
                    if authorise is not None:
                        authorise(elections.election_row(conn, election_id)["status"],
                                  station_parents(conn, election_id, accepted_stations))
                    # Still, under the write lock (another writer may have stored some of these stations).
                    written = blocks.blockable(conn, election_id, accepted_stations, distinct=distinct)
                    if written:
                        seq, warned = self._write_block(conn, batch, form, checked, election_id, line_keys, codes,
                                                        user=user, reason=reason)
                new_election = new_election and not created  # created, though another writer took the stations
                if written:
                    seqs.append(seq)
                    totals["stored"] += len(accepted_stations)
                    totals["warned"] += warned
                    if progress is not None:
                        progress(len(accepted_stations))
                    return self._finish(batch, checked, election_id, created, totals, seqs, user)
        with self.engine.connect() as conn:  # the rows path needs the election's stations as rows
            pending = blocks.has_pending(conn, election_id)
        if pending:
            blocks.unpack_pending(self.engine, election_id)
        encoded = encode_batch(batch, form, line_keys, codes, checked.accepted)
        stations = [e.station for e in encoded]
        size = chunk_size or max(len(encoded), 1)
        if size < len(encoded):
            with self.engine.connect() as conn:  # refuse every conflict before the first chunk is written
                plan_writes(encoded, current_versions(conn, election_id, stations), correction=correction,
                            source=batch.source, rows=rows)

        for start in range(0, max(len(encoded), 1), size):
            chunk = encoded[start:start + size]
            with write_transaction(self.engine) as conn:
                if new_election and start == 0:
                    base = info or ElectionInfo(id=election_id, title=election_id, country=form.country)
                    created = elections.create_election(conn, base, batch.parties, form=form.name, user=user,
                                                        line_keys=form.line_keys)
                if authorise is not None:
                    authorise(elections.election_row(conn, election_id)["status"],
                              station_parents(conn, election_id, [e.station for e in chunk]))
                plan = plan_writes(chunk, current_versions(conn, election_id, [e.station for e in chunk]),
                                   correction=correction, source=batch.source, rows=rows)
                action = "correct" if plan.corrections else "ingest"
                subject = f"{len(plan.new) + len(plan.corrections)} protocols" + (
                    f" from {batch.source}" if batch.source else "")
                seq, warned = write_plan(conn, election_id, plan, batch, checked.warnings, user=user,
                                         action=action, reason=reason, subject=subject)
            if seq is not None:
                seqs.append(seq)
            totals["stored"] += len(plan.new)
            totals["corrected"] += len(plan.corrections)
            totals["unchanged"] += len(plan.unchanged)
            totals["warned"] += warned
            if progress is not None:
                progress(len(chunk))
        return self._finish(batch, checked, election_id, created, totals, seqs, user)

    def _write_block(self, conn: Connection, batch: ProtocolBatch, form: Any, checked: Any, election_id: str,
                     line_keys: Sequence[str], codes: Sequence[str], *, user: str,
                     reason: str | None) -> tuple[int, int]:
        """Store the accepted protocols of ``batch`` as one block (the caller checked that they may be)."""
        table = batch.table
        accepted = checked.accepted
        everything = len(accepted) == len(table)
        regions = table.regions if everything else [table.regions[i] for i in accepted]
        territories = table.territories if everything else [table.territories[i] for i in accepted]
        stations = table.stations if everything else [table.stations[i] for i in accepted]
        # The block is encoded in a second thread (its names compressed, its counts packed: zlib and NumPy let go
        # of the GIL) while this one checks the ids and writes the units; nothing in it depends on what this one
        # writes. Imported here, as a command that only reads never needs it.
        from concurrent.futures import ThreadPoolExecutor

        paths = table.paths if everything else None
        placed = blocks.places_of(regions, territories) if paths is None else (
            {place: k for k, place in enumerate(paths.places)}, paths.place_of)
        warnings = dict(checked.warnings)
        with ThreadPoolExecutor(max_workers=1) as helper:
            encoding = helper.submit(blocks.encode_block, batch, form, line_keys, codes, accepted, warnings,
                                     placed=placed, paths=paths, stations=stations)
            seq = begin_protocol_write(conn, election_id, batch.source, user=user, action="ingest", reason=reason,
                                       subject=f"{len(accepted)} protocols" + (
                                           f" from {batch.source}" if batch.source else ""))
            tree = unit_tree.unit_tree(conn, election_id)  # given the new regions and territories below
            ensure_units(conn, election_id, (), source=batch.source, places=placed[0], tree=tree)
            check_new_stations(stations, tree, source=batch.source, paths=paths)
            urls_of(table.urls, accepted, batch.source, table.rows, everything=everything)  # none too long
            data = encoding.result()
        blocks.store_block(conn, election_id, seq, data)
        return seq, len(warnings)  # warned protocols are accepted ones (check_batch leaves out the refused)

    def _finish(self, batch: ProtocolBatch, checked: Any, election_id: str, created: bool, totals: dict[str, int],
                seqs: list[int], user: str) -> IngestReport:
        known = [(k.station, k.region, k.territory) for k in batch.unreported]
        known += [(r.station, r.region, r.territory) for r in checked.rejected if r.station and r.region]
        if known:  # listed without a protocol, or rejected: known stations, not reported (never zeros)
            with write_transaction(self.engine) as conn:
                in_blocks = blocks.pending_stations(conn, election_id)  # they have a protocol: not "known" ones
                elections.register_stations(conn, election_id, [k for k in known if k[0] not in in_blocks],
                                            user=user)
        return IngestReport(election_id, created, totals["stored"], totals["corrected"], totals["unchanged"],
                            totals["warned"], checked.rejected, tuple(seqs), len(batch.unreported))

    def submit_protocol(self, election_id: str, protocol: StationProtocol, *, user: str, correction: bool = False,
                        reason: str | None = None) -> SubmitResult:
        """Check and store one protocol of a stored election (what the web API calls).

        Raises ProtocolError with every violation when an error relation fails,
        ConflictError when the station has a different accepted protocol and this
        is not a correction with a reason. Warnings do not block: they are stored
        with the protocol and returned.
        """
        _require_reason(correction, reason)
        (outcome,) = self.submit_protocols(election_id, [Submission(protocol, user, correction, reason)])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def submit_protocols(self, election_id: str, submissions: Sequence[Submission], *,
                         authorise: Authorise | None = None,
                         extra_warnings: ExtraWarnings | None = None) -> list[SubmitResult | SaylauError]:
        """Check and store protocols of several users in one transaction (group commit); one outcome each.

        Each submission is handled as :meth:`submit_protocol` would handle it
        alone, with its own audit entry (its user the actor) and its own
        outcome: a :class:`SubmitResult`, or the error refusing it (ProtocolError,
        ConflictError, InputError, or whatever ``authorise`` raised), which does
        not stop the others. ``authorise(submission, context)`` runs under the
        write lock with the election's status and the station's registered
        commission. ``extra_warnings(protocol, totals)`` adds (relation,
        message) warnings stored beside the form's. Raises only for what
        concerns every submission (unknown election; nothing is then stored).
        """
        with gc_paused():
            return submit_many(self.engine, election_id, submissions, authorise=authorise,
                               extra_warnings=extra_warnings, ballots=self._ballots)

    def station_protocols(self, election_id: str, unit: str | None = None) -> Iterator[StationProtocol]:
        """The current protocol of every station (below ``unit``, an id or a name, when given)."""
        with self.engine.connect() as conn:
            protocols = list(reads.station_protocols(conn, election_id, unit))
        return iter(protocols)

    @_reads_blocks
    def station_count_rows(self, election_id: str, unit: str | None = None) -> reads.StationCountRows:
        """The counts of every station's current protocol as plain integer rows (below ``unit`` when given)."""
        with self.engine.connect() as conn:
            return reads.station_count_rows(conn, election_id, unit)

    def protocol_history(self, election_id: str, station: str) -> list[ProtocolVersion]:
        """Every stored version of a station's protocol, oldest first, the current one marked."""
        with self.engine.connect() as conn:
            return reads.protocol_history(conn, election_id, station)

    # -- warnings ----------------------------------------------------------------------------------

    def warnings(self, election_id: str, *, handled: bool | None = None) -> list[StoredWarning]:
        """Warnings of the current protocols (all, or only handled or unhandled ones)."""
        with self.engine.connect() as conn:
            elections.election_row(conn, election_id)
            return reads.warnings(conn, election_id, handled)

    def handle_warning(self, warning_id: int, *, user: str, explanation: str) -> None:
        """Mark a warning handled with an explanation; recorded in the audit log."""
        if not explanation.strip():
            raise InputError("handling a warning needs an explanation", field="explanation")
        pw, pv = protocol_warnings.c, protocol_versions.c
        with write_transaction(self.engine) as conn:
            row = conn.execute(select(pw.id, pv.election_id, pv.station)
                               .join_from(protocol_warnings, protocol_versions, pw.version_id == pv.id)
                               .where(pw.id == warning_id)).first()
            if row is None:
                raise InputError("no such warning", field="warning", value=warning_id)
            entry = audit.append_entry(conn, actor=user, action="handle-warning", election_id=row.election_id,
                                       subject=f"warning {warning_id} of station {row.station}", reason=explanation,
                                       payload_hash=audit.payload_hash([warning_id, explanation]))
            conn.execute(update(protocol_warnings).where(pw.id == warning_id).values(
                handled=True, explanation=explanation, handled_by=user, handled_at=entry.at))
            chain.track(conn, protocol_warnings, [warning_id])

    # -- double entry ------------------------------------------------------------------------------

    @_reads_blocks
    def double_entry(self, election_id: str) -> str:
        """The election's double-entry setting: ``off``, ``optional`` or ``required``."""
        with self.engine.connect() as conn:
            return entries.double_entry(conn, election_id)

    def set_double_entry(self, election_id: str, mode: str, *, user: str | None = None) -> bool:
        """Change the election's double-entry setting (audited); False if it already had it."""
        with write_transaction(self.engine) as conn:
            return entries.set_double_entry(conn, election_id, mode, user=user or default_user())

    def station_place(self, election_id: str, station: str) -> entries.StationPlace | None:
        """A registered station's region, territory and commission (None if it is not registered)."""
        with self.engine.connect() as conn:
            return entries.station_place(conn, election_id, station)

    def entry_state(self, election_id: str, station: str) -> entries.EntryState:
        """Where a station's double entry stands, with its live entries."""
        with self.engine.connect() as conn:
            elections.election_row(conn, election_id)
            return entries.entry_state(conn, election_id, station)

    def entry_states(self, election_id: str, stations: Iterable[str]) -> dict[str, str]:
        """The double-entry state of each station."""
        with self.engine.connect() as conn:
            return entries.entry_states(conn, election_id, stations)

    def record_entry(self, election_id: str, station: str, typist: str, entry: Entry) -> entries.EntryOutcome:
        """Record one typist's entry of a station's protocol (see :func:`saylau.store.entries.record_entry`)."""
        with write_transaction(self.engine) as conn:
            elections.election_row(conn, election_id)
            return entries.record_entry(conn, election_id, station, typist, entry)

    def discard_entry(self, election_id: str, station: str, side: str, *, user: str,
                      reason: str | None = None) -> int:
        """Set aside a station's first or second entry; the audit entry's number."""
        with write_transaction(self.engine) as conn:
            return entries.discard_entry(conn, election_id, station, side, user=user, reason=reason)

    def close_entries(self, election_id: str, station: str, *, user: str, reason: str | None = None) -> int | None:
        """Mark a station's live entries accepted (its protocol is stored); the audit entry's number."""
        with write_transaction(self.engine) as conn:
            return entries.close_entries(conn, election_id, station, user=user, reason=reason)

    # -- results -----------------------------------------------------------------------------------

    def election_data(self, election_id: str, *, level: Level | Iterable[Level] | None = None) -> ElectionData:
        """The election's counts at ``level`` (one level, several, or all when None), nation first.

        Units with stored results (official tables) give those; every other unit
        is the sum of the current protocols below it, with stations reported and
        total; sums that include a synthetic protocol are marked synthetic.
        """
        levels = [level] if isinstance(level, str) else (list(level) if level is not None else None)
        # Above the stations, pending blocks are summed as they are; the station level needs them as rows.
        native = blocks.reading_blocks() if levels is not None and "station" not in levels else nullcontext()
        # Thousands of leaves and units, no reference cycle: a collection would only walk them again.
        with native, gc_paused(), self.engine.connect() as conn:
            return reads.election_data(conn, election_id, levels)  # type: ignore[arg-type]

    # -- audit -------------------------------------------------------------------------------------

    @_reads_blocks
    def verify_audit_log(self, *, expect_head: str | None = None) -> AuditCheck:
        """Verify the whole chain: numbering, hashes, links, the head (and the published ``expect_head``), every
        covered row against the row ledger, and the data each entry recorded."""
        with self.engine.connect() as conn:
            return self.verify_connection(conn, expect_head=expect_head)

    @staticmethod
    def verify_connection(conn: Connection, *, expect_head: str | None = None) -> AuditCheck:
        """:meth:`verify_audit_log` on an open connection (it sees that connection's uncommitted changes)."""
        revision, newest = current_revision(conn), head_revision()
        if revision != newest:
            return AuditCheck(False, 0, "", None, f"the schema revision is {revision!r}, not {newest!r}: edited "
                                                  "outside saylau", "alembic_version", revision)
        return audit.verify_chain(conn, expect_head=expect_head)

    def audit_entries(self, *, election_id: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first (only the newest ``limit`` when given)."""
        with self.engine.connect() as conn:
            return list(audit.iter_entries(conn, election_id=election_id, limit=limit))

    def counts(self) -> dict[str, int]:
        """Rows per table (status output and consistency checks)."""
        with self.engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in (elections_table, units, protocol_versions, protocol_warnings, unit_results, audit_log,
                              protocol_entries)}


def _require_reason(correction: bool, reason: str | None) -> None:
    if correction and not (reason and reason.strip()):
        raise InputError("a correction needs a reason (--reason TEXT)", field="reason")

"""Group commit: concurrent single-protocol submissions written together by one writer thread.

Each HTTP submission is queued with its credentials and a way to answer
it (a future its request awaits). One writer thread takes everything queued when it is free (no
waiting to fill a group: a lone submission is written at once), resolves
the groups' API tokens in one query, refuses the ones without valid
credentials or outside their role, and hands the rest to
:meth:`Store.submit_protocols`: one transaction and one sync for the group,
while every protocol is still checked, authorised under the write lock (its
station's registered commission, the election's certification), audited
and answered on its own. A failing protocol gets its own error and does not
stop the others. A future is resolved only after the transaction holding
its protocol has committed and been synced to disk, so no client hears 201
before its protocol is durable; on SQLite the sync is a separate step, made
by a second thread for every group committed since the last one while the
writer goes on with the next group (see :class:`GroupCommitter`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

from saylau.errors import SaylauError, StorageError
from saylau.protocols import StationProtocol
from saylau.store import Store, Submission, SubmitContext, SubmitResult
from saylau.store.users import User, UserStore
from saylau.web.access import NotAuthenticated, check_protocol_write
from saylau.web.policy import policy_warnings
from saylau.web.status import CERTIFIED
from saylau.web.units import territory_id

__all__ = ["MAX_GROUP", "GroupCommitter", "Pending"]

#: Most submissions written in one transaction (a group's work stays well under a tenth of a second).
MAX_GROUP = 400


@dataclasses.dataclass(slots=True)
class Pending:
    """A queued submission: who sent it (a verified user, or an API token still to resolve) and its future."""

    election_id: str
    nation: str
    """The election's nation unit (the first part of a territory's id)."""
    protocol: StationProtocol
    correction: bool
    reason: str | None
    user: User | None
    token: str | None
    future: asyncio.Future[SubmitResult]
    """Resolved once, in ``loop``, with the outcome (after the sync, for a write)."""
    loop: asyncio.AbstractEventLoop


def _policy(protocol: StationProtocol, totals: Any) -> list[tuple[str, str]]:
    return policy_warnings(protocol.station, totals["registered"], totals["ballots_cast"], totals["invalid"],
                           votes=dict(protocol.votes))


class GroupCommitter:
    """A writer thread and a syncer thread per app; :meth:`submit` queues a protocol and waits for its outcome.

    ``store`` writes; with a SQLite store opened with ``sync_on_commit=False`` its
    commits are made durable by :meth:`Store.sync` in the syncer thread, which
    answers the clients of every group committed since its last sync. The writer
    meanwhile writes the next group: one sync covers many groups, and no client
    hears of its protocol before the sync that makes it durable.
    """

    def __init__(self, store: Store, users: UserStore, *, write_lock: threading.RLock,
                 wrote: Callable[[int | None], None], max_group: int = MAX_GROUP) -> None:
        self.store = store
        self.users = users
        self.write_lock = write_lock
        self.wrote = wrote
        self.max_group = max_group
        self._queue: queue.SimpleQueue[Pending | None] = queue.SimpleQueue()
        self._committed: queue.SimpleQueue[_Committed | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._start_lock = threading.Lock()
        self.groups = 0
        """Groups taken from the queue so far, and the submissions they held (their ratio is the mean group size)."""
        self.items = 0
        self.syncs = 0
        """Syncs made so far (each answers every group committed before it)."""

    async def submit(self, election_id: str, nation: str, protocol: StationProtocol, *, user: User | None = None,
                     token: str | None = None, correction: bool = False, reason: str | None = None) -> SubmitResult:
        """Store ``protocol`` for ``user`` (or the owner of API ``token``); its result once durable, or its error."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[SubmitResult] = loop.create_future()
        self.put(Pending(election_id, nation, protocol, correction, reason, user, token, future, loop))
        # Once queued, the protocol is written whether or not anyone still listens: a request that goes away
        # cancels only this wait (its future), and the writer skips answering a cancelled future.
        return await future

    def put(self, pending: Pending) -> None:
        """Queue a submission (from any thread); ``pending.future`` gets its outcome."""
        self._ensure_started()
        self._queue.put(pending)

    def close(self) -> None:
        """Stop after what is queued (daemon threads: they never keep a process alive)."""
        if any(t.is_alive() for t in self._threads):
            self._queue.put(None)
            for t in self._threads:
                t.join(10)

    def _ensure_started(self) -> None:
        if self._threads and all(t.is_alive() for t in self._threads):
            return
        with self._start_lock:
            if not self._threads or not all(t.is_alive() for t in self._threads):
                self._threads = [threading.Thread(target=self._run, name="saylau-group-commit", daemon=True),
                                 threading.Thread(target=self._sync_loop, name="saylau-group-sync", daemon=True)]
                for t in self._threads:
                    t.start()

    def _run(self) -> None:
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                group = [first]
                while len(group) < self.max_group:
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        self._queue.put(None)  # stop after this group
                        break
                    group.append(more)
                self.groups += 1
                self.items += len(group)
                try:
                    self._committed.put(self._write(group))
                except BaseException as exc:  # never leave a client waiting, whatever went wrong
                    _settle([(p, exc if isinstance(exc, Exception) else RuntimeError(str(exc))) for p in group])
        finally:
            self._committed.put(None)

    def _sync_loop(self) -> None:
        while True:
            first = self._committed.get()
            if first is None:
                return
            done = [first]
            while True:
                try:
                    more = self._committed.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._committed.put(None)
                    break
                done.append(more)
            try:
                self.store.sync()
                failure: Exception | None = None
            except Exception as exc:  # the commits are made, their durability is unknown: say so
                failure = StorageError(f"the database could not confirm the write is on disk: {exc}")
            self.syncs += 1
            self.wrote(max((c.seq for c in done if c.seq is not None), default=None))
            _settle([(p, failure if failure is not None and isinstance(outcome, SubmitResult) else outcome)
                     for committed in done for p, outcome in committed.outcomes])

    def _write(self, group: list[Pending]) -> _Committed:
        tokens = {p.token for p in group if p.user is None and p.token}
        known = self.users.users_for_tokens(tokens) if tokens else {}
        by_election: dict[str, list[tuple[Pending, User]]] = {}
        committed = _Committed([], None)  # refusals too are answered with the group, one wake-up for all
        for p in group:
            user = p.user or (known.get(p.token) if p.token else None)
            try:
                if user is None:
                    raise NotAuthenticated("the API token is not valid (unknown or revoked)" if p.token else
                                           "sign in, or send an API token (Authorization: Bearer ...)")
                # What needs no database first (role, scope): refused here, never checked further.
                check_protocol_write(user, election_id=p.election_id, station=p.protocol.station,
                                     commission=territory_id(p.nation, p.protocol.region, p.protocol.territory),
                                     registered_under=None, correction=p.correction, certified=False)
            except SaylauError as exc:
                committed.outcomes.append((p, exc))
                continue
            by_election.setdefault(p.election_id, []).append((p, user))
        for election_id, items in by_election.items():
            self._commit(election_id, items, committed)
        return committed

    def _commit(self, election_id: str, items: Sequence[tuple[Pending, User]], committed: _Committed) -> None:
        users = {}
        submissions = []
        for p, user in items:
            s = Submission(dataclasses.replace(p.protocol, source=f"web:{user.name}"), user.name, p.correction,
                           p.reason)
            users[id(s)] = user
            submissions.append(s)

        def authorise(s: Submission, ctx: SubmitContext) -> None:
            p = s.protocol
            check_protocol_write(users[id(s)], election_id=election_id, station=p.station,
                                 commission=territory_id(ctx.nation, p.region, p.territory),
                                 registered_under=ctx.registered_under, correction=s.correction,
                                 certified=ctx.status == CERTIFIED, registered=ctx.registered,
                                 clerks_open_stations=ctx.clerks_open_stations)

        try:
            with self.write_lock:
                outcomes: list[Any] = self.store.submit_protocols(election_id, submissions, authorise=authorise,
                                                                  extra_warnings=_policy)
        except Exception as exc:  # the whole group failed (unknown election, database down): nothing was stored
            committed.outcomes.extend((p, exc) for p, _ in items)
            return
        seqs = [o.audit_seq for o in outcomes if isinstance(o, SubmitResult) and o.audit_seq is not None]
        committed.seq = max([*seqs, committed.seq or 0]) or None
        committed.outcomes.extend((p, outcome) for (p, _), outcome in zip(items, outcomes, strict=True))


@dataclasses.dataclass(slots=True)
class _Committed:
    """A committed group, waiting for the sync that makes it durable: each submission's outcome, the newest entry."""

    outcomes: list[tuple[Pending, Any]]
    seq: int | None


def _settle(outcomes: Sequence[tuple[Pending, SubmitResult | BaseException]]) -> None:
    """Resolve the futures of ``outcomes`` (from a committer thread): one wake-up of each event loop for them all,
    not one per submission (a thread waking the loop costs a system call and a turn at the interpreter lock)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[Pending, SubmitResult | BaseException]]] = {}
    for p, outcome in outcomes:
        by_loop.setdefault(p.loop, []).append((p, outcome))
    for loop, mine in by_loop.items():
        if not loop.is_closed():
            loop.call_soon_threadsafe(_resolve, mine)


def _resolve(outcomes: Sequence[tuple[Pending, SubmitResult | BaseException]]) -> None:
    for p, outcome in outcomes:
        if p.future.done():  # its request is gone
            continue
        if isinstance(outcome, BaseException):
            p.future.set_exception(outcome)
        else:
            p.future.set_result(outcome)

"""Who may do what: the role and scope rules, as pure functions that raise or return.

A station commission submits its own station's protocol; a territorial
commission submits and corrects the protocols of the stations of its
territory and handles their warnings; the central commission may do all of
that anywhere, certifies elections and manages users; the public reads.
Under double entry a typist (scoped to a territory) enters protocols of its
territory's stations and does nothing else; a station and a territorial
commission enter theirs too; a coordinator (the territorial commission of the
station, or central) settles two entries that differ. Once
an election is certified only the central commission may still change it.
"""

from __future__ import annotations

from saylau.errors import AccessDenied, InputError
from saylau.store.users import User
from saylau.web.roles import RANK, ROLES, SCOPE_LEVEL

__all__ = ["NotAuthenticated", "check_central", "check_entry_coordinator", "check_entry_write", "check_grant",
           "check_manages", "check_protocol_write", "check_scope", "check_warning_handler"]


class NotAuthenticated(AccessDenied):
    """No (valid) credentials were given for a write: HTTP 401."""


def _signed_in(user: User | None, election_id: str | None) -> User:
    if user is None:
        raise NotAuthenticated("sign in, or send an API token (Authorization: Bearer ...)")
    if election_id is not None and user.election_id is not None and user.election_id != election_id:
        raise AccessDenied(f"user {user.name!r} acts for election {user.election_id!r} only")
    return user


def check_central(user: User | None, election_id: str | None = None) -> User:
    """The central commission only (certifying, managing users)."""
    user = _signed_in(user, election_id)
    if user.role != "central":
        raise AccessDenied(f"only the central commission may do this (user {user.name!r} is {user.role})")
    return user


def check_protocol_write(user: User | None, *, election_id: str, station: str, commission: str,
                         registered_under: str | None, correction: bool, certified: bool, registered: bool = True,
                         clerks_open_stations: bool = False) -> User:
    """May ``user`` store this protocol? ``commission`` is the unit the protocol names as its territory
    (``{nation}/{region}/{territory}``), ``registered_under`` the unit the station is registered under,
    ``registered`` whether the station exists (a clerk files only for an existing station, unless the
    election lets territorial commissions open stations in their own territory)."""
    user = _signed_in(user, election_id)
    if certified and user.role != "central":
        raise AccessDenied(f"election {election_id!r} is certified: only the central commission may change it")
    if user.role == "central":
        return user
    if not registered and not (clerks_open_stations and user.role == "territorial"):
        raise AccessDenied(f"{station!r} is not a registered station of election {election_id!r}; only the "
                           "central commission sets up stations")
    if user.role == "station":
        if station != user.scope:
            raise AccessDenied(f"station commission {user.name!r} may submit only station {user.scope!r}")
        if correction:
            raise AccessDenied("a station commission cannot correct an accepted protocol; ask its territorial commission")
        if registered_under is not None and registered_under != commission:
            raise InputError(f"station {station!r} belongs to {registered_under!r}", field="territory",
                             value=commission)
        return user
    if user.role == "territorial":
        if commission != user.scope or (registered_under is not None and registered_under != user.scope):
            raise AccessDenied(f"territorial commission {user.name!r} acts only within {user.scope!r}")
        return user
    if user.role == "typist":
        raise AccessDenied(f"typist {user.name!r} enters protocols for double entry only "
                           "(POST /api/elections/{id}/entries/{station})")
    raise AccessDenied(f"user {user.name!r} ({user.role}) may only read")


def check_entry_write(user: User | None, *, election_id: str, station: str, commission: str,
                      certified: bool) -> User:
    """May ``user`` enter the protocol of ``station``, registered under ``commission``, for double entry?"""
    user = _signed_in(user, election_id)
    if certified and user.role != "central":
        raise AccessDenied(f"election {election_id!r} is certified: only the central commission may change it")
    if user.role == "central":
        return user
    if user.role == "station" and station == user.scope:
        return user
    if user.role in ("typist", "territorial") and commission == user.scope:
        return user
    raise AccessDenied(f"user {user.name!r} ({user.role}) may not enter the protocol of station {station!r} "
                       f"(it belongs to {commission!r})")


def check_entry_coordinator(user: User | None, *, election_id: str, commission: str) -> User:
    """May ``user`` see both entries of a station under ``commission`` and settle them (its territorial
    commission, or central)?"""
    user = _signed_in(user, election_id)
    if user.role == "central" or (user.role == "territorial" and commission == user.scope):
        return user
    raise AccessDenied(f"only the territorial commission of {commission!r} or the central commission settles "
                       f"its entries (user {user.name!r} is {user.role})")


def check_warning_handler(user: User | None, *, election_id: str, station_under: str | None) -> User:
    """May ``user`` explain and close a warning of a station registered under ``station_under``?"""
    user = _signed_in(user, election_id)
    if user.role == "central":
        return user
    if user.role == "territorial" and station_under is not None and station_under == user.scope:
        return user
    raise AccessDenied(f"user {user.name!r} ({user.role}) may not handle warnings of stations under "
                       f"{station_under!r}")


def check_grant(granter: User | None, *, role: str, election_id: str | None) -> str | None:
    """May ``granter`` create a user with ``role`` for ``election_id``? Rights are granted only within one's own:
    the central commission manages users, and a central user of one election only users of that election
    (a new user with no election given gets the granter's). The new user's election, or AccessDenied."""
    admin = check_central(granter)
    if role not in RANK:
        raise InputError(f"unknown role; one of {', '.join(ROLES)}", field="role", value=role)
    if admin.election_id is None:
        return election_id
    if election_id is not None and election_id != admin.election_id:
        raise AccessDenied(f"user {admin.name!r} manages users of election {admin.election_id!r} only")
    return admin.election_id


def check_manages(manager: User | None, target: User) -> User:
    """May ``manager`` act on ``target`` (issue or revoke its tokens)? Itself always; otherwise the central
    commission, and a central user of one election only users of that election."""
    if manager is not None and manager.name == target.name:
        return manager
    admin = check_central(manager)
    if admin.election_id is not None and target.election_id != admin.election_id:
        raise AccessDenied(f"user {admin.name!r} manages users of election {admin.election_id!r} only")
    return admin


def check_scope(role: str, scope: str | None, levels: dict[str, str]) -> None:
    """A scoped role's scope must name a unit of its level (``levels``: the level of ``scope`` in each election
    that has such a unit, restricted to the user's election when it has one)."""
    wanted = SCOPE_LEVEL.get(role)
    if wanted is None or scope is None:
        return
    if wanted not in levels.values():
        found = ", ".join(sorted(set(levels.values()))) or "no unit"
        raise InputError(f"a {role} user's scope must be the id of a {wanted} unit ({scope!r} is {found})",
                         field="scope", value=scope)

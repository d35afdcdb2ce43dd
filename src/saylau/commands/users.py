"""``saylau users add NAME --role ROLE [--scope ID] [--token]`` and ``saylau users list``: web app accounts."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from saylau.commands.ingest import add_db_option
from saylau.web.roles import ROLES

__all__ = ["register", "run_add", "run_list", "run_tokens_list", "run_tokens_revoke"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("users", help="manage the web app's users (web extra)",
                       description="Users of the web app and their roles: station (its own station), typist "
                                   "(enters its territory's protocols for double entry), territorial (its territory), "
                                   "central (everything, certification, users), public (reads).")
    users_sub = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", help="create a user")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--scope", metavar="ID", help="station id (station) or territory unit id (typist, territorial)")
    add.add_argument("--election", metavar="ID", help="limit the user to one election")
    add.add_argument("--password-env", metavar="VAR", help="read the password from this environment variable "
                                                           "(default: ask, unless --no-password)")
    add.add_argument("--no-password", action="store_true", help="no password: the user signs in by API token only")
    add.add_argument("--token", action="store_true", help="also issue an API token and print it (shown once)")
    add_db_option(add)
    add.set_defaults(run=run_add)
    ls = users_sub.add_parser("list", help="list the users")
    add_db_option(ls)
    ls.set_defaults(run=run_list)
    tokens = users_sub.add_parser("tokens", help="list or revoke API tokens",
                                  description="API tokens are valid for 30 days after they are issued (the server's "
                                              "setting) and stored only as digests: listing shows their ids, never "
                                              "the tokens.")
    tokens_sub = tokens.add_subparsers(dest="tokens_command", metavar="ACTION", required=True)
    tls = tokens_sub.add_parser("list", help="list the tokens: id, user, label, issued, expires, state")
    tls.add_argument("--user", metavar="NAME", help="only this user's tokens")
    add_db_option(tls)
    tls.set_defaults(run=run_tokens_list)
    trv = tokens_sub.add_parser("revoke", help="revoke a token at once (an audit entry records it)")
    trv.add_argument("token_id", metavar="ID", type=int, help="the token's id (from 'users tokens list')")
    add_db_option(trv)
    trv.set_defaults(run=run_tokens_revoke)


def _user_store(db: str | None):  # type: ignore[no-untyped-def]
    from saylau.store import open_store
    from saylau.store.users import UserStore

    store = open_store(db)
    return store, UserStore(store.engine)


def run_add(args: argparse.Namespace) -> int:
    from saylau.errors import InputError

    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            raise InputError("the environment variable is not set", field="password-env", value=args.password_env)
    elif not args.no_password:
        if not sys.stdin.isatty():  # getpass would read no terminal and end in EOFError
            raise InputError("no terminal to ask the password on: give it with --password-env VAR "
                             "(or create the user with --no-password)", field="password-env")
        password = getpass.getpass(f"password for {args.name}: ")
    store, users = _user_store(args.db)
    with store:
        from saylau.web.access import check_scope

        if args.scope is not None:
            check_scope(args.role, args.scope, store.unit_levels(args.scope, args.election))
        user = users.add_user(args.name, args.role, password=password, scope=args.scope, election_id=args.election)
        print(f"user {user.name}: {user.role}" + (f" of {user.scope}" if user.scope else ""))
        if args.token:
            print(users.create_token(user.name, label="saylau users add"), file=sys.stdout)
    return 0


def run_list(args: argparse.Namespace) -> int:
    store, users = _user_store(args.db)
    with store:
        for user in users.list_users():
            scope = f"\t{user.scope}" if user.scope else ""
            print(f"{user.name}\t{user.role}{scope}")
    return 0


def run_tokens_list(args: argparse.Namespace) -> int:
    store, users = _user_store(args.db)
    with store:
        for t in users.tokens(args.user):
            print(f"{t['id']}\t{t['user']}\t{t['state']}\tissued {t['issued_at']}\texpires {t['expires_at']}"
                  f"\t{t['label'] or ''}")
    return 0


def run_tokens_revoke(args: argparse.Namespace) -> int:
    from saylau.store import default_user

    store, users = _user_store(args.db)
    with store:
        changed = users.revoke_token(args.token_id, by=default_user())
        print(f"token {args.token_id} " + ("revoked" if changed else "was already revoked"))
    return 0

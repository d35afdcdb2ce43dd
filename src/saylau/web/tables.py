"""The web app's tables, declared in the store's schema (SQL lives only in :mod:`saylau.store`).

Kept as names for the web modules: users, API tokens, sessions and login attempts
are migrated by the store's one migration chain and covered by its audit chain.
"""

from __future__ import annotations

from saylau.store.schema import ROLES, api_tokens, login_attempts, sessions, users

__all__ = ["ROLES", "api_tokens", "login_attempts", "sessions", "users"]

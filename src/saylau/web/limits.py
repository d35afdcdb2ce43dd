"""Hostile requests stopped before any route sees them: bodies above a limit, NUL characters in the path or query.

:class:`BodyLimit` is plain ASGI (no per-request task or body copy: election
night's submit route passes through it thousands of times a minute). A
declared ``Content-Length`` above the limit is answered 413 before a byte of
the body is read; a body without one (chunked) is counted as it streams in,
and the route reading it gets :class:`BodyTooLarge` (413) the moment it passes
the limit, so no oversized body is ever held whole or parsed. Batch routes
(``.../batch``, ``.../units``) have their own, larger limit.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException

__all__ = ["BATCH_LIMIT", "BODY_LIMIT", "BodyLimit", "BodyTooLarge"]

#: Largest body of an ordinary request (bytes): a protocol is about 1 KB.
BODY_LIMIT = 1 << 20
#: Largest body of a batch route: 20,000 protocols fit.
BATCH_LIMIT = 32 << 20
_BATCH_SUFFIXES = ("/batch", "/units")


class BodyTooLarge(HTTPException):
    """A request body above the route's limit: HTTP 413 (FastAPI passes it through its body parsing)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(413, f"the request body is larger than this server accepts ({limit} bytes)")


def _answer(status: int, message: str) -> tuple[dict[str, Any], dict[str, Any]]:
    body = json.dumps({"error": message}).encode()
    return ({"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                         (b"connection", b"close")]},
            {"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse bodies above ``limit`` (``batch_limit`` on batch routes) with 413, and NUL in a path or query
    with 404 (400 in a query), before the app parses anything."""

    def __init__(self, app: Any, *, limit: int = BODY_LIMIT, batch_limit: int = BATCH_LIMIT) -> None:
        self.app = app
        self.limit = limit
        self.batch_limit = batch_limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if "\x00" in path or b"%00" in scope.get("query_string", b""):
            # No resource has a NUL in its name (and PostgreSQL refuses NUL in text): not found, or a bad query.
            status = 404 if "\x00" in path else 400
            for message in _answer(status, "a NUL character is not allowed in a path or query"):
                await send(message)
            return
        limit = self.batch_limit if path.endswith(_BATCH_SUFFIXES) else self.limit
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > limit:
                    status, text = (413, str(BodyTooLarge(limit).detail)) if declared > limit else \
                        (400, "the Content-Length header is not a number")
                    for message in _answer(status, text):
                        await send(message)
                    return
                # The server delivers no more than it declared: nothing left to count.
                await self.app(scope, receive, send)
                return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)

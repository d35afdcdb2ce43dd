"""``/docs``: the API's interactive documentation, served by saylau itself.

Swagger UI 5 comes from the ``swagger-ui-bundle-v2`` package (Apache-2.0, its
licence shipped with it) installed with the ``web`` extra; saylau serves its
stylesheet and script from ``/docs/assets/`` and starts it with its own
``/static/docs.js``. No script comes from another host and none is inline, so
the page passes the app's own Content-Security-Policy (``script-src 'self'``).
The "validator" badge, which would call validator.swagger.io, is switched off.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from saylau.web.units import NotFound

__all__ = ["ASSETS", "router"]

router = APIRouter(include_in_schema=False)

#: The Swagger UI files the page uses (nothing else of the bundle is served).
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon-32x32.png": "image/png",
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>saylau API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


@cache
def _folder() -> Path:
    try:
        from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]
    except ImportError as exc:  # the 'web' extra installs it
        raise NotFound("the API documentation needs the 'web' extra: pip install 'saylau[web]'",
                       field="docs") from exc
    return Path(swagger_ui_path)


@router.get("/docs", response_class=HTMLResponse)
def docs_page() -> HTMLResponse:
    _folder()
    return HTMLResponse(PAGE, headers={"cache-control": "no-cache"})


@router.get("/docs/assets/{name}")
def docs_asset(name: str) -> FileResponse:
    if name not in ASSETS:  # a fixed list: no path from the request reaches the file system
        raise NotFound("no such documentation asset", field="asset", value=name)
    return FileResponse(_folder() / name, media_type=ASSETS[name], headers={"cache-control": "max-age=86400"})

"""The web app's language choice; the catalogs and formats themselves live in :mod:`saylau.i18n`.

The language is chosen by ``?lang=``, then the ``saylau_lang`` cookie (set
when ``?lang=`` is given), then the browser's Accept-Language, else English.
"""

from __future__ import annotations

from saylau.i18n import LANG_COOKIE, LANGUAGES, NAMES, Catalog, catalog, choose_language

__all__ = ["LANGUAGES", "LANG_COOKIE", "NAMES", "Catalog", "catalog", "choose_language"]

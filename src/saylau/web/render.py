"""Rendering pages from their dicts: the templates, their filters, and results pages for anonymous readers.

No request is needed here (nor FastAPI), so a worker process can render a
results page in every language when it computes the page's snapshot: on
election night most readers are anonymous and get those bytes as they are.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from saylau.i18n import (
    LANGUAGES,
    NAMES,
    catalog,
    date_text,
    datetime_text,
    decimal,
    number,
    percent,
)
from saylau.i18n.names import body_name, election_title, party_name, place_name

__all__ = ["human_time", "render", "render_results", "results_paths"]

def human_time(iso: str | None, lang: str = "en") -> str:
    """An ISO 8601 time as people write it, in UTC: ``10 January 2021, 21:03 UTC``."""
    return datetime_text(iso, lang)


def _number(value: Any, lang: str = "en") -> str:
    """Whole numbers grouped by thousands (a comma in English, a no-break space in Kazakh and Russian)."""
    return number(value, lang)


def unit_url(election_id: str, unit_id: str, level: str) -> str:
    """The page of a unit (the nation's page for the nation)."""
    if level == "nation":
        return f"/elections/{quote(election_id, safe='')}"
    return f"/elections/{quote(election_id, safe='')}/units/{quote(unit_id, safe='/')}"


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("saylau.web", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["n"] = _number
    env.filters["unit_url"] = unit_url
    env.filters["when"] = human_time
    env.filters["pct"] = percent
    env.filters["dec"] = decimal
    env.filters["day"] = date_text
    env.filters["place"] = place_name
    env.filters["party"] = party_name
    env.filters["election_title"] = election_title
    env.filters["body"] = body_name
    return env


def render(template: str, *, lang: str, path: str, user: Any = None, csrf: str | None = None,
           **context: Any) -> str:
    """A page in ``lang``: the template given the catalog, the languages, who is signed in and the dict."""
    return _env().get_template(template).render(
        t=catalog(lang), lang=lang, languages=[(code, NAMES[code]) for code in LANGUAGES], path=path, user=user,
        csrf=csrf, **context)


def results_paths(view: dict[str, Any]) -> tuple[str, str]:
    """The page's path and its JSON twin's path."""
    election_id, unit = view["election"]["id"], view["unit"]
    path = unit_url(election_id, unit["unit_id"], unit["level"])
    return path, f"{path}.json"


def _steps(view: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """The seat explanation of a twin in ``lang`` (through the catalog, party codes as names)."""
    from saylau.report.export import from_json_value
    from saylau.report.model import Step
    from saylau.report.steps import step_text

    names = {p["code"]: party_name(p["name"], lang, p.get("names")) for p in view["parties"]}
    return [step_text(Step(s["topic"], s["clause"] or "", s["text"], s["code"] or "",
                           tuple((k, from_json_value(v)) for k, v in s["values"].items())), lang, names)
            for s in view["seats"].get("explanation", [])]


def _official(view: dict[str, Any], lang: str) -> str:
    check = view["seats"].get("official_check")
    if not check:
        return ""
    t = catalog(lang)
    if check["matches"]:
        return t["report.official_matches"]
    names = {p["code"]: party_name(p["name"], lang, p.get("names")) for p in view["parties"]}
    parties = ", ".join(t("report.official_difference", party=names.get(d["code"], d["name"]),
                          seats=number(d["seats"], lang), declared=number(d["declared"], lang))
                        for d in check["differences"])
    return t("report.official_differs", parties=parties)


def render_results(view: dict[str, Any], lang: str, *, user: Any = None, csrf: str | None = None) -> str:
    """The results page of ``view`` (the nation, a region, a commission or a station)."""
    path, json_url = results_paths(view)
    arch = Markup((view.get("_arch") or {}).get(lang) or "")  # SVG written by the report, its text escaped there
    return render("results.html.j2", lang=lang, path=path, user=user, csrf=csrf, v=view, json_url=json_url,
                  arch=arch, steps=_steps(view, lang), official=_official(view, lang))

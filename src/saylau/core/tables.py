"""Results as rows and columns: the shape notebooks and data frames take.

The core imports only the standard library, so it never imports pandas itself:
:func:`to_frame` hands the rows to the converter that :mod:`saylau.frames`
installs (it does so whenever the saylau package is imported). The HTML table
notebooks show (``_repr_html_``) needs nothing but the standard library.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from saylau.errors import SaylauError

__all__ = ["html_table", "install_frame_maker", "to_frame"]

Rows = Sequence[Mapping[str, Any]]
FrameMaker = Callable[[Rows, Sequence[str]], Any]

_maker: FrameMaker | None = None


def install_frame_maker(maker: FrameMaker) -> None:
    """Name the function that turns rows and columns into a data frame (saylau.frames does)."""
    global _maker
    _maker = maker


def to_frame(rows: Rows, columns: Sequence[str]) -> Any:
    """``rows`` as a data frame with ``columns``, by the installed converter."""
    if _maker is None:
        raise SaylauError("no data-frame converter is installed; import saylau (saylau.frames installs it)")
    return _maker(rows, columns)


def html_table(rows: Sequence[Sequence[str]], header: Sequence[str], *, caption: str = "",
               numeric: Sequence[bool] = ()) -> str:
    """An escaped HTML table; columns flagged ``numeric`` are right-aligned."""
    def cell(tag: str, text: str, right: bool) -> str:
        style = ' style="text-align:right"' if right else ""
        return f"<{tag}{style}>{html.escape(text)}</{tag}>"

    flags = (list(numeric) + [False] * len(header))[: len(header)]
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(cell("th", h, r) for h, r in zip(header, flags, strict=True))
                 + "</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(cell("td", c, r) for c, r in zip(row, flags, strict=True)) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)

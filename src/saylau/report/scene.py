"""Pictures as plain shapes, written out as deterministic SVG text.

Charts are built once as a :class:`Scene` (circles, rectangles, text, groups)
and then written as SVG here or drawn as PNG by :mod:`saylau.report.raster`.
Coordinates are floats (they only place shapes); the SVG text fixes their
formatting so the same scene always gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Literal

__all__ = ["FONT", "Circle", "Group", "Rect", "Scene", "Text", "num", "safe_id", "to_svg"]

#: The pages' own font stack, so a chart reads in the same type as the text around it.
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'

Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True, slots=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str = ""
    css_class: str = ""


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str = ""
    css_class: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float
    text: str
    size: float = 12
    anchor: Anchor = "start"
    bold: bool = False
    fill: str = "#1a1a1a"


@dataclass(frozen=True, slots=True)
class Group:
    """Shapes that belong together (one party's seats); ``title`` is their tooltip and accessible name."""

    id: str
    items: tuple[Circle | Rect | Text, ...]
    title: str = ""
    data: tuple[tuple[str, str], ...] = ()
    """``data-*`` attributes, e.g. (("party", "NO"), ("seats", "76"))."""


Item = Circle | Rect | Text | Group


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    width: float
    height: float
    title: str
    desc: str
    items: tuple[Item, ...] = field(default_factory=tuple)


@lru_cache(maxsize=8192)
def num(value: float) -> str:
    """Fixed formatting: at most two decimals, no trailing zeros, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def safe_id(text: str) -> str:
    """An id fragment from any code: letters, digits, ``_`` and ``-`` only."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", text) or "x"


@lru_cache(maxsize=1024)
def _attr(value: str) -> str:
    return escape(value, quote=True)


@lru_cache(maxsize=1024)
def _paint(fill: str, stroke: str) -> str:
    out = f' fill="{_attr(fill)}"'
    if stroke:
        out += f' stroke="{_attr(stroke)}" stroke-width="1"'
    return out


@lru_cache(maxsize=256)
def _cls(css_class: str) -> str:
    return f' class="{_attr(css_class)}"' if css_class else ""


def _item(item: Item, indent: str) -> list[str]:
    if isinstance(item, Circle):
        return [f'{indent}<circle{_cls(item.css_class)} cx="{num(item.cx)}" cy="{num(item.cy)}" '
                f'r="{num(item.r)}"{_paint(item.fill, item.stroke)}/>']
    if isinstance(item, Rect):
        head = (f'{indent}<rect{_cls(item.css_class)} x="{num(item.x)}" y="{num(item.y)}" '
                f'width="{num(item.width)}" height="{num(item.height)}"{_paint(item.fill, item.stroke)}')
        if item.title:
            return [f"{head}><title>{escape(item.title)}</title></rect>"]
        return [head + "/>"]
    if isinstance(item, Text):
        weight = ' font-weight="bold"' if item.bold else ""
        return [f'{indent}<text x="{num(item.x)}" y="{num(item.y)}" font-size="{num(item.size)}" '
                f'text-anchor="{item.anchor}"{weight} fill="{_attr(item.fill)}">{escape(item.text)}</text>']
    data = "".join(f' data-{safe_id(k)}="{_attr(v)}"' for k, v in item.data)
    lines = [f'{indent}<g id="{_attr(item.id)}"{data}>']
    if item.title:
        lines.append(f"{indent}  <title>{escape(item.title)}</title>")
    for child in item.items:
        lines.extend(_item(child, indent + "  "))
    lines.append(f"{indent}</g>")
    return lines


def to_svg(scene: Scene) -> str:
    """The scene as an SVG element, ready to inline in HTML or save as a ``.svg`` file."""
    sid = _attr(scene.id)
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{sid}" viewBox="0 0 {num(scene.width)} {num(scene.height)}" '
        f'width="{num(scene.width)}" height="{num(scene.height)}" role="img" '
        f'aria-labelledby="{sid}-title {sid}-desc" font-family="{_attr(FONT)}">',
        f'  <title id="{sid}-title">{escape(scene.title)}</title>',
        f'  <desc id="{sid}-desc">{escape(scene.desc)}</desc>',
    ]
    for item in scene.items:
        lines.extend(_item(item, "  "))
    lines.append("</svg>")
    return "\n".join(lines) + "\n"

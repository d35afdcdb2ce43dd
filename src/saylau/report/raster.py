"""A scene drawn as PNG with matplotlib (the ``charts`` extra), for places that want a raster."""

from __future__ import annotations

import io

from saylau.report.scene import Circle, Group, Rect, Scene, Text

__all__ = ["to_png"]

_ALIGN = {"start": "left", "middle": "center", "end": "right"}


def to_png(scene: Scene, *, scale: float = 2.0) -> bytes:
    """The scene as PNG bytes, ``scale`` pixels per SVG unit."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle as CirclePatch
    from matplotlib.patches import Rectangle

    dpi = 72 * scale
    fig = Figure(figsize=(scene.width / 72, scene.height / 72), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, scene.width)
    ax.set_ylim(scene.height, 0)  # SVG's y axis points down
    ax.set_axis_off()
    ax.set_aspect("equal")

    def draw(item: Circle | Rect | Text | Group) -> None:
        if isinstance(item, Group):
            for child in item.items:
                draw(child)
        elif isinstance(item, Circle):
            ax.add_patch(CirclePatch((item.cx, item.cy), item.r, facecolor=item.fill,
                                     edgecolor=item.stroke or "none", linewidth=0.8))
        elif isinstance(item, Rect):
            ax.add_patch(Rectangle((item.x, item.y), item.width, item.height, facecolor=item.fill,
                                   edgecolor=item.stroke or "none", linewidth=0.8))
        else:
            # Font sizes are in SVG units; points at 72 per inch match them one to one.
            ax.text(item.x, item.y, item.text, fontsize=item.size, ha=_ALIGN[item.anchor], va="baseline",
                    fontweight="bold" if item.bold else "normal", color=item.fill, family="sans-serif")

    for item in scene.items:
        draw(item)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return out.getvalue()

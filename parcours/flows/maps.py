"""The map of the points with their volumes, drawn as SVG on the server (the page and the PDF
alike): Mali and its neighbours from Natural Earth (shipped in `data/`, see its `source`), an
equirectangular projection corrected for latitude, a circle per point whose area is its volume,
and labels placed where they overlap neither each other nor the circles."""

import json
import math
import os
from functools import cache
from pathlib import Path

from django.utils.html import escape

from .charts import INK, MUTED

GEOJSON = Path(__file__).parent / "data" / "mali_and_neighbours.geojson"
HOME = "ML"
LAND, HOME_LAND, BORDER, CIRCLE = "#eef1f5", "#dfe7d8", "#9aa3b2", "#0b5c8a"
FONT = 11
CHAR = 6.1  # average width of a character at FONT, for placing labels


@cache
def _shapes() -> list[dict]:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]


class Projection:
    """Longitude and latitude to SVG x, y: equirectangular, x scaled by cos(latitude) at the
    middle of the frame so shapes keep their proportions at Mali's latitudes."""

    def __init__(self, bounds: tuple[float, float, float, float], width: int, pad: int = 12):
        west, south, east, north = bounds
        self.west, self.north, self.pad = west, north, pad
        self.kx = math.cos(math.radians((south + north) / 2))
        self.scale = (width - 2 * pad) / ((east - west) * self.kx)
        self.width = width
        self.height = round((north - south) * self.scale + 2 * pad)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.pad + (lon - self.west) * self.kx * self.scale, self.pad + (self.north - lat) * self.scale)


def _bounds(iso: str) -> tuple[float, float, float, float]:
    pts = [p for f in _shapes() if f["properties"]["iso_a2"] == iso
           for poly in f["geometry"]["coordinates"] for ring in poly for p in ring]
    return (min(p[0] for p in pts) - 0.6, min(p[1] for p in pts) - 0.6,
            max(p[0] for p in pts) + 0.6, max(p[1] for p in pts) + 0.6)


def _path(project: Projection, geometry: dict) -> str:
    parts = []
    for poly in geometry["coordinates"]:
        for ring in poly:
            xy = [project(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


def short_names(names: list[str]) -> list[str]:
    """The names without the words they all begin with ("Point de suivi des flux de Gao" → "Gao")."""
    if len(names) < 2:
        return names
    common = os.path.commonprefix(names)
    cut = common.rfind(" ") + 1 if common and not all(n == common for n in names) else 0
    return [n[cut:] or n for n in names]


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(circles: list[tuple[float, float, float]], texts: list[str], width: float,
                 height: float) -> list[tuple[float, float, str]]:
    """(x, y, anchor) of each label: the biggest circles choose first among eight positions around
    their circle, close then further out; a position is taken when it overlaps no label placed
    before, no circle and stays in the frame; otherwise the position that overlaps least."""
    boxes = [(x - r, y - r, x + r, y + r) for x, y, r in circles]
    placed: list[tuple[float, float, float, float]] = []
    out: list[tuple[float, float, str] | None] = [None] * len(circles)
    for i in sorted(range(len(circles)), key=lambda k: -circles[k][2]):
        x, y, r = circles[i]
        w = CHAR * len(texts[i])
        candidates = []
        for gap in (r + 3, r + 12, r + 24):  # close to the circle first, then further out
            d = gap * 0.7071
            candidates += [(x + gap, y + FONT / 3, "start"), (x - gap, y + FONT / 3, "end"),
                           (x, y - gap - 2, "middle"), (x, y + gap + FONT, "middle"),
                           (x + d, y - d, "start"), (x - d, y - d, "end"), (x + d, y + d + FONT - 2, "start"),
                           (x - d, y + d + FONT - 2, "end")]
        best, best_cost = None, None
        for lx, ly, anchor in candidates:
            left = lx if anchor == "start" else lx - w if anchor == "end" else lx - w / 2
            box = (left, ly - FONT, left + w, ly + 2)
            # A label over another label is unreadable; over a circle, only untidy.
            cost = (10 * sum(_overlap(box, p) for p in placed)
                    + sum(_overlap(box, b) for j, b in enumerate(boxes) if j != i))
            if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height:
                cost += 10_000
            if best_cost is None or cost < best_cost:
                best, best_cost = (lx, ly, anchor, box), cost
            if cost == 0:
                break
        lx, ly, anchor, box = best
        placed.append(box)
        out[i] = (lx, ly, anchor)
    return out


def points_map(rows: list[dict], *, title: str = "", width: int = 520, legend: str = "") -> str:
    """`rows`: [{"name", "latitude", "longitude", "total"}] — points without coordinates are left out."""
    rows = [r for r in rows if r.get("latitude") is not None and r.get("longitude") is not None]
    project = Projection(_bounds(HOME), width)
    height = project.height
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" width="100%">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f8fafc"/>']
    for feature in sorted(_shapes(), key=lambda f: f["properties"]["iso_a2"] == HOME):
        home = feature["properties"]["iso_a2"] == HOME
        parts.append(f'<path d="{_path(project, feature["geometry"])}" fill="{HOME_LAND if home else LAND}" '
                     f'stroke="{BORDER}" stroke-width="{1.2 if home else 0.6}"/>')
    largest = max((r["total"] for r in rows), default=0) or 1
    r_max = width / 18
    circles, texts = [], []
    for row, name in zip(rows, short_names([r["name"] for r in rows]), strict=True):
        x, y = project(float(row["longitude"]), float(row["latitude"]))
        radius = max(3.0, r_max * math.sqrt(row["total"] / largest)) if row["total"] else 3.0
        circles.append((x, y, radius))
        texts.append(f"{name} ({row['total']})")
    for (x, y, radius), row in sorted(zip(circles, rows, strict=True), key=lambda c: -c[0][2]):
        filled = f'fill="{CIRCLE}" fill-opacity="0.55"' if row["total"] else 'fill="none"'
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" {filled} stroke="{CIRCLE}" '
                     f'stroke-width="1"/>')
    for (lx, ly, anchor), text in zip(place_labels(circles, texts, width, height), texts, strict=True):
        at = f'x="{lx:.1f}" y="{ly:.1f}" font-size="{FONT}" text-anchor="{anchor}"'
        # A pale halo under the text (paint-order is not honoured by every renderer, WeasyPrint's included).
        parts.append(f'<text {at} fill="#f8fafc" stroke="#f8fafc" stroke-width="3">{escape(text)}</text>')
        parts.append(f'<text {at} fill="{INK}">{escape(text)}</text>')
    if legend:
        parts.append(f'<text x="8" y="{height - 8}" font-size="10" fill="{MUTED}">{escape(legend)}</text>')
    parts.append("</svg>")
    return "".join(parts)

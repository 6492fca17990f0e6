"""The map of the points: real borders shipped in the repo, a projection in plain code, circles
whose area is the volume, labels that overlap nothing."""

import datetime as dt
import re

import pytest

from parcours.flows import maps
from parcours.flows.demo import POINTS

pytestmark = pytest.mark.django_db


def test_projection_keeps_mali_in_the_frame_north_up():
    project = maps.Projection(maps._bounds("ML"), 500)
    gao, kayes, kidal = project(-0.044, 16.271), project(-11.444, 14.447), project(1.407, 18.441)
    assert 0 < kayes[0] < gao[0] < 500 and kidal[1] < gao[1] < project.height
    assert maps.short_names(["Point de suivi des flux de Gao", "Point de suivi des flux de Kayes"]) == ["Gao", "Kayes"]


def test_the_ten_points_labels_overlap_nothing(world, points):
    rows = [{"name": p.place.name, "latitude": p.place.latitude, "longitude": p.place.longitude,
             "total": 100 * POINTS[code][1]} for code, p in points.items()]
    svg = maps.points_map(rows, title="Points")
    assert svg.count("<circle") == 10 and svg.count("<path") == 8  # Mali and its seven neighbours
    radii = {float(r) for r in re.findall(r'<circle [^>]*r="([\d.]+)"', svg)}
    assert max(radii) == pytest.approx(520 / 18, abs=0.1)
    project = maps.Projection(maps._bounds("ML"), 520)
    circles = [(*project(float(r["longitude"]), float(r["latitude"])),
                max(3.0, 520 / 18 * (r["total"] / max(x["total"] for x in rows)) ** 0.5)) for r in rows]
    texts = [f"{n} ({r['total']})" for n, r in zip(maps.short_names([r["name"] for r in rows]), rows, strict=True)]
    placed = maps.place_labels(circles, texts, 520, project.height)
    boxes = []
    for (x, y, anchor), text in zip(placed, texts, strict=True):
        w = maps.CHAR * len(text)
        left = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
        boxes.append((left, y - maps.FONT, left + w, y + 2))
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= 520, texts[i]
        for j, b in enumerate(boxes[:i]):
            assert maps._overlap(a, b) == 0, (texts[i], texts[j])
    assert "Gao (4800)" in svg and "Benena" in svg


def test_the_report_pages_carry_the_map(web_client, record, points):
    record(12, date="2024-03-02")
    page = web_client("me.iom").get("/flows/national/?period=2024-03-01").content.decode()
    assert 'class="map"' in page and "Gao (12)" in page and "Kayes (0)" in page
    from parcours.flows.models import Point
    from parcours.flows.reports import volumes_map

    assert "Gao (12)" in volumes_map(Point.objects.filter(code="GAO-FMP"), dt.date(2024, 3, 1), dt.date(2024, 3, 15))

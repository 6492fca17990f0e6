import datetime as dt

import pytest
from django.db.models import Sum

from parcours.flows.models import Count, Point, Report
from parcours.flows.selectors import figures

pytestmark = pytest.mark.django_db


def test_demo_flows_through_the_services_idempotent_with_planted_gaps(world):
    from parcours.flows.demo import load_demo_flows

    first = load_demo_flows()
    assert first["points"] == 10 and first["counts_recorded"] > 1000 and first["reports_published"] == 59
    again = load_demo_flows()
    assert again["counts_recorded"] == 0 and again["reports_published"] == 0
    assert Count.objects.filter(live=False).count() == 2
    kidal = figures(Point.objects.filter(code="KID-FMP"), dt.date(2019, 10, 1), dt.date(2019, 10, 15))
    assert kidal.missing["KID-FMP"] == [dt.date(2019, 10, d) for d in range(3, 10)]
    shares = dict(Count.objects.filter(live=True).values_list("nationality").annotate(n=Sum("count")))
    total = sum(shares.values())
    assert 0.38 < shares["ML"] / total < 0.46 and 0.17 < shares["GN"] / total < 0.25
    assert Report.objects.count() == 59

    # The quality checks find what the demo planted, and little else.
    from parcours.flows.demo import GAPS, LATE, MISMATCHES, OUTLIERS
    from parcours.flows.quality import flags_for

    flags = flags_for(Point.objects.all(), dt.date(2019, 9, 1), dt.date(2019, 11, 30))
    found = {kind: {(f.point.code, f.day) for f in flags if f.kind == kind} for kind in ("missing", "outlier",
                                                                                         "mismatch", "late")}
    assert found["missing"] == {(code, day) for code, days in GAPS.items() for day in days}
    assert set(OUTLIERS) <= found["outlier"] and len(found["outlier"]) <= 8
    convoy = [f for f in flags if f.kind == "outlier" and (f.point.code, f.day) in OUTLIERS]
    assert {f.direction for f in convoy} == {"in", "out"}
    assert found["mismatch"] == {(code, day) for code, day, _direction in MISMATCHES}
    assert found["late"] == set(LATE)

import datetime as dt

import pytest
from django.db.models import Sum

from parcours.facts.models import Fact
from parcours.flows.models import Count, Point, Report, Tally
from parcours.flows.selectors import figures

pytestmark = pytest.mark.django_db


def test_nationality_targets_are_spec_shares_to_the_person():
    from parcours.flows.demo import largest_remainder, nationality_targets

    # 174 215 × 42 % = 73 170.3; × 21 % = 36 585.15; × 8 % = 13 937.2; × 7 % = 12 195.05; × 5 % = 8 710.75.
    targets = nationality_targets()
    assert {k: targets[k] for k in ("ML", "GN", "CI", "SN", "GM")} == {
        "ML": 73_170, "GN": 36_585, "CI": 13_937, "SN": 12_195, "GM": 8_711}
    # The other 29 617 in 6:4:4:3 — 10 453.06, 6 968.71, 6 968.71, 5 226.53: the two largest remainders get one more.
    assert {k: targets[k] for k in ("BF", "NE", "NG", "CM")} == {"BF": 10_453, "NE": 6_969, "NG": 6_969, "CM": 5_226}
    assert sum(targets.values()) == 174_215
    assert largest_remainder({"a": 1, "b": 1, "c": 1}, 10) == {"a": 4, "b": 3, "c": 3}


def test_demo_flows_two_years_spec_totals_idempotent_with_planted_flags(world):
    from parcours.flows.demo import CORRECTED, FIRST, GAPS, LAST, LATE, MISMATCHES, OUTLIERS, load_demo_flows
    from parcours.flows.quality import flags_for

    first = load_demo_flows()
    assert first["points"] == 10 and first["counts_recorded"] > 50_000
    # 48 bi-weekly periods in 2018–2019 at 10 points, less the one Kidal did not publish.
    assert first["reports_published"] == 479 == Report.objects.count()
    again = load_demo_flows()
    assert again["counts_recorded"] == 0 and again["reports_published"] == 0

    # SPEC §2, summed from the database: 174 215 people, each named nationality to the person.
    live = Count.objects.filter(live=True)
    assert live.aggregate(n=Sum("count"))["n"] == 174_215
    assert (live.earliest("day").day, live.latest("day").day) == (FIRST, LAST) == (dt.date(2018, 1, 1),
                                                                                    dt.date(2019, 12, 31))
    shares = dict(live.values_list("nationality").annotate(n=Sum("count")).order_by())
    assert {k: shares[k] for k in ("ML", "GN", "CI", "SN", "GM")} == {
        "ML": 73_170, "GN": 36_585, "CI": 13_937, "SN": 12_195, "GM": 8_711}
    # The facts the indicators read say the same (the corrections void what they replace).
    facts = Fact.objects.filter(kind="flows.counted", voided_by__isnull=True)
    assert facts.aggregate(n=Sum("quantity"))["n"] == 174_215
    assert facts.count() == live.count()
    # Each corrected sheet: one line replaced (two short), kept in history.
    assert Count.objects.filter(live=False).count() == len(CORRECTED) == 2
    assert all(c.replaced_by.count == c.count + 2 for c in Count.objects.filter(live=False))
    assert Tally.objects.count() == 2 * live.values("point", "day").distinct().count()

    kidal = figures(Point.objects.filter(code="KID-FMP"), dt.date(2019, 10, 1), dt.date(2019, 10, 15))
    assert kidal.missing["KID-FMP"] == [dt.date(2019, 10, d) for d in range(3, 10)]

    # The quality checks find what the demo planted: every gap of the two years ...
    missing = {(f.point.code, f.day) for f in flags_for(Point.objects.all(), FIRST, LAST, kinds=("missing",))}
    assert missing == {(code, day) for code, days in GAPS.items() for day in days}
    # ... and in the autumn of 2019 the convoy, the tallies that disagree and the late sheets, and little else.
    flags = flags_for(Point.objects.all(), dt.date(2019, 9, 1), dt.date(2019, 11, 30))
    found = {kind: {(f.point.code, f.day) for f in flags if f.kind == kind} for kind in ("outlier", "mismatch", "late")}
    assert set(OUTLIERS) <= found["outlier"] and len(found["outlier"]) <= 8
    convoy = [f for f in flags if f.kind == "outlier" and (f.point.code, f.day) in OUTLIERS]
    assert {f.direction for f in convoy} == {"in", "out"}
    assert found["mismatch"] == {(code, day) for code, day, _direction in MISMATCHES}
    assert found["late"] == set(LATE)

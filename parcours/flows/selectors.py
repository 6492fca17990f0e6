"""Reads: points, counts and the figures of a period, always starting from the policy querysets."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count as N
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from .models import Count, Point, Report
from .periods import days_of, previous_period
from .policies import counts_visible_to, points_visible_to, reports_visible_to

# The breakdowns a report shows, in the order it shows them.
DIMENSIONS = ("direction", "nationality", "sex", "age_group", "transport", "reason", "destination")


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    total: int = 0
    previous_total: int = 0
    by: dict[str, dict[str, int]] = field(default_factory=dict)
    # [(day, incoming, outgoing)] for every day of the period, zeros included.
    daily: list[tuple[dt.date, int, int]] = field(default_factory=list)
    # Days of the period (up to today) without any count, per point code.
    missing: dict[str, list[dt.date]] = field(default_factory=dict)

    @property
    def change_percent(self) -> int | None:
        if not self.previous_total:
            return None
        return round(100 * (self.total - self.previous_total) / self.previous_total)

    def as_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "total": self.total,
                "previous_total": self.previous_total, "by": self.by,
                "daily": [[d.isoformat(), i, o] for d, i, o in self.daily],
                "missing": {k: [d.isoformat() for d in v] for k, v in self.missing.items()}}


def points_list(user) -> QuerySet[Point]:
    # The last day counted, read from the (point, day) index one point at a time: an aggregate over
    # the joined counts would read every count ever recorded (seconds at millions of rows).
    last = Count.objects.filter(point=OuterRef("pk"), live=True).order_by("-day").values("day")[:1]
    return points_visible_to(user).filter(active=True).annotate(last_day=Subquery(last)).order_by("code")


def counts_list(user, *, point: Point | None = None, start: dt.date | None = None,
                end: dt.date | None = None, live_only: bool = True) -> QuerySet[Count]:
    qs = counts_visible_to(user).select_related("point")
    if live_only:
        qs = qs.filter(live=True)
    if point is not None:
        qs = qs.filter(point=point)
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    return qs.order_by("-day", "point__code", "direction", "nationality", "sex", "age_group")


def day_lines(point: Point, day: dt.date) -> QuerySet[Count]:
    """The live lines of one point's daily sheet (the caller has checked the point is visible)."""
    return Count.objects.filter(point=point, day=day, live=True).order_by("direction", "nationality", "sex")


def figures(points: QuerySet[Point], start: dt.date, end: dt.date) -> Figures:
    """The totals of a period over `points` (one point, or every point the reader sees): by
    direction and each breakdown, day by day, and the days nobody counted."""
    live = Count.objects.filter(point__in=points.values("pk"), live=True)
    period = live.filter(day__gte=start, day__lte=end)
    result = Figures(start=start, end=end)
    result.total = period.aggregate(n=Sum("count"))["n"] or 0
    before = previous_period(start)
    result.previous_total = live.filter(day__gte=before[0], day__lte=before[1]).aggregate(n=Sum("count"))["n"] or 0
    for dim in DIMENSIONS:
        rows = period.values(dim).annotate(n=Sum("count")).order_by("-n", dim)
        result.by[dim] = {(r[dim] or ""): r["n"] for r in rows if r["n"]}
    per_day: dict[dt.date, list[int]] = {d: [0, 0] for d in days_of(start, end)}
    for r in period.values("day", "direction").annotate(n=Sum("count")):
        per_day[r["day"]][0 if r["direction"] == "in" else 1] += r["n"]
    result.daily = [(d, i, o) for d, (i, o) in per_day.items()]
    today = timezone.localdate()
    counted: dict[int, set[dt.date]] = {}
    for r in period.values("point_id", "day").annotate(lines=N("id")):
        counted.setdefault(r["point_id"], set()).add(r["day"])
    expected = [d for d in days_of(start, end) if d <= today]
    for point in points.filter(active=True).order_by("code"):
        gaps = [d for d in expected if d not in counted.get(point.pk, set())]
        if gaps:
            result.missing[point.code] = gaps
    return result


def reports_list(user, *, point: Point | None = None, start: dt.date | None = None,
                 end: dt.date | None = None) -> QuerySet[Report]:
    qs = reports_visible_to(user)
    if point is not None:
        qs = qs.filter(point=point)
    if start:
        qs = qs.filter(period_end__gte=start)
    if end:
        qs = qs.filter(period_start__lte=end)
    return qs.order_by("-period_start", "point__code")


def published_report(point: Point, start: dt.date) -> Report | None:
    return Report.objects.filter(point=point, period_start=start).first()


def count_form_url(user) -> str:
    """An enumerator's landing page: the count form of the point they count at (the first, when
    several), else the list of points."""
    from django.urls import reverse

    point = Point.objects.filter(enumerators=user).order_by("code").first()
    return reverse("flows:count", args=[point.code]) if point else reverse("flows:points")

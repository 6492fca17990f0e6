"""Data quality of the daily counts, found where people work (the quality page, the API, the
report): days nobody counted, days far from the point's own usual days, sheets whose lines don't
add up to the day's tally, and lines typed long after the day. Plain functions over the counts;
each flag says in words what is wrong and against what.

Outliers: a day's total in one direction is compared with the point's other counted days within
two months either side (its own history, not the country's), by a robust z-score —
0.6745 × (value − median) / MAD, MAD being the median of the absolute deviations from the median
(Iglewicz and Hoaglin). Unlike the mean and the standard deviation, the median and the MAD are not
dragged by the outliers themselves. Beyond 3.5 either way the day is flagged."""

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Count, DayCheck, Direction, Point, Tally
from .periods import days_of

# A day is compared with the point's counted days within this many days before and after it.
HISTORY_DAYS = 60
# Fewer counted days than this around it: too little history to call a day unusual.
MIN_HISTORY = 14
# Robust z-score beyond which a day is unusual (Iglewicz and Hoaglin's 3.5).
OUTLIER_Z = 3.5


def late_after_days() -> int:
    """A first line recorded more than this many days after its day is late (configuration)."""
    return int(getattr(settings, "FLOWS_LATE_AFTER_DAYS", 3))


KINDS = {
    "missing": gettext_lazy("missing day"),
    "outlier": gettext_lazy("unusual total"),
    "mismatch": gettext_lazy("lines don't add up"),
    "late": gettext_lazy("late entry"),
}
ORDER = {kind: n for n, kind in enumerate(KINDS)}


@dataclass
class Flag:
    point: Point
    day: dt.date
    kind: str
    message: str
    direction: str = ""
    value: int | None = None
    expected: int | None = None
    check: DayCheck | None = None

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def checked(self) -> bool:
        return self.check is not None


def robust_z(value: float, history: list[float]) -> tuple[float, float] | None:
    """(z, median) of `value` against `history`; None when the history has no spread at all."""
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    if mad:
        return 0.6745 * (value - median) / mad, median
    # More than half the days sit exactly on the median: fall back on the mean absolute deviation.
    mean_ad = statistics.fmean(abs(x - median) for x in history)
    if mean_ad:
        return (value - median) / (1.253314 * mean_ad), median
    return None


def _direction(code: str) -> str:
    return str(Direction(code).label)


def _daily_totals(points: QuerySet[Point], start: dt.date, end: dt.date) -> dict[int, dict[dt.date, dict[str, int]]]:
    """{point id: {day: {direction: people}}} for the days with at least one live line."""
    rows = (Count.objects.filter(point__in=points.values("pk"), live=True, day__gte=start, day__lte=end)
            .values("point_id", "day", "direction").annotate(n=Sum("count")).order_by())
    out: dict[int, dict[dt.date, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: {"in": 0, "out": 0}))
    for r in rows:
        out[r["point_id"]][r["day"]][r["direction"]] += r["n"]
    return out


def _outliers(point: Point, totals: dict[dt.date, dict[str, int]], start: dt.date, end: dt.date) -> list[Flag]:
    flags = []
    counted = sorted(totals)
    for day in counted:
        if not start <= day <= end:
            continue
        around = [d for d in counted if d != day and abs((d - day).days) <= HISTORY_DAYS]
        if len(around) < MIN_HISTORY:
            continue
        for direction in ("in", "out"):
            value = totals[day][direction]
            scored = robust_z(value, [totals[d][direction] for d in around])
            if scored is None or abs(scored[0]) <= OUTLIER_Z:
                continue
            z, median = scored
            words = {"value": value, "direction": _direction(direction), "median": round(median),
                     "days": len(around), "z": number_format(abs(z), 1)}
            message = (_("%(value)s %(direction)s, far more than usual: the point's median over the %(days)s days "
                         "counted within two months is %(median)s, and this day lies %(z)s typical deviations above "
                         "it (robust z-score; flagged beyond 3.5).") if z > 0 else
                       _("%(value)s %(direction)s, far fewer than usual: the point's median over the %(days)s days "
                         "counted within two months is %(median)s, and this day lies %(z)s typical deviations below "
                         "it (robust z-score; flagged beyond 3.5). Were lines of the sheet left out?")) % words
            flags.append(Flag(point, day, "outlier", message, direction, value, round(median)))
    return flags


def _missing(point: Point, totals: dict[dt.date, dict[str, int]], first_counted: dt.date | None,
             start: dt.date, end: dt.date) -> list[Flag]:
    if first_counted is None or not point.active:
        return []  # a point that has not begun counting misses nothing yet
    last = min(end, timezone.localdate())
    return [Flag(point, day, "missing", _("Nothing was counted on this day: no line in either direction."))
            for day in days_of(max(start, first_counted), last) if day not in totals] if last >= start else []


def _mismatches(points: QuerySet[Point], totals, start: dt.date, end: dt.date) -> list[Flag]:
    flags = []
    tallies = (Tally.objects.filter(point__in=points.values("pk"), live=True, day__gte=start, day__lte=end)
               .select_related("point", "point__place"))
    for tally in tallies:
        lines = totals.get(tally.point_id, {}).get(tally.day, {}).get(tally.direction, 0)
        if lines != tally.total:
            message = _("The lines of the sheet add up to %(lines)s %(direction)s, but the day's tally says "
                        "%(total)s (%(diff)+d).") % {"lines": lines, "total": tally.total, "diff": lines - tally.total,
                                                     "direction": _direction(tally.direction)}
            flags.append(Flag(tally.point, tally.day, "mismatch", message, tally.direction, lines, tally.total))
    return flags


def _late(points: QuerySet[Point], start: dt.date, end: dt.date) -> list[Flag]:
    """First entries (not corrections) recorded more than `late_after_days()` after their day."""
    after = late_after_days()
    earliest = timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=after), dt.time.min))
    rows = (Count.objects.filter(point__in=points.values("pk"), live=True, replaces__isnull=True,
                                 day__gte=start, day__lte=end, recorded_at__gte=earliest)
            .values_list("point_id", "day", "recorded_at", "count"))
    late: dict[tuple[int, dt.date], list] = {}
    for point_id, day, recorded_at, number in rows:
        on = timezone.localtime(recorded_at).date()
        if (on - day).days > after:
            entry = late.setdefault((point_id, day), [0, 0, on])
            entry[0] += 1
            entry[1] += number
            entry[2] = max(entry[2], on)
    by_id = {p.pk: p for p in points.filter(pk__in={k[0] for k in late})}
    return [Flag(by_id[pid], day, "late",
                 _("%(lines)s lines (%(people)s people) were recorded %(days)s days after the day, the last on "
                   "%(on)s: check them against the paper sheet.") % {
                     "lines": lines, "people": people, "days": (on - day).days, "on": on.strftime("%d/%m/%Y")},
                 value=people)
            for (pid, day), (lines, people, on) in late.items()]


def flags_for(points: QuerySet[Point], start: dt.date, end: dt.date, *, kinds=tuple(KINDS)) -> list[Flag]:
    """Every quality flag of `points` (already limited to what the reader sees) between `start`
    and `end`, newest day first, with the day's check when M&E has checked it."""
    margin = dt.timedelta(days=HISTORY_DAYS)
    totals = _daily_totals(points, start - margin, end + margin)
    firsts = dict(Count.objects.filter(point__in=points.values("pk"), live=True).values("point_id")
                  .annotate(first=Min("day")).values_list("point_id", "first"))
    flags: list[Flag] = []
    for point in points.select_related("place"):
        mine = totals.get(point.pk, {})
        if "missing" in kinds:
            flags += _missing(point, mine, firsts.get(point.pk), start, end)
        if "outlier" in kinds:
            flags += _outliers(point, mine, start, end)
    if "mismatch" in kinds:
        flags += _mismatches(points, totals, start, end)
    if "late" in kinds:
        flags += _late(points, start, end)
    checks = {(c.point_id, c.day): c for c in DayCheck.objects.filter(
        point__in=points.values("pk"), day__gte=start, day__lte=end).select_related("checked_by")}
    for flag in flags:
        flag.check = checks.get((flag.point.pk, flag.day))
    flags.sort(key=lambda f: (-f.day.toordinal(), f.point.code, ORDER[f.kind], f.direction))
    return flags


def summary(flags: list[Flag]) -> dict[str, dict[str, int]]:
    """{point code: {kind: flags not yet checked}} for the overview."""
    out: dict[str, dict[str, int]] = {}
    for flag in flags:
        if not flag.checked:
            counts = out.setdefault(flag.point.code, dict.fromkeys(KINDS, 0))
            counts[flag.kind] += 1
    return out

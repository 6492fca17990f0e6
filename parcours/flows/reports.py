"""The bi-weekly report of a point or of the country: what it prints (tables, charts, the short
text of the period's changes), rendered to PDF in the background and kept — the report sent is
the report kept (`ReportFile`)."""

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.core.errors import Forbidden, NotFound, ValidationFailed
from parcours.jobs.registry import register

from . import charts, labels, maps, selectors
from .models import Count, Point, Report, ReportFile
from .periods import days_of, is_period_start, next_period, period_of, previous_period
from .policies import (
    can_publish_reports,
    can_read_flows,
    can_read_national_files,
    point_for_read,
    points_visible_to,
)

BREAKDOWNS = ("nationality", "destination", "sex", "age_group", "transport", "reason")
CHARTED = ("nationality", "destination")


def summary(numbers: selectors.Figures) -> str:
    """The period's changes in one short paragraph, from the figures themselves."""
    if not numbers.total:
        return _("Nothing was counted in this period.")
    parts = [_("%(total)s people were counted (%(incoming)s incoming, %(outgoing)s outgoing).") % {
        "total": numbers.total, "incoming": numbers.by.get("direction", {}).get("in", 0),
        "outgoing": numbers.by.get("direction", {}).get("out", 0)}]
    change = numbers.change_percent
    if change is not None:
        parts.append(_("That is %(change)+d %% compared with the previous period (%(before)s).")
                     % {"change": change, "before": numbers.previous_total})
    top = sorted(numbers.by.get("nationality", {}).items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    if top:  # the three largest by name (never the "others" row of the tables)
        parts.append(_("Main nationalities: %(list)s.") % {"list": ", ".join(
            f"{labels.label('nationality', code)} ({round(100 * n / numbers.total)} %)" for code, n in top)})
    missing = sum(len(days) for days in numbers.missing.values())
    if missing:
        parts.append(_("%(n)s point-days without any count.") % {"n": missing})
    return " ".join(parts)


def volumes_map(points: QuerySet[Point], start: dt.date, end: dt.date) -> str:
    """The map of `points` with the people counted at each in the period."""
    totals = dict(Count.objects.filter(point__in=points.values("pk"), live=True, day__gte=start, day__lte=end)
                  .values("point_id").annotate(n=Sum("count")).values_list("point_id", "n"))
    rows = [{"name": p.place.name, "latitude": p.place.latitude, "longitude": p.place.longitude,
             "total": totals.get(p.pk, 0)} for p in points.filter(active=True).select_related("place")]
    return maps.points_map(rows, title=_("Flow monitoring points and the people counted"),
                           legend=_("Circle area: people counted in the period. Borders: Natural Earth."))


def report_context(points: QuerySet[Point], start: dt.date, end: dt.date) -> dict:
    """Everything a report page or PDF prints for `points` (one, or all the reader sees)."""
    numbers = selectors.figures(points, start, end)
    breakdowns = []
    for dim in BREAKDOWNS:
        rows = labels.rows(dim, numbers.by.get(dim, {}), top=8)
        breakdowns.append({"title": labels.TITLES[dim], "rows": rows, "total": sum(n for _l, n in rows),
                           "chart": charts.share_bars(rows, title=str(labels.TITLES[dim]), width=400, label_width=120)
                           if dim in CHARTED else ""})
    directions = numbers.by.get("direction", {})
    return {
        "start": start, "end": end, "figures": numbers,
        "incoming": directions.get("in", 0), "outgoing": directions.get("out", 0),
        "daily_chart": charts.daily_bars(numbers.daily, labels=(_("incoming"), _("outgoing")),
                                         title=_("People counted per day")),
        "breakdowns": breakdowns,
        "map": volumes_map(points, start, end),
        "summary": summary(numbers),
        "previous": previous_period(start)[0], "next": next_period(start)[0],
        "has_next": next_period(start)[0] <= timezone.localdate(),
    }


def per_point_rows(user, points: QuerySet[Point], start: dt.date, end: dt.date) -> list[dict]:
    """The national report's table: each point's totals, days without count and published report
    (three grouped queries for all the points, not a report per point)."""
    live = Count.objects.filter(point__in=points.values("pk"), live=True, day__gte=start, day__lte=end)
    by_direction: dict[int, dict[str, int]] = {}
    for r in live.values("point_id", "direction").annotate(n=Sum("count")).order_by():
        by_direction.setdefault(r["point_id"], {})[r["direction"]] = r["n"]
    counted: dict[int, int] = {}
    for point_id, _day in live.values_list("point_id", "day").distinct().order_by():
        counted[point_id] = counted.get(point_id, 0) + 1
    expected = len([d for d in days_of(start, end) if d <= timezone.localdate()])
    published = {r.point_id: r for r in Report.objects.filter(point__in=points.values("pk"), period_start=start)}
    rows = []
    for point in selectors.points_list(user).filter(pk__in=points.values("pk")):
        directions = by_direction.get(point.pk, {})
        rows.append({"point": point, "total": sum(directions.values()), "incoming": directions.get("in", 0),
                     "outgoing": directions.get("out", 0), "missing": expected - counted.get(point.pk, 0),
                     "report": published.get(point.pk)})
    return rows


def _render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs a second the web process rarely needs

    return HTML(string=html).write_pdf()


def _generate(by, point: Point | None, start: dt.date, progress) -> ReportFile:
    """Count, render and keep: the figures are counted over the point, or over every point `by`
    reads for the national report."""
    start, end = period_of(start)
    points = points_visible_to(by) if point is None else Point.objects.filter(pk=point.pk)
    context = report_context(points, start, end)
    progress(1, 3)
    report = selectors.published_report(point, start) if point is not None else None
    context.update({"point": point, "report": report, "pdf": True, "generated_on": timezone.localdate()})
    if point is None:
        context["per_point"] = per_point_rows(by, points, start, end)
    html = render_to_string("flows/report_pdf.html", context)
    progress(2, 3)
    pdf = _render_pdf(html)
    progress(3, 3)
    return ReportFile.objects.create(point=point, report=report, period_start=start, period_end=end,
                                     language=translation.get_language() or "fr", total=context["figures"].total,
                                     pdf=pdf, created_by=by)


@transaction.atomic
def report_file_generate(*, by, point_code: str | None, start: dt.date | None,
                         progress=lambda done, total: None) -> ReportFile:
    """Generate and keep the PDF of a point's (or, without a point, the national) bi-weekly report
    for a period that is over. M&E and the administrator; the national report only for those who
    read every point."""
    point = point_for_read(by, point_code) if point_code else None
    if not can_publish_reports(by) or (point is None and not can_read_national_files(by)):
        raise Forbidden()
    if start is None or not is_period_start(start):
        raise ValidationFailed({"period_start": [_("A bi-weekly period starts on the 1st or the 16th of a month.")]})
    if period_of(start)[1] >= timezone.localdate():
        raise ValidationFailed({"period_start": [_("A period is published once it is over (after %(end)s).")
                                                 % {"end": period_of(start)[1].isoformat()}]})
    return _generate(by, point, start, progress)


@transaction.atomic
def report_file_of(report: Report) -> ReportFile:
    """The PDF of a published report: the one kept, or — while its job has not run yet — rendered
    now (as the publisher would have) and kept. The report row is locked so it is made once."""
    Report.objects.select_for_update().filter(pk=report.pk).first()
    kept = report.files.order_by("-created_at").first()
    if kept is not None:
        return kept
    with translation.override("fr"):  # the report as sent: in French (CONTRACT)
        return _generate(report.published_by, report.point, report.period_start, lambda done, total: None)


def files_visible_to(user) -> QuerySet[ReportFile]:
    if not can_read_flows(user):
        return ReportFile.objects.none()
    points = points_visible_to(user).values("pk")
    qs = ReportFile.objects.select_related("point", "point__place", "created_by").defer("pdf")
    if can_read_national_files(user):
        return qs.filter(Q(point__isnull=True) | Q(point__in=points))
    return qs.filter(point__in=points)


def file_for_read(user, file_id) -> ReportFile:
    found = files_visible_to(user).filter(pk=file_id).defer(None).first()
    if found is None:
        raise NotFound()
    return found


def files_list(user, *, point: Point | None = None, national: bool | None = None) -> QuerySet[ReportFile]:
    qs = files_visible_to(user)
    if point is not None:
        qs = qs.filter(point=point)
    elif national:
        qs = qs.filter(point__isnull=True)
    return qs.order_by("-period_start", "point__code", "-created_at")


def job_params(point_code: str | None, start: dt.date) -> dict:
    return {"point": point_code or "", "period_start": start.isoformat()}


@register("flows_report", allowed=can_publish_reports, label=gettext_lazy("Bi-weekly flow report (PDF)"))
def flows_report_job(job, progress) -> dict:
    """The background job the pages and the API start: progress in three steps, then a link."""
    start = dt.date.fromisoformat(job.params["period_start"])
    made = report_file_generate(by=job.created_by, point_code=job.params.get("point") or None, start=start,
                                progress=progress)
    return {"message": _("The report is ready."), "file": str(made.pk),
            "url": reverse("flows:file_pdf", kwargs={"file_id": made.pk}),
            "link_label": _("Open the report (PDF)")}

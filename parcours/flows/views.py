"""Web pages of flow monitoring: the points, a day's counts entered on a phone, the bi-weekly
report of a point and of the country. Views parse, call a service or selector, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from parcours.core.errors import Conflict, Forbidden, ValidationFailed
from parcours.core.web import act, bind_errors, flash_service_error, require
from parcours.jobs.services import job_start

from . import labels, quality, reports, selectors, services
from .models import AgeGroup, Direction, Reason, Sex, Tally, Transport
from .periods import is_period_start, next_period, period_of, previous_period
from .policies import (
    can_check_days,
    can_import_counts,
    can_publish_reports,
    can_read_flows,
    can_read_national_files,
    can_record_counts,
    point_for_read,
    point_for_record,
    points_visible_to,
    report_for_read,
)
from .validation import CountInput

# The nationalities seen most at the points, offered first on the phone form.
COMMON_NATIONALITIES = ["ML", "GN", "CI", "SN", "GM", "BF", "NE", "NG", "CM", "DZ", "LY"]
STICKY = ("date", "direction", "nationality", "sex", "age_group", "transport", "reason", "origin", "destination")


def _period(request) -> tuple[dt.date, dt.date]:
    """The period named by ?period=YYYY-MM-DD (any day of it); default the last period over."""
    try:
        day = dt.date.fromisoformat(request.GET.get("period", ""))
    except ValueError:
        day = previous_period(period_of(timezone.localdate())[0])[0]
    return period_of(day)


@login_required
@require_GET
def point_list(request):
    require(can_read_flows(request.user))
    points = selectors.points_list(request.user)
    return render(request, "flows/points.html", {
        "points": points, "can_record": can_record_counts(request.user), "today": timezone.localdate(),
        "can_import": can_import_counts(request.user),
        "period": _period(request)[0],
    })


@login_required
@require_http_methods(["GET", "POST"])
def count_entry(request, code):
    point = point_for_record(request.user, code)
    if request.method == "POST":
        data = request.POST.copy()
        data["point"] = point.code
        form = CountInput(data=data)
        try:
            count, created = services.count_record(by=request.user, data=data)
        except ValidationFailed as exc:
            bind_errors(form, exc)
        except Conflict as exc:
            flash_service_error(request, exc)
        else:
            messages.success(request, (_("Recorded: %(n)s.") if created else _("Already recorded: %(n)s."))
                             % {"n": count.count})
            keep = {k: request.POST.get(k, "") for k in STICKY}
            return redirect(reverse("flows:count", kwargs={"code": point.code}) + "?" + urlencode(keep))
    else:
        initial = {k: request.GET[k] for k in STICKY if request.GET.get(k)}
        initial.setdefault("date", timezone.localdate().isoformat())
        initial.setdefault("direction", Direction.IN)
        form = CountInput(initial=initial)
    try:
        day = dt.date.fromisoformat(str(form["date"].value()))
    except ValueError:
        day = timezone.localdate()
    lines = list(selectors.day_lines(point, day))
    tallies = {t.direction: t.total for t in Tally.objects.filter(point=point, day=day, live=True)}
    return render(request, "flows/count.html", {
        "point": point, "form": form, "day": day, "lines": lines, "can_import": can_import_counts(request.user),
        "sums": [{"direction": code, "label": label, "lines": sum(c.count for c in lines if c.direction == code),
                  "tally": tallies.get(code)} for code, label in Direction.choices],
        "choices": {"direction": Direction.choices, "sex": Sex.choices, "age_group": AgeGroup.choices,
                    "transport": Transport.choices, "reason": Reason.choices},
        "nationalities": [(c, labels.label("nationality", c)) for c in COMMON_NATIONALITIES],
        "all_countries": [(c.code, c.name) for c in countries],
        "values": {name: str(form[name].value() or "") for name in STICKY},
    })


@login_required
@require_GET
def point_report(request, code):
    point = point_for_read(request.user, code)
    start, end = _period(request)
    context = reports.report_context(points_visible_to(request.user).filter(pk=point.pk), start, end)
    report = selectors.published_report(point, start)
    over = end < timezone.localdate()
    context.update({
        "point": point, "report": report,
        "can_publish": can_publish_reports(request.user) and report is None and over,
        "can_generate": can_publish_reports(request.user) and over,
        "published": selectors.reports_list(request.user, point=point)[:12],
        "files": reports.files_list(request.user, point=point)[:24],
    })
    return render(request, "flows/report.html", context)


@login_required
@require_POST
def report_publish(request, code):
    point = point_for_read(request.user, code)
    data = {"point": point.code, "period_start": request.POST.get("period_start", ""),
            "summary": request.POST.get("summary", "")}
    done = act(request, lambda: services.report_publish(by=request.user, data=data), _("Report published."))
    if done is not None and done[1]:
        # Published: its PDF is rendered in the background and kept; the job page links to it.
        job = job_start(by=request.user, kind="flows_report",
                        params=reports.job_params(point.code, done[0].period_start))
        return redirect("jobs:detail", job_id=job.pk)
    return redirect(reverse("flows:report", kwargs={"code": point.code}) + "?" + urlencode(
        {"period": data["period_start"]}))


@login_required
@require_GET
def national_report(request):
    require(can_read_flows(request.user))
    start, end = _period(request)
    points = points_visible_to(request.user)
    context = reports.report_context(points, start, end)
    context["per_point"] = reports.per_point_rows(request.user, points, start, end)
    context["can_generate"] = (can_publish_reports(request.user) and can_read_national_files(request.user)
                               and end < timezone.localdate())
    context["files"] = reports.files_list(request.user, national=True)[:24]
    return render(request, "flows/national.html", context)


def _pdf_response(made) -> HttpResponse:
    response = HttpResponse(bytes(made.pdf), content_type="application/pdf")
    name = made.point.code if made.point_id else "national"
    response["Content-Disposition"] = f'inline; filename="{name}-{made.period_start}-{made.language}.pdf"'
    return response


@login_required
@require_GET
def report_pdf(request, report_id):
    """The PDF of a published report (the contract's `pdf_url`): the file kept for it."""
    report = report_for_read(request.user, report_id)
    return _pdf_response(reports.report_file_of(report))


@login_required
@require_GET
def file_pdf(request, file_id):
    return _pdf_response(reports.file_for_read(request.user, file_id))


@login_required
@require_GET
def file_list(request):
    """Every report PDF kept that the reader may open, national and per point."""
    require(can_read_flows(request.user))
    chosen = request.GET.get("point", "")
    point = point_for_read(request.user, chosen) if chosen else None
    return render(request, "flows/files.html", {
        "files": reports.files_list(request.user, point=point)[:200], "chosen": chosen,
        "points": selectors.points_list(request.user),
    })


@login_required
@require_POST
def report_generate(request):
    """Start the background job that renders and keeps a report's PDF; the job page follows it."""
    require(can_read_flows(request.user))
    code = request.POST.get("point", "")
    if code:
        point_for_read(request.user, code)
    try:
        start = dt.date.fromisoformat(request.POST.get("period_start", ""))
    except ValueError:
        start = None
    if not can_publish_reports(request.user) or (not code and not can_read_national_files(request.user)):
        raise Forbidden()
    if start is None or not is_period_start(start) or period_of(start)[1] >= timezone.localdate():
        messages.error(request, _("Choose a bi-weekly period that is over."))
        return redirect(reverse("flows:report", kwargs={"code": code}) if code else reverse("flows:national"))
    job = job_start(by=request.user, kind="flows_report", params=reports.job_params(code or None, start))
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_POST
def tally_entry(request, code):
    """The day's tally in one direction, from the same phone page."""
    point = point_for_record(request.user, code)
    data = {"point": point.code, **{k: request.POST.get(k, "") for k in ("date", "direction", "total", "correction")}}
    done = act(request, lambda: services.tally_record(by=request.user, data=data))
    if done is not None:
        tally, created = done
        messages.success(request, (_("Tally recorded: %(n)s.") if created else _("Already recorded: %(n)s."))
                         % {"n": tally.total})
    return redirect(reverse("flows:count", kwargs={"code": point.code}) + "?" + urlencode(
        {"date": data["date"], "direction": data["direction"]}))


@login_required
@require_GET
def quality_page(request):
    """The quality flags of a period, for M&E (every point they read) and enumerators (their point)."""
    require(can_read_flows(request.user))
    start, end = _period(request)
    points = points_visible_to(request.user).filter(active=True)
    chosen = request.GET.get("point", "")
    if chosen:
        points = points.filter(pk=point_for_read(request.user, chosen).pk)
    flags = quality.flags_for(points, start, end)
    return render(request, "flows/quality.html", {
        "start": start, "end": end, "flags": flags, "summary": quality.summary(flags), "chosen": chosen,
        "points": selectors.points_list(request.user), "kinds": quality.KINDS,
        "can_check": can_check_days(request.user),
        "previous": previous_period(start)[0], "next": next_period(start)[0],
        "has_next": next_period(start)[0] <= timezone.localdate(),
    })


@login_required
@require_POST
def quality_check(request):
    point = point_for_read(request.user, request.POST.get("point", ""))
    data = {"point": point.code, "date": request.POST.get("date", ""), "note": request.POST.get("note", "")}
    act(request, lambda: services.day_check(by=request.user, data=data), _("Day marked as checked."))
    back = {"period": request.POST.get("period", data["date"])}
    if request.POST.get("only"):
        back["point"] = point.code
    return redirect(reverse("flows:quality") + "?" + urlencode(back))



@login_required
@require_http_methods(["GET", "POST"])
def sheets_import(request):
    """Upload a point's day sheets (XLSX/CSV): checked and recorded by a job, whose page shows the
    progress and each row to correct."""
    require(can_import_counts(request.user))
    from .imports import HEADERS, SheetUpload

    points = points_visible_to(request.user).filter(active=True).order_by("code")
    initial = {"point": request.GET.get("point", "")}
    form = SheetUpload(request.POST or None, request.FILES or None, points=points, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = job_start(by=request.user, kind="import_flows", upload=form.cleaned_data["file"],
                        params={"point": form.cleaned_data["point"]})
        return redirect("jobs:detail", job_id=job.pk)
    columns = [(names[0].capitalize(), field) for field, names in HEADERS.items() if field != "point"]
    return render(request, "flows/import.html", {"form": form, "columns": columns})

"""Web pages of flow monitoring: the points, a day's counts entered on a phone, the bi-weekly
report of a point and of the country. Views parse, call a service or selector, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from parcours.core.errors import Conflict, ValidationFailed
from parcours.core.web import act, bind_errors, flash_service_error, require

from . import charts, labels, quality, selectors, services
from .models import AgeGroup, Direction, Reason, Sex, Tally, Transport
from .periods import next_period, period_of, previous_period
from .policies import (
    can_check_days,
    can_publish_reports,
    can_read_flows,
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
        "point": point, "form": form, "day": day, "lines": lines,
        "sums": [{"direction": code, "label": label, "lines": sum(c.count for c in lines if c.direction == code),
                  "tally": tallies.get(code)} for code, label in Direction.choices],
        "choices": {"direction": Direction.choices, "sex": Sex.choices, "age_group": AgeGroup.choices,
                    "transport": Transport.choices, "reason": Reason.choices},
        "nationalities": [(c, labels.label("nationality", c)) for c in COMMON_NATIONALITIES],
        "all_countries": [(c.code, c.name) for c in countries],
        "values": {name: str(form[name].value() or "") for name in STICKY},
    })


def _report_context(request, points, start, end) -> dict:
    numbers = selectors.figures(points, start, end)
    title = _("People counted per day")
    breakdowns = []
    for dim in ("nationality", "destination", "sex", "age_group", "transport", "reason"):
        rows = labels.rows(dim, numbers.by.get(dim, {}), top=8)
        breakdowns.append({"title": labels.TITLES[dim], "rows": rows,
                           "chart": charts.share_bars(rows, title=str(labels.TITLES[dim])) if dim in (
                               "nationality", "destination") else ""})
    directions = numbers.by.get("direction", {})
    return {
        "start": start, "end": end, "figures": numbers,
        "incoming": directions.get("in", 0), "outgoing": directions.get("out", 0),
        "daily_chart": charts.daily_bars(numbers.daily, labels=(_("incoming"), _("outgoing")), title=title),
        "breakdowns": breakdowns,
        "summary": _summary(numbers),
        "previous": previous_period(start)[0], "next": next_period(start)[0],
        "has_next": next_period(start)[0] <= timezone.localdate(),
    }


def _summary(numbers) -> str:
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
    top = labels.rows("nationality", numbers.by.get("nationality", {}), top=3)
    if top:
        parts.append(_("Main nationalities: %(list)s.") % {
            "list": ", ".join(f"{name} ({100 * n // numbers.total} %)" for name, n in top if name)})
    missing = sum(len(days) for days in numbers.missing.values())
    if missing:
        parts.append(_("%(n)s point-days without any count.") % {"n": missing})
    return " ".join(parts)


@login_required
@require_GET
def point_report(request, code):
    point = point_for_read(request.user, code)
    start, end = _period(request)
    context = _report_context(request, points_visible_to(request.user).filter(pk=point.pk), start, end)
    report = selectors.published_report(point, start)
    context.update({
        "point": point, "report": report,
        "can_publish": can_publish_reports(request.user) and report is None and end < timezone.localdate(),
        "published": selectors.reports_list(request.user, point=point)[:12],
    })
    return render(request, "flows/report.html", context)


@login_required
@require_POST
def report_publish(request, code):
    point = point_for_read(request.user, code)
    data = {"point": point.code, "period_start": request.POST.get("period_start", ""),
            "summary": request.POST.get("summary", "")}
    act(request, lambda: services.report_publish(by=request.user, data=data), _("Report published."))
    return redirect(reverse("flows:report", kwargs={"code": point.code}) + "?" + urlencode(
        {"period": data["period_start"]}))


@login_required
@require_GET
def national_report(request):
    require(can_read_flows(request.user))
    start, end = _period(request)
    points = points_visible_to(request.user)
    context = _report_context(request, points, start, end)
    per_point = []
    for point in selectors.points_list(request.user):
        one = selectors.figures(points.filter(pk=point.pk), start, end)
        per_point.append({"point": point, "total": one.total, "incoming": one.by.get("direction", {}).get("in", 0),
                          "outgoing": one.by.get("direction", {}).get("out", 0),
                          "missing": len(one.missing.get(point.code, [])),
                          "report": selectors.published_report(point, start)})
    context["per_point"] = per_point
    return render(request, "flows/national.html", context)


@login_required
@require_GET
def report_pdf(request, report_id):
    report = report_for_read(request.user, report_id)
    points = points_visible_to(request.user).filter(pk=report.point_id)
    context = _report_context(request, points, report.period_start, report.period_end)
    context.update({"point": report.point, "report": report, "pdf": True})
    html = render_to_string("flows/report_pdf.html", context, request=request)
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.point.code}-{report.period_start}.pdf"'
    return response


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


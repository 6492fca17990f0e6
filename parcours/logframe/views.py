"""The results pages: the dashboard, an indicator with the people behind it, the budget."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parcours.core.errors import NotFound, ValidationFailed
from parcours.core.web import act, download, flash_service_error, require
from parcours.jobs.services import job_start

from . import reports as reports_mod
from . import selectors, services
from .policies import can_drill_down, can_edit_results, can_read_results


def periods(action) -> list[tuple[str, str]]:
    """(value, label) choices: the whole action, each year, each quarter."""
    today = timezone.localdate()
    out = [("", _("Whole action"))]
    for year in range(action.starts_on.year, max(action.ends_on.year, today.year) + 1):
        out.append((f"{year}", str(year)))
        for q in range(1, 5):
            out.append((f"{year}-Q{q}", _("%(year)s, quarter %(q)s") % {"year": year, "q": q}))
    return out


def period_bounds(value: str, action) -> tuple[dt.date | None, dt.date]:
    today = timezone.localdate()
    try:
        if "-Q" in value:
            year, q = value.split("-Q")
            start = dt.date(int(year), 3 * (int(q) - 1) + 1, 1)
            end = (dt.date(int(year) + (q == "4"), 1 if q == "4" else 3 * int(q) + 1, 1) - dt.timedelta(days=1))
            return start, end
        if value:
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        pass
    return None, today


def _results(request):
    try:
        act = selectors.action()
        period = request.GET.get("period", "")
        start, end = period_bounds(period, act)
        return act, period, start, end
    except NotFound:
        raise Http404 from None


def _no_logframe(request):
    """A programme whose logframe is not loaded yet: say so, rather than a bare 404."""
    if not can_read_results(request.user):
        raise Http404
    return render(request, "logframe/empty.html")


@login_required
@require_GET
def dashboard(request):
    if not selectors.action_exists():
        return _no_logframe(request)
    act, period, start, end = _results(request)
    try:
        results = selectors.results_for(request.user, start=start, end=end)
    except NotFound:
        raise Http404 from None
    by_objective: dict = {}
    for r in results:
        by_objective.setdefault(r.indicator.objective, []).append(r)
    return render(request, "logframe/dashboard.html", {
        "action": act, "by_objective": by_objective, "periods": periods(act), "period": period,
        "start": start or act.starts_on, "end": end, "can_drill": can_drill_down(request.user),
        "can_reports": reports_mod.can_use_reports(request.user),
    })


@login_required
@require_GET
def indicators_xlsx(request):
    """The dashboard's figures as a workbook: the period chosen on the page, or (none chosen) the
    whole action and each of its years."""
    from .xlsx import default_periods, one_period
    from .xlsx import indicators_xlsx as workbook

    if not selectors.action_exists():
        raise Http404
    act, period, start, end = _results(request)
    label = dict(periods(act)).get(period, "")
    chosen = [one_period(start, end, label)] if period and label else default_periods(act)
    try:
        data, _rows = workbook(by=request.user, periods=chosen)
    except NotFound:
        raise Http404 from None
    return download(data, f'parcours-indicators{"-" + period if label else ""}.xlsx')


@login_required
@require_GET
def indicator(request, code: str):
    act, period, start, end = _results(request)
    try:
        result = selectors.results_for(request.user, start=start, end=end, code=code)[0]
    except NotFound:
        raise Http404 from None
    people = None
    if can_drill_down(request.user):
        people = selectors.people_behind(request.user, result.indicator, start=start, end=end)
    return render(request, "logframe/indicator.html", {
        "action": act, "r": result, "people": people, "periods": periods(act), "period": period,
        "start": start or act.starts_on, "end": end, "can_edit": can_edit_results(request.user),
        "targets": list(result.indicator.targets.all()), "entered": list(result.indicator.entered_values.all()),
    })


@login_required
@require_POST
def indicator_edit(request, code: str):
    try:
        ind = selectors.indicators(code=code).get()
    except Exception:
        raise Http404 from None
    if not can_edit_results(request.user):
        raise Http404
    try:
        if request.POST.get("what") == "target":
            services.target_revise(by=request.user, indicator=ind, data=request.POST)
            messages.success(request, _("Target revised; the original stays in the history."))
        else:
            services.value_enter(by=request.user, indicator=ind, data=request.POST,
                                 evidence=request.FILES.get("evidence"))
            messages.success(request, _("Value recorded with its evidence."))
    except ValidationFailed as exc:
        flash_service_error(request, exc)
    return redirect("logframe:indicator", code=code)


@login_required
@require_GET
def budget(request):
    if not selectors.action_exists():
        return _no_logframe(request)
    try:
        rows, totals = selectors.budget(request.user)
        act = selectors.action()
    except NotFound:
        raise Http404 from None
    return render(request, "logframe/budget.html", {"action": act, "rows": rows, "totals": totals})


def _last_quarter() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    first_of_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_quarter - dt.timedelta(days=1)
    return dt.date(end.year, end.month - 2, 1), end


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@login_required
def reports(request):
    """The donor's reports: write the narrative for a period, generate the PDF in the background,
    and the reports generated so far."""
    require(reports_mod.can_use_reports(request.user))
    if not selectors.action_exists():
        return _no_logframe(request)
    q_start, q_end = _last_quarter()
    data = request.POST if request.method == "POST" else request.GET
    start, end = _date(data.get("from"), q_start), _date(data.get("to"), q_end)
    if request.method == "POST":
        texts = {key: request.POST.get(key, "") for key in reports_mod.SECTION_KEYS}

        def save_and_start():
            reports_mod.period_check(start, end)
            reports_mod.narratives_save(by=request.user, start=start, end=end, texts=texts)
            if request.POST.get("generate"):
                return job_start(by=request.user, kind="donor_report",
                                 params={"from": start.isoformat(), "to": end.isoformat()})
            return False

        job = act(request, save_and_start)
        if job:
            return redirect("jobs:detail", job_id=job.pk)
        if job is False:
            messages.success(request, _("The text is saved."))
        return redirect(f"{request.path}?from={start.isoformat()}&to={end.isoformat()}")
    texts = reports_mod.narratives_for(selectors.action(), start, end)
    return render(request, "logframe/reports.html", {
        "start": start, "end": end, "can_edit": can_edit_results(request.user),
        "sections": [(key, label, texts.get(key, "")) for key, label in reports_mod.SECTIONS],
        "reports": reports_mod.reports_visible_to(request.user)[:50],
    })


@login_required
@require_GET
def report_pdf(request, report_id):
    report = reports_mod.report_for_read(request.user, report_id)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (f'inline; filename="report-{report.period_start}-{report.period_end}'
                                       f'-{report.language}.pdf"')
    return response

"""Case pages: the case worker's caseload and today's tasks, the case page, the queue dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parcours.accounts.roles import can
from parcours.core.errors import NotFound, ServiceError
from parcours.core.web import flash_service_error

from . import selectors, services
from .charts import line_chart
from .models import Case, Orientation, PlanComponent
from .policies import (
    CASE_READERS,
    CASE_WRITERS,
    QUEUE_READERS,
    can_open_cases,
    can_read_protection,
    case_for_read,
)
from .stages import position


def _need(user, roles):
    if not can(user, roles):
        raise Http404


@login_required
@require_GET
def caseload(request):
    _need(request.user, CASE_READERS)
    mine = request.GET.get("all") != "1" and can(request.user, CASE_WRITERS)
    rows = selectors.queue(request.user, owner=request.user if mine else None)
    return render(request, "cases/caseload.html", {
        "rows": rows[:200], "total": len(rows), "mine": mine, "tasks": selectors.tasks_today(request.user),
    })


@login_required
@require_GET
def queue_dashboard(request):
    _need(request.user, QUEUE_READERS)
    trend = selectors.days_to_plan_by_month(request.user)
    chart = line_chart(trend, [("median", _("median"), "#0b5c8a"), ("p90", _("90th percentile"), "#c2410c")],
                       y_label=_("days from arrival to plan"))
    names_allowed = can(request.user, CASE_READERS)
    return render(request, "cases/queue.html", {
        "backlog": selectors.backlog(request.user), "chart": mark_safe(chart),  # noqa: S308 - built and escaped in charts.py
        "oldest": selectors.queue(request.user)[:20] if names_allowed else [], "names_allowed": names_allowed,
    })


@login_required
@require_http_methods(["GET", "POST"])
def for_person(request, person_id):
    """The person's open case, or a button to open one."""
    from parcours.people.policies import person_for_read

    try:
        person = person_for_read(request.user, person_id)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        try:
            case = services.case_open(by=request.user, person_id=person.pk,
                                      unaccompanied_minor=request.POST.get("unaccompanied_minor") == "on")
        except ServiceError as exc:
            messages.error(request, str(exc.message))
            return redirect("people:detail", person_id=person.pk)
        return redirect("cases:detail", case_id=case.pk)
    from .policies import cases_visible_to

    case = cases_visible_to(request.user).filter(person=person).order_by("closed_on").first()
    if case:
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/open.html", {"person": person, "can_open": can_open_cases(request.user)})


@login_required
@require_GET
def case_detail(request, case_id):
    try:
        case = case_for_read(request.user, case_id)
    except NotFound:
        raise Http404 from None
    screening = getattr(case, "screening", None) if hasattr(case, "screening") else None
    answers = None
    if screening and can_read_protection(request.user) and request.GET.get("show") == "screening":
        answers = services.screening_answers(by=request.user, screening=screening)
    return render(request, "cases/detail.html", {
        "case": case, "position": position(case, timezone.localdate()), "screening": screening, "answers": answers,
        "orientation": getattr(case, "orientation", None) if hasattr(case, "orientation") else None,
        "components": case.components.select_related("provider"), "follow_ups": case.follow_ups.all(),
        "can_write": can(request.user, CASE_WRITERS), "can_protect": can_read_protection(request.user),
        "items": services.SCREENING_ITEMS, "choices": Orientation.Choice.choices,
        "kinds": PlanComponent.Kind.choices, "statuses": PlanComponent.Status.choices,
        "closures": Case.Closure.choices, "today": timezone.localdate(),
        "best_interest": getattr(case, "best_interest", None) if hasattr(case, "best_interest") else None,
    })


STEPS = {
    "screening": lambda r, c: services.screening_record(
        by=r.user, case_id=c, answers={k: True for k in services.SCREENING_ITEMS if r.POST.get(k) == "on"},
        done_on=r.POST.get("done_on") or None),
    "protection": lambda r, c: services.protection_record(by=r.user, case_id=c, notes=r.POST.get("notes", "")),
    "orientation": lambda r, c: services.orientation_record(by=r.user, case_id=c, data=r.POST.dict()),
    "component": lambda r, c: services.component_add(by=r.user, case_id=c, data=r.POST.dict()),
    "component_status": lambda r, c: services.component_update(by=r.user, component_id=r.POST.get("component"),
                                                               status=r.POST.get("status", "")),
    "follow_up": lambda r, c: services.follow_up_record(
        by=r.user, follow_up_id=r.POST.get("follow_up"), outcome=r.POST.get("outcome", ""),
        satisfaction=r.POST.get("satisfaction"), notes=r.POST.get("notes", "")),
    "best_interest": lambda r, c: services.best_interest_record(by=r.user, case_id=c, panel=r.POST.get("panel", ""),
                                                                decision=r.POST.get("decision", "")),
    "close": lambda r, c: services.case_close(by=r.user, case_id=c, reason=r.POST.get("reason", "")),
    "transfer": lambda r, c: services.case_transfer(by=r.user, case_id=c, to_username=r.POST.get("to", "")),
}


@login_required
@require_POST
def case_step(request, case_id, step):
    if step not in STEPS:
        raise Http404
    try:
        STEPS[step](request, case_id)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        flash_service_error(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("cases:detail", case_id=case_id)

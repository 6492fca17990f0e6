"""Case pages: the case worker's caseload and today's tasks, the case page with a form for each
next step, the queue dashboard. Thin: policies decide, services write, selectors read."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parcours.accounts.models import Agency
from parcours.core.reads import rows_shown
from parcours.core.web import act, require

from . import selectors, services
from .charts import bar_chart, legend, line_chart
from .models import Case, FollowUp, Orientation, PlanComponent
from .policies import (
    can_edit_targets,
    can_open_cases,
    can_read_cases,
    can_read_protection,
    can_read_queue,
    can_see_names,
    can_work_cases,
    case_for_read,
    cases_visible_to,
)
from .stages import OPEN_STAGES, STAGES, TARGET_FROM, follow_up_schedule, position, targets
from .validation import SCREENING_ITEMS

BLUE, ORANGE, GREEN = "#0b5c8a", "#c2410c", "#2f7d32"


def _stage_choices():
    return [(s, STAGES[s]) for s in OPEN_STAGES]


@login_required
@require_GET
def caseload(request):
    """Today's tasks and the open cases, longest wait first (the user's own, or all they see)."""
    require(can_read_cases(request.user))
    works = can_work_cases(request.user)
    mine = request.GET.get("all") != "1" and works
    flt = selectors.QueueFilter.from_query(request.GET)
    rows = selectors.queue(request.user, flt, owner=request.user if mine else None)
    rows_shown(request, [w.case for w in rows[:200]], model=Case)
    return render(request, "cases/caseload.html", {
        "rows": rows[:200], "total": len(rows), "mine": mine, "flt": flt, "stages": _stage_choices(),
        "tasks": selectors.tasks_today(request.user) if works else None,
    })


@login_required
@require_GET
def queue_dashboard(request):
    """The backlog at a glance: counts per stage against targets, per agency, region and case
    worker; the waiting-time trend; names only for the roles that work on cases."""
    require(can_read_queue(request.user))
    flt = selectors.QueueFilter.from_query(request.GET)
    backlog = selectors.backlog(request.user, flt)
    trend = selectors.waiting_trend(request.user, flt)
    stage_chart = bar_chart([(s["label"], s["open"], s["overdue"]) for s in backlog["stages"]],
                            label=_("open cases per stage, over target in orange"))
    wait_chart = line_chart(trend, [("median", _("median"), BLUE), ("p90", _("90th percentile"), ORANGE)],
                            y_label=_("days from arrival to plan"))
    backlog_chart = line_chart(trend, [("backlog", _("open cases at the end of the month"), GREEN)],
                               y_label=_("open cases"))
    names = can_see_names(request.user)
    oldest = list(selectors.queue(request.user, flt)[:25]) if names else []
    rows_shown(request, [w.case for w in oldest], model=Case)
    # Built from numbers and escaped labels in charts.py: safe to embed.
    charts = {"stages": mark_safe(stage_chart + legend([(_("open"), BLUE), (_("over target"), ORANGE)])),  # noqa: S308
              "wait": mark_safe(wait_chart), "backlog": mark_safe(backlog_chart)}  # noqa: S308
    return render(request, "cases/queue.html", {
        "backlog": backlog, "charts": charts, "flt": flt, "stages": _stage_choices(),
        "agencies": Agency.objects.order_by("code").values_list("code", flat=True),
        "oldest": oldest, "names_allowed": names,
        "targets": [(key, TARGET_FROM.get(key, ""), days) for key, days in targets().items()],
        "stage_labels": {**STAGES, "training_start": _("start of training")},
        "can_edit_targets": can_edit_targets(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def for_person(request, person_id):
    """The person's case (open first), or a button to open one."""
    from parcours.people.policies import person_for_read

    require(can_read_cases(request.user))  # a service provider reads the person, never their case
    person = person_for_read(request.user, person_id)
    if request.method == "POST":
        case = act(request, lambda: services.case_open(
            by=request.user, person_id=person.pk, arrived_on=request.POST.get("arrived_on") or None,
            unaccompanied_minor=request.POST.get("unaccompanied_minor") == "on"))
        if case is None:
            return redirect("cases:for_person", person_id=person.pk)
        return redirect("cases:detail", case_id=case.pk)
    case = cases_visible_to(request.user).filter(person=person).order_by("-closed_on").first()
    open_case = cases_visible_to(request.user).filter(person=person, closed_on__isnull=True).first()
    if open_case or case:
        return redirect("cases:detail", case_id=(open_case or case).pk)
    return render(request, "cases/open.html", {"person": person, "can_open": can_open_cases(request.user),
                                               "minor": person.is_minor_on(timezone.localdate())})


def _one(case, name):
    return getattr(case, name) if hasattr(case, name) else None


@login_required
@require_GET
def case_detail(request, case_id):
    case = case_for_read(request.user, case_id)
    case = selectors.with_steps(Case.objects.filter(pk=case.pk)).get()
    today = timezone.localdate()
    screening, protection = _one(case, "screening"), _one(case, "protection")
    can_protect = can_read_protection(request.user)
    answers = notes = None
    if screening and can_protect and request.GET.get("show") == "screening":
        answers = [(SCREENING_ITEMS[k], v) for k, v in services.screening_answers(
            by=request.user, screening=screening).items() if k in SCREENING_ITEMS]
    if protection and can_protect and request.GET.get("show") == "protection":
        notes = services.protection_notes(by=request.user, assessment=protection)
    paid = selectors.deliveries(request.user, case)
    components = list(case.components.all())
    members = selectors.visible_members(request.user, components)
    names = selectors.scheme_names(c.scheme_code for c in components if c.scheme_code)
    for component in components:
        component.scheme_label = names.get(component.scheme_code, component.scheme_code)
        component.entries = paid.get(component.scheme_code, [])
        component.visible_members = members[component.pk]
    can_write = can_work_cases(request.user) and not case.closed_on
    pos = position(case, today)
    return render(request, "cases/detail.html", {
        "case": case, "position": pos, "days": pos.days_waiting(today), "overdue": pos.overdue(today), "today": today,
        # A follow-up may be recorded from a month before it is due.
        "soon": today + dt.timedelta(days=30), "minor": case.is_minor(today),
        "screening_before_case": bool(screening and screening.done_on < timezone.localtime(case.opened_at).date()),
        "age": case.age(today), "screening": screening, "protection": protection, "answers": answers,
        "notes": notes, "orientation": _one(case, "orientation"), "best_interest": _one(case, "best_interest"),
        "components": components, "follow_ups": list(case.follow_ups.all()), "timeline": selectors.case_timeline(case, request.user),
        "can_write": can_write, "can_protect": can_protect and not case.closed_on, "can_read_protected": can_protect,
        "plan_allowed": services._plan_allowed(case),
        "items": list(SCREENING_ITEMS.items()), "choices": Orientation.Choice.choices,
        "kinds": PlanComponent.Kind.choices, "statuses": PlanComponent.Status.choices,
        "outcomes": FollowUp.Outcome.choices, "closures": Case.Closure.choices,
        "owners": services.owners_for(request.user) if can_write else [],
        "plan_choices": selectors.plan_choices(request.user, case, request.GET.get("members_q", "")[:100])
        if can_write else None,
        "form_token": uuid.uuid4().hex,
    })


def _post(request, *names):
    return {name: request.POST.get(name) or None for name in names}


STEPS = {
    "screening": lambda r, c: services.screening_record(
        by=r.user, case_id=c, answers={k: True for k in SCREENING_ITEMS if r.POST.get(k) == "on"},
        done_on=r.POST.get("done_on") or None),
    "protection": lambda r, c: services.protection_record(by=r.user, case_id=c, notes=r.POST.get("notes", ""),
                                                          done_on=r.POST.get("done_on") or None),
    "orientation": lambda r, c: services.orientation_record(by=r.user, case_id=c, data=_post(
        r, "wishes", "declared_skills", "skills_verified", "verified_by", "verified_on", "verification_note",
        "options_explained", "options_note", "choice", "done_on")),
    "component": lambda r, c: services.component_add(by=r.user, case_id=c, data={**_post(
        r, "kind", "provider", "scheme_code", "cost_xof", "planned_start", "planned_end", "referral", "note"),
        "members": " ".join(r.POST.getlist("members")) or None}, idempotency_key=r.POST.get("form_token", "")),
    "component_status": lambda r, c: services.component_update(by=r.user, component_id=r.POST.get("component"),
                                                               status=r.POST.get("status", ""),
                                                               on=r.POST.get("on") or None),
    "follow_up": lambda r, c: services.follow_up_record(
        by=r.user, follow_up_id=r.POST.get("follow_up"), outcome=r.POST.get("outcome", ""),
        done_on=r.POST.get("done_on") or None, satisfaction=r.POST.get("satisfaction") or None,
        notes=r.POST.get("notes", "")),
    "best_interest": lambda r, c: services.best_interest_record(by=r.user, case_id=c, panel=r.POST.get("panel", ""),
                                                                decision=r.POST.get("decision", ""),
                                                                decided_on=r.POST.get("decided_on") or None),
    "close": lambda r, c: services.case_close(by=r.user, case_id=c, reason=r.POST.get("reason", ""),
                                              closed_on=r.POST.get("closed_on") or None),
    "transfer": lambda r, c: services.case_transfer(by=r.user, case_id=c, to_username=r.POST.get("to", "")),
}


@login_required
@require_POST
def case_step(request, case_id, step):
    if step not in STEPS:
        raise Http404  # an unknown step is an unknown address
    act(request, lambda: STEPS[step](request, case_id), _("Saved."))
    if not cases_visible_to(request.user).filter(pk=case_id).exists():
        return redirect("cases:caseload")  # transferred out of the user's own scope
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_POST
def reminder_dismiss(request, reminder_id):
    services.reminder_dismiss(by=request.user, reminder_id=reminder_id)
    return redirect("cases:caseload")


@login_required
@require_http_methods(["GET", "POST"])
def targets_edit(request):
    """The waiting-time targets and the follow-up schedule, as data a programme administrator edits."""
    require(can_edit_targets(request.user))
    if request.method == "POST":
        act(request, lambda: services.targets_update(
            by=request.user, targets={k: request.POST.get(k, "") for k in services.TARGET_KEYS},
            follow_up_months=request.POST.get("follow_up_months", "")), _("Saved."))
        return redirect("cases:targets")
    labels = {**STAGES, "training_start": _("start of training")}
    return render(request, "cases/targets.html", {
        "rows": [(key, labels[key], TARGET_FROM.get(key, ""), days) for key, days in targets().items()
                 if key in labels],
        "schedule": " ".join(f"{m}:{mode}" for m, mode in follow_up_schedule()),
    })


@login_required
@require_GET
def arrivals(request):
    """The flights pre-registered from manifests, latest first: how many people, how many arrived."""
    from .arrivals import manifests_for

    return render(request, "cases/arrivals.html", {"manifests": manifests_for(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def arrival_flight(request, flight):
    """A flight's passengers: tick who is present (consent asked), who is absent, in one go."""
    from .arrivals import arrivals_record, passengers

    if request.method == "POST":
        done = act(request, lambda: arrivals_record(
            by=request.user, flight=flight, present=request.POST.getlist("present"),
            absent=request.POST.getlist("absent"), consent_given=request.POST.get("consent_given") == "on",
            arrived_on=request.POST.get("arrived_on") or None))
        if done is not None:
            messages.success(request, _("%(arrived)s arrived (cases opened), %(absent)s absent.") % done)
        return redirect("cases:arrival_flight", flight=flight)
    return render(request, "cases/arrival_flight.html", {
        "flight": flight, "passengers": passengers(request.user, flight), "today": timezone.localdate()})

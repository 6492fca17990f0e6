"""Web pages of the referral network. Views parse the request, call a service or selector, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parcours.accounts.models import Place
from parcours.core.errors import NotFound, ValidationFailed
from parcours.core.fields import whole_number_text
from parcours.core.reads import page_of
from parcours.core.web import bind_errors, require
from parcours.people.policies import person_for_read

from . import selectors, services
from .models import Referral, Service
from .policies import (
    can_answer,
    can_create_service,
    can_edit_service,
    can_read_directory,
    can_record_attendance,
    can_refer,
    can_validate_attendance,
    referral_for_attendance,
    referral_for_read,
    referral_for_validation,
    service_for_read,
)
from .validation import AttendanceInput, ReferralInput, ServiceInput, TransitionInput


def _regions():
    return Place.objects.filter(kind__in=["region"]).order_by("name")


# ---------------------------------------------------------------- directory


@login_required
@require_GET
def service_list(request):
    require(can_read_directory(request.user))
    flt = selectors.ServiceFilter(kind=request.GET.get("kind", ""), place=request.GET.get("place", ""),
                                  q=request.GET.get("q", "").strip())
    page = Paginator(selectors.services_list(request.user, flt), 50).get_page(request.GET.get("page"))
    for s in page:
        s.free = None if s.capacity is None else max(0, s.capacity - s.taken)
    return render(request, "referrals/services.html", {
        "page": page, "flt": flt, "kinds": Service.Kind.choices, "regions": _regions(),
        "can_create": can_create_service(request.user), "query": request.GET.copy(),
    })


@login_required
@require_GET
def service_detail(request, service_id):
    service = selectors.service_with_taken(service_for_read(request.user, service_id))
    free = None if service.capacity is None else max(0, service.capacity - service.taken)
    return render(request, "referrals/service_detail.html", {
        "service": service, "free": free, "places": service.places.all(),
        "can_edit": can_edit_service(request.user, service), "can_refer": can_refer(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, service_id=None):
    service = None
    if service_id is not None:
        service = service_for_read(request.user, service_id)
        require(can_edit_service(request.user, service))
    else:
        require(can_create_service(request.user))
    if request.method == "POST":
        try:
            if service is None:
                service = services.service_create(by=request.user, data=request.POST)
            else:
                service = services.service_update(by=request.user, service_id=service.pk, data=request.POST)
        except ValidationFailed as exc:
            form = bind_errors(ServiceInput(data=request.POST), exc)
        else:
            messages.success(request, _("Service saved."))
            return redirect("referrals:service", service_id=service.pk)
    elif service is not None:
        form = ServiceInput(initial={
            "code": service.code, "provider": service.provider.code, "kind": service.kind, "name_fr": service.name_fr,
            "name_en": service.name_en, "description": service.description, "eligibility": service.eligibility,
            "capacity": service.capacity, "places": [p.path for p in service.places.all()],
            "contact_name": service.contact_name, "contact_phone": service.contact_phone,
            "contact_email": service.contact_email, "address": service.address, "starts_on": service.starts_on,
            "ends_on": service.ends_on, "active": service.active,
        })
    else:
        form = ServiceInput(initial={"provider": request.user.agency.code if request.user.agency else "",
                                     "active": True})
    if service is not None:
        form.fields["code"].disabled = True
        form.fields["provider"].disabled = True
    return render(request, "referrals/service_edit.html", {"form": form, "service": service})


# ---------------------------------------------------------------- referrals


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request):
    require(can_refer(request.user))
    person_id = request.GET.get("person") or request.POST.get("person")
    if not person_id:
        return _choose_person(request)
    person = person_for_read(request.user, person_id)
    choices = selectors.services_list(request.user).filter(active=True)
    form = ReferralInput(data=request.POST or None)
    errors: dict = {}
    chosen = request.POST.get("service", request.GET.get("service", ""))
    if request.method == "POST" and form.is_valid():
        try:
            service = service_for_read(request.user, chosen)
        except NotFound:
            errors["service"] = [_("Choose a service from the directory.")]
        else:
            try:
                referral = services.referral_create(
                    by=request.user, person=person, service=service, note=form.cleaned_data["note"],
                    idempotency_key=request.POST.get("form_token", ""), consent_given=form.cleaned_data["consent"],
                )
            except ValidationFailed as exc:
                errors = exc.fields
            else:
                if referral.replayed:
                    messages.info(request, _("This person already has an open referral to this service."))
                else:
                    messages.success(request, _("Referral sent."))
                return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/new.html", {
        "person": person, "services": choices, "form": form, "errors": errors, "chosen": chosen,
        "form_token": request.POST.get("form_token") or timezone.now().strftime("%Y%m%d%H%M%S%f"),
        "existing": selectors.referrals_for_person(request.user, person)[:20],
    })


def _choose_person(request):
    """Without a person in the address: find them first (the person page links here with one)."""
    from parcours.people.selectors import PeopleFilter, people_list

    q = request.GET.get("q", "").strip()
    found = list(people_list(request.user, PeopleFilter(q=q))[:20]) if q else []
    return render(request, "referrals/choose_person.html", {"q": q, "found": found})


@login_required
@require_GET
def referral_list(request):
    flt = selectors.ReferralFilter(status=request.GET.get("status", ""), service=request.GET.get("service", ""),
                                   person=request.GET.get("person", ""))
    page = page_of(request, selectors.referrals_list(request.user, flt), paginator_class=Paginator)
    now = timezone.now()
    for r in page:
        r.waiting = selectors.waiting_days(r, now)
    return render(request, "referrals/list.html", {
        "page": page, "flt": flt, "statuses": Referral.Status.choices, "query": request.GET.copy(),
        "can_refer": can_refer(request.user),
    })


@login_required
@require_GET
def inbox(request):
    groups = selectors.inbox_groups(request.user)
    now = timezone.now()
    for rows in groups.values():
        for r in rows:
            r.waiting = selectors.waiting_days(r, now)
            r.next_steps = _next_steps(r)
    return render(request, "referrals/inbox.html", {
        "waiting": groups[Referral.Status.SENT], "accepted": groups[Referral.Status.ACCEPTED],
        "enrolled": groups[Referral.Status.ENROLLED], "completed": groups[Referral.Status.COMPLETED],
        "this_month": _attendance_month(),
    })


@login_required
@require_GET
def referral_detail(request, referral_id):
    return _detail(request, referral_for_read(request.user, referral_id))


_ACTION = {
    Referral.Status.ACCEPTED: gettext_lazy("Accept"),
    Referral.Status.REFUSED: gettext_lazy("Refuse"),
    Referral.Status.ENROLLED: gettext_lazy("Enrol"),
    Referral.Status.COMPLETED: gettext_lazy("Mark as completed"),
    Referral.Status.DROPPED: gettext_lazy("Record a drop-out"),
}


def _next_steps(referral) -> list[tuple[str, str]]:
    return [(s, _ACTION[s]) for s in Referral.TRANSITIONS[referral.status]]


def _attendance_month() -> str:
    """The month the attendance form offers: attendance counts days past, so early in a month the
    partner is reporting the month that just ended."""
    today = timezone.localdate()
    month = today.replace(day=1)
    if today.day <= 10:
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month.strftime("%Y-%m")


def _detail(request, referral, *, transition_errors=None, attendance_errors=None, status=200):
    user = request.user
    next_steps = _next_steps(referral)
    return render(request, "referrals/detail.html", {
        "referral": referral,
        "history": referral.history.select_related("by"),
        "attendance": referral.attendance.select_related("validated_by"),
        "can_validate": can_validate_attendance(user, referral),
        "waiting": selectors.waiting_days(referral),
        "next_steps": next_steps if can_answer(user, referral) else [],
        "can_attend": can_record_attendance(user, referral) and referral.status in Referral.HOLDING_PLACE,
        "transition_errors": transition_errors or {},
        "attendance_errors": attendance_errors or {},
        "this_month": _attendance_month(),
        "transition_form": TransitionInput(), "attendance_form": AttendanceInput(),
        "see_person": _can_see_person_page(user, referral),
    }, status=status)


def _can_see_person_page(user, referral) -> bool:
    try:
        person_for_read(user, referral.person_id)
    except NotFound:
        return False
    return True


@login_required
@require_POST
def referral_transition(request, referral_id):
    try:
        referral = services.referral_transition(
            by=request.user, referral_id=referral_id, to_status=request.POST.get("to_status", ""),
            feedback=request.POST.get("feedback", ""), reason=request.POST.get("reason", ""),
            certificate_ref=request.POST.get("certificate_ref", ""),
        )
    except ValidationFailed as exc:
        referral = referral_for_read(request.user, referral_id)
        return _detail(request, referral, transition_errors=exc.fields, status=400)
    messages.success(request, _("Status recorded: %(status)s.") % {"status": referral.get_status_display()})
    if request.POST.get("next") == "inbox":
        return redirect("referrals:inbox")
    return redirect("referrals:detail", referral_id=referral.pk)


@login_required
@require_POST
def attendance_record(request, referral_id):
    text = request.POST.get("month", "")
    month = None
    for fmt in ("%Y-%m", "%Y-%m-%d"):
        try:
            month = dt.datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    try:
        if month is None:
            # Who may act is said before what is wrong with the form: out of scope 404, a role
            # that may not record (or validate) this attendance 403, as the service would.
            if request.POST.get("action") == "validate":
                referral_for_validation(request.user, referral_id)
            else:
                referral_for_attendance(request.user, referral_id)
            raise ValidationFailed({"month": [_("Enter a month as YYYY-MM.")]})
        if request.POST.get("action") == "validate":
            services.attendance_validate(by=request.user, referral_id=referral_id, month=month)
            messages.success(request, _("Attendance validated: it now counts for the training allowance."))
            return redirect("referrals:detail", referral_id=referral_id)
        referral_for_attendance(request.user, referral_id)  # the role first, then the figure
        try:
            days = int(whole_number_text(request.POST.get("days", "")))
        except ValueError:
            raise ValidationFailed({"days": [_("Enter a whole number.")]}) from None
        services.attendance_record(by=request.user, referral_id=referral_id, month=month, days=days)
    except ValidationFailed as exc:
        referral = referral_for_read(request.user, referral_id)
        return _detail(request, referral, attendance_errors=exc.fields, status=400)
    messages.success(request, _("Attendance recorded."))
    if request.POST.get("next") == "inbox":
        return redirect("referrals:inbox")
    return redirect("referrals:detail", referral_id=referral_id)


@login_required
@require_GET
def stats(request):
    rows = selectors.aggregates(request.user)
    statuses = Referral.Status.choices
    for row in rows:
        row["cells"] = [row["counts"][s] for s, _label in statuses]
    totals = [sum(r["counts"][s] for r in rows) for s, _label in statuses]
    return render(request, "referrals/stats.html", {"rows": rows, "statuses": statuses, "totals": totals,
                                                    "grand_total": sum(totals)})

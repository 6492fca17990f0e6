"""Pages of the centres and of assisted returns (phone-sized, French first, no JavaScript).
Views parse the request, call a policy, selector or service, and render."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parcours.accounts.models import Place
from parcours.cases.services import person_screening
from parcours.cases.validation import SCREENING_ITEMS
from parcours.core.reads import rows_shown
from parcours.core.web import act, download, require
from parcours.people.policies import person_for_read

from . import charts, selectors, services
from .models import Departure, ServiceKind, Stay, TracingStep, TravelDocumentType
from .policies import (
    can_configure_centres,
    can_read_avr,
    can_read_centres,
    can_read_protection,
    can_record_protection,
    can_see_residents,
    can_work_avr,
    can_work_centre,
    centre_for_read,
    departure_for_read,
    departures_visible_to,
    return_requests_visible_to,
    stay_for_read,
)


def _screening_context(user, person) -> dict:
    """The person's screening wherever it was recorded: route for all, answers (as labels of the
    items that apply) for protection roles only."""
    screening = person_screening(by=user, person=person)
    answers = [str(SCREENING_ITEMS[k]) for k, on in (screening.answers or {}).items()
               if on and k in SCREENING_ITEMS] if screening and screening.answers is not None else None
    return {"screening": screening, "screening_answers": answers}


def _entry_points():
    return Place.objects.filter(kind__in=["region", "fmp", "antenna"]).order_by("kind", "name")


@login_required
@require_GET
def centre_list(request):
    require(can_read_centres(request.user))
    today = timezone.localdate()
    centres = list(selectors.centres_with_occupancy(request.user, today))
    for c in centres:
        c.free = max(0, c.capacity - c.occupancy)
    return render(request, "centres/list.html", {"centres": centres, "today": today,
                                                 "names": can_see_residents(request.user)})


@login_required
@require_GET
def centre_detail(request, code):
    centre = centre_for_read(request.user, code)
    today = timezone.localdate()
    occupancy = selectors.occupancy_on(centre, today)
    nights = selectors.occupancy_by_night(centre, today - dt.timedelta(days=89), today)
    context = {
        "centre": centre, "today": today, "occupancy": occupancy, "free": max(0, centre.capacity - occupancy),
        "chart": charts.occupancy_svg(nights, centre.capacity),
        "services_offered": [label for value, label in ServiceKind.choices if value in centre.services],
        "names": can_see_residents(request.user), "can_work": can_work_centre(request.user),
        "can_configure": can_configure_centres(request.user),
    }
    if context["names"]:
        week = today - dt.timedelta(days=6)
        residents = list(selectors.residents(request.user, centre))
        for s in residents:
            s.days = s.nights(today)
            s.stranded = s.days >= centre.stranded_after_days
        arrived = list(selectors.arrivals(request.user, centre, week, today)[:50])
        left = list(selectors.departures_from(request.user, centre, week, today)[:50])
        rows_shown(request, {s.pk: s for s in residents + arrived + left}.values())
        context.update({
            "residents": residents,
            "stranded": [s for s in residents if s.stranded],
            "arrived": arrived,
            "left": left,
            "reasons": Stay.ExitReason.choices,
        })
    return render(request, "centres/detail.html", context)


@login_required
@require_http_methods(["POST"])
def centre_settings(request, code):
    """Beds and the stranded threshold (administrator)."""
    centre = centre_for_read(request.user, code)
    require(can_configure_centres(request.user))
    act(request, lambda: services.centre_configure(by=request.user, code=centre.code, data=request.POST),
        _("Settings saved."))
    return redirect("centres:detail", code=centre.code)


@login_required
@require_http_methods(["GET", "POST"])
def admit(request, code):
    centre = centre_for_read(request.user, code)
    require(can_work_centre(request.user))
    person_id = request.GET.get("person") or request.POST.get("person")
    if request.method == "POST" and person_id:
        stay = act(request, lambda: services.stay_begin(by=request.user, centre_code=centre.code,
                                                        person_id=person_id, data=request.POST),
                   _("Admitted."))
        if stay is not None:
            return redirect("centres:detail", code=centre.code)
    person, found = None, []
    q = request.GET.get("q", "").strip()
    screening = {}
    if person_id:
        person = person_for_read(request.user, person_id)
        screening = _screening_context(request.user, person)
    elif q:
        from parcours.people.selectors import PeopleFilter, people_list

        found = list(people_list(request.user, PeopleFilter(q=q))[:20])
    return render(request, "centres/admit.html", {
        "centre": centre, "person": person, "found": found, "q": q, "today": timezone.localdate(),
        "services": ServiceKind.choices, "entry_points": _entry_points(), "post": request.POST,
        "screening_items": list(SCREENING_ITEMS.items()), **screening,
    })


@login_required
@require_http_methods(["GET", "POST"])
def stay_detail(request, stay_id):
    stay = stay_for_read(request.user, stay_id)
    if request.method == "POST" and request.POST.get("action") == "tracing":
        require(can_record_protection(request.user))
        act(request, lambda: services.tracing_step_record(by=request.user, stay_id=stay.pk, data=request.POST),
            _("Tracing step recorded."))
        return redirect("centres:stay", stay_id=stay.pk)
    if request.method == "POST":
        require(can_work_centre(request.user))
        action = request.POST.get("action")
        if action == "exit":
            act(request, lambda: services.stay_end(by=request.user, stay_id=stay.pk, data=request.POST),
                _("Departure recorded."))
        elif action == "service":
            act(request, lambda: services.stay_service_record(by=request.user, stay_id=stay.pk, data=request.POST),
                _("Service recorded."))
        return redirect("centres:stay", stay_id=stay.pk)
    today = timezone.localdate()
    protection, tracing = None, []
    if can_read_protection(request.user):
        protection = getattr(stay, "protection", None)
        tracing = list(stay.tracing_steps.all())
    return render(request, "centres/stay.html", {
        "tracing": tracing, "tracing_steps": TracingStep.Step.choices,
        "can_trace": can_record_protection(request.user) and protection is not None and protection.unaccompanied_minor,
        "stay": stay, "today": today, "nights": stay.nights(today), "received": stay.services_received.all(),
        "can_work": can_work_centre(request.user), "reasons": Stay.ExitReason.choices,
        "services": ServiceKind.choices, "protection": protection,
        **_screening_context(request.user, stay.person),
    })


@login_required
@require_http_methods(["GET", "POST"])
def for_person(request, person_id):
    """A person's stays and assisted return, for the person page's link; the return's steps."""
    person = person_for_read(request.user, person_id)
    require(can_see_residents(request.user))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "best_interest":
            require(can_record_protection(request.user))
        else:
            require(can_work_avr(request.user))
        req_id = request.POST.get("request", "")
        steps = {
            "request": (lambda: services.return_request_open(by=request.user, person_id=person.pk, data=request.POST),
                        _("Return request recorded.")),
            "consent": (lambda: services.return_consent_record(by=request.user, request_id=req_id,
                                                               data=request.POST), _("Consent recorded.")),
            "document_request": (lambda: services.return_document_request(by=request.user, request_id=req_id,
                                                                          data=request.POST),
                                 _("Travel document request recorded.")),
            "document": (lambda: services.return_document_record(by=request.user, request_id=req_id, data={
                k: request.POST.get(f"document_{k}", "") for k in ("type", "number", "issued_on", "expires_on")}),
                _("Travel document recorded.")),
            "best_interest": (lambda: services.best_interest_record(by=request.user, request_id=req_id,
                                                                    data=request.POST),
                              _("Best-interest determination recorded.")),
        }
        if action in steps:
            act(request, *steps[action])
        return redirect("centres:for_person", person_id=person.pk)
    stays = list(selectors.person_stays(request.user, person))
    today = timezone.localdate()
    for s in stays:
        s.days = s.nights(today)
    requests = list(return_requests_visible_to(request.user).filter(person=person)
                    .prefetch_related("seats__departure")) if can_read_avr(request.user) else []
    for r in requests:
        r.open = r.status in r.OPEN
        r.needs_best_interest = services.needs_best_interest(person, today) and can_read_protection(request.user)
    return render(request, "centres/person.html", {
        "person": person, "stays": stays, "requests": requests, "today": today,
        "can_avr": can_work_avr(request.user), "can_protect": can_record_protection(request.user),
        "has_open": any(r.open for r in requests), "document_types": TravelDocumentType.choices,
        "admit_to": list(selectors.centres_with_occupancy(request.user)) if can_work_centre(request.user) else [],
        "open_stay": next((s for s in stays if s.left_on is None), None),
    })


@login_required
@require_GET
def manifest(request, departure_id, fmt):
    from .manifests import manifest_filename, manifest_pdf, manifest_xlsx

    require(can_read_avr(request.user) and fmt in ("pdf", "xlsx"))
    dep = departure_for_read(request.user, departure_id)
    make = manifest_pdf if fmt == "pdf" else manifest_xlsx
    return download(make(by=request.user, departure=dep), manifest_filename(dep, fmt))


@login_required
@require_GET
def stays_download(request, fmt, code=""):
    """The stays of a centre (or of every centre the user sees) as CSV or XLSX (exports.py)."""
    from .exports import stays_export, stays_filename

    require(fmt in ("csv", "xlsx") and can_read_centres(request.user))
    data, _count = stays_export(by=request.user, centre_code=code, fmt=fmt)
    return download(data, stays_filename(code, fmt))


# ---------------------------------------------------------------- returns home


@login_required
@require_http_methods(["GET", "POST"])
def departure_list(request):
    require(can_read_avr(request.user))
    if request.method == "POST":
        require(can_work_avr(request.user))
        dep = act(request, lambda: services.departure_plan(by=request.user, data=request.POST), _("Departure planned."))
        if dep is not None:
            return redirect("centres:departure", departure_id=dep.pk)
        return redirect("centres:departures")
    qs = departures_visible_to(request.user).order_by("-planned_on", "-created_at")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "centres/departures.html", {
        "page": page, "can_work": can_work_avr(request.user), "modes": Departure.Mode.choices,
        "query": request.GET.copy(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def departure_detail(request, departure_id):
    dep = departure_for_read(request.user, departure_id)
    if request.method == "POST":
        require(can_work_avr(request.user))
        action = request.POST.get("action")
        if action == "passenger":
            doc = {k: request.POST.get(f"document_{k}", "") for k in ("type", "number", "issued_on", "expires_on")}
            act(request, lambda: services.passenger_add(
                by=request.user, departure_id=dep.pk, person_id=request.POST.get("person", ""),
                consent_to_return=request.POST.get("consent_to_return") == "on",
                travel_document=doc if any(doc.values()) else None), _("Passenger added."))
        elif action == "no_show":
            act(request, lambda: services.passenger_no_show(by=request.user, departure_id=dep.pk,
                                                            passenger_id=request.POST.get("passenger")),
                _("No-show recorded."))
        elif action == "departed":
            act(request, lambda: services.departure_depart(by=request.user, departure_id=dep.pk, data=request.POST),
                _("Departure recorded."))
        elif action == "handover":
            act(request, lambda: services.departure_hand_over(by=request.user, departure_id=dep.pk,
                                                              data=request.POST), _("Hand-over recorded."))
        return redirect("centres:departure", departure_id=dep.pk)
    seats = list(dep.passengers.select_related("request", "request__person").order_by("added_at", "id"))
    return render(request, "centres/departure.html", {
        "dep": dep, "seats": seats, "can_work": can_work_avr(request.user), "today": timezone.localdate(),
        "document_types": TravelDocumentType.choices, "booked": sum(s.status == "booked" for s in seats),
    })


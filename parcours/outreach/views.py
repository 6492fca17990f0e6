"""Web pages of sensitization: the list with its totals, the phone-sized form, one activity with
its correction and cancellation. Views parse the request, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parcours.accounts.models import Place
from parcours.core.errors import ValidationFailed
from parcours.core.web import act, bind_errors, error_lines, require

from . import selectors, services
from .models import Activity
from .policies import activity_for_read, can_change_activity, can_read_activities, can_record_activity
from .validation import FIELDS_FOR_FORM, ActivityInput


def _communes(user):
    qs = Place.objects.filter(kind=Place.Kind.COMMUNE)
    if user.place_id is not None:
        qs = qs.filter(path__startswith=user.place.path)
    return qs.order_by("name")


def _filter(request) -> tuple[selectors.ActivityFilter, list]:
    errors: list = []
    days = {}
    for name in ("from", "to"):
        try:
            days[name] = selectors.parse_day(name, request.GET.get(name, ""))
        except ValidationFailed as exc:
            errors += error_lines(exc)
            days[name] = None
    flt = selectors.ActivityFilter(kind=request.GET.get("kind", ""), theme=request.GET.get("theme", ""),
                                   audience=request.GET.get("audience", ""), place=request.GET.get("place", ""),
                                   start=days["from"], end=days["to"])
    return flt, errors


@login_required
@require_GET
def activity_list(request):
    require(can_read_activities(request.user))
    flt, errors = _filter(request)
    try:
        qs = selectors.activities_list(request.user, flt)
    except ValidationFailed as exc:
        errors += error_lines(exc)
        qs = selectors.activities_list(request.user)
    page = Paginator(qs.select_related("recorded_by"), 50).get_page(request.GET.get("page"))
    return render(request, "outreach/list.html", {
        "page": page, "flt": flt, "errors": errors, "summary": selectors.activities_summary(qs),
        "kinds": Activity.Kind.choices, "themes": Activity.Theme.choices, "audiences": Activity.Audience.choices,
        "can_record": can_record_activity(request.user), "query": request.GET.copy(),
        "start": request.GET.get("from", ""), "end": request.GET.get("to", ""),
    })


def _record(request, form_data):
    values = {k: form_data.get(k, "") for k in FIELDS_FOR_FORM}
    values["on"] = values.pop("held_on")
    return services.activity_record(by=request.user, idempotency_key=form_data.get("form_token", ""), **values)


def _form_with(exc: ValidationFailed, data) -> ActivityInput:
    return bind_errors(ActivityInput(data=data), exc)


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    require(can_record_activity(request.user))
    if request.method == "POST":
        try:
            activity = _record(request, request.POST)
        except ValidationFailed as exc:
            form = _form_with(exc, request.POST)
        else:
            if activity.replayed:
                messages.info(request, _("This activity was already recorded."))
            else:
                messages.success(request, ngettext("Activity recorded: %(n)d participant.", "Activity recorded: %(n)d participants.",
                                                     activity.participants) % {"n": activity.participants})
            return redirect("outreach:detail", activity_id=activity.pk)
    else:
        initial = {"held_on": timezone.localdate(), "kind": Activity.Kind.PROXIMITY_TALK,
                   "audience": Activity.Audience.COMMUNITY}
        communes = list(_communes(request.user)[:2])
        if len(communes) == 1 or (request.user.place and request.user.place.kind == Place.Kind.COMMUNE):
            initial["commune"] = communes[0].name
        form = ActivityInput(initial=initial)
    return render(request, "outreach/form.html", {
        "form": form, "communes": _communes(request.user), "activity": None,
        "form_token": request.POST.get("form_token") or timezone.now().strftime("%Y%m%d%H%M%S%f"),
    })


@login_required
@require_GET
def activity_detail(request, activity_id):
    activity = activity_for_read(request.user, activity_id)
    return render(request, "outreach/detail.html", {
        "activity": activity, "can_change": can_change_activity(request.user, activity) and not activity.cancelled,
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id):
    activity = activity_for_read(request.user, activity_id)
    require(can_change_activity(request.user, activity))
    if request.method == "POST":
        changes = {k: request.POST.get(k, "") for k in FIELDS_FOR_FORM}
        changes["on"] = changes.pop("held_on")
        try:
            services.activity_correct(by=request.user, activity_id=activity.pk, **changes)
        except ValidationFailed as exc:
            form = _form_with(exc, request.POST)
        else:
            messages.success(request, _("Activity corrected."))
            return redirect("outreach:detail", activity_id=activity.pk)
    else:
        form = ActivityInput(initial={
            **{f: getattr(activity, f) for f in FIELDS_FOR_FORM},
            "commune": activity.commune.name, "organiser": activity.organiser.code,
        })
    return render(request, "outreach/form.html", {"form": form, "communes": _communes(request.user),
                                                  "activity": activity})


@login_required
@require_POST
def activity_cancel(request, activity_id):
    act(request, lambda: services.activity_cancel(by=request.user, activity_id=activity_id,
                                                  reason=request.POST.get("reason", "")),
        _("Activity cancelled: it no longer counts."))
    return redirect("outreach:detail", activity_id=activity_id)

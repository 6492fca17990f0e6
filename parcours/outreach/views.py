"""Web pages of sensitization: the list with its totals, the phone-sized form, one activity with
its correction and cancellation. Views parse the request, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parcours.accounts.models import Agency, Place
from parcours.core.errors import ValidationFailed
from parcours.core.web import act, bind_errors, download, error_lines, require
from parcours.people.policies import can_register_participant

from . import exports, followup, grants, participants, selectors, services
from .models import Activity, Call
from .policies import (
    activities_visible_to,
    activity_for_read,
    can_change_activity,
    can_manage_grants,
    can_read_activities,
    can_read_grants,
    can_record_activity,
    grant_for_read,
    grants_usable_by,
    grants_visible_to,
)
from .validation import (
    FIELDS_FOR_FORM,
    ActivityInput,
    CallInput,
    FollowupInput,
    GrantInput,
    ParticipantInput,
    PerceptionInput,
    perception_fields,
)


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
                                   start=days["from"], end=days["to"], followup=request.GET.get("followup", ""))
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
    today = timezone.localdate()
    for a in page:
        a.followup_state = followup.followup_status(a, today)
        a.followup_label = followup.followup_status_label(a.followup_state)
    return render(request, "outreach/list.html", {
        "page": page, "flt": flt, "errors": errors, "summary": selectors.activities_summary(qs),
        "kinds": Activity.Kind.choices, "themes": Activity.Theme.choices, "audiences": Activity.Audience.choices,
        "followups": [(v, followup.followup_status_label(v)) for v in followup.FollowupStatus.VALUES[:4]],
        "can_record": can_record_activity(request.user), "query": request.GET.copy(),
        "start": request.GET.get("from", ""), "end": request.GET.get("to", ""),
    })


@login_required
@require_GET
def activity_export(request):
    """The activities of the list (same scope, same filters) as CSV or XLSX; no names."""
    require(can_read_activities(request.user))
    flt, errors = _filter(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    try:
        if errors:
            raise ValidationFailed({"from": errors})
        data, _count = exports.activities_export(by=request.user, flt=flt, fmt=fmt)
    except ValidationFailed:
        # A bad filter: back to the list, which names it.
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse('outreach:list')}?{query.urlencode()}")
    return download(data, f"parcours-activities.{fmt}")


def _record(request, form_data):
    values = {k: form_data.get(k, "") for k in FIELDS_FOR_FORM}
    values["on"] = values.pop("held_on")
    return services.activity_record(by=request.user, idempotency_key=form_data.get("form_token", ""), **values)


def _offer_grants(form: ActivityInput, user) -> ActivityInput:
    """The grant picker offers only the grants the user may report under, by their labels."""
    form.fields["grant"].queryset = grants_usable_by(user).select_related("grantee").order_by("-starts_on", "reference")
    return form


def _form_with(exc: ValidationFailed, data, user) -> ActivityInput:
    return bind_errors(_offer_grants(ActivityInput(data=data), user), exc)


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    require(can_record_activity(request.user))
    if request.method == "POST":
        try:
            activity = _record(request, request.POST)
        except ValidationFailed as exc:
            form = _form_with(exc, request.POST, request.user)
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
        if request.GET.get("grant"):
            initial["grant"] = request.GET["grant"]
        communes = list(_communes(request.user)[:2])
        if len(communes) == 1 or (request.user.place and request.user.place.kind == Place.Kind.COMMUNE):
            initial["commune"] = communes[0].name
        form = _offer_grants(ActivityInput(initial=initial), request.user)
    return render(request, "outreach/form.html", {
        "form": form, "communes": _communes(request.user), "activity": None,
        "form_token": request.POST.get("form_token") or timezone.now().strftime("%Y%m%d%H%M%S%f"),
    })


@login_required
@require_GET
def activity_detail(request, activity_id):
    activity = activity_for_read(request.user, activity_id)
    status = followup.followup_status(activity)
    return render(request, "outreach/detail.html", {
        "activity": activity, "can_change": can_change_activity(request.user, activity) and not activity.cancelled,
        "followup_status": status, "followup_label": followup.followup_status_label(status),
        "perception": followup.perception_rows(activity),
        "followup_form": FollowupInput(auto_id="fu_%s", initial={
            "followup_on": activity.followup_on or timezone.localdate(), "followup_outcome": activity.followup_outcome,
            "followup_reached": activity.followup_reached, "followup_note": activity.followup_note}),
        "perception_form": PerceptionInput(auto_id="pp_%s", initial={f: getattr(activity, f) for f in perception_fields()}),
        "can_see_grant": activity.grant_id is not None and grants_visible_to(request.user).filter(pk=activity.grant_id).exists(),
        "named_count": activity.named_participants.count(),
        "named": participants.participants_visible(request.user, activity),
        "can_name": can_change_activity(request.user, activity) and not activity.cancelled
        and can_register_participant(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def participant_new(request, activity_id):
    """Name a consenting participant. A first submission shows the people already named who may be
    the same person (pick one, or confirm a new person); then the registry's service writes."""
    activity = activity_for_read(request.user, activity_id)
    require(can_change_activity(request.user, activity) and can_register_participant(request.user))
    candidates = []
    form = ParticipantInput(initial={"consent_on": timezone.localdate()})
    if request.method == "POST":
        form = ParticipantInput(data=request.POST)
        post = request.POST
        data = {k: post.get(k, "") for k in participants.PERSON_FIELDS if k in post}
        consent = post.get("consent") == "on"
        try:
            if consent and not post.get("person") and not post.get("confirm_new"):
                candidates = participants.participant_candidates(by=request.user, activity_id=activity.pk, data=data,
                                                                 language=get_language())
            if not candidates:
                naming = participants.participant_add(
                    by=request.user, activity_id=activity.pk, consent=consent, consent_on=post.get("consent_on", ""),
                    person_id=post.get("person") or None, data=data, idempotency_key=post.get("form_token", ""),
                    language=get_language())
        except ValidationFailed as exc:
            form = bind_errors(form, exc)
        else:
            if not candidates:
                person = naming.participant.person
                if naming.replayed:
                    messages.info(request, _("%(name)s is already named in this activity.") % {"name": person.full_name})
                else:
                    messages.success(request, _("%(name)s named as a participant.") % {"name": person.full_name})
                return redirect("outreach:detail", activity_id=activity.pk)
    return render(request, "outreach/participant.html", {
        "activity": activity, "form": form, "candidates": candidates,
        "form_token": request.POST.get("form_token") or timezone.now().strftime("%Y%m%d%H%M%S%f"),
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
            form = _form_with(exc, request.POST, request.user)
        else:
            messages.success(request, _("Activity corrected."))
            return redirect("outreach:detail", activity_id=activity.pk)
    else:
        form = _offer_grants(ActivityInput(initial={
            **{f: getattr(activity, f) for f in FIELDS_FOR_FORM},
            "commune": activity.commune.name, "organiser": activity.organiser.code,
        }), request.user)
    return render(request, "outreach/form.html", {"form": form, "communes": _communes(request.user),
                                                  "activity": activity})


@login_required
@require_POST
def activity_cancel(request, activity_id):
    act(request, lambda: services.activity_cancel(by=request.user, activity_id=activity_id,
                                                  reason=request.POST.get("reason", "")),
        _("Activity cancelled: it no longer counts."))
    return redirect("outreach:detail", activity_id=activity_id)


@login_required
@require_POST
def activity_followup(request, activity_id):
    act(request, lambda: followup.followup_record(
        by=request.user, activity_id=activity_id, **{f: request.POST.get(f, "") for f in FollowupInput.base_fields}),
        _("Follow-up call recorded."))
    return redirect("outreach:detail", activity_id=activity_id)


@login_required
@require_POST
def activity_perception(request, activity_id):
    act(request, lambda: followup.perception_record(
        by=request.user, activity_id=activity_id, **{f: request.POST.get(f, "") for f in perception_fields()}),
        _("Perception answers recorded."))
    return redirect("outreach:detail", activity_id=activity_id)


# -- grants to civil-society organisations ---------------------------------------------------------

def _manager_forms(request) -> dict:
    if not can_manage_grants(request.user):
        return {}
    grant_form = GrantInput(auto_id="grant_%s")
    grant_form.fields["grantee"].queryset = Agency.objects.filter(kind=Agency.Kind.NGO).order_by("name")
    return {"call_form": CallInput(auto_id="call_%s"), "grant_form": grant_form,
            "open_calls": Call.objects.exclude(status=Call.Status.DRAFT).order_by("-opens_on", "reference")}


@login_required
@require_GET
def grant_list(request):
    require(can_read_grants(request.user))
    today = timezone.localdate()
    return render(request, "outreach/grants.html", {
        "grants": grants.grants_list(request.user, today).prefetch_related("communes"),
        "overdue": grants.reports_overdue(request.user, today)[:50],
        "calls": grants.calls_list(request.user), "today": today, **_manager_forms(request),
    })


@login_required
@require_POST
def call_new(request):
    require(can_read_grants(request.user))
    act(request, lambda: grants.call_publish(
        by=request.user, reference=request.POST.get("reference", ""), title=request.POST.get("title", ""),
        themes=request.POST.getlist("themes"), place=request.POST.get("place", ""),
        opens_on=request.POST.get("opens_on", ""), closes_on=request.POST.get("closes_on", ""),
        budget_xof=request.POST.get("budget_xof", ""), status=request.POST.get("status", "")),
        _("Call for proposals published."))
    return redirect("outreach:grants")


@login_required
@require_POST
def grant_new(request):
    require(can_read_grants(request.user))
    fields = ("call", "grantee", "reference", "title", "amount_xof", "starts_on", "ends_on", "communes",
              "target_people", "target_activities")
    grant = act(request, lambda: grants.grant_award(by=request.user, **{f: request.POST.get(f, "") for f in fields}),
                _("Grant awarded; its reports are due on the calendar below."))
    if grant is None:
        return redirect("outreach:grants")
    return redirect("outreach:grant", grant_id=grant.pk)


@login_required
@require_GET
def grant_detail(request, grant_id):
    grant = grant_for_read(request.user, grant_id)
    today = timezone.localdate()
    reports = list(grant.reports.select_related("received_by").order_by("due_on", "pk"))
    activities = (activities_visible_to(request.user).filter(grant=grant, cancelled=False)
                  .select_related("commune").order_by("-held_on", "-recorded_at"))
    return render(request, "outreach/grant.html", {
        "grant": grant, "reports": [(r, r.is_overdue(today)) for r in reports], "today": today,
        "progress": grants.grant_progress(grant), "page": Paginator(activities, 50).get_page(request.GET.get("page")),
        "query": request.GET.copy(),
        "can_manage": can_manage_grants(request.user), "communes": grant.communes.order_by("name"),
        "can_record": grants_usable_by(request.user).filter(pk=grant.pk).exists(),
        "commune_text": ", ".join(c.name for c in grant.communes.order_by("name")),
    })


@login_required
@require_POST
def call_close(request, call_id):
    require(can_read_grants(request.user))
    act(request, lambda: grants.call_close(by=request.user, call_id=call_id, on=request.POST.get("on") or None),
        _("Call for proposals closed: no grant is awarded under it any more."))
    return redirect("outreach:grants")


@login_required
@require_POST
def grant_edit(request, grant_id):
    grant_for_read(request.user, grant_id)
    changes = {f: request.POST.get(f, "") for f in grants.GRANT_EDITABLE if f in request.POST}
    act(request, lambda: grants.grant_update(by=request.user, grant_id=grant_id, **changes), _("Grant changed."))
    return redirect("outreach:grant", grant_id=grant_id)


@login_required
@require_POST
def report_received(request, grant_id, report_id):
    grant_for_read(request.user, grant_id)
    act(request, lambda: grants.report_receive(by=request.user, grant_id=grant_id, report_id=report_id,
                                               on=request.POST.get("on") or None, note=request.POST.get("note", "")),
        _("Report marked received."))
    return redirect("outreach:grant", grant_id=grant_id)

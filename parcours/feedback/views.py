"""Web pages of complaints: the staff intake form, the handlers' queue and one complaint with its
actions, the register, and the public page (no account) with its follow-up by reference."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parcours.core.client import client_ip
from parcours.core.errors import NotFound, ValidationFailed
from parcours.core.reads import page_of
from parcours.core.web import act, bind_errors, download, error_lines, require
from parcours.people.policies import person_for_read

from . import exports, selectors, services
from .models import Complaint
from .policies import can_file, can_handle, can_read_queue, can_read_register, complaint_for_read
from .validation import ComplaintInput

PUBLIC_FIELDS = ("category", "description", "place", "contact_phone")


def _token(request) -> str:
    return request.POST.get("form_token") or timezone.now().strftime("%Y%m%d%H%M%S%f")


def _form_with(exc: ValidationFailed, data, form_class=ComplaintInput):
    return bind_errors(form_class(data=data), exc)


# ---------------------------------------------------------------- staff


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    require(can_file(request.user))
    person = None
    person_id = request.GET.get("person") or request.POST.get("person")
    if person_id:
        person = person_for_read(request.user, person_id)
    if request.method == "POST":
        post = request.POST
        try:
            complaint = services.complaint_file(
                by=request.user, channel=post.get("channel", ""), category=post.get("category", ""),
                gravity=post.get("gravity", ""), description=post.get("description", ""),
                on=post.get("received_on", ""), person=person, anonymous=bool(post.get("anonymous")),
                consent_to_identify=bool(post.get("consent_to_identify")), contact_name=post.get("contact_name", ""),
                contact_phone=post.get("contact_phone", ""), place=post.get("place", ""),
                idempotency_key=post.get("form_token", ""))
        except ValidationFailed as exc:
            form = _form_with(exc, post)
        else:
            messages.success(request, _("Complaint filed with the reference %(ref)s; answer due by %(due)s.") % {
                "ref": complaint.reference, "due": complaint.due_on.strftime("%d/%m/%Y")})
            try:
                complaint_for_read(request.user, complaint.pk)
            except NotFound:
                # Sensitive: it went to the restricted handlers and is no longer the filer's to see.
                return redirect("feedback:new")
            return redirect("feedback:detail", complaint_id=complaint.pk)
    else:
        form = ComplaintInput(initial={"channel": Complaint.Channel.IN_PERSON, "gravity": Complaint.Gravity.MEDIUM,
                                       "received_on": timezone.localdate()})
    return render(request, "feedback/new.html", {"form": form, "person": person, "form_token": _token(request)})


@login_required
@require_GET
def queue(request):
    require(can_read_queue(request.user))
    errors: list = []
    try:
        flt = selectors.ComplaintFilter(
            status=request.GET.get("status", ""), category=request.GET.get("category", ""),
            gravity=request.GET.get("gravity", ""), open_only=request.GET.get("open") == "1",
            overdue=request.GET.get("overdue") == "1")
        qs = selectors.complaints_list(request.user, flt)
    except ValidationFailed as exc:
        errors = error_lines(exc)
        flt = selectors.ComplaintFilter()
        qs = selectors.complaints_list(request.user, flt)
    page = page_of(request, qs, paginator_class=Paginator)
    today = timezone.localdate()
    for c in page:
        c.overdue = c.is_overdue(today)
    return render(request, "feedback/queue.html", {
        "page": page, "flt": flt, "errors": errors, "statuses": Complaint.Status.choices,
        "categories": Complaint.Category.choices, "gravities": Complaint.Gravity.choices,
        "query": request.GET.copy(), "can_file": can_file(request.user),
    })


@login_required
@require_GET
def complaint_detail(request, complaint_id):
    complaint = complaint_for_read(request.user, complaint_id)
    content = services.complaint_content(by=request.user, complaint=complaint)
    return render(request, "feedback/detail.html", {
        "c": complaint, "content": content, "can_handle": can_handle(request.user, complaint),
        "overdue": complaint.is_overdue(timezone.localdate()), "today": timezone.localdate(),
        "categories": Complaint.Category.choices, "gravities": Complaint.Gravity.choices,
        "person_visible": _person_visible(request.user, complaint),
    })


def _person_visible(user, complaint):
    if complaint.person_id is None:
        return None
    try:
        return person_for_read(user, complaint.person_id)
    except NotFound:
        return None


_ACTIONS = {
    "acknowledge": (lambda by, c, p: services.complaint_acknowledge(by=by, complaint_id=c, on=p.get("on") or None),
                    _("Acknowledged.")),
    "resolve": (lambda by, c, p: services.complaint_resolve(by=by, complaint_id=c, on=p.get("on") or None,
                                                            resolution=p.get("resolution", "")), _("Resolved.")),
    "appeal": (lambda by, c, p: services.complaint_appeal(by=by, complaint_id=c, on=p.get("on") or None,
                                                          reason=p.get("reason", "")), _("Appeal recorded.")),
    "close": (lambda by, c, p: services.complaint_close(by=by, complaint_id=c, on=p.get("on") or None), _("Closed.")),
    "reclassify": (lambda by, c, p: services.complaint_reclassify(by=by, complaint_id=c, category=p.get("category"),
                                                                  gravity=p.get("gravity")), _("Graded again.")),
}


@login_required
@require_POST
def complaint_act(request, complaint_id, action):
    if action not in _ACTIONS:
        raise NotFound()
    run, done = _ACTIONS[action]
    act(request, lambda: run(request.user, complaint_id, request.POST), str(done))
    try:
        complaint_for_read(request.user, complaint_id)
    except NotFound:
        return redirect("feedback:queue")  # made sensitive: out of this handler's view
    return redirect("feedback:detail", complaint_id=complaint_id)


@login_required
@require_GET
def register_page(request):
    require(can_read_register(request.user))
    errors: list = []
    try:
        start = selectors.parse_day("from", request.GET.get("from", ""))
        end = selectors.parse_day("to", request.GET.get("to", ""))
    except ValidationFailed as exc:
        errors, start, end = error_lines(exc), None, None
    data = selectors.register(request.user, start=start, end=end)
    labels = {
        "by_category": dict(Complaint.Category.choices), "by_channel": dict(Complaint.Channel.choices),
        "by_gravity": dict(Complaint.Gravity.choices), "by_status": dict(Complaint.Status.choices),
    }
    tables = [(title, [(labels[key].get(k, k), n) for k, n in data[key].items()]) for key, title in (
        ("by_category", _("By category")), ("by_channel", _("By channel")), ("by_gravity", _("By gravity")),
        ("by_status", _("By status")))]
    return render(request, "feedback/register.html", {
        "r": data, "tables": tables, "errors": errors, "start": request.GET.get("from", ""),
        "end": request.GET.get("to", ""),
    })


@login_required
@require_GET
def register_export(request):
    """The register as CSV or XLSX, one row per complaint, no names or content; the restricted
    complaints only for the restricted handler."""
    require(can_read_register(request.user))
    try:
        start = selectors.parse_day("from", request.GET.get("from", ""))
        end = selectors.parse_day("to", request.GET.get("to", ""))
    except ValidationFailed:
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse('feedback:register')}?{query.urlencode()}")  # the page names the bad date
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    data, _count = exports.register_export(by=request.user, start=start, end=end, fmt=fmt)
    return download(data, f"parcours-complaints-register.{fmt}")


# ---------------------------------------------------------------- public (no account)


def _rate_limited(request, what: str) -> bool:
    """At most PUBLIC_COMPLAINTS_PER_HOUR posts per address and hour (spam, floods)."""
    limit = getattr(settings, "PUBLIC_COMPLAINTS_PER_HOUR", 5)
    key = f"feedback-public:{what}:{client_ip(request) or ''}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        count = 1
    return count > limit


@require_http_methods(["GET", "POST"])
def public_form(request):
    if request.method == "POST":
        if request.POST.get("website"):  # a field people never see: only robots fill it
            return redirect("feedback:public_thanks", reference="-")
        if _rate_limited(request, "file"):
            return render(request, "feedback/public.html", {
                "form": ComplaintInput(data=request.POST), "limited": True, "form_token": _token(request),
                "categories": Complaint.Category.choices}, status=429)
        post = request.POST
        try:
            complaint = services.complaint_submit_public(
                category=post.get("category", ""), description=post.get("description", ""),
                place=post.get("place", ""), contact_phone=post.get("contact_phone", ""),
                anonymous=not post.get("contact_phone"), token=post.get("form_token", ""))
        except ValidationFailed as exc:
            form = _form_with(exc, {**post.dict(), "channel": "web", "gravity": "medium"})
        else:
            return redirect("feedback:public_thanks", reference=complaint.reference)
    else:
        form = ComplaintInput()
    return render(request, "feedback/public.html", {"form": form, "form_token": _token(request),
                                                    "categories": Complaint.Category.choices})


@require_GET
def public_thanks(request, reference):
    return render(request, "feedback/public_thanks.html", {"reference": reference})


@require_GET
def public_track(request):
    """Where a complaint stands, by its reference: status and dates only, never what was said."""
    reference = request.GET.get("reference", "").strip().upper()
    found, limited = None, False
    if reference:
        limited = _rate_limited(request, "track")
        if not limited:
            found = Complaint.objects.filter(reference=reference).first()
    return render(request, "feedback/public_track.html", {"reference": reference, "c": found, "limited": limited},
                  status=429 if limited else 200)

"""Web pages of assistance. Views parse the request, call a service or selector, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parcours.core.errors import Conflict, NotFound, ServiceError, ValidationFailed
from parcours.core.reads import page_of
from parcours.core.web import bind_errors, download, flash_service_error, require
from parcours.people.policies import person_for_read

from . import exports, selectors, services
from .engine import xof
from .models import Channel, Period, SchemeVersion
from .policies import (
    can_edit_schemes,
    can_read_eligibility,
    can_read_ledger,
    can_read_totals,
    can_record_attendance,
    can_record_payments,
    entry_for_read,
    scheme_for_edit,
    scheme_for_read,
    schemes_visible_to,
)
from .validation import (
    AttendanceInput,
    PaymentInput,
    SchemeVersionInput,
    VisitInput,
    criteria_text,
    tranches_text,
)


def _day(value: str | None, default: dt.date | None = None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _token() -> str:
    return timezone.now().strftime("%Y%m%d%H%M%S%f")


def _bind_errors(form, exc: ServiceError):
    bind_errors(form, exc)


@login_required
@require_GET
def scheme_list(request):
    today = timezone.localdate()
    schemes = schemes_visible_to(request.user).select_related("category").prefetch_related("versions")
    rows = []
    for scheme in schemes:
        versions = sorted(scheme.versions.all(), key=lambda v: -v.number)
        current = next((v for v in versions if v.in_force_on(today)), None)
        rows.append({"scheme": scheme, "current": current, "latest": versions[0] if versions else None})
    return render(request, "assistance/schemes.html", {"rows": rows, "can_edit": can_edit_schemes(request.user)})


@login_required
@require_GET
def scheme_detail(request, code):
    scheme = scheme_for_read(request.user, code)
    versions = list(selectors.scheme_versions(scheme))
    on = _day(request.GET.get("on"), timezone.localdate())
    wanted = request.GET.get("version")
    shown = next((v for v in versions if str(v.number) == wanted), None) or \
        next((v for v in versions if v.in_force_on(on)), None) or (versions[0] if versions else None)
    count = None
    if shown is not None and can_edit_schemes(request.user):
        count = selectors.eligible_count(request.user, shown, on)
    return render(request, "assistance/scheme_detail.html", {
        "scheme": scheme, "versions": versions, "shown": shown, "on": on, "count": count,
        "can_edit": can_edit_schemes(request.user), "limit": selectors.LIVE_COUNT_LIMIT,
        "channels": [str(Channel(c).label) for c in shown.channels if c in Channel.values] if shown else [],
    })


@login_required
@require_POST
def scheme_count_job(request, code):
    """Start the eligible count over the whole registry in the background (large registries)."""
    from parcours.jobs.services import job_start

    require(can_edit_schemes(request.user))  # schemes are read by all; the editing pages are the admin's
    scheme = scheme_for_edit(request.user, code)
    version = SchemeVersion.objects.filter(scheme=scheme, number=request.POST.get("version")).first()
    if version is None:
        raise NotFound()
    on = _day(request.POST.get("on"), timezone.localdate())
    job = job_start(by=request.user, kind="assistance_eligible_count",
                    params={"version": version.pk, "on": on.isoformat()})
    return redirect("jobs:detail", job_id=job.pk)


def _version_initial(version: SchemeVersion | None) -> dict:
    if version is None:
        return {"valid_from": timezone.localdate(), "period": Period.ONCE, "channels": [Channel.CASH],
                "tranches": "100 | True | |"}
    return {"name_fr": version.name_fr, "name_en": version.name_en, "description_fr": version.description_fr,
            "description_en": version.description_en, "valid_from": timezone.localdate().isoformat(),
            "period": version.period, "channels": version.channels, "criteria": criteria_text(version.criteria),
            "amount": version.amount, "tranches": tranches_text(version.tranches)}


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, code):
    require(can_edit_schemes(request.user))  # schemes are read by all; the editing pages are the admin's
    scheme = scheme_for_edit(request.user, code)
    current = scheme.versions.order_by("-number").first()
    form = SchemeVersionInput(data=request.POST if request.method == "POST" else None, initial=_version_initial(current))
    preview = None
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "preview":
            # The live count of who would be eligible under the rules typed, without saving them.
            if form.is_valid():
                draft = SchemeVersion(scheme=scheme, number=0, **{
                    k: form.cleaned_data[k] for k in ("name_fr", "name_en", "valid_from", "period", "channels",
                                                      "criteria", "amount", "tranches")})
                preview = selectors.eligible_count(request.user, draft, timezone.localdate())
            else:
                status = 400
        else:
            try:
                version = services.scheme_version_create(by=request.user, code=scheme.code, data=request.POST)
            except ValidationFailed as exc:
                _bind_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Version %(n)d saved.") % {"n": version.number})
                return redirect("assistance:scheme", code=scheme.code)
    return render(request, "assistance/scheme_edit.html", {
        "scheme": scheme, "form": form, "current": current, "preview": preview,
        "facts": _fact_help(), "limit": selectors.LIVE_COUNT_LIMIT,
    }, status=status)


def _fact_help() -> list[tuple[str, str]]:
    from .facts import DESCRIPTIONS, FACTS
    from .rules import PURE_FUNCTIONS

    out = [(name, str(DESCRIPTIONS.get(name, ""))) for name in sorted(FACTS)]
    out += [(f"{name}(…)", "") for name in sorted(PURE_FUNCTIONS)]
    return out


def _named(visits) -> list:
    names = selectors.scheme_names()
    visits = list(visits)
    for visit in visits:
        visit.scheme_name = names.get(visit.scheme.code, visit.scheme.code)
    return visits


def _panel_context(request, person, *, payment_form=None, visit_form=None, attendance_form=None):
    on = _day(request.GET.get("on"), timezone.localdate())
    today = timezone.localdate()
    versions = services.versions_in_force(today)
    return {
        "person": person, "on": on,
        "eligibility": selectors.person_eligibility(person, on) if can_read_eligibility(request.user) else None,
        "ledger": list(selectors.person_ledger(request.user, person)) if can_read_ledger(request.user) else None,
        "visits": _named(selectors.person_visits(request.user, person)),
        "attendance": list(selectors.person_attendance(request.user, person)),
        "can_pay": can_record_payments(request.user),
        "schemes": versions,
        "payment_form": payment_form or PaymentInput(initial={"paid_on": today.isoformat(), "tranche": 1}),
        "visit_form": visit_form or VisitInput(initial={"visited_on": today.isoformat(), "tranche": 1,
                                                        "visitor": request.user.get_full_name()}),
        "attendance_form": attendance_form or AttendanceInput(initial={"month": today.strftime("%Y-%m")}),
        "can_attendance": can_record_attendance(request.user),
        "form_token": _token(),
    }


@login_required
@require_GET
def person_panel(request, person_id):
    person = person_for_read(request.user, person_id)
    return render(request, "assistance/person.html", _panel_context(request, person))


@login_required
@require_POST
def payment_add(request, person_id):
    person = person_for_read(request.user, person_id)
    try:
        result = services.payment_record(by=request.user, person_id=person.pk, data=request.POST,
                                         proof_file=request.FILES.get("proof_file"),
                                         idempotency_key=request.POST.get("form_token", ""))
    except (ValidationFailed, Conflict) as exc:
        form = PaymentInput(data=request.POST)
        _bind_errors(form, exc)  # shown once, on the form (no message on top of it)
        return render(request, "assistance/person.html", _panel_context(request, person, payment_form=form),
                      status=400)
    messages.success(request, _("Payment recorded: %(amount)s XOF.") % {"amount": xof(result.entry.amount_xof)})
    return redirect("assistance:person", person_id=person.pk)


@login_required
@require_POST
def visit_add(request, person_id):
    person = person_for_read(request.user, person_id)
    try:
        services.visit_record(by=request.user, person_id=person.pk, data=request.POST,
                              idempotency_key=request.POST.get("form_token", ""))
    except (ValidationFailed, Conflict) as exc:
        form = VisitInput(data=request.POST)
        _bind_errors(form, exc)
        return render(request, "assistance/person.html", _panel_context(request, person, visit_form=form),
                      status=400)
    messages.success(request, _("Verification visit recorded."))
    return redirect("assistance:person", person_id=person.pk)


@login_required
@require_POST
def attendance_add(request, person_id):
    person = person_for_read(request.user, person_id)
    try:
        services.attendance_record(by=request.user, person_id=person.pk, data=request.POST)
    except (ValidationFailed, Conflict) as exc:
        form = AttendanceInput(data=request.POST)
        _bind_errors(form, exc)
        return render(request, "assistance/person.html", _panel_context(request, person, attendance_form=form),
                      status=400)
    messages.success(request, _("Attendance recorded."))
    return redirect("assistance:person", person_id=person.pk)


@login_required
@require_POST
def entry_reverse(request, entry_id):
    try:
        result = services.payment_reverse(by=request.user, entry_id=entry_id, data=request.POST,
                                          idempotency_key=request.POST.get("form_token", ""))
    except (ValidationFailed, Conflict) as exc:
        flash_service_error(request, exc)
        return redirect("assistance:person", person_id=entry_for_read(request.user, entry_id).person_id)
    messages.success(request, _("Payment reversed."))
    return redirect("assistance:person", person_id=result.entry.person_id)


@login_required
@require_GET
def entry_proof(request, entry_id):
    """The proof file of a ledger entry, for those who may read the entry."""
    from django.http import FileResponse

    entry = entry_for_read(request.user, entry_id)
    if not entry.proof_file:
        raise NotFound()
    return FileResponse(entry.proof_file.open("rb"), as_attachment=True,
                        filename=entry.proof_file.name.rsplit("/", 1)[-1])


def _ledger_filter(request) -> selectors.LedgerFilter:
    return selectors.LedgerFilter(scheme=request.GET.get("scheme", ""), date_from=_day(request.GET.get("date_from")),
                                  date_to=_day(request.GET.get("date_to")), kind=request.GET.get("kind", ""))


@login_required
@require_GET
def ledger(request):
    require(can_read_totals(request.user))
    flt = _ledger_filter(request)
    rows = can_read_ledger(request.user)
    page = page_of(request, selectors.ledger_list(request.user, flt), paginator_class=Paginator) if rows else None
    totals = selectors.ledger_totals(request.user, flt)
    return render(request, "assistance/ledger.html", {
        "flt": flt, "page": page, "totals": totals, "grand_total": sum(t["net_xof"] for t in totals),
        "schemes": [(code, name) for code, name in selectors.scheme_names().items()
                    if code in set(schemes_visible_to(request.user).values_list("code", flat=True))],
        "query": request.GET.copy(), "rows": rows,
    })


@login_required
@require_GET
def ledger_export(request):
    """The ledger rows the user may see, filtered, as CSV or XLSX. Every export is logged with its filters."""
    require(can_read_ledger(request.user))
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    data, _count = exports.ledger_export(by=request.user, flt=_ledger_filter(request), fmt=fmt)
    return download(data, f"parcours-ledger.{fmt}")

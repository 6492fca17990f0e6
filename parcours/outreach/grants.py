"""Grants to civil-society organisations: a call for proposals, the grants awarded under it, the
reports each grantee owes and what the activities held under a grant reached.

The report calendar of a grant: a quarterly report for each calendar quarter that ends inside the
grant's period (before its last day), due 15 days after the quarter's end and covering the part of
the quarter the grant ran; then a final report covering the whole period, due 30 days after its
last day. A report is overdue once its due date has passed (by the local date) and it was not
received. Every write checks the actor through the policies and records its fact."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.errors import Forbidden, ValidationFailed, form_errors
from parcours.facts.services import fact_record

from .events import OutreachEvent
from .models import Activity, Call, Grant, GrantReport
from .policies import (
    call_for_write,
    calls_visible_to,
    can_manage_grants,
    grant_for_write,
    grants_usable_by,
    grants_visible_to,
    report_for_write,
)
from .selectors import activities_summary
from .validation import CallInput, GrantInput

QUARTERLY_DELAY = dt.timedelta(days=15)
FINAL_DELAY = dt.timedelta(days=30)


@dataclass(frozen=True)
class ReportDue:
    kind: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date


def _quarter_end(day: dt.date) -> dt.date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    following = dt.date(day.year + (last_month == 12), last_month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def report_calendar(grant) -> list[ReportDue]:
    """The reports `grant` (anything with `starts_on` and `ends_on`) owes, in the order due."""
    reports, start = [], grant.starts_on
    end = _quarter_end(start)
    while end < grant.ends_on:
        reports.append(ReportDue(GrantReport.Kind.QUARTERLY, start, end, end + QUARTERLY_DELAY))
        start = end + dt.timedelta(days=1)
        end = _quarter_end(start)
    reports.append(ReportDue(GrantReport.Kind.FINAL, grant.starts_on, grant.ends_on, grant.ends_on + FINAL_DELAY))
    return reports


def _form_value(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [_form_value(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    for attribute in ("reference", "code", "name"):  # a Call, an Agency, a Place
        if hasattr(value, attribute) and not isinstance(value, str):
            return getattr(value, attribute)
    return value if isinstance(value, str) else str(value)


def _valid(form_class, values: dict) -> dict:
    data = {k: _form_value(v) for k, v in values.items()}
    form = form_class(data=data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form.cleaned_data


def call_publish(*, by, reference, title, opens_on, closes_on, themes=(), place="", budget_xof=None,
                 status=Call.Status.PUBLISHED) -> Call:
    """Publish a call for proposals (or keep it as a draft). Retry-safe: the same reference with the
    same title and dates answers with the call published the first time, `replayed = True`."""
    if not can_manage_grants(by):
        raise Forbidden()
    data = _valid(CallInput, {"reference": reference, "title": title, "opens_on": opens_on, "closes_on": closes_on,
                              "themes": [themes] if isinstance(themes, str) else list(themes or []), "place": place, "budget_xof": budget_xof,
                              "status": status})
    existing = Call.objects.filter(reference__iexact=data["reference"]).first()
    if existing is not None:
        if (existing.title, existing.opens_on, existing.closes_on) == (data["title"], data["opens_on"],
                                                                        data["closes_on"]):
            existing.replayed = True
            return existing
        raise ValidationFailed({"reference": [_("Another call for proposals has this reference.")]})
    try:
        with transaction.atomic():
            call = Call.objects.create(
                reference=data["reference"], title=data["title"].strip(), themes=data["themes"], place=data["place"],
                opens_on=data["opens_on"], closes_on=data["closes_on"], budget_xof=data["budget_xof"],
                status=data["status"] or Call.Status.PUBLISHED, created_by=by)
    except IntegrityError:  # a concurrent retry won the race
        call = Call.objects.get(reference=data["reference"])
        call.replayed = True
        return call
    call.replayed = False
    return call


def grant_award(*, by, call, grantee, reference, amount_xof, starts_on, ends_on, communes=(), title="",
                target_people=None, target_activities=None, on=None) -> Grant:
    """Award a grant under `call` (its reference or id) to `grantee` (a civil-society organisation's
    code) and lay out its report calendar. Retry-safe: the same call, grantee and reference answer
    with the grant awarded the first time, `replayed = True`; no second grant, no second calendar."""
    if not can_manage_grants(by):
        raise Forbidden()
    data = _valid(GrantInput, {
        "call": call, "grantee": grantee, "reference": reference, "title": title, "amount_xof": amount_xof,
        "starts_on": starts_on, "ends_on": ends_on,
        "communes": communes if isinstance(communes, str) else list(communes or []),
        "target_people": target_people, "target_activities": target_activities})
    the_call = data["call"]
    existing = Grant.objects.filter(reference__iexact=data["reference"]).first()
    if existing is not None:
        if existing.call_id == the_call.pk and existing.grantee_id == data["grantee"].pk:
            existing.replayed = True
            return existing
        raise ValidationFailed({"reference": [_("Another grant has this reference.")]})
    errors: dict = {}
    if the_call.status == Call.Status.DRAFT:
        errors["call"] = [_("The call %(call)s is still a draft: publish it first.") % {"call": the_call.reference}]
    if the_call.status == Call.Status.CLOSED:
        errors["call"] = [_("The call %(call)s is closed: no grant is awarded under it any more.")
                          % {"call": the_call.reference}]
    if the_call.place is not None:
        outside = [c.name for c in data["communes"] if not the_call.place.contains(c)]
        if outside:
            errors["communes"] = [_("Outside the area of the call (%(area)s): %(names)s.") % {
                "area": the_call.place.name, "names": ", ".join(outside)}]
    if the_call.budget_xof is not None:
        awarded = the_call.grants.aggregate(s=Sum("amount_xof"))["s"] or 0
        left = max(the_call.budget_xof - awarded, 0)
        if data["amount_xof"] > left:
            errors["amount_xof"] = [_("The call's budget has %(left)s XOF left.") % {"left": f"{left:,}".replace(",", " ")}]
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            grant = Grant.objects.create(
                call=the_call, grantee=data["grantee"], reference=data["reference"], title=data["title"].strip(),
                amount_xof=data["amount_xof"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                target_people=data["target_people"], target_activities=data["target_activities"], awarded_by=by)
            grant.communes.set(data["communes"])
            GrantReport.objects.bulk_create([
                GrantReport(grant=grant, kind=r.kind, period_start=r.period_start, period_end=r.period_end,
                            due_on=r.due_on) for r in report_calendar(grant)])
            fact_record(kind=OutreachEvent.GRANT_AWARDED, on=on or timezone.localdate(), place=the_call.place,
                        actor=by, agency=grant.grantee, subject=grant, quantity=1, amount_xof=grant.amount_xof,
                        data={"reference": grant.reference, "grantee": grant.grantee.code, "call": the_call.reference,
                              "starts_on": grant.starts_on.isoformat(), "ends_on": grant.ends_on.isoformat(),
                              "target_people": grant.target_people})
    except IntegrityError:  # a concurrent retry won the race
        grant = Grant.objects.filter(reference=data["reference"], call=the_call, grantee=data["grantee"]).first()
        if grant is None:
            raise
        grant.replayed = True
        return grant
    grant.replayed = False
    return grant


def _day(value, name: str) -> dt.date:
    if value in (None, ""):
        return timezone.localdate()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


@transaction.atomic
def call_close(*, by, call_id, on=None) -> Call:
    """Close a call for proposals on `on` (default today): no grant is awarded under it any more;
    those awarded run on. Retry-safe: a closed call stays as first closed."""
    call = call_for_write(by, call_id)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == Call.Status.CLOSED:
        return call
    day = _day(on, "on")
    if day > timezone.localdate():
        raise ValidationFailed({"on": [_("The date is in the future.")]})
    if day < call.opens_on:
        raise ValidationFailed({"on": [_("The call opened on %(day)s: it cannot close before.")
                                       % {"day": call.opens_on.isoformat()}]})
    call.status, call.closed_on = Call.Status.CLOSED, day
    call.save(update_fields=["status", "closed_on"])
    return call


GRANT_EDITABLE = ("title", "amount_xof", "starts_on", "ends_on", "communes", "target_people", "target_activities")


@transaction.atomic
def grant_update(*, by, grant_id, **changes) -> Grant:
    """Change a grant: its project, amount, period, communes or targets (the fields given). The
    report calendar follows a new period: reports not received that no longer fall due are dropped,
    new ones added; reports received stay. The activities already held under it must still fit
    (their days in the period, their communes among its communes), the amount within the call's budget."""
    grant = grant_for_write(by, grant_id)
    grant = Grant.objects.select_for_update().select_related("call", "grantee").get(pk=grant.pk)
    unknown = set(changes) - set(GRANT_EDITABLE)
    if unknown:
        raise ValidationFailed({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    current = {"call": grant.call.reference, "grantee": grant.grantee.code, "reference": grant.reference,
               "title": grant.title, "amount_xof": grant.amount_xof, "starts_on": grant.starts_on,
               "ends_on": grant.ends_on, "communes": [c.code for c in grant.communes.all()],
               "target_people": grant.target_people, "target_activities": grant.target_activities}
    data = _valid(GrantInput, {**current, **changes})
    errors: dict = {}
    held = Activity.objects.filter(grant=grant, cancelled=False)
    outside = held.exclude(held_on__range=(data["starts_on"], data["ends_on"])).order_by("held_on").first()
    if outside is not None:
        errors["ends_on" if outside.held_on > data["ends_on"] else "starts_on"] = [
            _("An activity was held under this grant on %(day)s: keep that day inside the period.")
            % {"day": outside.held_on.isoformat()}]
    if data["communes"]:
        missing = sorted(set(held.exclude(commune__in=data["communes"]).values_list("commune__name", flat=True)))
        if missing:
            errors["communes"] = [_("Activities were held under this grant in: %(names)s.") % {"names": ", ".join(missing)}]
    if grant.call.place is not None:
        far = [c.name for c in data["communes"] if not grant.call.place.contains(c)]
        if far:
            errors["communes"] = [_("Outside the area of the call (%(area)s): %(names)s.") % {
                "area": grant.call.place.name, "names": ", ".join(far)}]
    if grant.call.budget_xof is not None:
        others = grant.call.grants.exclude(pk=grant.pk).aggregate(s=Sum("amount_xof"))["s"] or 0
        left = max(grant.call.budget_xof - others, 0)
        if data["amount_xof"] > left:
            errors["amount_xof"] = [_("The call's budget has %(left)s XOF left.") % {"left": f"{left:,}".replace(",", " ")}]
    if errors:
        raise ValidationFailed(errors)
    grant.title, grant.amount_xof = data["title"].strip(), data["amount_xof"]
    grant.starts_on, grant.ends_on = data["starts_on"], data["ends_on"]
    grant.target_people, grant.target_activities = data["target_people"], data["target_activities"]
    grant.save(update_fields=["title", "amount_xof", "starts_on", "ends_on", "target_people", "target_activities"])
    grant.communes.set(data["communes"])
    wanted = {(r.kind, r.period_end): r for r in report_calendar(grant)}
    for report in grant.reports.all():
        if (report.kind, report.period_end) not in wanted and report.received_on is None:
            report.delete()
    have = set(grant.reports.values_list("kind", "period_end"))
    GrantReport.objects.bulk_create([GrantReport(grant=grant, kind=r.kind, period_start=r.period_start,
                                                 period_end=r.period_end, due_on=r.due_on)
                                     for key, r in wanted.items() if key not in have])
    return grant


@transaction.atomic
def report_receive(*, by, grant_id, report_id, on=None, note: str = "") -> GrantReport:
    """The grantee's report arrived on `on` (default today). Retry-safe: a report already received
    stays as first recorded."""
    report = report_for_write(by, grant_id, report_id)
    report = GrantReport.objects.select_for_update().select_related("grant__grantee", "grant__call").get(pk=report.pk)
    if report.received_on is not None:
        return report
    today = timezone.localdate()
    day = on or today
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            raise ValidationFailed({"on": [_("Enter a date as YYYY-MM-DD.")]}) from None
    errors = {}
    if day > today:
        errors["on"] = [_("The date is in the future.")]
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = [_("Keep the note under 500 characters.")]
    if errors:
        raise ValidationFailed(errors)
    report.received_on, report.received_by, report.note = day, by, note
    report.save(update_fields=["received_on", "received_by", "note"])
    grant = report.grant
    fact_record(kind=OutreachEvent.GRANT_REPORT_RECEIVED, on=day, place=grant.call.place, actor=by,
                agency=grant.grantee, subject=report, quantity=1,
                data={"reference": grant.reference, "grantee": grant.grantee.code, "report": report.kind,
                      "due_on": report.due_on.isoformat(), "late": day > report.due_on})
    return report


def reports_overdue(user, today: dt.date | None = None) -> QuerySet[GrantReport]:
    """Reports of the grants `user` sees past their due date (the local date) and not received."""
    today = today or timezone.localdate()
    return (GrantReport.objects.filter(grant__in=grants_visible_to(user), received_on__isnull=True, due_on__lt=today)
            .select_related("grant__grantee").order_by("due_on", "pk"))


def grants_list(user, today: dt.date | None = None) -> QuerySet[Grant]:
    """The grants `user` sees, each with how many of its reports are overdue."""
    today = today or timezone.localdate()
    overdue = Q(reports__received_on__isnull=True, reports__due_on__lt=today)
    return (grants_visible_to(user).select_related("call", "grantee")
            .annotate(overdue_reports=Count("reports", filter=overdue)).order_by("-starts_on", "reference"))


def calls_list(user) -> QuerySet[Call]:
    return calls_visible_to(user).select_related("place").annotate(grant_count=Count("grants"))


def _percent(value: int, target: int | None) -> int | None:
    if not target:
        return None
    return min(100, round(100 * value / target))


def grant_progress(grant: Grant) -> dict:
    """What the activities held under the grant reached, by the sensitization counting rules
    (cancelled ones never count; radio, TV and social-media audience kept apart, never added to
    people met), against the grant's targets."""
    live = Activity.objects.filter(grant=grant, cancelled=False)
    summary = activities_summary(live)
    minors = live.aggregate(s=Sum("participants_minors"))["s"] or 0
    people = summary["participants_male"] + summary["participants_female"]
    return {
        **summary, "participants_minors": minors, "people_reached": people,
        "target_people": grant.target_people, "target_activities": grant.target_activities,
        "people_percent": _percent(people, grant.target_people),
        "activities_percent": _percent(summary["activities"], grant.target_activities),
    }


def grant_check_for_activity(by, grant: Grant, *, held_on: dt.date, commune) -> dict:
    """Why `by` may not record an activity held on `held_on` in `commune` under `grant`:
    {field: [message]}, empty when it may."""
    if not grants_usable_by(by).filter(pk=grant.pk).exists():
        return {"grant": [_("Choose a grant awarded to your organisation.")]}
    errors = {}
    if held_on is not None and not grant.active_on(held_on):
        errors["grant"] = [_("Grant %(grant)s runs from %(start)s to %(end)s: the activity was held outside it.") % {
            "grant": grant.reference, "start": grant.starts_on.isoformat(), "end": grant.ends_on.isoformat()}]
    communes = list(grant.communes.all())
    if commune is not None and communes and commune not in communes:
        errors["commune"] = [_("Grant %(grant)s covers only: %(names)s.") % {
            "grant": grant.reference, "names": ", ".join(sorted(c.name for c in communes))}]
    return errors

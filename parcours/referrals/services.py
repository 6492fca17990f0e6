"""Writes of the referral network. Each service is atomic, checks the user's right through the
policy, validates, records a timeline line on the person and leaves change history to auditlog."""

import calendar
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.errors import Forbidden, ValidationFailed, form_errors
from parcours.core.idempotency import remember, replay, scope_for
from parcours.people.models import Consent, Person
from parcours.people.policies import person_for_read
from parcours.people.services import access_grant, consent_record, event_record, sharing_consented

from .events import ReferralEvent
from .models import Attendance, Referral, Service, StatusChange
from .policies import (
    can_create_service,
    can_offer_for,
    can_refer,
    referral_for_answer,
    referral_for_attendance,
    referral_for_validation,
    service_for_write,
)
from .selectors import places_taken
from .validation import AttendanceInput, ServiceInput, TransitionInput

# ---------------------------------------------------------------- directory


def _clean_service(data) -> dict:
    form = ServiceInput(data=data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form.cleaned_data


def _service_apply(service: Service, cleaned: dict) -> None:
    for field in ("kind", "name_fr", "name_en", "description", "eligibility", "capacity", "contact_name",
                  "contact_phone", "contact_email", "address", "starts_on", "ends_on", "active"):
        value = cleaned.get(field)
        setattr(service, field, value if value is not None or field in _NULLABLE else "")


_NULLABLE = {"capacity", "starts_on", "ends_on"}


@transaction.atomic
def service_create(*, by, data) -> Service:
    if not can_create_service(by):
        raise Forbidden()
    cleaned = _clean_service(data)
    if not can_offer_for(by, cleaned["provider"]):
        raise ValidationFailed({"provider": [_("You may only add services of your own agency.")]})
    if Service.objects.filter(code=cleaned["code"]).exists():
        raise ValidationFailed({"code": [_("A service with this code already exists.")]})
    service = Service(code=cleaned["code"], provider=cleaned["provider"])
    _service_apply(service, cleaned)
    service.save()
    service.places.set(cleaned.get("places") or [])
    return service


@transaction.atomic
def service_update(*, by, service_id, data) -> Service:
    service = service_for_write(by, service_id)
    # The code and provider of a service never change: referrals already point at it.
    merged = {"code": service.code, "provider": service.provider.code, **dict(data.items())}
    if hasattr(data, "getlist"):
        merged["places"] = data.getlist("places")
    merged["code"], merged["provider"] = service.code, service.provider.code
    cleaned = _clean_service(merged)
    _service_apply(service, cleaned)
    service.save()
    service.places.set(cleaned.get("places") or [])
    return service


# ---------------------------------------------------------------- referrals


_CREATE = "referrals.create"


def referral_create(*, by, person: Person, service: Service, note: str = "", idempotency_key: str = "",
                    consent_given: bool = False, at: dt.datetime | None = None) -> Referral:
    """Refer `person` to `service`. Requires the person's consent to share with the provider
    (`consent_given=True` records it now, as stated by the referring worker).

    Retry-safe: the same `idempotency_key`, or an open referral of the same person to the same
    service, returns the referral made the first time with `replayed = True`."""
    if not can_refer(by):
        raise Forbidden()
    person = person_for_read(by, person.pk)  # NotFound outside the user's scope
    previous = _previous(by, person, service, idempotency_key)
    if previous is not None:
        return previous
    if not service.active:
        raise ValidationFailed({"service": [_("This service is closed to referrals.")]})
    if len(note) > 2000:
        raise ValidationFailed({"note": [_("Keep the note under 2000 characters.")]})
    provider = service.provider
    if not provider.joint_registry and not consent_given and not sharing_consented(person, provider):
        raise ValidationFailed(
            {"consent": [_("%(person)s has not consented to sharing their data with %(agency)s. Ask them, "
                           "then tick the consent box.") % {"person": person.full_name, "agency": provider.name}]},
            message=_("Consent to share is missing."),
        )
    now = min(at or timezone.now(), timezone.now())  # when it was sent (default now, never ahead)
    try:
        with transaction.atomic():
            if consent_given and not provider.joint_registry and not sharing_consented(person, provider):
                consent_record(by=by, person=person, scope=Consent.Scope.SHARING, granted=True,
                               given_on=timezone.localdate(), agency=provider)
            referral = Referral.objects.create(
                person=person, service=service, note=note, created_by=by, created_agency=by.agency,
                sent_at=now, status_changed_at=now,
            )
            remember(scope_for(_CREATE, by), idempotency_key, referral)
            StatusChange.objects.create(referral=referral, to_status=Referral.Status.SENT, at=now, by=by,
                                        feedback=note)
            if not provider.joint_registry:
                access_grant(by=by, person=person, agency=provider, reason="referred")
            event_record(person=person, kind=ReferralEvent.SENT, actor=by,
                         data={"service": service.name_fr, "agency": provider.code})
    except IntegrityError:
        # A concurrent retry won the race: answer with its referral.
        previous = _previous(by, person, service, idempotency_key)
        if previous is None:
            raise
        return previous
    referral.replayed = False
    return referral


def _previous(by, person, service, key: str) -> Referral | None:
    found = replay(scope_for(_CREATE, by), key, Referral)
    if found is None:
        found = Referral.objects.filter(person=person, service=service, status__in=Referral.OPEN).first()
    if found is not None:
        found.replayed = True
    return found


_EVENT = {
    Referral.Status.ACCEPTED: ReferralEvent.ACCEPTED,
    Referral.Status.REFUSED: ReferralEvent.REFUSED,
    Referral.Status.ENROLLED: ReferralEvent.ENROLLED,
    Referral.Status.COMPLETED: ReferralEvent.COMPLETED,
    Referral.Status.DROPPED: ReferralEvent.DROPPED,
}


@transaction.atomic
def referral_transition(*, by, referral_id, to_status: str, feedback: str = "", reason: str = "",
                        certificate_ref: str = "", at: dt.datetime | None = None) -> Referral:
    """Move a referral along sent → accepted | refused → enrolled → completed | dropped. `at` is
    when it happened (default now; never in the future, never before the previous step)."""
    referral = referral_for_answer(by, referral_id)
    form = TransitionInput(data={"to_status": to_status or "", "feedback": feedback or "", "reason": reason or "",
                                 "certificate_ref": certificate_ref or ""})
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    to_status = form.cleaned_data["to_status"]
    reason, feedback = form.cleaned_data["reason"].strip(), form.cleaned_data["feedback"].strip()
    # Lock the referral (and below the service) so two answers at once cannot both pass.
    referral = Referral.objects.select_for_update().select_related("service", "person").get(pk=referral.pk)
    if referral.status == to_status:
        return referral  # a retry (double click, resent request): already done, nothing to add
    if not referral.can_go_to(to_status):
        raise ValidationFailed({"to_status": [_("A referral that is “%(current)s” cannot become “%(new)s”.") % {
            "current": referral.get_status_display(), "new": Referral.Status(to_status).label}]})
    if to_status in (Referral.Status.REFUSED, Referral.Status.DROPPED) and not reason:
        raise ValidationFailed({"reason": [_("Give the reason.")]})
    if to_status == Referral.Status.ENROLLED:
        service = Service.objects.select_for_update().get(pk=referral.service_id)
        if service.capacity is not None and places_taken(service) >= service.capacity:
            raise ValidationFailed({"to_status": [_("The session is full: all %(capacity)d places are taken.")
                                                  % {"capacity": service.capacity}]})
    now = min(at or timezone.now(), timezone.now())
    if now < referral.status_changed_at:
        now = referral.status_changed_at
    previous = referral.status
    referral.status = to_status
    referral.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if feedback:
        referral.feedback = feedback
        fields.append("feedback")
    if reason:
        referral.reason = reason
        fields.append("reason")
    if to_status == Referral.Status.COMPLETED and form.cleaned_data["certificate_ref"]:
        referral.certificate_ref = form.cleaned_data["certificate_ref"]
        fields.append("certificate_ref")
    referral.save(update_fields=fields)
    StatusChange.objects.create(referral=referral, from_status=previous, to_status=to_status, at=now, by=by,
                                feedback=feedback, reason=reason)
    event_record(person=referral.person, kind=_EVENT[to_status], actor=by,
                 data={"service": referral.service.name_fr, "reason": reason,
                       "certificate": referral.certificate_ref})
    return referral


def month_first(day: dt.date) -> dt.date:
    return day.replace(day=1)


def enrolment_spans(history) -> list[tuple[dt.date, dt.date | None]]:
    """Each enrolment in a referral's dated steps (`history` in order of time): (the day enrolled,
    the day it was completed or dropped, or None while it lasts)."""
    spans: list[tuple[dt.date, dt.date | None]] = []
    start = None
    for change in history:
        day = timezone.localdate(change.at)
        if change.to_status == Referral.Status.ENROLLED:
            if start is not None:
                spans.append((start, day))
            start = day
        elif change.to_status in (Referral.Status.COMPLETED, Referral.Status.DROPPED) and start is not None:
            spans.append((start, day))
            start = None
    if start is not None:
        spans.append((start, None))
    return spans


def enrolment_span(referral: Referral) -> tuple[dt.date | None, dt.date | None]:
    """(the day the person was last enrolled, the day that enrolment ended or None), from the
    referral's dated steps."""
    spans = enrolment_spans(referral.history.order_by("at", "id"))
    return spans[-1] if spans else (None, None)


def person_enrolments(person) -> list[tuple[dt.date, dt.date | None]]:
    """Every enrolment of the person in a partner's service, for the attendance typed on the
    assistance side. Not scoped: the caller already holds the person."""
    by_referral: dict = {}
    for change in StatusChange.objects.filter(referral__person=person).order_by("at", "id"):
        by_referral.setdefault(change.referral_id, []).append(change)
    return [span for history in by_referral.values() for span in enrolment_spans(history)]


def countable_days(month: dt.date, start: dt.date, end: dt.date) -> int:
    """Days of `month` from `start` to `end` inclusive (0 when they do not meet)."""
    first = month_first(month)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    low, high = max(first, start), min(last, end)
    return max(0, (high - low).days + 1)


@transaction.atomic
def attendance_validate(*, by, referral_id, month) -> Attendance:
    """The referring side confirms the provider's figure for a month; from then on those days
    count for the training allowance. Validating twice changes nothing."""
    referral = referral_for_validation(by, referral_id)
    first = month_first(month)
    attendance = Attendance.objects.select_for_update().filter(referral=referral, month=first).first()
    if attendance is None:
        raise ValidationFailed({"month": [_("No attendance recorded for this month.")]})
    if attendance.validated_at is None:
        attendance.validated_by, attendance.validated_at = by, timezone.now()
        attendance.save(update_fields=["validated_by", "validated_at"])
        event_record(person=referral.person, kind=ReferralEvent.ATTENDANCE_VALIDATED, actor=by,
                     data={"service": referral.service.name_fr, "month": first.strftime("%m/%Y"),
                           "days": attendance.days})
    return attendance


@transaction.atomic
def attendance_record(*, by, referral_id, month: dt.date, days: int) -> Attendance:
    """Record (or correct) the days an enrolled person attended in `month` (any day of it)."""
    referral = referral_for_attendance(by, referral_id)
    form = AttendanceInput(data={"month": month.isoformat() if isinstance(month, dt.date) else (month or ""),
                                 "days": "" if days is None else str(days)})
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    first = month_first(form.cleaned_data["month"])
    days = form.cleaned_data["days"]
    today = timezone.localdate()
    if first > month_first(today):
        raise ValidationFailed({"month": [_("The month is in the future.")]})
    length = calendar.monthrange(first.year, first.month)[1]
    if days > length:
        raise ValidationFailed({"days": [_("This month has only %(n)d days.") % {"n": length}]})
    if referral.status not in (Referral.Status.ENROLLED, Referral.Status.COMPLETED, Referral.Status.DROPPED):
        raise ValidationFailed({"referral": [_("Attendance is recorded only for enrolled people.")]})
    start, end = enrolment_span(referral)
    if start is None:
        raise ValidationFailed({"referral": [_("Attendance is recorded only for enrolled people.")]})
    countable = countable_days(first, start, min(end or today, today))
    if days > countable:
        raise ValidationFailed({"days": [
            _("Attendance counts days past within the enrolment: %(n)d day(s) of %(month)s so far "
              "(enrolled from %(start)s to %(end)s).") % {
                "n": countable, "month": first.strftime("%m/%Y"), "start": start.strftime("%d/%m/%Y"),
                "end": min(end or today, today).strftime("%d/%m/%Y")}]})
    attendance = Attendance.objects.select_for_update().filter(referral=referral, month=first).first()
    if attendance is not None and attendance.days == days:
        return attendance  # a retry: same figure, nothing to record again
    if attendance is None:
        attendance = Attendance.objects.create(referral=referral, month=first, days=days, recorded_by=by)
    else:  # a new figure: the old validation no longer holds
        attendance.days, attendance.recorded_by = days, by
        attendance.validated_by, attendance.validated_at = None, None
        attendance.save(update_fields=["days", "recorded_by", "recorded_at", "validated_by", "validated_at"])
    event_record(person=referral.person, kind=ReferralEvent.ATTENDANCE, actor=by,
                 data={"service": referral.service.name_fr, "month": first.strftime("%m/%Y"), "days": days})
    return attendance

"""Referral network endpoints (/api/v1/referrals). Thin: parse, call the service or selector, shape."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from parcours.core.api import ErrorOut, paginate
from parcours.core.errors import NotFound, ValidationFailed
from parcours.core.inputs import (
    Date,
    Integer,
    RequiredInteger,
    RequiredText,
    RequiredUuid,
    Text,
    choice,
    required_choice,
)
from parcours.people.policies import person_for_read

from . import selectors, services
from .models import Referral, Service
from .policies import referral_for_read, service_for_read

router = Router(tags=["referrals"])

class ServiceOut(Schema):
    id: uuid.UUID
    code: str
    provider: str
    provider_name: str
    kind: str
    kind_label: str
    name: str
    name_fr: str
    name_en: str
    description: str
    eligibility: str
    capacity: int | None
    places_taken: int
    places_free: int | None
    places: list[str]
    contact_name: str
    contact_phone: str
    contact_email: str
    address: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    active: bool


class ServicePage(Schema):
    count: int
    results: list[ServiceOut]
    next: str | None


class ServiceIn(Schema):
    code: Text = None
    provider: Text = Field(None, description="The provider agency's code, e.g. CFPM.")
    kind: choice(Service.Kind) = None
    name_fr: Text = None
    name_en: Text = None
    description: Text = None
    eligibility: Text = None
    capacity: Integer = None
    places: list[str] = []
    contact_name: Text = None
    contact_phone: Text = None
    contact_email: Text = None
    address: Text = None
    starts_on: Date = None
    ends_on: Date = None
    active: bool = True


class PersonBrief(Schema):
    """Only what a partner needs to receive the person."""

    id: uuid.UUID
    given_name: str
    family_name: str
    sex: str
    birth_year: int | None
    phone: str


class StepOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    by: str
    feedback: str
    reason: str


class AttendanceOut(Schema):
    month: dt.date
    days: int
    validated: bool = False


class AttendanceValidateIn(Schema):
    month: RequiredText = Field(description="YYYY-MM, or any date of the month (YYYY-MM-DD).")


class ReferralOut(Schema):
    id: uuid.UUID
    person: PersonBrief
    service: uuid.UUID
    service_name: str
    provider: str
    status: str
    status_label: str
    note: str
    feedback: str
    reason: str
    certificate_ref: str
    sent_at: dt.datetime
    status_changed_at: dt.datetime
    waiting_days: int
    referred_by: str


class ReferralDetailOut(ReferralOut):
    history: list[StepOut]
    attendance: list[AttendanceOut]


class ReferralPage(Schema):
    count: int
    results: list[ReferralOut]
    next: str | None


class ReferralIn(Schema):
    person: RequiredUuid
    service: RequiredUuid
    note: str = ""
    consent: bool = False


class TransitionIn(Schema):
    to_status: required_choice(Referral.Status)
    feedback: str = ""
    reason: str = ""
    certificate_ref: str = ""


class AttendanceIn(Schema):
    month: RequiredText = Field(description="YYYY-MM, or any date of the month (YYYY-MM-DD).")
    days: RequiredInteger


class AggregateOut(Schema):
    service_id: uuid.UUID
    service: str
    provider: str
    counts: dict[str, int]
    total: int


def service_out(s: Service) -> dict:
    taken = s.taken if hasattr(s, "taken") else selectors.places_taken(s)
    return {
        "id": s.id, "code": s.code, "provider": s.provider.code, "provider_name": s.provider.name, "kind": s.kind,
        "kind_label": str(s.get_kind_display()), "name": s.name, "name_fr": s.name_fr, "name_en": s.name_en,
        "description": s.description, "eligibility": s.eligibility, "capacity": s.capacity, "places_taken": taken,
        "places_free": None if s.capacity is None else max(0, s.capacity - taken),
        "places": [p.name for p in s.places.all()], "contact_name": s.contact_name,
        "contact_phone": s.contact_phone, "contact_email": s.contact_email, "address": s.address,
        "starts_on": s.starts_on, "ends_on": s.ends_on, "active": s.active,
    }


def referral_out(r: Referral) -> dict:
    p = r.person
    return {
        "id": r.id,
        "person": {"id": p.id, "given_name": p.given_name, "family_name": p.family_name, "sex": p.sex,
                   "birth_year": p.birth_date.year if p.birth_date else p.birth_year, "phone": p.phone},
        "service": r.service_id, "service_name": r.service.name, "provider": r.service.provider.code,
        "status": r.status, "status_label": str(r.get_status_display()), "note": r.note, "feedback": r.feedback,
        "reason": r.reason, "certificate_ref": r.certificate_ref, "sent_at": r.sent_at,
        "status_changed_at": r.status_changed_at, "waiting_days": selectors.waiting_days(r),
        "referred_by": r.created_agency.code if r.created_agency_id else "",
    }


def referral_detail_out(r: Referral) -> dict:
    return {
        **referral_out(r),
        "history": [{"from_status": h.from_status, "to_status": h.to_status, "at": h.at, "by": h.by.username,
                     "feedback": h.feedback, "reason": h.reason} for h in r.history.select_related("by")],
        "attendance": [{"month": a.month, "days": a.days, "validated": a.validated_at is not None}
                       for a in r.attendance.all()],
    }


def _referrals(qs):
    return qs.select_related("person", "service__provider", "created_agency")


# ---------------------------------------------------------------- directory


@router.get("/services", response={200: ServicePage, 400: ErrorOut})
def list_services(request, kind: choice(Service.Kind) = "", place: str = "", provider: str = "", q: str = ""):
    """The directory of services and opportunities, with capacity and places taken."""
    flt = selectors.ServiceFilter(kind=kind, place=place, provider=provider, q=q)
    return paginate(request, selectors.services_list(request.user, flt), service_out)


@router.post("/services", response={201: ServiceOut, 400: ErrorOut, 403: ErrorOut})
def create_service(request, payload: ServiceIn):
    """Add a service to the directory (administrator, or a provider for its own agency)."""
    service = services.service_create(by=request.user, data=_form_data(payload))
    return Status(201, service_out(service))


@router.get("/services/{service_id}", response={200: ServiceOut, 404: ErrorOut})
def get_service(request, service_id: str):
    return service_out(service_for_read(request.user, service_id))


@router.patch("/services/{service_id}", response={200: ServiceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def update_service(request, service_id: str, payload: ServiceIn):
    sent = payload.dict(exclude_unset=True)
    current = service_for_read(request.user, service_id)
    base = dict(_form_data(ServiceIn(**_current(current))).items())
    data = {**base, **{k: v for k, v in _form_data(payload).items() if k in sent}}
    return service_out(services.service_update(by=request.user, service_id=service_id, data=_FormDict(data)))


class _FormDict(dict):
    """A dict with `getlist`, as a submitted form has, for the multi-valued `places`."""

    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def _form_data(payload: ServiceIn) -> dict:
    data = {k: ("" if v is None else (str(v) if not isinstance(v, list | bool) else v))
            for k, v in payload.dict().items()}
    data["active"] = "on" if payload.active else ""
    return data


def _current(s: Service) -> dict:
    return {"code": s.code, "provider": s.provider.code, "kind": s.kind, "name_fr": s.name_fr, "name_en": s.name_en,
            "description": s.description, "eligibility": s.eligibility, "capacity": s.capacity,
            "places": [p.path for p in s.places.all()], "contact_name": s.contact_name,
            "contact_phone": s.contact_phone, "contact_email": s.contact_email, "address": s.address,
            "starts_on": s.starts_on.isoformat() if s.starts_on else None,
            "ends_on": s.ends_on.isoformat() if s.ends_on else None, "active": s.active}


# ---------------------------------------------------------------- referrals


@router.get("", response={200: ReferralPage, 400: ErrorOut, 404: ErrorOut})
def list_referrals(request, status: choice(Referral.Status) = "", service: str = "", person: str = ""):
    """Referrals the caller may read, newest first; filters `status`, `service`, `person` (ids)."""
    flt = selectors.ReferralFilter(status=status, service=service, person=person)
    return paginate(request, _referrals(selectors.referrals_list(request.user, flt)), referral_out)


@router.post("", response={201: ReferralOut, 200: ReferralOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def create_referral(request, payload: ReferralIn):
    """Refer a person to a service. Needs the person's consent to share with the provider: send
    `"consent": true` to record it now. Retry-safe: an `Idempotency-Key` header, or an open
    referral of the same person to the same service, answers 200 with the first referral."""
    errors = {}
    try:
        person = person_for_read(request.user, payload.person)
    except NotFound:
        person = None
        errors["person"] = [_("No such person among the people you see.")]
    try:
        service = service_for_read(request.user, payload.service)
    except NotFound:
        service = None
        errors["service"] = [_("No such service in the directory.")]
    if errors:
        raise ValidationFailed(errors)
    referral = services.referral_create(
        by=request.user, person=person, service=service, note=payload.note,
        idempotency_key=request.headers.get("Idempotency-Key", "")[:80], consent_given=payload.consent,
    )
    return Status(200 if referral.replayed else 201, referral_out(referral))


@router.get("/inbox", response={200: ReferralPage, 400: ErrorOut, 404: ErrorOut})
def partner_inbox(request):
    """A service provider's inbox: new referrals first, then accepted, enrolled, completed."""
    return paginate(request, selectors.inbox(request.user), referral_out)


@router.get("/stats", response={200: list[AggregateOut], 404: ErrorOut})
def referral_stats(request):
    """Counts of referrals per service and status (no names): oversight and M&E."""
    return selectors.aggregates(request.user)


@router.get("/{referral_id}", response={200: ReferralDetailOut, 404: ErrorOut})
def get_referral(request, referral_id: str):
    return referral_detail_out(referral_for_read(request.user, referral_id))


@router.post("/{referral_id}/transition", response={200: ReferralDetailOut, 400: ErrorOut, 403: ErrorOut,
                                                    404: ErrorOut})
def transition(request, referral_id: str, payload: TransitionIn):
    """Move the referral on: `to_status` accepted | refused (with `reason`) | enrolled |
    completed (with `certificate_ref`) | dropped (with `reason`); `feedback` from the partner."""
    referral = services.referral_transition(
        by=request.user, referral_id=referral_id, to_status=str(payload.to_status or ""),
        feedback=payload.feedback, reason=payload.reason, certificate_ref=payload.certificate_ref,
    )
    return referral_detail_out(referral_for_read(request.user, referral.pk))


@router.post("/{referral_id}/attendance", response={200: AttendanceOut, 400: ErrorOut, 403: ErrorOut,
                                                    404: ErrorOut})
def record_attendance(request, referral_id: str, payload: AttendanceIn):
    """Days attended in a month (`month` as YYYY-MM or any date of it). Recording the same month
    again corrects it."""
    month = _parse_month(payload.month)
    days = payload.days
    try:
        days = int(days) if days not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationFailed({"days": [_("Enter a whole number.")]}) from None
    if days is None:
        raise ValidationFailed({"days": [_("This field is required.")]})
    attendance = services.attendance_record(by=request.user, referral_id=referral_id, month=month, days=days)
    return {"month": attendance.month, "days": attendance.days, "validated": attendance.validated_at is not None}


@router.post("/{referral_id}/attendance/validate", response={200: AttendanceOut, 400: ErrorOut, 403: ErrorOut,
                                                             404: ErrorOut})
def validate_attendance(request, referral_id: str, payload: AttendanceValidateIn):
    """The referring side confirms the provider's days for `month` (YYYY-MM): from then on they
    count for the training allowance. The provider cannot validate its own figure (403)."""
    attendance = services.attendance_validate(by=request.user, referral_id=referral_id,
                                              month=_parse_month(payload.month))
    return {"month": attendance.month, "days": attendance.days, "validated": attendance.validated_at is not None}


def _parse_month(value) -> dt.date:
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationFailed({"month": [_("Enter a month as YYYY-MM.")]})

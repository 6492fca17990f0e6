"""Assistance endpoints (CONTRACT.md "Assistance"). Thin: parse, call the service or selector, shape."""

import datetime as dt
import uuid

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from parcours.core.api import ErrorOut, paginate
from parcours.core.errors import Forbidden, ValidationFailed
from parcours.core.inputs import (
    Date,
    Flag,
    Integer,
    RequiredDate,
    RequiredInteger,
    RequiredText,
    RequiredUuid,
    Text,
    choice,
    required_choice,
)
from parcours.people.models import DocumentType
from parcours.people.policies import person_for_read

from . import selectors, services
from .models import Channel, LedgerEntry, Period, SchemeVersion, VerificationVisit
from .policies import (
    can_read_eligibility,
    can_read_ledger,
    can_read_totals,
    entry_for_read,
    scheme_for_edit,
    scheme_for_read,
    schemes_visible_to,
)
from .validation import criteria_text, tranches_text

router = Router(tags=["assistance"])
# Mounted at /people: GET /people/{id}/eligibility (CONTRACT.md "Assistance").
eligibility_router = Router(tags=["assistance"])


def _date_param(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed({name: [_("Write the date as YYYY-MM-DD.")]}) from None


class EligibilityOut(Schema):
    scheme: str
    eligible: bool
    amount_xof: int
    reasons: list[str]


@eligibility_router.get("/{person_id}/eligibility", response={200: list[EligibilityOut], 400: ErrorOut,
                                                               403: ErrorOut, 404: ErrorOut})
def eligibility(request, person_id: str, on: Date = None):
    """For each assistance scheme in force on `on` (YYYY-MM-DD, default today): eligible or not, the
    amount in XOF (0 if not eligible) and the reasons, in the language of the request. Ages are whole
    years on that date."""
    day = _date_param(on, "on") or timezone.localdate()
    person = person_for_read(request.user, person_id)
    if not can_read_eligibility(request.user):
        raise Forbidden()
    return [{"scheme": e.scheme.code, "eligible": e.eligible, "amount_xof": e.amount_xof, "reasons": e.reasons}
            for e in selectors.person_eligibility(person, day)]


class CriterionOut(Schema):
    rule: str
    label_fr: str
    label_en: str


class TrancheOut(Schema):
    share: int
    condition: str
    label_fr: str
    label_en: str


class VersionOut(Schema):
    number: int
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    valid_from: dt.date
    valid_to: dt.date | None
    period: str
    channels: list[str]
    criteria: list[CriterionOut]
    amount: str
    tranches: list[TrancheOut]
    created_at: dt.datetime


class SchemeOut(Schema):
    code: str
    category: str
    name: str
    current: VersionOut | None


class SchemeDetailOut(SchemeOut):
    versions: list[VersionOut]


def _scheme_out(scheme, versions: list[SchemeVersion]) -> dict:
    today = timezone.localdate()
    current = next((v for v in versions if v.in_force_on(today)), versions[0] if versions else None)
    return {"code": scheme.code, "category": scheme.category.code, "name": current.name if current else scheme.code,
            "current": current}


@router.get("/schemes", response={200: list[SchemeOut]})
def list_schemes(request):
    """Every assistance scheme with the version in force today."""
    schemes = schemes_visible_to(request.user).select_related("category").prefetch_related("versions")
    return [_scheme_out(s, sorted(s.versions.all(), key=lambda v: -v.number)) for s in schemes]


@router.get("/schemes/{code}", response={200: SchemeDetailOut, 404: ErrorOut})
def get_scheme(request, code: str):
    """A scheme with all its versions, newest first (old versions are kept)."""
    scheme = scheme_for_read(request.user, code)
    versions = list(selectors.scheme_versions(scheme))
    return {**_scheme_out(scheme, versions), "versions": versions}


class CriterionIn(Schema):
    rule: str
    label_fr: str = ""
    label_en: str = ""


class TrancheIn(Schema):
    share: int
    condition: str = "True"
    label_fr: str = ""
    label_en: str = ""


class VersionIn(Schema):
    name_fr: Text = None
    name_en: Text = None
    description_fr: Text = None
    description_en: Text = None
    valid_from: Date = None
    period: choice(Period) = None
    channels: list[required_choice(Channel)] = []
    criteria: list[CriterionIn] = []
    amount: Text = Field(None, description="The amount in XOF: a whole number or an expression of the scheme's facts.")
    tranches: list[TrancheIn] = []


@router.post("/schemes/{code}/versions", response={201: VersionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def create_version(request, code: str, payload: VersionIn):
    """Administrators: edit a scheme by creating a new version in force from `valid_from` (the
    previous one ends the day before; old versions are kept). Every rule is checked before saving;
    a wrong one answers 400 naming the field (`criteria`, `amount`, `tranches`)."""
    data = payload.dict(exclude={"criteria", "tranches"})
    if any("|" in value for c in payload.criteria for value in c.dict().values()) or \
            any("|" in str(value) for t in payload.tranches for value in t.dict().values()):
        raise ValidationFailed({"criteria": [_("Rules and labels may not contain “|”.")]})
    data["criteria"] = criteria_text([c.dict() for c in payload.criteria])
    data["tranches"] = tranches_text([t.dict() for t in payload.tranches])
    return Status(201, services.scheme_version_create(by=request.user, code=code, data=data))


class EligibleCountOut(Schema):
    scheme: str
    version: int
    on: dt.date
    eligible: int
    evaluated: int
    total: int
    amount_xof: int
    complete: bool
    job: uuid.UUID | None = None


@router.get("/schemes/{code}/eligible-count", response={200: EligibleCountOut, 400: ErrorOut, 403: ErrorOut,
                                                         404: ErrorOut})
def eligible_count(request, code: str, on: Date = None, version: int | None = None,
                   background: bool = False):
    """Administrators: how many of the people they may see are eligible on `on` (default today) under
    the version in force then (or `version`). Up to 2 000 people are evaluated in the request
    (`complete` false beyond); `background=true` counts everyone in a job (see `/api/v1/jobs/{id}`)."""
    from parcours.jobs.services import job_start

    scheme = scheme_for_edit(request.user, code)
    day = _date_param(on, "on") or timezone.localdate()
    chosen = (scheme.versions.filter(number=version).first() if version is not None
              else services.version_in_force(scheme, day))
    if chosen is None:
        raise ValidationFailed({"version" if version is not None else "on": [_("No version of this scheme "
                                                                               "applies.")]})
    job = None
    if background:
        job = job_start(by=request.user, kind="assistance_eligible_count",
                        params={"version": chosen.pk, "on": day.isoformat()}).pk
    result = selectors.eligible_count(request.user, chosen, day)
    return {"scheme": scheme.code, "version": chosen.number, "on": day, "eligible": result.eligible,
            "evaluated": result.evaluated, "total": result.total, "amount_xof": result.amount_xof,
            "complete": result.complete, "job": job}


class EntryOut(Schema):
    id: uuid.UUID
    kind: str
    person: uuid.UUID
    scheme: str
    version: int
    tranche: int
    period: str
    amount_xof: int
    paid_on: dt.date
    channel: str
    id_document_type: str
    id_document_number: str
    proof_reference: str
    proof_file: bool
    note: str
    reversal_of: uuid.UUID | None
    reversed_by: uuid.UUID | None
    replaces: uuid.UUID | None
    recorded_by: str
    created_at: dt.datetime


class EntryPage(Schema):
    count: int
    results: list[EntryOut]
    next: str | None


def entry_out(e: LedgerEntry) -> dict:
    reversed_by = getattr(e, "reversed_by", None) if e.kind == LedgerEntry.Kind.PAYMENT else None
    return {
        "id": e.pk, "kind": e.kind, "person": e.person_id, "scheme": e.scheme.code, "version": e.version.number,
        "tranche": e.tranche, "period": e.period, "amount_xof": e.amount_xof, "paid_on": e.paid_on,
        "channel": e.channel, "id_document_type": e.id_document_type, "id_document_number": e.id_document_number,
        "proof_reference": e.proof_reference, "proof_file": bool(e.proof_file), "note": e.note,
        "reversal_of": e.reversal_of_id, "reversed_by": reversed_by.pk if reversed_by else None,
        "replaces": e.replaces_id, "recorded_by": e.recorded_by.username, "created_at": e.created_at,
    }


def _ledger_filter(person: str, scheme: str, date_from: str, date_to: str, kind: str) -> selectors.LedgerFilter:
    if person:
        try:
            uuid.UUID(person)
        except ValueError:
            raise ValidationFailed({"person": [_("Not a valid identifier.")]}) from None
    return selectors.LedgerFilter(person=person, scheme=scheme, date_from=_date_param(date_from, "date_from"),
                                  date_to=_date_param(date_to, "date_to"), kind=kind)


@router.get("/ledger", response={200: EntryPage, 400: ErrorOut, 403: ErrorOut})
def list_ledger(request, person: str = "", scheme: str = "", date_from: Date = "", date_to: Date = "",
                kind: choice(LedgerEntry.Kind) = ""):
    """Ledger entries of the people the caller may see, newest first; filter by person id, scheme code,
    date range (YYYY-MM-DD) and kind (payment, reversal). Reversals have negative amounts."""
    if not can_read_ledger(request.user):
        raise Forbidden()
    flt = _ledger_filter(person, scheme, date_from, date_to, kind)
    return paginate(request, selectors.ledger_list(request.user, flt).select_related("recorded_by"), entry_out)


class TotalOut(Schema):
    scheme: str
    net_xof: int
    payments: int
    reversals: int
    people: int


@router.get("/ledger/totals", response={200: list[TotalOut], 400: ErrorOut, 403: ErrorOut})
def ledger_totals(request, scheme: str = "", date_from: Date = "", date_to: Date = ""):
    """Net amounts per scheme (reversals subtracted). The programme manager sees these totals only."""
    if not can_read_totals(request.user):
        raise Forbidden()
    return selectors.ledger_totals(request.user, _ledger_filter("", scheme, date_from, date_to, ""))


class PaymentIn(Schema):
    person: RequiredUuid
    scheme: RequiredText = Field(description="The scheme's code, e.g. business_kit.")
    tranche: Integer = 1
    paid_on: RequiredDate
    period: Text = Field(None, description="The period paid, for a scheme paid by period (YYYY-MM).")
    channel: required_choice(Channel)
    amount_xof: Integer = Field(None, description="Empty: the amount the scheme computes.")
    id_document_type: choice(DocumentType) = None
    id_document_number: Text = None
    proof_reference: Text = None
    note: Text = None
    distinct_people_confirmed: Flag = Field(None, description="The reviewer confirmed that a possible duplicate "
                                                              "already paid is another person.")


def _key(request) -> str:
    return request.headers.get("Idempotency-Key", "")[:80]


def _person_id(value) -> str:
    if not value:
        raise ValidationFailed({"person": [_("This field is required.")]})
    return str(value)


@router.post("/ledger/payments", response={201: EntryOut, 200: EntryOut, 400: ErrorOut, 403: ErrorOut,
                                            404: ErrorOut, 409: ErrorOut})
def create_payment(request, payload: PaymentIn):
    """Record a payment or in-kind delivery. The scheme in force on `paid_on` is evaluated: an
    ineligible person, a wrong amount (leave it empty to use the computed one), a tranche not yet
    released or already paid are refused with the field named. Send `Idempotency-Key`: a retry answers
    200 with the entry made the first time and never pays twice."""
    data = payload.dict(exclude={"person"})
    result = services.payment_record(by=request.user, person_id=_person_id(payload.person), data=data,
                                     idempotency_key=_key(request))
    return Status(200 if result.replayed else 201, entry_out(result.entry))


@router.post("/ledger/payments/upload", response={201: EntryOut, 200: EntryOut, 400: ErrorOut, 403: ErrorOut,
                                                   404: ErrorOut, 409: ErrorOut})
def create_payment_with_proof(request, payload: Form[PaymentIn], proof_file: File[UploadedFile]):
    """The same as `POST /ledger/payments`, as multipart/form-data with a proof file (scan, photo)."""
    data = payload.dict(exclude={"person"})
    result = services.payment_record(by=request.user, person_id=_person_id(payload.person), data=data,
                                     proof_file=proof_file, idempotency_key=_key(request))
    return Status(200 if result.replayed else 201, entry_out(result.entry))


class ReversalIn(Schema):
    reason: RequiredText


@router.post("/ledger/{entry_id}/reversal", response={201: EntryOut, 200: EntryOut, 400: ErrorOut, 403: ErrorOut,
                                                       404: ErrorOut, 409: ErrorOut})
def reverse_entry(request, entry_id: str, payload: ReversalIn):
    """Reverse a payment: a new negative entry pointing at it; the original is never changed and its
    slot is freed for a corrected payment."""
    result = services.payment_reverse(by=request.user, entry_id=entry_id, data=payload.dict(),
                                      idempotency_key=_key(request))
    return Status(200 if result.replayed else 201, entry_out(result.entry))


class VisitIn(Schema):
    person: RequiredUuid
    scheme: RequiredText
    tranche: Integer = 1
    visited_on: RequiredDate
    visitor: Text = None
    outcome: required_choice(VerificationVisit.Outcome)
    notes: Text = None


class VisitOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    scheme: str
    tranche: int
    visited_on: dt.date
    visitor: str
    outcome: str
    notes: str
    created_at: dt.datetime


def _visit_out(v) -> dict:
    return {"id": v.pk, "person": v.person_id, "scheme": v.scheme.code, "tranche": v.tranche,
            "visited_on": v.visited_on, "visitor": v.visitor, "outcome": v.outcome, "notes": v.notes,
            "created_at": v.created_at}


class VisitPage(Schema):
    count: int
    results: list[VisitOut]
    next: str | None


@router.get("/visits", response={200: VisitPage, 400: ErrorOut, 403: ErrorOut})
def list_visits(request, person: str = ""):
    """Verification visits of the people whose ledger the caller may see, newest first."""
    if not can_read_ledger(request.user):
        raise Forbidden()
    qs = selectors.visits_visible_to(request.user).select_related("scheme")
    if person:
        _ledger_filter(person, "", "", "", "")
        qs = qs.filter(Q(person_id=person) | Q(person__merged_into_id=person))
    return paginate(request, qs, _visit_out)


@router.post("/visits", response={201: VisitOut, 200: VisitOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def create_visit(request, payload: VisitIn):
    """Record a field visit verifying the use of a paid tranche; `outcome` "verified" releases the next
    tranche (business kit). Retry-safe with `Idempotency-Key`."""
    result = services.visit_record(by=request.user, person_id=_person_id(payload.person),
                                   data=payload.dict(exclude={"person"}), idempotency_key=_key(request))
    return Status(200 if result.replayed else 201, _visit_out(result.entry))


class TrainingAttendanceIn(Schema):
    person: RequiredUuid
    month: RequiredText = Field(description="YYYY-MM")
    days: RequiredInteger


class TrainingAttendanceOut(Schema):
    person: uuid.UUID
    month: str
    days: int


@router.post("/attendance", response={200: TrainingAttendanceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def record_attendance(request, payload: TrainingAttendanceIn):
    """Days of training attended in a month (`month` YYYY-MM); feeds the training allowance. Sending
    the same month again corrects it."""
    record = services.attendance_record(by=request.user, person_id=_person_id(payload.person),
                                        data=payload.dict(exclude={"person"}))
    return {"person": record.person_id, "month": record.month.strftime("%Y-%m"), "days": record.days}


# Declared last: "/ledger/{entry_id}" would otherwise catch "/ledger/payments".
@router.get("/ledger/{entry_id}", response={200: EntryOut, 404: ErrorOut})
def get_entry(request, entry_id: str):
    """One ledger entry; `reversed_by` names the reversal of a reversed payment."""
    return entry_out(entry_for_read(request.user, entry_id))

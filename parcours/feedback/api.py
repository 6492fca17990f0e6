"""Complaints endpoints (/api/v1/complaints). Thin: parse, call the service or selector, shape.

A sensitive complaint (protection, sexual exploitation, fraud) answers 404 to everyone but the
restricted handlers, and never appears in their lists."""

import datetime as dt
import uuid
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from parcours.core.api import ErrorOut, paginate
from parcours.core.errors import NotFound, ValidationFailed
from parcours.people.models import Person
from parcours.people.policies import person_for_read

from . import selectors, services
from .models import Complaint
from .policies import can_handle, can_read_register, complaint_for_read

router = Router(tags=["complaints"])

Channel = Literal[tuple(Complaint.Channel.values)]  # type: ignore[valid-type]
Category = Literal[tuple(Complaint.Category.values)]  # type: ignore[valid-type]
Gravity = Literal[tuple(Complaint.Gravity.values)]  # type: ignore[valid-type]
StatusValue = Literal[tuple(Complaint.Status.values)]  # type: ignore[valid-type]


class ComplaintIn(Schema):
    channel: Channel
    category: Category
    gravity: Gravity
    description: str = Field(min_length=1, max_length=5000)
    person: uuid.UUID | None = Field(None, description="A registered person the caller may see")
    anonymous: bool = False
    consent_to_identify: bool = Field(False, description="The complainant agrees to be identified to its handlers")
    received_on: dt.date | None = Field(None, description="Default: today")
    place: str = Field("", description="The place concerned: a commune, centre or region (name or code)")
    contact_name: str = Field("", max_length=120)
    contact_phone: str = Field("", max_length=40)


class CreatedOut(Schema):
    id: uuid.UUID
    reference: str
    due_on: dt.date
    status: StatusValue
    sensitive: bool


class ComplaintOut(Schema):
    id: uuid.UUID
    reference: str
    channel: Channel
    category: Category
    category_label: str
    gravity: Gravity
    sensitive: bool
    status: StatusValue
    received_on: dt.date
    due_on: dt.date
    overdue: bool
    acknowledged_on: dt.date | None
    resolved_on: dt.date | None
    appealed_on: dt.date | None
    closed_on: dt.date | None
    days_to_resolve: int | None
    place: str | None
    anonymous: bool


class ComplaintDetailOut(ComplaintOut):
    person: uuid.UUID | None
    consent_to_identify: bool
    description: str
    contact_name: str
    contact_phone: str
    resolution: str
    appeal_reason: str
    can_handle: bool


class ComplaintPage(Schema):
    count: int
    results: list[ComplaintOut]
    next: str | None


class DatedIn(Schema):
    on: dt.date | None = None


class ResolveIn(Schema):
    on: dt.date | None = None
    resolution: str = Field(min_length=1, max_length=5000)


class AppealIn(Schema):
    on: dt.date | None = None
    reason: str = Field(min_length=1, max_length=2000)


class ReclassifyIn(Schema):
    category: Category | None = None
    gravity: Gravity | None = None


class ComplaintQuery(Schema):
    status: StatusValue | None = None
    category: Category | None = None
    gravity: Gravity | None = None
    channel: Channel | None = None
    open: bool = Field(False, description="Only complaints still open")
    overdue: bool = Field(False, description="Only open complaints past their deadline")
    from_: dt.date | None = Field(None, alias="from", description="Received on or after")
    to: dt.date | None = Field(None, description="Received on or before")


class PeriodQuery(Schema):
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None


class RegisterOut(Schema):
    received: int
    by_category: dict[str, int]
    by_channel: dict[str, int]
    by_gravity: dict[str, int]
    by_status: dict[str, int]
    sensitive: int
    anonymous: int
    open: int
    overdue: int
    resolved: int
    resolved_on_time: int
    median_days_to_resolve: float | None
    median_days_to_acknowledge: float | None


def complaint_out(c: Complaint, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    return {
        "id": c.id, "reference": c.reference, "channel": c.channel, "category": c.category,
        "category_label": str(c.get_category_display()), "gravity": c.gravity, "sensitive": c.sensitive,
        "status": c.status, "received_on": c.received_on, "due_on": c.due_on, "overdue": c.is_overdue(today),
        "acknowledged_on": c.acknowledged_on, "resolved_on": c.resolved_on, "appealed_on": c.appealed_on,
        "closed_on": c.closed_on,
        "days_to_resolve": (c.resolved_on - c.received_on).days if c.resolved_on else None,
        "place": c.place.name if c.place_id else None, "anonymous": c.anonymous,
    }


def _detail(request, c: Complaint) -> dict:
    content = services.complaint_content(by=request.user, complaint=c)
    return {
        **complaint_out(c), "person": c.person_id, "consent_to_identify": c.consent_to_identify,
        "description": content.get("description", ""), "contact_name": content.get("contact_name", ""),
        "contact_phone": content.get("contact_phone", ""), "resolution": content.get("resolution", ""),
        "appeal_reason": content.get("appeal_reason", ""), "can_handle": can_handle(request.user, c),
    }


@router.post("", response={201: CreatedOut, 200: CreatedOut, 400: ErrorOut, 403: ErrorOut})
def file_complaint(request, payload: ComplaintIn):
    """File a complaint (any staff role but the read-only ones). A complaint of protection,
    sexual exploitation or fraud goes to the restricted handlers only. Retry-safe: the same
    `Idempotency-Key` header answers 200 with the first complaint."""
    person: Person | None = None
    if payload.person is not None:
        try:
            person = person_for_read(request.user, payload.person)
        except NotFound:
            raise ValidationFailed({"person": [_("No such person among the people you see.")]}) from None
    data = payload.dict()
    data.pop("person")
    complaint = services.complaint_file(by=request.user, on=data.pop("received_on"), person=person,
                                        idempotency_key=request.headers.get("Idempotency-Key", ""), **data)
    body = {"id": complaint.id, "reference": complaint.reference, "due_on": complaint.due_on,
            "status": complaint.status, "sensitive": complaint.sensitive}
    return Status(200 if complaint.replayed else 201, body)


@router.get("", response={200: ComplaintPage, 400: ErrorOut})
def list_complaints(request, q: Query[ComplaintQuery]):
    """The complaints the caller may read, the most urgent first. No content in the list."""
    flt = selectors.ComplaintFilter(status=q.status or "", category=q.category or "", gravity=q.gravity or "",
                                    channel=q.channel or "", open_only=q.open, overdue=q.overdue, start=q.from_,
                                    end=q.to)
    return paginate(request, selectors.complaints_list(request.user, flt), complaint_out)


@router.get("/register", response={200: RegisterOut, 400: ErrorOut, 404: ErrorOut})
def complaints_register(request, q: Query[PeriodQuery]):
    """Volumes by category, channel, gravity and status, overdue, time to resolve: no names."""
    if not can_read_register(request.user):
        raise NotFound()
    return selectors.register(request.user, start=q.from_, end=q.to)


@router.get("/{complaint_id}", response={200: ComplaintDetailOut, 404: ErrorOut})
def get_complaint(request, complaint_id: str):
    """One complaint with what was said (reading a sensitive one is logged)."""
    return _detail(request, complaint_for_read(request.user, complaint_id))


@router.post("/{complaint_id}/acknowledge", response={200: ComplaintDetailOut, 400: ErrorOut, 403: ErrorOut,
                                                      404: ErrorOut})
def acknowledge(request, complaint_id: str, payload: DatedIn):
    c = services.complaint_acknowledge(by=request.user, complaint_id=complaint_id, on=payload.on)
    return _detail(request, complaint_for_read(request.user, c.pk))


@router.post("/{complaint_id}/resolve", response={200: ComplaintDetailOut, 400: ErrorOut, 403: ErrorOut,
                                                  404: ErrorOut})
def resolve(request, complaint_id: str, payload: ResolveIn):
    c = services.complaint_resolve(by=request.user, complaint_id=complaint_id, on=payload.on,
                                   resolution=payload.resolution)
    return _detail(request, complaint_for_read(request.user, c.pk))


@router.post("/{complaint_id}/appeal", response={200: ComplaintDetailOut, 400: ErrorOut, 403: ErrorOut,
                                                 404: ErrorOut})
def appeal(request, complaint_id: str, payload: AppealIn):
    c = services.complaint_appeal(by=request.user, complaint_id=complaint_id, on=payload.on, reason=payload.reason)
    return _detail(request, complaint_for_read(request.user, c.pk))


@router.post("/{complaint_id}/close", response={200: ComplaintDetailOut, 400: ErrorOut, 403: ErrorOut,
                                                404: ErrorOut})
def close(request, complaint_id: str, payload: DatedIn):
    c = services.complaint_close(by=request.user, complaint_id=complaint_id, on=payload.on)
    return _detail(request, complaint_for_read(request.user, c.pk))


@router.patch("/{complaint_id}", response={200: ComplaintOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def reclassify(request, complaint_id: str, payload: ReclassifyIn):
    """Grade again: `category` and/or `gravity`. Made sensitive, it leaves the caller's view
    unless they are a restricted handler (the answer is then still 200, once)."""
    c = services.complaint_reclassify(by=request.user, complaint_id=complaint_id, category=payload.category,
                                      gravity=payload.gravity)
    return complaint_out(c)

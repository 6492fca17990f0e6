"""Centres and assisted voluntary return over the API (CONTRACT.md "Centres and assisted voluntary
return"). Thin: typed input -> service or selector -> typed output. Lookups go through the
policies (404 out of scope), writes through the services (403 for roles that may not act)."""

import datetime as dt
import uuid
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from parcours.cases.services import person_screening
from parcours.core.api import ErrorOut, paginate
from parcours.core.errors import Forbidden, ValidationFailed
from parcours.core.web import CONTENT_TYPES, download

from . import selectors, services
from .models import Centre, Departure, Passenger, Stay
from .policies import (
    can_read_avr,
    can_see_residents,
    centre_for_read,
    departure_for_read,
    departures_visible_to,
    return_requests_visible_to,
    stay_for_read,
)

router = Router(tags=["centres"])
avr_router = Router(tags=["assisted voluntary return"])

ServiceName = Literal["food", "shelter", "medical", "psychosocial", "legal"]
ExitReason = Literal["returned_home", "onward", "left_without_notice", "referred"]
Mode = Literal["charter", "bus", "commercial"]
DocumentType = Literal["passport", "laissez_passer", "consular_card", "emergency_travel"]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]


# ---------------------------------------------------------------- centres


class CentreOut(Schema):
    code: str
    name: str
    place: str
    agency: str
    capacity: int
    occupancy: int
    services: list[ServiceName]


class CentrePage(Schema):
    count: int
    count_is_exact: bool
    results: list[CentreOut]
    next: str | None


def centre_out(centre: Centre, occupancy: int) -> dict:
    return {"code": centre.code, "name": centre.name, "place": (centre.place.parent or centre.place).name, "agency": centre.agency.code,
            "capacity": centre.capacity, "occupancy": occupancy, "services": centre.services}


@router.get("", response={200: CentrePage, 400: ErrorOut})
def list_centres(request):
    """Centres the caller sees, with the people in each tonight."""
    return paginate(request, selectors.centres_with_occupancy(request.user), lambda c: centre_out(c, c.occupancy))


XLSX = CONTENT_TYPES["xlsx"]


class StaysExportQuery(Schema):
    centre: str = Field("", description="a centre's code; empty: every centre the caller sees")
    start: dt.date | None = Field(None, alias="from", description="stays not left before this day")
    end: dt.date | None = Field(None, alias="to", description="stays entered by this day")


# Declared before "/{code}", which would otherwise take "stays.csv" for a centre's code.
@router.get("/stays.{fmt}", response={200: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            openapi_extra={"responses": {"200": {"description": "the stays file", "content": {
                "text/csv": {}, XLSX: {}}}}})
def stays_export(request, fmt: Literal["csv", "xlsx"], filters: Query[StaysExportQuery]):
    """One row per stay (no names): person reference, nationality, sex, age group at entry, entry date
    and point, screening route, services received counted per kind, exit date and reason, days stayed.
    The trafficking and unaccompanied-minor flags and the counts of care (medical, psychosocial, legal)
    are columns only for the roles that may read protection data. Logged as an export."""

    from .exports import stays_export as export
    from .exports import stays_filename

    data, _count = export(by=request.user, centre_code=filters.centre, start=filters.start, end=filters.end,
                          fmt=fmt)
    return download(data, stays_filename(filters.centre, fmt))


class NightOut(Schema):
    night: dt.date
    occupancy: int


class CentreDetailOut(CentreOut):
    stranded_after_days: int
    stranded: int | None
    nights: list[NightOut]


class NightsQuery(Schema):
    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")


@router.get("/{code}", response={200: CentreDetailOut, 400: ErrorOut, 404: ErrorOut})
def centre_detail(request, code: str, period: Query[NightsQuery]):
    """A centre with its occupancy per night over `from`–`to` (default: the last 30 nights, at most 3 years)."""
    centre = centre_for_read(request.user, code)
    today = timezone.localdate()
    end = period.end or today
    start = period.start or end - dt.timedelta(days=29)
    if start > end:
        raise ValidationFailed({"from": [_("The start is after the end.")]})
    if (end - start).days > 3 * 366:
        raise ValidationFailed({"from": [_("At most three years at a time.")]})
    nights = selectors.occupancy_by_night(centre, start, end)
    tonight = selectors.occupancy_on(centre, today)
    stranded = selectors.stranded(request.user, centre).count() if can_see_residents(request.user) else None
    return {**centre_out(centre, tonight), "stranded_after_days": centre.stranded_after_days, "stranded": stranded,
            "nights": [{"night": n, "occupancy": c} for n, c in nights]}


class StayIn(Schema):
    person: uuid.UUID
    entered_on: dt.date
    services: list[ServiceName] = []
    entry_point: str = Field("", description="code of the place of identification (e.g. GAO, TOM-FMP)")
    trafficking_victim: bool = False
    unaccompanied_minor: bool = False
    screening: dict[str, bool] | None = Field(
        None, description="the vulnerability questionnaire (items of parcours.cases.validation.SCREENING_ITEMS, "
                          "true when it applies), for a person never screened; ignored when they were: "
                          "the screening recorded before stands")


class ScreeningOut(Schema):
    done_on: dt.date
    route: Literal["protection", "orientation"]
    answers: dict[str, bool] | None = Field(description="protection roles only; null for other roles")


class StayServiceOut(Schema):
    kind: ServiceName
    given_on: dt.date
    quantity: int


class StayOut(Schema):
    id: uuid.UUID
    centre: str
    person: uuid.UUID
    person_name: str
    entered_on: dt.date
    entry_point: str
    left_on: dt.date | None
    exit_reason: ExitReason | None
    nights: int
    services: list[StayServiceOut]
    screening: ScreeningOut | None = Field(
        None, description="the person's vulnerability screening (in a case or at a centre's entry) on a single "
                          "stay's answer; null when never screened, and in lists")


def stay_out(stay: Stay, user=None) -> dict:
    """A stay; with the person's screening when `user` is given (one stay, not lists)."""
    today = timezone.localdate()
    screening = person_screening(by=user, person=stay.person) if user is not None else None
    return {"screening": screening and {"done_on": screening.done_on, "route": screening.route,
                                        "answers": screening.answers},
            "id": stay.pk, "centre": stay.centre.code, "person": stay.person_id, "person_name": stay.person.full_name,
            "entered_on": stay.entered_on, "entry_point": stay.entry_point.code if stay.entry_point_id else "",
            "left_on": stay.left_on, "exit_reason": stay.exit_reason or None, "nights": stay.nights(today),
            "services": [{"kind": s.kind, "given_on": s.given_on, "quantity": s.quantity}
                         for s in stay.services_received.all()]}


class StayPage(Schema):
    count: int
    count_is_exact: bool
    results: list[StayOut]
    next: str | None


class StayFilter(Schema):
    open: bool = True
    stranded: bool = False


@router.get("/{code}/stays", response={200: StayPage, 400: ErrorOut, 404: ErrorOut})
def list_stays(request, code: str, filters: Query[StayFilter]):
    """Stays of a centre: open ones (default) longest first; `stranded=true` only those past the threshold;
    `open=false` every stay, newest first."""
    centre = centre_for_read(request.user, code)
    if not can_see_residents(request.user):
        raise Forbidden()
    if filters.stranded:
        qs = selectors.stranded(request.user, centre)
    elif filters.open:
        qs = selectors.residents(request.user, centre)
    else:
        qs = selectors.stays_visible_to(request.user).filter(centre=centre).select_related("person", "entry_point")
    qs = qs.select_related("centre").prefetch_related("services_received")
    return paginate(request, qs, stay_out)


@router.post("/{code}/stays", response={201: StayOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def admit(request, code: str, payload: StayIn):
    """Admit a person on `entered_on` with the services given at entry. Refused (field named) when the
    person already has an open stay or the centre is full on one of the nights since."""
    stay = services.stay_begin(by=request.user, centre_code=code, person_id=payload.person, data=payload.dict())
    return Status(201, stay_out(stay, request.user))


@router.get("/stays/{stay_id}", response={200: StayOut, 404: ErrorOut})
def stay_detail(request, stay_id: uuid.UUID):
    return stay_out(stay_for_read(request.user, stay_id), request.user)


class ExitIn(Schema):
    left_on: dt.date
    reason: ExitReason


@router.post("/stays/{stay_id}/exit", response={200: StayOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def stay_exit(request, stay_id: uuid.UUID, payload: ExitIn):
    stay = services.stay_end(by=request.user, stay_id=stay_id, data=payload.dict())
    return stay_out(stay)


class StayServiceIn(Schema):
    kind: ServiceName
    given_on: dt.date
    quantity: int = Field(1, ge=1, le=100)


@router.post("/stays/{stay_id}/services", response={201: StayServiceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def stay_service(request, stay_id: uuid.UUID, payload: StayServiceIn):
    row = services.stay_service_record(by=request.user, stay_id=stay_id, data=payload.dict())
    return Status(201, {"kind": row.kind, "given_on": row.given_on, "quantity": row.quantity})


# ---------------------------------------------------------------- assisted voluntary return


class DepartureIn(Schema):
    planned_on: dt.date
    destination: CountryCode
    mode: Mode
    carrier: str = ""
    reference: str = ""


class PassengerOut(Schema):
    id: int
    person: uuid.UUID
    person_name: str
    nationality: str
    status: Literal["booked", "departed", "no_show", "removed"]
    document_type: DocumentType | None
    document_number: str
    document_expires_on: dt.date | None


class DepartureOut(Schema):
    id: uuid.UUID
    reference: str
    planned_on: dt.date
    destination: str
    mode: Mode
    carrier: str
    status: Literal["planned", "departed", "handed_over", "cancelled"]
    departed_on: dt.date | None
    handed_over_on: dt.date | None
    receiving_mission: str
    passengers: list[PassengerOut]


def passenger_out(seat: Passenger) -> dict:
    req = seat.request
    return {"id": seat.pk, "person": req.person_id, "person_name": req.person.full_name,
            "nationality": str(req.person.nationality or ""), "status": seat.status,
            "document_type": req.document_type or None, "document_number": req.document_number,
            "document_expires_on": req.document_expires_on}


def departure_out(dep: Departure) -> dict:
    seats = dep.passengers.select_related("request", "request__person").order_by("added_at", "id")
    return {"id": dep.pk, "reference": dep.reference, "planned_on": dep.planned_on, "destination": str(dep.destination),
            "mode": dep.mode, "carrier": dep.carrier, "status": dep.status, "departed_on": dep.departed_on,
            "handed_over_on": dep.handed_over_on, "receiving_mission": dep.receiving_mission,
            "passengers": [passenger_out(s) for s in seats]}


class DeparturePage(Schema):
    count: int
    count_is_exact: bool
    results: list[DepartureOut]
    next: str | None


@avr_router.get("/departures", response={200: DeparturePage, 400: ErrorOut, 403: ErrorOut})
def list_departures(request):
    if not can_read_avr(request.user):
        raise Forbidden()
    return paginate(request, departures_visible_to(request.user).order_by("-planned_on", "-created_at"), departure_out)


@avr_router.post("/departures", response={201: DepartureOut, 400: ErrorOut, 403: ErrorOut})
def plan_departure(request, payload: DepartureIn):
    dep = services.departure_plan(by=request.user, data=payload.dict())
    return Status(201, departure_out(dep))


@avr_router.get("/departures/{departure_id}", response={200: DepartureOut, 404: ErrorOut})
def departure_detail(request, departure_id: uuid.UUID):
    return departure_out(departure_for_read(request.user, departure_id))


class TravelDocumentIn(Schema):
    type: DocumentType
    number: str = Field(..., min_length=1, max_length=40)
    issued_on: dt.date
    expires_on: dt.date


class PassengerIn(Schema):
    person: uuid.UUID
    consent_to_return: bool
    travel_document: TravelDocumentIn | None = None


@avr_router.post("/departures/{departure_id}/passengers",
                 response={201: PassengerOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def add_passenger(request, departure_id: uuid.UUID, payload: PassengerIn):
    """Book a foreign migrant: refused with the field named without consent to return or without a
    travel document valid on the planned day."""
    seat = services.passenger_add(
        by=request.user, departure_id=departure_id, person_id=payload.person,
        consent_to_return=payload.consent_to_return,
        travel_document=payload.travel_document.dict() if payload.travel_document else None)
    return Status(201, passenger_out(seat))


@avr_router.post("/departures/{departure_id}/passengers/{passenger_id}/no_show",
                 response={200: PassengerOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def no_show(request, departure_id: uuid.UUID, passenger_id: int):
    seat = services.passenger_no_show(by=request.user, departure_id=departure_id, passenger_id=passenger_id)
    return passenger_out(seat)


class DepartedIn(Schema):
    departed_on: dt.date


@avr_router.post("/departures/{departure_id}/departed",
                 response={200: DepartureOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def departed(request, departure_id: uuid.UUID, payload: DepartedIn):
    """The departure left on `departed_on`: its booked passengers have returned home."""
    return departure_out(services.departure_depart(by=request.user, departure_id=departure_id, data=payload.dict()))


class HandOverIn(Schema):
    handed_over_on: dt.date
    receiving_mission: str = Field(..., min_length=1, max_length=200)


@avr_router.post("/departures/{departure_id}/handover",
                 response={200: DepartureOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def handover(request, departure_id: uuid.UUID, payload: HandOverIn):
    return departure_out(services.departure_hand_over(by=request.user, departure_id=departure_id, data=payload.dict()))


@avr_router.get("/departures/{departure_id}/manifest.{fmt}", response={200: None, 404: ErrorOut},
                openapi_extra={"responses": {"200": {"description": "the manifest file", "content": {
                    "application/pdf": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}}})
def manifest(request, departure_id: uuid.UUID, fmt: Literal["pdf", "xlsx"]):
    """The passenger manifest for the carrier and the receiving country (booked and departed passengers)."""
    from .manifests import manifest_filename, manifest_pdf, manifest_xlsx

    dep = departure_for_read(request.user, departure_id)
    if not can_read_avr(request.user):
        raise Forbidden()
    make = manifest_pdf if fmt == "pdf" else manifest_xlsx
    return download(make(by=request.user, departure=dep), manifest_filename(dep, fmt))


class ReturnRequestIn(Schema):
    person: uuid.UUID
    requested_on: dt.date
    destination: CountryCode


class ReturnRequestOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    person_name: str
    destination: str
    requested_on: dt.date
    status: Literal["requested", "ready", "booked", "departed", "handed_over", "refused", "withdrawn"]
    consent_to_return: bool | None
    consent_on: dt.date | None
    document_requested_on: dt.date | None
    document_type: DocumentType | None
    document_number: str
    document_issued_on: dt.date | None
    document_expires_on: dt.date | None
    best_interest_needed: bool
    best_interest_on: dt.date | None


def request_out(req) -> dict:
    needed = services.needs_best_interest(req.person, max(timezone.localdate(), req.requested_on))
    return {"id": req.pk, "person": req.person_id, "person_name": req.person.full_name,
            "destination": str(req.destination), "requested_on": req.requested_on, "status": req.status,
            "consent_to_return": req.consent_to_return, "consent_on": req.consent_on,
            "document_requested_on": req.document_requested_on, "document_type": req.document_type or None, "document_number": req.document_number,
            "document_issued_on": req.document_issued_on, "document_expires_on": req.document_expires_on,
            "best_interest_needed": needed, "best_interest_on": req.best_interest_on}


class RequestPage(Schema):
    count: int
    count_is_exact: bool
    results: list[ReturnRequestOut]
    next: str | None


class RequestFilter(Schema):
    person: uuid.UUID | None = None
    status: Literal["requested", "ready", "booked", "departed", "handed_over", "refused", "withdrawn"] | None = None


@avr_router.get("/requests", response={200: RequestPage, 400: ErrorOut, 403: ErrorOut})
def list_requests(request, filters: Query[RequestFilter]):
    """Return requests the caller sees, oldest first (who has been waiting longest to go home)."""
    if not can_read_avr(request.user):
        raise Forbidden()
    qs = return_requests_visible_to(request.user).select_related("person").order_by("requested_on", "created_at")
    if filters.person:
        qs = qs.filter(person_id=filters.person)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(request, qs, request_out)


@avr_router.post("/requests", response={201: ReturnRequestOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def open_request(request, payload: ReturnRequestIn):
    """A foreign migrant asks to go home (the open request is returned if there is one)."""
    req = services.return_request_open(by=request.user, person_id=payload.person, data=payload.dict())
    return Status(201, request_out(req))


class ConsentIn(Schema):
    consent_to_return: bool
    given_on: dt.date


@avr_router.post("/requests/{request_id}/consent",
                 response={200: ReturnRequestOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def consent(request, request_id: uuid.UUID, payload: ConsentIn):
    """Consent to return, or its refusal (recorded; the request closes as refused)."""
    return request_out(services.return_consent_record(by=request.user, request_id=request_id, data=payload.dict()))


class DocumentRequestIn(Schema):
    requested_on: dt.date


@avr_router.post("/requests/{request_id}/document_request",
                 response={200: ReturnRequestOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def document_request(request, request_id: uuid.UUID, payload: DocumentRequestIn):
    """The travel document asked of the embassy of the country of return."""
    return request_out(services.return_document_request(by=request.user, request_id=request_id,
                                                        data=payload.dict()))


@avr_router.post("/requests/{request_id}/document",
                 response={200: ReturnRequestOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def document(request, request_id: uuid.UUID, payload: TravelDocumentIn):
    """The travel document obtained through the embassy."""
    return request_out(services.return_document_record(by=request.user, request_id=request_id, data=payload.dict()))


class ReturnBestInterestIn(Schema):
    decided_on: dt.date
    in_best_interest: bool


@avr_router.post("/requests/{request_id}/best_interest",
                 response={200: ReturnRequestOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def best_interest(request, request_id: uuid.UUID, payload: ReturnBestInterestIn):
    """The best-interest determination an unaccompanied minor's return needs (protection officers)."""
    return request_out(services.best_interest_record(by=request.user, request_id=request_id, data=payload.dict()))


class TracingIn(Schema):
    step: Literal["requested", "contact_made", "family_located", "family_assessed", "not_found"]
    on: dt.date


class TracingOut(Schema):
    id: int
    step: str
    on: dt.date


@router.post("/stays/{stay_id}/tracing", response={201: TracingOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def tracing(request, stay_id: uuid.UUID, payload: TracingIn):
    """A family tracing step for an unaccompanied or separated minor (protection officers)."""
    row = services.tracing_step_record(by=request.user, stay_id=stay_id, data=payload.dict())
    return Status(201, {"id": row.pk, "step": row.step, "on": row.on})

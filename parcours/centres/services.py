"""Writes on centres and assisted returns. Each service checks the actor's role and scope through
the policies, validates (named, translated fields; nothing written on refusal), and records a
fact dated on the event's own day in the same transaction."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.accounts.models import Agency, Place
from parcours.cases.services import screening_record_at_entry
from parcours.core.errors import Conflict, Forbidden, ValidationFailed
from parcours.facts.services import fact_record
from parcours.people.policies import person_for_read

from . import validation as v
from .events import AvrEvent, CentreEvent
from .models import (
    PROTECTION_SERVICES,
    Centre,
    Departure,
    Passenger,
    ReturnRequest,
    ServiceKind,
    Stay,
    StayProtection,
    StayService,
    TracingStep,
)
from .policies import (
    can_configure_centres,
    can_record_protection,
    centre_for_work,
    departure_for_work,
    return_request_for_work,
    stay_for_work,
)
from .selectors import occupancy_by_night

# ---------------------------------------------------------------- centres (configuration)


@transaction.atomic
def centre_upsert(*, by, code: str, name: str, place: Place, agency: Agency, capacity: int,
                  services: list[str] | None = None, stranded_after_days: int | None = None,
                  protected: bool = False) -> Centre:
    """Create or update a centre (programme configuration: the administrator, the demo loader)."""
    if not can_configure_centres(by):
        raise Forbidden()
    if capacity < 1:
        raise ValidationFailed({"capacity": [_("A centre has at least one bed.")]})
    unknown = [s for s in services or [] if s not in ServiceKind.values]
    if unknown:
        raise ValidationFailed({"services": [_("Unknown service: %(s)s.") % {"s": ", ".join(unknown)}]})
    defaults = {"name": name, "place": place, "agency": agency, "capacity": capacity,
                "services": list(services or []), "protected": protected}
    if stranded_after_days:
        defaults["stranded_after_days"] = stranded_after_days
    centre, _created = Centre.objects.update_or_create(code=code, defaults=defaults)
    return centre


@transaction.atomic
def centre_configure(*, by, code: str, data) -> Centre:
    """Beds and the stranded threshold (administrator)."""
    if not can_configure_centres(by):
        raise Forbidden()
    centre = Centre.objects.select_for_update().filter(code=code).first()
    if centre is None:
        from parcours.core.errors import NotFound

        raise NotFound()
    cleaned = v.clean(v.CentreSettingsInput, data)
    centre.capacity = cleaned["capacity"]
    centre.stranded_after_days = cleaned["stranded_after_days"]
    centre.save(update_fields=["capacity", "stranded_after_days"])
    return centre


# ---------------------------------------------------------------- stays


def _entry_point(code: str) -> Place | None:
    if not code:
        return None
    place = Place.objects.filter(code__iexact=code).order_by("path").first()
    if place is None:
        raise ValidationFailed({"entry_point": [_("Unknown place code: %(code)s.") % {"code": code}]})
    return place


def _fact_data(centre: Centre) -> dict:
    return {"centre": centre.name, "centre_code": centre.code, "protected": centre.protected}


def _record_service(*, by, stay: Stay, kind: str, on: dt.date, quantity: int = 1) -> StayService:
    row = StayService.objects.create(stay=stay, kind=kind, given_on=on, quantity=quantity, recorded_by=by)
    fact_kind = CentreEvent.CARE_RECEIVED if kind in PROTECTION_SERVICES else CentreEvent.SERVICE_RECEIVED
    fact_record(kind=fact_kind, on=on, person=stay.person, place=stay.centre.place, actor=by, subject=row,
                quantity=quantity, data={"service": kind, **_fact_data(stay.centre)})
    return row


def _screening_answers(data) -> dict | None:
    """The vulnerability questionnaire asked at entry, or None when it was not asked: the web form
    sends `screening_asked` and the items ticked as `screening`; the API a `screening` object."""
    if hasattr(data, "getlist"):
        return dict.fromkeys(data.getlist("screening"), True) if data.get("screening_asked") else None
    answers = data.get("screening")
    return None if answers is None else dict(answers)


def _screen_at_entry(*, by, person, answers: dict, day: dt.date) -> None:
    """The case screening, asked once per person: someone screened before (in a case, at another
    centre) is not asked again — what they answered then stands."""
    try:
        screening_record_at_entry(by=by, person_id=person.pk, answers=answers, done_on=day)
    except Conflict:
        return
    except ValidationFailed as exc:
        raise ValidationFailed({"screening": [m for msgs in exc.fields.values() for m in msgs]},
                               labels={"screening": _("Vulnerability screening")}) from None


@transaction.atomic
def stay_begin(*, by, centre_code: str, person_id, data) -> Stay:
    """Admit a person to a centre on `entered_on`. One open stay per person; a bed is never
    double-booked: the centre row is locked while the nights from `entered_on` to today are counted."""
    centre = centre_for_work(by, centre_code)
    person = person_for_read(by, person_id)
    cleaned = v.clean(v.StayInput, data)
    entered_on = cleaned["entered_on"]
    entry_point = _entry_point(cleaned.get("entry_point", ""))
    centre = Centre.objects.select_for_update().get(pk=centre.pk)
    if not centre.active:
        raise ValidationFailed({"centre": [_("This centre is closed.")]})
    open_stay = Stay.objects.filter(person=person, left_on__isnull=True).select_related("centre").first()
    if open_stay is not None:
        raise ValidationFailed({"person": [_("%(name)s is already staying at %(centre)s since %(date)s.") % {
            "name": person.full_name, "centre": open_stay.centre.name,
            "date": open_stay.entered_on.strftime("%d/%m/%Y")}]})
    if Stay.objects.filter(person=person, left_on__gt=entered_on).exists():
        raise ValidationFailed({"entered_on": [_("This person was in a centre on that day.")]})
    today = timezone.localdate()
    for night, people in occupancy_by_night(centre, entered_on, max(entered_on, today)):
        if people >= centre.capacity:
            raise ValidationFailed({"entered_on": [
                _("The centre is full on %(date)s: all %(capacity)d beds are taken.")
                % {"date": night.strftime("%d/%m/%Y"), "capacity": centre.capacity}]})
    try:
        with transaction.atomic():
            stay = Stay.objects.create(centre=centre, person=person, entered_on=entered_on,
                                       entry_point=entry_point, admitted_by=by)
    except IntegrityError:
        raise ValidationFailed({"person": [_("This person already has an open stay.")]}) from None
    fact_record(kind=CentreEvent.STAY_BEGUN, on=entered_on, person=person, place=centre.place, actor=by,
                subject=stay, data={**_fact_data(centre),
                                    "entry_point": entry_point.name if entry_point else ""})
    for kind in cleaned.get("services") or []:
        _record_service(by=by, stay=stay, kind=kind, on=entered_on)
    answers = _screening_answers(data)
    if answers is not None:
        _screen_at_entry(by=by, person=person, answers=answers, day=entered_on)
    if cleaned.get("trafficking_victim") or cleaned.get("unaccompanied_minor"):
        protection = StayProtection.objects.create(
            stay=stay, trafficking_victim=cleaned["trafficking_victim"],
            unaccompanied_minor=cleaned["unaccompanied_minor"], recorded_by=by)
        fact_record(kind=CentreEvent.PROTECTION_NOTED, on=entered_on, person=person, place=centre.place,
                    actor=by, subject=protection,
                    data={"trafficking_victim": protection.trafficking_victim,
                          "unaccompanied_minor": protection.unaccompanied_minor, **_fact_data(centre)})
    return stay


@transaction.atomic
def stay_end(*, by, stay_id, data) -> Stay:
    stay = stay_for_work(by, stay_id)
    cleaned = v.clean(v.ExitInput, data)
    stay = Stay.objects.select_for_update().select_related("centre", "centre__place", "person").get(pk=stay.pk)
    if stay.left_on is not None:
        raise ValidationFailed({"left_on": [_("This stay ended on %(date)s.") % {
            "date": stay.left_on.strftime("%d/%m/%Y")}]})
    return _close(by=by, stay=stay, left_on=cleaned["left_on"], reason=cleaned["reason"])


def _close(*, by, stay: Stay, left_on: dt.date, reason: str) -> Stay:
    if left_on < stay.entered_on:
        raise ValidationFailed({"left_on": [_("The person entered on %(date)s.") % {
            "date": stay.entered_on.strftime("%d/%m/%Y")}]})
    stay.left_on, stay.exit_reason = left_on, reason
    stay.save(update_fields=["left_on", "exit_reason"])
    fact_record(kind=CentreEvent.STAY_ENDED, on=left_on, person=stay.person, place=stay.centre.place, actor=by,
                subject=stay, data={"reason": reason, "nights": stay.nights(left_on), **_fact_data(stay.centre)})
    return stay


@transaction.atomic
def stay_service_record(*, by, stay_id, data) -> StayService:
    stay = stay_for_work(by, stay_id)
    cleaned = v.clean(v.ServiceInput, data)
    on = cleaned["given_on"]
    if on < stay.entered_on or (stay.left_on is not None and on > stay.left_on):
        raise ValidationFailed({"given_on": [_("The date is outside the stay.")]})
    return _record_service(by=by, stay=stay, kind=cleaned["kind"], on=on, quantity=cleaned["quantity"])


@transaction.atomic
def tracing_step_record(*, by, stay_id, data) -> TracingStep:
    """A family tracing step for an unaccompanied or separated minor (the protection team)."""
    from .policies import stay_for_read

    stay = stay_for_read(by, stay_id)
    if not can_record_protection(by):
        raise Forbidden()
    cleaned = v.clean(v.TracingInput, data)
    if cleaned["on"] < stay.entered_on:
        raise ValidationFailed({"on": [_("The person entered on %(date)s.") % {
            "date": stay.entered_on.strftime("%d/%m/%Y")}]})
    row = TracingStep.objects.create(stay=stay, step=cleaned["step"], on=cleaned["on"], recorded_by=by)
    fact_record(kind=CentreEvent.FAMILY_TRACING, on=row.on, person=stay.person, place=stay.centre.place, actor=by,
                subject=row, data={"step": row.step})
    return row


# ---------------------------------------------------------------- assisted voluntary return


def needs_best_interest(person, day: dt.date) -> bool:
    """An unaccompanied or separated minor on `day` (flagged at entry to a centre)."""
    return person.is_minor_on(day) and StayProtection.objects.filter(stay__person=person,
                                                                     unaccompanied_minor=True).exists()


@transaction.atomic
def best_interest_record(*, by, request_id, data) -> ReturnRequest:
    """The best-interest determination that must precede an unaccompanied minor's return."""
    from .policies import return_request_for_read

    request = return_request_for_read(by, request_id)
    if not can_record_protection(by):
        raise Forbidden()
    cleaned = v.clean(v.BestInterestInput, data)
    request = ReturnRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if request.status not in ReturnRequest.OPEN:
        raise ValidationFailed({"decided_on": [_("This return request is %(status)s.") % {
            "status": request.get_status_display()}]})
    request.best_interest_on, request.best_interest_return = cleaned["decided_on"], cleaned["in_best_interest"]
    request.save(update_fields=["best_interest_on", "best_interest_return"])
    fact_record(kind=AvrEvent.BEST_INTEREST, on=request.best_interest_on, person=request.person,
                place=request.place, actor=by, subject=request,
                data={"in_best_interest": request.best_interest_return})
    return request


def _can_work_avr_or_refuse(by) -> None:
    from .policies import can_work_avr

    if not can_work_avr(by):
        raise Forbidden()


def _open_request(*, by, person, destination: str, requested_on: dt.date) -> ReturnRequest:
    if str(person.nationality or "") == "ML":
        raise ValidationFailed({"person": [_("%(name)s is Malian: assisted return from Mali is for foreign "
                                             "migrants.") % {"name": person.full_name}]})
    current = ReturnRequest.objects.select_for_update().filter(person=person, status__in=ReturnRequest.OPEN).first()
    if current is not None:
        if str(current.destination) != destination:
            raise ValidationFailed({"destination": [_("%(name)s already asked to return to %(country)s.") % {
                "name": person.full_name, "country": current.destination.name}]})
        return current
    request = ReturnRequest.objects.create(person=person, agency=by.agency, place=by.place,
                                           requested_on=requested_on, destination=destination, created_by=by)
    fact_record(kind=AvrEvent.REQUESTED, on=requested_on, person=person, place=by.place, actor=by, subject=request,
                data={"destination": destination})
    return request


@transaction.atomic
def return_request_open(*, by, person_id, data) -> ReturnRequest:
    """A foreign migrant asks to go home (returns their open request if there is one)."""
    _can_work_avr_or_refuse(by)
    person = person_for_read(by, person_id)
    cleaned = v.clean(v.ReturnRequestInput, data)
    return _open_request(by=by, person=person, destination=cleaned["destination"],
                         requested_on=cleaned["requested_on"])


def _consent(*, by, request: ReturnRequest, granted: bool, on: dt.date) -> None:
    request.consent_to_return, request.consent_on = granted, on
    fields = ["consent_to_return", "consent_on"]
    if not granted:
        request.status = ReturnRequest.Status.REFUSED
        fields.append("status")
    request.save(update_fields=fields)
    fact_record(kind=AvrEvent.CONSENTED if granted else AvrEvent.REFUSED, on=on, person=request.person,
                place=request.place, actor=by, subject=request, data={"destination": str(request.destination)})


def _document(*, by, request: ReturnRequest, doc: dict, prefix: str = "") -> None:
    # The first document comes after it was asked of the embassy (a replacement is not checked:
    # the date asked was then only inferred from the first one).
    if request.document_requested_on and not request.document_number \
            and doc["issued_on"] < request.document_requested_on:
        raise ValidationFailed({f"{prefix}issued_on": [_("The document was requested from the embassy on %(date)s.") % {
            "date": request.document_requested_on.strftime("%d/%m/%Y")}]}, labels={f"{prefix}issued_on": _("Issued on")})
    request.document_type, request.document_number = doc["type"], doc["number"]
    request.document_issued_on, request.document_expires_on = doc["issued_on"], doc["expires_on"]
    request.document_requested_on = request.document_requested_on or min(doc["issued_on"], request.requested_on)
    request.save(update_fields=["document_type", "document_number", "document_issued_on", "document_expires_on",
                                "document_requested_on"])
    fact_record(kind=AvrEvent.DOCUMENT_OBTAINED, on=doc["issued_on"], person=request.person, place=request.place,
                actor=by, subject=request, data={"type": doc["type"], "number": doc["number"]})


def _mark_ready(request: ReturnRequest) -> None:
    # Ready once consent and a document are in hand; the document's validity on the day of travel
    # is checked when the person is booked and when the departure leaves.
    if request.status == ReturnRequest.Status.REQUESTED and request.consent_to_return and request.document_number:
        request.status = ReturnRequest.Status.READY
        request.save(update_fields=["status"])


@transaction.atomic
def return_consent_record(*, by, request_id, data) -> ReturnRequest:
    """Consent to return, or its refusal (recorded, never deleted: the request closes as refused)."""
    request = return_request_for_work(by, request_id)
    cleaned = v.clean(v.ConsentInput, data)
    request = ReturnRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if request.status not in ReturnRequest.OPEN or request.status == ReturnRequest.Status.BOOKED:
        raise ValidationFailed({"consent_to_return": [_("This return request is %(status)s.") % {
            "status": request.get_status_display()}]})
    _consent(by=by, request=request, granted=cleaned["consent_to_return"], on=cleaned["given_on"])
    _mark_ready(request)
    return request


@transaction.atomic
def return_document_request(*, by, request_id, data) -> ReturnRequest:
    """The travel document asked of the embassy of the country of return, on `requested_on`."""
    request = return_request_for_work(by, request_id)
    cleaned = v.clean(v.DocumentRequestInput, data)
    named = {"requested_on": _("Travel document requested on")}
    request = ReturnRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if request.status not in ReturnRequest.OPEN:
        raise ValidationFailed({"requested_on": [_("This return request is %(status)s.") % {
            "status": request.get_status_display()}]}, labels=named)
    if request.document_number:
        raise ValidationFailed({"requested_on": [_("The travel document is already obtained.")]}, labels=named)
    if cleaned["requested_on"] < request.requested_on:
        raise ValidationFailed({"requested_on": [_("The return was asked for on %(date)s.") % {
            "date": request.requested_on.strftime("%d/%m/%Y")}]}, labels=named)
    request.document_requested_on = cleaned["requested_on"]
    request.save(update_fields=["document_requested_on"])
    fact_record(kind=AvrEvent.DOCUMENT_REQUESTED, on=request.document_requested_on, person=request.person,
                place=request.place, actor=by, subject=request, data={"destination": str(request.destination)})
    return request


@transaction.atomic
def return_document_record(*, by, request_id, data) -> ReturnRequest:
    """The travel document the embassy issued (type, number, dates)."""
    request = return_request_for_work(by, request_id)
    cleaned = v.clean(v.DocumentInput, data)
    request = ReturnRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if request.status not in ReturnRequest.OPEN:
        raise ValidationFailed({"type": [_("This return request is %(status)s.") % {
            "status": request.get_status_display()}]})
    _document(by=by, request=request, doc=cleaned)
    _mark_ready(request)
    return request


@transaction.atomic
def departure_plan(*, by, data) -> Departure:
    _can_work_avr_or_refuse(by)
    cleaned = v.clean(v.DepartureInput, data)
    return Departure.objects.create(planned_on=cleaned["planned_on"], destination=cleaned["destination"],
                                    mode=cleaned["mode"], carrier=cleaned.get("carrier", ""),
                                    reference=cleaned.get("reference", ""), agency=by.agency, place=by.place,
                                    created_by=by)


def _planned(departure: Departure, field: str) -> Departure:
    departure = Departure.objects.select_for_update().get(pk=departure.pk)
    if departure.status != Departure.Status.PLANNED:
        raise ValidationFailed({field: [_("This departure is %(status)s.") % {
            "status": departure.get_status_display()}]})
    return departure


@transaction.atomic
def passenger_add(*, by, departure_id, person_id, consent_to_return: bool, travel_document: dict | None = None,
                  consent_on: dt.date | None = None) -> Passenger:
    """Put a foreign migrant on a departure: consent to return and a travel document valid on the
    planned day are required (the field is named otherwise, and nothing is written)."""
    departure = departure_for_work(by, departure_id)
    person = person_for_read(by, person_id)
    departure = _planned(departure, "person")
    doc = v.clean(v.DocumentInput, travel_document, prefix="travel_document.") if travel_document else None
    if not consent_to_return:
        raise ValidationFailed({"consent_to_return": [
            _("The person must consent to return before being booked on a departure.")]})
    today = timezone.localdate()
    request = _open_request(by=by, person=person, destination=str(departure.destination),
                            requested_on=min(today, departure.planned_on))
    if request.status == ReturnRequest.Status.BOOKED:
        raise ValidationFailed({"person": [_("%(name)s is already booked on a departure.") % {
            "name": person.full_name}]})
    if needs_best_interest(person, departure.planned_on) and not (
            request.best_interest_on and request.best_interest_return):
        raise ValidationFailed({"person": [_("%(name)s is an unaccompanied minor: a best-interest determination "
                                             "in favour of return must come first.") % {"name": person.full_name}]})
    if doc is not None:
        if not (doc["issued_on"] <= departure.planned_on <= doc["expires_on"]):
            raise ValidationFailed({"travel_document": [_("The travel document is not valid on %(date)s.") % {
                "date": departure.planned_on.strftime("%d/%m/%Y")}]})
        _document(by=by, request=request, doc=doc, prefix="travel_document.")
    elif not request.document_valid_on(departure.planned_on):
        raise ValidationFailed({"travel_document": [_("A travel document valid on %(date)s is required.") % {
            "date": departure.planned_on.strftime("%d/%m/%Y")}]})
    if not request.consent_to_return:
        _consent(by=by, request=request, granted=True, on=consent_on or min(today, departure.planned_on))
    seat, _created = Passenger.objects.update_or_create(
        departure=departure, request=request, defaults={"status": Passenger.Status.BOOKED, "added_by": by})
    request.status = ReturnRequest.Status.BOOKED
    request.save(update_fields=["status"])
    fact_record(kind=AvrEvent.BOOKED, on=min(today, departure.planned_on), person=person, place=departure.place,
                actor=by, subject=seat, data={"destination": str(departure.destination), "mode": departure.mode})
    return seat


@transaction.atomic
def passenger_no_show(*, by, departure_id, passenger_id) -> Passenger:
    """The person did not come: recorded (the seat stays, marked), the request goes back to ready."""
    departure = _planned(departure_for_work(by, departure_id), "passenger")
    try:
        passenger_id = int(passenger_id)
    except (TypeError, ValueError):
        passenger_id = 0
    seat = Passenger.objects.select_related("request", "request__person").filter(
        departure=departure, pk=passenger_id, status=Passenger.Status.BOOKED).first()
    if seat is None:
        raise ValidationFailed({"passenger": [_("No such booked passenger on this departure.")]})
    seat.status = Passenger.Status.NO_SHOW
    seat.save(update_fields=["status"])
    seat.request.status = ReturnRequest.Status.READY
    seat.request.save(update_fields=["status"])
    fact_record(kind=AvrEvent.NO_SHOW, on=min(timezone.localdate(), departure.planned_on), person=seat.request.person,
                place=departure.place, actor=by, subject=seat, data={"destination": str(departure.destination)})
    return seat


@transaction.atomic
def departure_depart(*, by, departure_id, data) -> Departure:
    """The departure left: its booked passengers have returned home (`avr.departed` on that day),
    and their open stays end that day."""
    departure = _planned(departure_for_work(by, departure_id), "departed_on")
    cleaned = v.clean(v.DepartedInput, data)
    day = cleaned["departed_on"]
    seats = list(departure.passengers.filter(status=Passenger.Status.BOOKED)
                 .select_related("request", "request__person"))
    if not seats:
        raise ValidationFailed({"departed_on": [_("No passenger is booked on this departure.")]})
    invalid = [s.request.person.full_name for s in seats if not s.request.document_valid_on(day)]
    if invalid:
        raise ValidationFailed({"departed_on": [_("Travel document not valid on that day: %(names)s.") % {
            "names": ", ".join(invalid)}]})
    departure.status, departure.departed_on = Departure.Status.DEPARTED, day
    departure.save(update_fields=["status", "departed_on"])
    for seat in seats:
        seat.status = Passenger.Status.DEPARTED
        seat.save(update_fields=["status"])
        seat.request.status = ReturnRequest.Status.DEPARTED
        seat.request.save(update_fields=["status"])
        person = seat.request.person
        fact_record(kind=AvrEvent.DEPARTED, on=day, person=person, place=departure.place, actor=by, subject=seat,
                    data={"destination": str(departure.destination), "mode": departure.mode})
        stay = Stay.objects.select_for_update().select_related("centre", "centre__place", "person").filter(
            person=person, left_on__isnull=True, entered_on__lte=day).first()
        if stay is not None:
            _close(by=by, stay=stay, left_on=day, reason=Stay.ExitReason.RETURNED_HOME)
    return departure


@transaction.atomic
def departure_hand_over(*, by, departure_id, data) -> Departure:
    """The receiving country's mission took the passengers over (for reintegration there)."""
    departure = departure_for_work(by, departure_id)
    cleaned = v.clean(v.HandOverInput, data)
    departure = Departure.objects.select_for_update().get(pk=departure.pk)
    if departure.status != Departure.Status.DEPARTED:
        raise ValidationFailed({"handed_over_on": [_("This departure is %(status)s.") % {
            "status": departure.get_status_display()}]})
    if cleaned["handed_over_on"] < departure.departed_on:
        raise ValidationFailed({"handed_over_on": [_("The departure left on %(date)s.") % {
            "date": departure.departed_on.strftime("%d/%m/%Y")}]})
    departure.status = Departure.Status.HANDED_OVER
    departure.handed_over_on, departure.receiving_mission = cleaned["handed_over_on"], cleaned["receiving_mission"]
    departure.save(update_fields=["status", "handed_over_on", "receiving_mission"])
    for seat in departure.passengers.filter(status=Passenger.Status.DEPARTED).select_related("request__person"):
        seat.request.status = ReturnRequest.Status.HANDED_OVER
        seat.request.save(update_fields=["status"])
        fact_record(kind=AvrEvent.HANDED_OVER, on=departure.handed_over_on, person=seat.request.person,
                    place=departure.place, actor=by, subject=seat, data={"mission": departure.receiving_mission})
    return departure

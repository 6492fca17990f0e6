"""Who sees and works in which centre, and on which returns. The only place that decides it."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import PEOPLE_READERS, PROTECTION_READERS, READ_ONLY, can
from parcours.audit.services import log_read_if_audited
from parcours.core.errors import Forbidden, NotFound
from parcours.people.policies import people_visible_to

from .models import Centre, Departure, ReturnRequest, Stay

# The centre pages (occupancy at least). Managers read counts, never names.
CENTRE_READERS = {Role.ADMIN, Role.CENTRE_MANAGER, Role.PROTECTION, Role.ME_OFFICER, Role.MANAGER, Role.AUDITOR}
# Admit, record services, discharge.
CENTRE_WORKERS = {Role.ADMIN, Role.CENTRE_MANAGER}
# Assisted voluntary return: requests, departures, manifests.
AVR_READERS = {Role.ADMIN, Role.CENTRE_MANAGER, Role.PROTECTION, Role.ME_OFFICER, Role.AUDITOR}
AVR_WORKERS = {Role.ADMIN, Role.CENTRE_MANAGER, Role.PROTECTION}
# Centre settings (beds, stranded threshold) are programme configuration.
CENTRE_ADMINS = {Role.ADMIN}
# Roles whose scope is the whole programme whatever their place.
_ALL_CENTRES = {Role.ADMIN, Role.AUDITOR, Role.ME_OFFICER, Role.MANAGER}


def _in_place(user, field: str) -> Q:
    if user.place_id is None:
        return Q()
    return Q(**{f"{field}__path__startswith": user.place.path})


def centres_visible_to(user) -> QuerySet[Centre]:
    if not can(user, CENTRE_READERS):
        return Centre.objects.none()
    qs = Centre.objects.select_related("place", "place__parent", "agency")
    if user.role in _ALL_CENTRES:
        return qs.filter(_in_place(user, "place"))
    qs = qs.filter(_in_place(user, "place"))
    if user.role == Role.CENTRE_MANAGER:
        # A centre manager works in the centres their agency runs in their place.
        return qs.filter(agency=user.agency_id) if user.agency_id else qs.none()
    return qs  # protection officers visit every centre of their place


def centre_for_read(user, code) -> Centre:
    try:
        return centres_visible_to(user).get(code=code)
    except (Centre.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def centre_for_work(user, code) -> Centre:
    centre = centre_for_read(user, code)
    if not can_work_centre(user):
        raise Forbidden()
    return centre


def can_read_centres(user) -> bool:
    return can(user, CENTRE_READERS)


def can_work_centre(user) -> bool:
    return can(user, CENTRE_WORKERS - READ_ONLY)


def can_see_residents(user) -> bool:
    """Names of the people in a centre: the roles that read people (not the programme manager)."""
    return can(user, CENTRE_READERS & PEOPLE_READERS)


def can_read_protection(user) -> bool:
    return can(user, PROTECTION_READERS)


def can_record_protection(user) -> bool:
    return can(user, PROTECTION_READERS - READ_ONLY)


def can_configure_centres(user) -> bool:
    return can(user, CENTRE_ADMINS)


def stays_visible_to(user) -> QuerySet[Stay]:
    """Stays in the centres the user sees. Names are the centre's business: its staff see who
    sleeps there even when the person was registered by another agency."""
    if not can_see_residents(user):
        return Stay.objects.none()
    return Stay.objects.filter(centre__in=centres_visible_to(user).values("pk"))


def stay_for_read(user, stay_id) -> Stay:
    try:
        stay = stays_visible_to(user).select_related("centre", "centre__place", "person", "entry_point").get(pk=stay_id)
    except (Stay.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound() from None
    log_read_if_audited(user=user, instance=stay)
    return stay


def stay_for_work(user, stay_id) -> Stay:
    stay = stay_for_read(user, stay_id)
    if not can_work_centre(user):
        raise Forbidden()
    return stay


# ---------------------------------------------------------------- assisted voluntary return


def can_read_avr(user) -> bool:
    return can(user, AVR_READERS)


def can_work_avr(user) -> bool:
    return can(user, AVR_WORKERS - READ_ONLY)


def _avr_scope(user, qs, agency_field: str, place_field: str):
    if not can(user, AVR_READERS):
        return qs.none()
    if user.role in _ALL_CENTRES:
        return qs
    if user.agency_id is None:
        return qs.none()
    if not user.agency.joint_registry:
        qs = qs.filter(**{agency_field: user.agency_id})
    if user.place_id is not None:
        qs = qs.filter(Q(**{f"{place_field}__isnull": True}) | _in_place(user, place_field))
    return qs


def departures_visible_to(user) -> QuerySet[Departure]:
    """Departures organised from the user's place (and by their agency, outside the joint registry)."""
    return _avr_scope(user, Departure.objects.all(), "agency", "place")


def departure_for_read(user, departure_id) -> Departure:
    try:
        return departures_visible_to(user).select_related("agency", "place").get(pk=departure_id)
    except (Departure.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound() from None


def departure_for_work(user, departure_id) -> Departure:
    departure = departure_for_read(user, departure_id)
    if not can_work_avr(user):
        raise Forbidden()
    return departure


def return_requests_visible_to(user) -> QuerySet[ReturnRequest]:
    qs = _avr_scope(user, ReturnRequest.objects.all(), "agency", "place")
    if user.role not in (Role.ADMIN, Role.AUDITOR):
        qs = qs.filter(person__in=people_visible_to(user).values("pk"))
    return qs


def return_request_for_read(user, request_id) -> ReturnRequest:
    try:
        return return_requests_visible_to(user).select_related("person").get(pk=request_id)
    except (ReturnRequest.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound() from None


def return_request_for_work(user, request_id) -> ReturnRequest:
    req = return_request_for_read(user, request_id)
    if not can_work_avr(user):
        raise Forbidden()
    return req

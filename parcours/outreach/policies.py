"""Who records and reads sensitization activities. The only place that decides it.

- Focal points (and civil-society organisations' staff with that role) record the activities held
  in their place and correct or cancel their own agency's.
- M&E officers and the administrator record and correct anywhere they work.
- Programme managers and the auditor read; counts carry no names, so there is nothing to hide.
A place-bound user sees the activities held inside their place; everyone else gets "not found".

Grants to civil-society organisations:
- The administrator and M&E officers publish calls, award grants and mark reports received.
- They, programme managers and the auditor read every call and grant.
- A focal point (a civil-society organisation's staff records its activities with that role)
  reads the grants awarded to their own agency and those under which they recorded an activity,
  and the calls that are published; nobody else sees a grant ("not found")."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from parcours.accounts.models import Place, Role
from parcours.accounts.roles import can
from parcours.core.errors import Forbidden, NotFound

from .models import Activity, Call, Grant, GrantReport

RECORDERS = {Role.ADMIN, Role.FOCAL_POINT, Role.ME_OFFICER}
READERS = RECORDERS | {Role.MANAGER, Role.AUDITOR}
# Correct anyone's record inside their place (data quality); others only their own agency's.
CORRECTORS_OF_ANY = {Role.ADMIN, Role.ME_OFFICER}


def can_read_activities(user) -> bool:
    return can(user, READERS)


def can_record_activity(user) -> bool:
    return can(user, RECORDERS)


def in_scope(user, place: Place | None) -> bool:
    """`place` lies inside the user's place (anywhere for those who work everywhere)."""
    if user.place_id is None:
        return True
    return place is not None and place.path.startswith(user.place.path)


def activities_visible_to(user) -> QuerySet[Activity]:
    if not can_read_activities(user):
        return Activity.objects.none()
    qs = Activity.objects.all()
    if user.place_id is not None:
        qs = qs.filter(commune__path__startswith=user.place.path)
    return qs


def activity_for_read(user, activity_id) -> Activity:
    """The activity, if `user` may see it; NotFound otherwise, whether missing or out of scope."""
    try:
        return (activities_visible_to(user).select_related("commune__parent__parent", "organiser", "recorded_by", "grant")
                .get(pk=activity_id))
    except (Activity.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def can_change_activity(user, activity: Activity) -> bool:
    if not can(user, RECORDERS):
        return False
    if user.role in CORRECTORS_OF_ANY:
        return True
    return user.agency_id is not None and user.agency_id in (activity.recorded_agency_id, activity.organiser_id)


def activity_for_write(user, activity_id) -> Activity:
    activity = activity_for_read(user, activity_id)
    if not can_change_activity(user, activity):
        raise Forbidden()
    return activity


GRANT_MANAGERS = {Role.ADMIN, Role.ME_OFFICER}
GRANT_READERS_OF_ALL = GRANT_MANAGERS | {Role.MANAGER, Role.AUDITOR}
# Who opens the grants pages at all (a focal point sees only its own agency's grants there).
GRANT_PAGE_READERS = GRANT_READERS_OF_ALL | {Role.FOCAL_POINT}


def can_manage_grants(user) -> bool:
    return can(user, GRANT_MANAGERS)


def can_read_grants(user) -> bool:
    return can(user, GRANT_PAGE_READERS)


def calls_visible_to(user) -> QuerySet[Call]:
    if can(user, GRANT_READERS_OF_ALL):
        return Call.objects.all()
    if can(user, GRANT_PAGE_READERS):
        return Call.objects.exclude(status=Call.Status.DRAFT)
    return Call.objects.none()


def grants_visible_to(user) -> QuerySet[Grant]:
    if can(user, GRANT_READERS_OF_ALL):
        return Grant.objects.all()
    if not can(user, GRANT_PAGE_READERS):
        return Grant.objects.none()
    mine = Q(activities__recorded_by=user)
    if user.agency_id is not None:
        mine |= Q(grantee_id=user.agency_id)
    return Grant.objects.filter(pk__in=Grant.objects.filter(mine).values("pk"))


def call_for_write(user, call_id) -> Call:
    """The call, if `user` sees it (NotFound otherwise) and manages grants (Forbidden otherwise)."""
    try:
        call = calls_visible_to(user).select_related("place").get(pk=call_id)
    except (Call.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None
    if not can_manage_grants(user):
        raise Forbidden()
    return call


def grant_for_read(user, grant_id) -> Grant:
    """The grant, if `user` may see it; NotFound otherwise, whether missing or out of scope."""
    try:
        return grants_visible_to(user).select_related("call", "grantee", "call__place").get(pk=grant_id)
    except (Grant.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def grant_for_write(user, grant_id) -> Grant:
    grant = grant_for_read(user, grant_id)
    if not can_manage_grants(user):
        raise Forbidden()
    return grant


def report_for_write(user, grant_id, report_id) -> GrantReport:
    grant = grant_for_write(user, grant_id)
    try:
        return grant.reports.get(pk=report_id)
    except (GrantReport.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def grants_usable_by(user) -> QuerySet[Grant]:
    """The grants `user` may record activities under: any for the grant managers, else those awarded
    to their own agency (recorders only)."""
    if not can_record_activity(user):
        return Grant.objects.none()
    if can_manage_grants(user):
        return Grant.objects.all()
    if user.agency_id is None:
        return Grant.objects.none()
    return Grant.objects.filter(grantee_id=user.agency_id)

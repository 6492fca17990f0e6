"""Who records and reads sensitization activities. The only place that decides it.

- Focal points (and civil-society organisations' staff with that role) record the activities held
  in their place and correct or cancel their own agency's.
- M&E officers and the administrator record and correct anywhere they work.
- Programme managers and the auditor read; counts carry no names, so there is nothing to hide.
A place-bound user sees the activities held inside their place; everyone else gets "not found"."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from parcours.accounts.models import Place, Role
from parcours.accounts.roles import can
from parcours.core.errors import Forbidden, NotFound

from .models import Activity

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
        return (activities_visible_to(user).select_related("commune__parent__parent", "organiser", "recorded_by")
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

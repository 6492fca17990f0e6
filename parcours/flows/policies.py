"""Who sees and records flow counts and reports. The only place that decides it.

- An enumerator sees and records the points inside their own place (their point) or where they
  are listed as an enumerator; nothing else exists for them.
- M&E officers may also import a point's day sheets (a spreadsheet the point kept).
- M&E officers, programme managers and the auditor read every point in their place (everywhere
  for those who work everywhere); only M&E (and the administrator) publish reports.
- Everyone else gets "not found"."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import can
from parcours.core.errors import Forbidden, NotFound

from .models import Count, Point, Report

# Who records daily counts.
RECORDERS = {Role.ADMIN, Role.ENUMERATOR}
# Who reads points, counts and reports (aggregates: no person is ever named here).
READERS = {Role.ADMIN, Role.ENUMERATOR, Role.ME_OFFICER, Role.MANAGER, Role.AUDITOR}
# Who imports a point's day sheets from its spreadsheet: the recorders, and M&E transcribing them.
IMPORTERS = RECORDERS | {Role.ME_OFFICER}
# Who publishes the bi-weekly report.
PUBLISHERS = {Role.ADMIN, Role.ME_OFFICER}
# Who marks a point's day as checked after looking at its quality flags.
CHECKERS = {Role.ADMIN, Role.ME_OFFICER}


def can_read_flows(user) -> bool:
    return can(user, READERS)


def can_record_counts(user) -> bool:
    return can(user, RECORDERS)


def can_import_counts(user) -> bool:
    return can(user, IMPORTERS)


def can_publish_reports(user) -> bool:
    return can(user, PUBLISHERS)


def can_check_days(user) -> bool:
    return can(user, CHECKERS)


def can_read_national_files(user) -> bool:
    """The national report's PDF counts every point: for readers who are not tied to a place."""
    return can_read_flows(user) and user.place_id is None


def points_visible_to(user) -> QuerySet[Point]:
    if not can_read_flows(user):
        return Point.objects.none()
    qs = Point.objects.select_related("place", "place__parent")
    if user.place_id is None:
        return qs
    listed = Point.enumerators.through.objects.filter(user_id=user.pk).values("point_id")
    return qs.filter(Q(place__path__startswith=user.place.path) | Q(pk__in=listed))


def point_for_read(user, code) -> Point:
    try:
        return points_visible_to(user).get(code=str(code))
    except (Point.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def point_for_record(user, code) -> Point:
    point = point_for_read(user, code)
    if not can_record_counts(user):
        raise Forbidden()
    return point


def point_for_import(user, code) -> Point:
    point = point_for_read(user, code)
    if not can_import_counts(user):
        raise Forbidden()
    return point


def point_for_publish(user, code) -> Point:
    point = point_for_read(user, code)
    if not can_publish_reports(user):
        raise Forbidden()
    return point


def point_for_check(user, code) -> Point:
    point = point_for_read(user, code)
    if not can_check_days(user):
        raise Forbidden()
    return point


def counts_visible_to(user) -> QuerySet[Count]:
    return Count.objects.filter(point__in=points_visible_to(user).values("pk"))


def reports_visible_to(user) -> QuerySet[Report]:
    return Report.objects.filter(point__in=points_visible_to(user).values("pk")).select_related(
        "point", "point__place")


def report_for_read(user, report_id) -> Report:
    try:
        return reports_visible_to(user).get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None

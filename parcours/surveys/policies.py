"""Who may publish forms, fill them, and read the answers."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import can
from parcours.core.errors import Forbidden, NotFound

from .models import Cohort, Form, Submission

PUBLISHERS = {Role.ADMIN, Role.ME_OFFICER}
COLLECTORS = {Role.ADMIN, Role.ME_OFFICER, Role.CASEWORKER, Role.PROTECTION, Role.RECEPTION, Role.CENTRE_MANAGER,
              Role.ENUMERATOR, Role.FOCAL_POINT}
ANSWER_READERS = {Role.ADMIN, Role.ME_OFFICER, Role.AUDITOR}
# A person's sustainability scores: M&E, the auditor, and the staff who follow the person (inside
# their scope of people). Not a service provider, not the aggregate-only programme manager.
SCORE_READERS = ANSWER_READERS | {Role.CASEWORKER, Role.PROTECTION}


def can_publish_forms(user) -> bool:
    return can(user, PUBLISHERS)


def forms_fillable_by(user) -> list[Form]:
    """The forms `user` may fill: by role, and, for a form restricted to a place, only when the user
    works inside that place (at it or below it: a Kayes form is for Kayes, its cercles and communes —
    not for Bamako, nor for a user placed in a commune elsewhere). Users working everywhere (no place)
    see every form."""
    if not can(user, COLLECTORS):
        return []
    qs = Form.objects.filter(active=True).select_related("place")
    if user.place_id is not None:
        qs = qs.filter(Q(place__isnull=True) | Q(place__path__in=_ancestors(user.place.path)))
    return [f for f in qs if not f.roles or user.role in f.roles]


def _ancestors(path: str) -> list[str]:
    """"/ML/KAY/NIO/" → ["/ML/", "/ML/KAY/", "/ML/KAY/NIO/"]: the places a place lies within."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def can_read_answers(user) -> bool:
    return can(user, ANSWER_READERS)


def can_read_scores(user) -> bool:
    return can(user, SCORE_READERS)


def submissions_visible_to(user) -> QuerySet[Submission]:
    if can(user, ANSWER_READERS):
        return Submission.objects.all()
    return Submission.objects.filter(submitted_by=user)


# Follow-up cohorts: M&E draws them and replaces who cannot be reached; the auditor reads them.
COHORT_DRAWERS = {Role.ADMIN, Role.ME_OFFICER}
COHORT_READERS = COHORT_DRAWERS | {Role.AUDITOR}


def can_draw_cohorts(user) -> bool:
    return can(user, COHORT_DRAWERS)


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    """The administrator and the auditor see every cohort; an M&E officer those of their agency."""
    if not can(user, COHORT_READERS):
        return Cohort.objects.none()
    if user.role in (Role.ADMIN, Role.AUDITOR):
        return Cohort.objects.all()
    if user.agency_id is None:
        return Cohort.objects.none()
    return Cohort.objects.filter(agency_id=user.agency_id)


def cohort_for_read(user, cohort_id) -> Cohort:
    try:
        return cohorts_visible_to(user).select_related("form").get(pk=cohort_id)
    except (Cohort.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def cohort_for_write(user, cohort_id) -> Cohort:
    cohort = cohort_for_read(user, cohort_id)
    if not can_draw_cohorts(user):
        raise Forbidden()
    return cohort

"""Who may publish forms, fill them, and read the answers."""

from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import can

from .models import Form, Submission

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
    """The forms `user` may fill: by role, and inside the form's place when it has one."""
    if not can(user, COLLECTORS):
        return []
    qs = Form.objects.filter(active=True).select_related("place")
    if user.place_id is not None:
        # A form for a place is for the people working inside it (or above it).
        qs = qs.filter(Q(place__isnull=True) | Q(place__path__startswith=user.place.path))
    return [f for f in qs if not f.roles or user.role in f.roles]


def can_read_answers(user) -> bool:
    return can(user, ANSWER_READERS)


def can_read_scores(user) -> bool:
    return can(user, SCORE_READERS)


def submissions_visible_to(user) -> QuerySet[Submission]:
    if can(user, ANSWER_READERS):
        return Submission.objects.all()
    return Submission.objects.filter(submitted_by=user)

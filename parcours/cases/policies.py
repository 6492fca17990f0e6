"""Who sees and works on which cases: the people policy first, then agency rules."""

from django.db.models import QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import PROTECTION_READERS, can
from parcours.core.errors import Forbidden, NotFound
from parcours.people.policies import people_visible_to

from .models import Case

CASE_READERS = {Role.ADMIN, Role.RECEPTION, Role.PROTECTION, Role.CASEWORKER, Role.ME_OFFICER, Role.AUDITOR}
CASE_WRITERS = {Role.ADMIN, Role.PROTECTION, Role.CASEWORKER}
CASE_OPENERS = CASE_WRITERS | {Role.RECEPTION}
QUEUE_READERS = CASE_READERS | {Role.MANAGER}


def cases_visible_to(user) -> QuerySet[Case]:
    if not can(user, CASE_READERS):
        return Case.objects.none()
    qs = Case.objects.filter(person__in=people_visible_to(user).values("pk"))
    if user.agency and not user.agency.joint_registry and user.role not in (Role.ADMIN, Role.AUDITOR):
        qs = qs.filter(agency=user.agency)  # an NGO works on the cases assigned to it
    return qs


def case_for_read(user, case_id) -> Case:
    from django.core.exceptions import ValidationError

    try:
        return cases_visible_to(user).select_related("person", "agency", "owner").get(pk=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError):
        raise NotFound() from None


def case_for_write(user, case_id) -> Case:
    case = case_for_read(user, case_id)
    if not can(user, CASE_WRITERS):
        raise Forbidden()
    return case


def can_open_cases(user) -> bool:
    return can(user, CASE_OPENERS)


def can_read_protection(user) -> bool:
    return can(user, PROTECTION_READERS)


def queue_scope(user) -> QuerySet[Case]:
    """Managers see the backlog as counts over every case; others over the cases they see."""
    if can(user, {Role.MANAGER}):
        return Case.objects.all()
    return cases_visible_to(user)

"""Who sees and works on which cases: the people policy first, then agency rules."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import PROTECTION_READERS, READ_ONLY, can
from parcours.audit.services import log_read_if_audited
from parcours.core.errors import Forbidden, NotFound
from parcours.people.policies import people_visible_to

from .models import Case

CASE_READERS = {Role.ADMIN, Role.RECEPTION, Role.PROTECTION, Role.CASEWORKER, Role.ME_OFFICER, Role.AUDITOR}
CASE_WRITERS = {Role.ADMIN, Role.PROTECTION, Role.CASEWORKER}
CASE_OPENERS = CASE_WRITERS | {Role.RECEPTION}
# Who may hold a case (its owner): the reintegration case workers and the protection officers.
CASE_OWNERS = {Role.CASEWORKER, Role.PROTECTION}
QUEUE_READERS = CASE_READERS | {Role.MANAGER}
# Roles that see the queue as counts only, never a person's name.
AGGREGATE_ONLY = {Role.MANAGER}


def cases_visible_to(user) -> QuerySet[Case]:
    if not can(user, CASE_READERS):
        return Case.objects.none()
    qs = Case.objects.filter(person__in=people_visible_to(user).values("pk"))
    if user.agency and not user.agency.joint_registry and user.role not in (Role.ADMIN, Role.AUDITOR):
        qs = qs.filter(agency=user.agency)  # an NGO works on the cases assigned to it
    return qs


def case_for_read(user, case_id) -> Case:
    """The case, if `user` may see it; NotFound otherwise, whether missing or out of scope."""
    try:
        case = cases_visible_to(user).select_related("person", "agency", "owner").get(pk=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound() from None
    log_read_if_audited(user=user, instance=case)
    return case


def case_for_write(user, case_id) -> Case:
    case = case_for_read(user, case_id)
    if not can_work_cases(user):
        raise Forbidden()
    return case


def can_read_cases(user) -> bool:
    """The case pages at all (which cases: `cases_visible_to`)."""
    return can(user, CASE_READERS)


def can_work_cases(user) -> bool:
    """Record steps, plan, follow up and close (on the cases the user sees)."""
    return can(user, CASE_WRITERS)


def can_read_queue(user) -> bool:
    """The backlog dashboard (counts for managers, names for the roles that work on cases)."""
    return can(user, QUEUE_READERS)


def can_edit_targets(user) -> bool:
    """Waiting-time targets and the follow-up schedule are programme settings."""
    return can(user, {Role.ADMIN})


def can_open_cases(user) -> bool:
    return can(user, CASE_OPENERS)


def can_screen_at_entry(user) -> bool:
    """The vulnerability questionnaire asked at entry to a transit centre, for a person never
    screened: the centre's staff, and those who screen in cases."""
    return can(user, CASE_WRITERS | {Role.CENTRE_MANAGER})


def can_read_protection(user) -> bool:
    return can(user, PROTECTION_READERS)


def can_record_protection(user) -> bool:
    """The protection team (and the administrator) assess; the auditor reads only."""
    return can(user, PROTECTION_READERS - READ_ONLY)


def can_see_names(user) -> bool:
    """Managers read the queue as counts; the roles that work on cases see who waits."""
    return can(user, CASE_READERS)


def queue_scope(user) -> QuerySet[Case]:
    """Managers see the backlog as counts over every case; others over the cases they see."""
    if can(user, AGGREGATE_ONLY):
        return Case.objects.all()
    return cases_visible_to(user)

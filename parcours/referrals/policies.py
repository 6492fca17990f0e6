"""Who sees and changes which services and referrals. The only place that decides it.

- Referring staff (reception, protection, case workers) see the referrals of the people they see
  (`people_visible_to`): the joint registry within its places, an NGO only its own people.
- A service provider sees only the referrals made to its own agency, of people it may still see
  (consent withdrawn → gone), and records the partner's answers, attendance and completion on them.
- The auditor and the administrator see everything; the auditor never writes.
- The programme manager and M&E see counts per service and status, never a name.
Everyone else gets "not found"."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import can
from parcours.audit.services import log_read_if_audited
from parcours.core.errors import Forbidden, NotFound
from parcours.people.policies import people_visible_to

from .models import Referral, Service

# Roles that refer people to services.
REFERRERS = {Role.ADMIN, Role.RECEPTION, Role.PROTECTION, Role.CASEWORKER}
# Roles that read referrals one by one (names included).
REFERRAL_READERS = REFERRERS | {Role.SERVICE_PROVIDER, Role.AUDITOR}
# Roles that see the aggregate counts (no names).
AGGREGATE_READERS = {Role.ADMIN, Role.AUDITOR, Role.MANAGER, Role.ME_OFFICER}
# Roles that read the directory of services.
DIRECTORY_READERS = REFERRAL_READERS | AGGREGATE_READERS
# Roles that keep the directory: the administrator, and a provider for its own services.
DIRECTORY_EDITORS = {Role.ADMIN, Role.SERVICE_PROVIDER}


def services_visible_to(user) -> QuerySet[Service]:
    if not can(user, DIRECTORY_READERS):
        return Service.objects.none()
    return Service.objects.all()


def service_for_read(user, service_id) -> Service:
    try:
        return services_visible_to(user).select_related("provider").get(pk=service_id)
    except (Service.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def can_create_service(user) -> bool:
    return can(user, DIRECTORY_EDITORS) and (user.role == Role.ADMIN or user.agency_id is not None)


def can_offer_for(user, provider) -> bool:
    """A provider adds services of its own agency only; the administrator for any provider."""
    return user.role == Role.ADMIN or provider.pk == user.agency_id


def can_edit_service(user, service: Service) -> bool:
    if not can(user, DIRECTORY_EDITORS):
        return False
    return user.role == Role.ADMIN or service.provider_id == user.agency_id


def service_for_write(user, service_id) -> Service:
    service = service_for_read(user, service_id)
    if not can_edit_service(user, service):
        raise Forbidden()
    return service


def referrals_visible_to(user) -> QuerySet[Referral]:
    qs = Referral.objects.all()
    if not can(user, REFERRAL_READERS):
        return qs.none()
    if user.role in (Role.ADMIN, Role.AUDITOR):
        return qs
    people = people_visible_to(user).values("pk")
    if user.role == Role.SERVICE_PROVIDER:
        if user.agency_id is None:
            return qs.none()
        return qs.filter(service__provider_id=user.agency_id, person__in=people)
    return qs.filter(person__in=people)


def can_read_directory(user) -> bool:
    return can(user, DIRECTORY_READERS)


def can_read_referrals(user) -> bool:
    return can(user, REFERRAL_READERS)


def can_refer(user) -> bool:
    return can(user, REFERRERS)


def can_read_aggregates(user) -> bool:
    return can(user, AGGREGATE_READERS)


def is_partner(user) -> bool:
    return can(user, {Role.SERVICE_PROVIDER}) and user.agency_id is not None


def referral_for_read(user, referral_id) -> Referral:
    """The referral, if `user` may see it; NotFound otherwise, whether missing or out of scope."""
    try:
        referral = (referrals_visible_to(user).select_related("person", "service__provider", "created_by")
                    .get(pk=referral_id))
    except (Referral.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None
    log_read_if_audited(user=user, instance=referral)
    return referral


def can_answer(user, referral: Referral) -> bool:
    """Record the partner's answers (accept, refuse, enrol, complete, drop): the provider's own
    staff, the administrator, and the referring staff who see the person (for partners who answer
    by phone and have no account)."""
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.SERVICE_PROVIDER:
        return referral.service.provider_id == user.agency_id
    return can(user, REFERRERS)


def can_record_attendance(user, referral: Referral) -> bool:
    """Attendance is the provider's word only."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.SERVICE_PROVIDER and referral.service.provider_id == user.agency_id


def can_validate_attendance(user, referral: Referral) -> bool:
    """The provider reports the days; the referring side (who pays the allowance) validates them."""
    if user.role == Role.ADMIN:
        return True
    return user.role != Role.SERVICE_PROVIDER and can(user, REFERRERS)


def referral_for_validation(user, referral_id) -> Referral:
    referral = referral_for_read(user, referral_id)
    if not can_validate_attendance(user, referral):
        raise Forbidden()
    return referral


def referral_for_answer(user, referral_id) -> Referral:
    referral = referral_for_read(user, referral_id)
    if not can_answer(user, referral):
        raise Forbidden()
    return referral


def referral_for_attendance(user, referral_id) -> Referral:
    referral = referral_for_read(user, referral_id)
    if not can_record_attendance(user, referral):
        raise Forbidden()
    return referral

"""Who may see and change which people. The only place that decides it: every list, lookup,
search, export and duplicate suggestion starts from `people_visible_to`."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import (
    IMPORTERS,
    NAMED_PARTICIPANTS_ONLY,
    PARTICIPANT_REGISTRARS,
    PEOPLE_READERS,
    READ_ONLY,
    REGISTRARS,
    can,
)
from parcours.audit.services import log_read_if_audited
from parcours.core.errors import Forbidden, NotFound
from parcours.facts.kinds import Sensitivity
from parcours.facts.policies import may_read

from .models import AgencyAccess, Person

# Roles that see every person whatever their agency (read-only oversight).
_EVERYONE_ROLES = {Role.ADMIN, Role.AUDITOR}


def people_visible_to(user) -> QuerySet[Person]:
    live = Person.objects.filter(merged_into__isnull=True)
    if can(user, NAMED_PARTICIPANTS_ONLY):
        return _named_participants(user, live)
    if not can(user, PEOPLE_READERS):
        return live.none()
    if user.role in _EVERYONE_ROLES:
        return live
    agency = user.agency
    if agency is None:
        return live.none()
    if agency.joint_registry:
        if user.place_id is None:
            return live
        prefix = user.place.path
        return live.filter(Q(origin_path__startswith=prefix) | Q(registered_path__startswith=prefix))
    # Outside the joint registry: only people assigned or referred to the agency, with consent.
    return live.filter(agency_access__agency=agency, agency_access__active=True).distinct()


def _named_participants(user, live: QuerySet[Person]) -> QuerySet[Person]:
    """A focal point sees the people its agency named at a sensitization activity with their consent
    to share with it (an active access, switched off when that consent is withdrawn), registered
    inside its place — the participants it named, nobody else of the registry."""
    if user.agency_id is None:
        return live.none()
    named = live.filter(agency_access__agency_id=user.agency_id, agency_access__active=True,
                        agency_access__reason=AgencyAccess.Reason.PARTICIPANT)
    if user.place_id is not None:
        named = named.filter(registered_path__startswith=user.place.path)
    return named.distinct()


def person_for_read(user, person_id) -> Person:
    """The person, if `user` may see them; NotFound otherwise, whether missing or out of scope."""
    try:
        person = people_visible_to(user).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError, ValidationError):  # malformed ids too
        raise NotFound() from None
    log_read_if_audited(user=user, instance=person)
    return person


def person_for_write(user, person_id) -> Person:
    person = person_for_read(user, person_id)
    if not can_edit_people(user):
        raise Forbidden()
    return person


def can_read_people(user) -> bool:
    """The registry's pages at all (which people: `people_visible_to`)."""
    return can(user, PEOPLE_READERS)


def can_register(user) -> bool:
    return can(user, REGISTRARS - READ_ONLY)


def can_register_participant(user) -> bool:
    """Register (or pick among those already named) a consenting participant of an activity."""
    return can(user, PARTICIPANT_REGISTRARS - READ_ONLY)


def can_edit_people(user) -> bool:
    return can(user, REGISTRARS - READ_ONLY)


def can_import_people(user) -> bool:
    """Manifests (charter flights) are pre-registered by the reception desk and the administrator."""
    return can(user, IMPORTERS - READ_ONLY)


def can_export_people(user) -> bool:
    """Partners (service providers) see the people referred to them one by one; they don't export."""
    return can(user, PEOPLE_READERS) and user.role != Role.SERVICE_PROVIDER


def can_read_background(user) -> bool:
    """Household, migration history, further documents and possible duplicates of a visible person:
    read by programme staff, like the timeline lines that record them (a service provider that
    received a referral sees the identity, consents and its own referral, not the rest)."""
    return may_read(user, Sensitivity.PROGRAMME)


def person_background_for_read(user, person_id) -> Person:
    """The person, if visible (404) and if `user` may read their background (403)."""
    person = person_for_read(user, person_id)
    if not can_read_background(user):
        raise Forbidden()
    return person

"""Writes on the registry. Each service is atomic, validates through `validate_person` (or its
own form), checks the user's right in the policy, records a timeline event, and leaves the
change history to auditlog."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.accounts.models import Agency
from parcours.core.errors import Forbidden, ValidationFailed
from parcours.core.idempotency import remember, replay, scope_for
from parcours.facts.models import Fact
from parcours.facts.services import fact_record
from parcours.places.services import unresolved_place_note

from . import duplicates
from .events import PeopleEvent
from .models import (
    AgencyAccess,
    Consent,
    ExternalReference,
    HouseholdMember,
    IdentityDocument,
    MigrationHistory,
    Person,
)
from .policies import (
    can_edit_people,
    can_register,
    can_register_participant,
    person_for_read,
    person_for_write,
)
from .selectors import search_text_for
from .validation import (
    UNRESOLVED,
    DependantInput,
    DocumentInput,
    MigrationInput,
    PersonInput,
    validate_person,
    validate_with,
)


@dataclass
class Registration:
    person: Person
    candidates: list
    replayed: bool = False  # True when an idempotent retry returned the first result


def event_record(*, person: Person, kind: str, actor=None, data: dict | None = None,
                 occurred_at: dt.datetime | None = None, on: dt.date | None = None) -> Fact:
    """A fact about `person` (their timeline line). `on`/`occurred_at`: the event's own date."""
    return fact_record(kind=kind, person=person, actor=actor, data=data, occurred_at=occurred_at, on=on)


def _apply(person: Person, cleaned: dict) -> None:
    for field, value in cleaned.items():
        if field == UNRESOLVED:
            continue
        setattr(person, field, value if value is not None else ("" if field not in _NULLABLE else None))
    person.origin_path = (person.origin_commune or person.origin_cercle or person.origin_region).path if (
        person.origin_region or person.origin_cercle or person.origin_commune) else ""
    for column, value in duplicates.keys_for(cleaned).items():
        setattr(person, column, value)
    person.search_text = search_text_for(person)


_NULLABLE = {"birth_date", "birth_year", "return_date", "origin_region", "origin_cercle", "origin_commune"}


def person_register(*, by, data: dict, idempotency_key: str = "", consent_collection: bool | None = None,
                    language: str = "fr") -> Registration:
    """Register a person; return them with the possible duplicates the user may see.

    A retry with the same `idempotency_key` returns the person made the first time."""
    if not can_register(by):
        raise Forbidden()
    return _register(by=by, data=data, idempotency_key=idempotency_key, consent_collection=consent_collection,
                     consent_on=timezone.localdate(), language=language)


def _register(*, by, data: dict, idempotency_key: str, consent_collection: bool | None, consent_on: dt.date,
              language: str) -> Registration:
    """The registration itself, once the service calling it checked the caller's right."""
    scope = scope_for("people.register", by)
    if previous := replay(scope, idempotency_key, Person):
        return Registration(previous, [], replayed=True)
    cleaned = validate_person(data)
    try:
        with transaction.atomic():
            person = _create(by=by, cleaned=cleaned)
            remember(scope, idempotency_key, person)
            if consent_collection is not None:
                _consent(by=by, person=person, scope=Consent.Scope.COLLECTION, granted=consent_collection,
                         given_on=consent_on)
    except IntegrityError:
        # Two retries raced: the other one won; return its person.
        if previous := replay(scope, idempotency_key, Person):
            return Registration(previous, [], replayed=True)
        raise
    candidates = duplicates.candidates_for(by, cleaned, exclude_id=person.pk, language=language)
    queue_for_review(person, candidates)
    return Registration(person, candidates)


def participant_enrol(*, by, consent_on: dt.date, person_id=None, data: dict | None = None,
                      idempotency_key: str = "", language: str = "fr") -> Registration:
    """A participant of a sensitization activity who consented, on `consent_on`, to be named:
    registered in the registry like anyone (`data`: the duplicate check runs and queues what it
    finds for review), or one of the people the caller already sees (`person_id`); the consent to
    collection and to sharing with the caller's agency recorded, and the agency given access to
    that person (what lets a focal point see the participants it named, and nobody else)."""
    if not can_register_participant(by):
        raise Forbidden()
    if consent_on > timezone.localdate():
        raise ValidationFailed({"consent_on": [str(_("The date is in the future."))]})
    with transaction.atomic():
        if person_id:
            registration = Registration(person_for_read(by, person_id), [])
        else:
            registration = _register(by=by, data=data or {}, idempotency_key=idempotency_key,
                                     consent_collection=True, consent_on=consent_on, language=language)
        person = registration.person
        agency = by.agency
        if agency is not None and not sharing_consented(person, agency):
            _consent(by=by, person=person, scope=Consent.Scope.SHARING, granted=True, given_on=consent_on,
                     agency=agency)
        if agency is not None:
            _access(by=by, person=person, agency=agency, reason=AgencyAccess.Reason.PARTICIPANT)
    return registration


def queue_for_review(person: Person, candidates) -> None:
    """Possible duplicates seen at registration go to their consumers (the review queue)."""
    for consumer in duplicates.CANDIDATE_CONSUMERS:
        consumer(person, candidates)


@transaction.atomic
def person_create(*, by, cleaned: dict, external_ref: tuple[str, str] | None = None, event_kind: str = PeopleEvent.REGISTERED,
                  event_data: dict | None = None, occurred_at: dt.datetime | None = None) -> Person:
    """Write one validated person (the registration form, the API and imports end here).
    `occurred_at`: when the registration happened, when it is not now (demo, late entry)."""
    if not can_register(by):
        raise Forbidden()
    return _create(by=by, cleaned=cleaned, external_ref=external_ref, event_kind=event_kind, event_data=event_data,
                   occurred_at=occurred_at)


def _create(*, by, cleaned: dict, external_ref: tuple[str, str] | None = None,
            event_kind: str = PeopleEvent.REGISTERED, event_data: dict | None = None,
            occurred_at: dt.datetime | None = None) -> Person:
    person = Person(registered_by=by, registered_agency=by.agency, registered_place=by.place,
                    registered_path=by.place.path if by.place else "")
    _apply(person, cleaned)
    person.save()
    if external_ref:
        ExternalReference.objects.create(person=person, system=external_ref[0], value=external_ref[1])
    if by.agency and not by.agency.joint_registry:
        # The registering NGO keeps sight of the person it registered.
        AgencyAccess.objects.get_or_create(person=person, agency=by.agency, reason=AgencyAccess.Reason.ASSIGNED)
    event_record(person=person, kind=event_kind, actor=by, occurred_at=occurred_at,
                 data={"place": by.place.name if by.place else "", **(event_data or {})})
    person.warnings = _note_unresolved_places(cleaned)
    return person


def _note_unresolved_places(cleaned: dict) -> list[str]:
    """List the place names the gazetteer did not know for cleaning; say so to the agent."""
    warnings = []
    for name in cleaned.get(UNRESOLVED, ()):
        unresolved_place_note(text=name.text, kind=name.kind, within=name.within)
        warnings.append(name.warning(PersonInput.base_fields[name.field].label))
    return warnings


@transaction.atomic
def person_update(*, by, person_id, data: dict) -> Person:
    person = person_for_write(by, person_id)
    current = {f: getattr(person, f) for f in _EDITABLE}
    current["origin_region"] = person.origin_region.name if person.origin_region else ""
    current["origin_cercle"] = person.origin_cercle.name if person.origin_cercle else ""
    current["origin_commune"] = person.origin_commune.name if person.origin_commune else ""
    cleaned = validate_person({**current, **data})
    _apply(person, cleaned)
    person.save()
    person.warnings = _note_unresolved_places(cleaned)
    event_record(person=person, kind=PeopleEvent.UPDATED, actor=by, data={"fields": sorted(data)})
    return person


_EDITABLE = [
    "given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "phone", "nationality",
    "id_document_type", "id_document_number", "return_date", "returned_from", "return_mode", "languages",
    "education", "skills",
]


@transaction.atomic
def household_add(*, by, person_id, data: dict) -> HouseholdMember:
    person = person_for_write(by, person_id)
    cleaned = validate_with(DependantInput, data)
    member = HouseholdMember.objects.create(person=person, **cleaned)
    event_record(person=person, kind=PeopleEvent.HOUSEHOLD_ADDED, actor=by,
                 data={"relationship": cleaned["relationship"], "name": f"{cleaned['given_name']} {cleaned['family_name']}".strip()})
    return member


@transaction.atomic
def migration_add(*, by, person_id, data: dict) -> MigrationHistory:
    person = person_for_write(by, person_id)
    cleaned = validate_with(MigrationInput, data)
    entry = MigrationHistory.objects.create(person=person, **{k: ("" if v is None and k in _BLANK_OK else v)
                                                               for k, v in cleaned.items()})
    event_record(person=person, kind=PeopleEvent.MIGRATION_ADDED, actor=by, data={"route": cleaned.get("route", "")})
    return entry


_BLANK_OK = {"route", "transit_countries", "destination_country", "reason"}


@transaction.atomic
def document_add(*, by, person_id, data: dict) -> IdentityDocument:
    person = person_for_write(by, person_id)
    cleaned = validate_with(DocumentInput, data)
    document = IdentityDocument.objects.create(person=person, **cleaned)
    if not person.id_document_number and document.number:
        # The first document with a number becomes the one matching and the bank check use.
        person.id_document_type, person.id_document_number = document.type, document.number
        person.mk_doc = duplicates.keys_for({"id_document_number": document.number})["mk_doc"]
        person.save(update_fields=["id_document_type", "id_document_number", "mk_doc", "updated_at"])
    event_record(person=person, kind=PeopleEvent.DOCUMENT_ADDED, actor=by, data={"type": document.get_type_display()})
    return document


def consent_record(*, by, person: Person, scope: str, granted: bool, given_on: dt.date,
                   agency: Agency | None = None) -> Consent:
    if not can_edit_people(by):
        raise Forbidden()
    return _consent(by=by, person=person, scope=scope, granted=granted, given_on=given_on, agency=agency)


def _consent(*, by, person: Person, scope: str, granted: bool, given_on: dt.date,
             agency: Agency | None = None) -> Consent:
    if scope == Consent.Scope.SHARING and agency is None:
        raise ValidationFailed({"agency": [str(_("Name the partner the consent is for."))]})
    if given_on > timezone.localdate():
        raise ValidationFailed({"given_on": [str(_("The date is in the future."))]})
    with transaction.atomic():
        consent = Consent.objects.create(person=person, scope=scope, agency=agency, granted=granted,
                                         given_on=given_on, recorded_by=by)
        if scope == Consent.Scope.SHARING and not granted:
            # Withdrawn consent closes the partner's view at once.
            AgencyAccess.objects.filter(person=person, agency=agency).update(active=False)
        event_record(person=person, kind=PeopleEvent.consent(scope, granted), actor=by,
                     data={"agency": agency.code if agency else ""})
    return consent


def sharing_consented(person: Person, agency: Agency) -> bool:
    latest = Consent.objects.filter(person=person, scope=Consent.Scope.SHARING, agency=agency).first()
    return bool(latest and latest.granted)


@transaction.atomic
def access_grant(*, by, person: Person, agency: Agency, reason: str) -> AgencyAccess:
    """Let a partner agency see a person (assignment, referral). Requires consent to share."""
    return _access(by=by, person=person, agency=agency, reason=reason)


def _access(*, by, person: Person, agency: Agency, reason: str) -> AgencyAccess:
    if not agency.joint_registry and not sharing_consented(person, agency):
        raise ValidationFailed(
            {"agency": [str(_("The person has not consented to sharing their data with %(agency)s.")
                            % {"agency": agency.name})]},
            message=_("Consent to share is missing."),
        )
    access, created = AgencyAccess.objects.get_or_create(person=person, agency=agency, reason=reason)
    if not created and not access.active:
        access.active = True
        access.save(update_fields=["active"])
    event_record(person=person, kind=PeopleEvent.access(reason), actor=by, data={"agency": agency.code})
    return access

"""Named participants of an activity: those who consent to be named are people of the registry.

A focal point adds them to an activity it may correct: registered through the registry's own
service (the duplicate check runs; among the people it already sees it may pick the one it
named before instead of registering them again), or picked among those people; the consent to
be named (collection, and sharing with its agency) recorded with its date. Its agency then sees
that person through the registry's agency access, and nobody else it did not name
(parcours.people.policies). The counts by sex stay the source of the results: the people named
are some of them, never more, sex by sex."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.errors import Forbidden, ValidationFailed
from parcours.core.idempotency import clean_key, remember, replay, scope_for
from parcours.facts.services import fact_record
from parcours.people import duplicates
from parcours.people.models import Person, Sex
from parcours.people.policies import can_register_participant, people_visible_to
from parcours.people.services import participant_enrol
from parcours.people.validation import loose_person

from .events import OutreachEvent
from .models import Activity, NamedParticipant
from .policies import activity_for_read, activity_for_write

PERSON_FIELDS = ("given_name", "family_name", "sex", "birth_year", "birth_date", "phone")
_NAME = "outreach.participant_add"
_COUNT_FIELD = {Sex.MALE: "participants_male", Sex.FEMALE: "participants_female"}


@dataclass
class Naming:
    participant: NamedParticipant
    candidates: list = field(default_factory=list)
    replayed: bool = False
    registered: bool = False  # a new person of the registry (not one picked)


def participants_visible(user, activity: Activity) -> QuerySet[NamedParticipant]:
    """The activity's named participants whose person `user` may see (the others are only counted)."""
    return (activity.named_participants.filter(person__in=people_visible_to(user).values("pk"))
            .select_related("person"))


def participant_candidates(*, by, activity_id, data: dict, language: str = "fr") -> list:
    """Who among the people `by` sees may already be the participant described (nothing written)."""
    activity_for_write(by, activity_id)
    if not can_register_participant(by):
        raise Forbidden()
    return duplicates.candidates_for(by, loose_person({k: data.get(k) or "" for k in PERSON_FIELDS}),
                                     language=language)


def _consent_day(consent: bool, consent_on, held_on: dt.date) -> dt.date:
    if consent is not True:
        raise ValidationFailed({"consent": [_("Tick that the participant agrees to be named and found in the "
                                              "registry; without it, count them only.")]})
    if consent_on in (None, ""):
        return timezone.localdate()
    if isinstance(consent_on, str):
        try:
            consent_on = dt.date.fromisoformat(consent_on)
        except ValueError:
            raise ValidationFailed({"consent_on": [_("Enter a valid date.")]}) from None
    if consent_on > timezone.localdate():
        raise ValidationFailed({"consent_on": [_("The date is in the future.")]})
    if consent_on < held_on:
        raise ValidationFailed({"consent_on": [_("The consent is given at the activity or after it.")]})
    return consent_on


def _within_counts(activity: Activity, person: Person) -> None:
    """Never more people named than counted, sex by sex (the counts are the results' source)."""
    named = list(activity.named_participants.values_list("person__sex", flat=True)) + [person.sex]
    for sex, name in _COUNT_FIELD.items():
        counted = getattr(activity, name)
        if named.count(sex) > counted:
            raise ValidationFailed({name: [_("%(counted)d counted, %(named)d would be named: correct the counts "
                                             "first.") % {"counted": counted, "named": named.count(sex)}]})
    if len(named) > activity.participants:
        raise ValidationFailed({"participants_male": [
            _("%(counted)d counted, %(named)d would be named: correct the counts first.")
            % {"counted": activity.participants, "named": len(named)}]})


def named_by_sex(activity: Activity) -> dict[str, int]:
    """How many of the named participants are men, women (for a correction of the counts)."""
    sexes = list(activity.named_participants.values_list("person__sex", flat=True))
    return {name: sexes.count(sex) for sex, name in _COUNT_FIELD.items()} | {"total": len(sexes)}


def participant_add(*, by, activity_id, consent: bool, consent_on=None, person_id=None, data: dict | None = None,
                    idempotency_key: str = "", language: str = "fr") -> Naming:
    """Name a consenting participant of the activity: `person_id`, one the caller already sees, or
    `data` (given_name, family_name, sex, birth_year or birth_date, phone) registered as a new person.

    Retry-safe: the same `idempotency_key` from the same user answers with the first, `replayed`."""
    activity = activity_for_write(by, activity_id)
    scope = scope_for(_NAME, by)
    if previous := replay(scope, idempotency_key, NamedParticipant):
        return Naming(previous, replayed=True)
    if activity.cancelled:
        raise ValidationFailed({"activity": [_("This activity was cancelled.")]})
    day = _consent_day(consent, consent_on, activity.held_on)
    if not person_id and not (data or {}).get("sex"):
        raise ValidationFailed({"sex": [_("Give the sex: the participants are counted by sex.")]})
    key = clean_key(idempotency_key)
    try:
        with transaction.atomic():
            locked = Activity.objects.select_for_update().get(pk=activity.pk)
            registration = participant_enrol(
                by=by, consent_on=day, person_id=person_id, data={k: (data or {}).get(k) for k in PERSON_FIELDS},
                idempotency_key=f"participant:{key}" if key else "", language=language)
            person = registration.person
            existing = locked.named_participants.filter(person=person).first()
            if existing is not None:
                return Naming(existing, replayed=True)
            _within_counts(locked, person)
            participant = NamedParticipant.objects.create(activity=locked, person=person, consent_on=day, added_by=by)
            remember(scope, key, participant)
            fact_record(kind=OutreachEvent.PARTICIPANT_NAMED, on=locked.held_on, person=person, place=locked.commune,
                        actor=by, agency=locked.organiser, subject=locked,
                        data={"commune": locked.commune.name, "theme": str(locked.get_theme_display()),
                              "kind": locked.kind, "consent_on": day.isoformat()})
    except IntegrityError:
        # A concurrent retry won the race: answer with its record.
        if previous := replay(scope, key, NamedParticipant):
            return Naming(previous, replayed=True)
        raise
    return Naming(participant, candidates=registration.candidates, registered=not person_id)


def participants_for_read(user, activity_id) -> tuple[Activity, QuerySet[NamedParticipant]]:
    activity = activity_for_read(user, activity_id)
    return activity, participants_visible(user, activity)

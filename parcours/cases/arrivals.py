"""Arrival of a pre-registered flight: reception marks the manifest's people present or absent in
a few taps; for those present the consent to collect their data is recorded and their case opens
(the arrival step); those absent are noted. Reads start from the people the agent may see."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.errors import NotFound, ValidationFailed
from parcours.people.imports import MANIFEST, flight_reference
from parcours.people.models import Consent, ExternalReference
from parcours.people.policies import people_visible_to
from parcours.people.services import consent_record, event_record

from .events import CaseEvent
from .models import Case
from .policies import can_open_cases
from .services import case_open

ABSENT = CaseEvent.ARRIVAL_ABSENT


@dataclass
class Passenger:
    person: object
    status: str  # "arrived", "absent" or "expected"
    case_id: object = None


def manifests_for(user, limit: int = 30) -> list[dict]:
    """The flights pre-registered among the people `user` sees, latest first, with how many
    people each holds and how many arrived."""
    if not can_open_cases(user):
        raise NotFound()
    visible = people_visible_to(user).values("pk")
    rows = (ExternalReference.objects.filter(system__startswith=MANIFEST, person__in=visible)
            .values("system").annotate(people=Count("person", distinct=True)).order_by("-system")[:limit])
    out = []
    for row in rows:
        flight = row["system"][len(MANIFEST):]
        arrived = Case.objects.filter(person__external_refs__system=row["system"], person__in=visible).values(
            "person").distinct().count()
        out.append({"flight": flight, "people": row["people"], "arrived": arrived})
    return out


def passengers(user, flight: str) -> list[Passenger]:
    if not can_open_cases(user):
        raise NotFound()
    system = MANIFEST + flight_reference(flight)
    people = list(people_visible_to(user).filter(external_refs__system=system).distinct()
                  .order_by("family_name", "given_name"))
    if not people:
        raise NotFound()
    cases = dict(Case.objects.filter(person__in=people).values_list("person_id", "pk"))
    from parcours.facts.models import Fact

    absent = set(Fact.objects.filter(person__in=people, kind=ABSENT).values_list("person_id", flat=True))
    return [Passenger(p, "arrived" if p.pk in cases else ("absent" if p.pk in absent else "expected"),
                      cases.get(p.pk)) for p in people]


@transaction.atomic
def arrivals_record(*, by, flight: str, present: list, absent: list, consent_given: bool,
                    arrived_on: dt.date | None = None) -> dict:
    """Mark who got off the plane. Present: consent to data collection recorded (it must have been
    asked: `consent_given`), case opened on the arrival day. Absent: noted on their timeline.
    Marking someone again changes nothing."""
    if not can_open_cases(by):
        raise NotFound()  # a role with no use for arrivals: the page does not exist for it
    try:
        on = dt.date.fromisoformat(str(arrived_on)) if arrived_on else timezone.localdate()
    except ValueError:
        raise ValidationFailed({"arrived_on": [_("Enter a valid date.")]}) from None
    if on > timezone.localdate():
        raise ValidationFailed({"arrived_on": [_("The date is in the future.")]})
    on_board = {str(p.person.pk): p for p in passengers(by, flight)}
    unknown = [pk for pk in [*present, *absent] if str(pk) not in on_board]
    if unknown:
        raise ValidationFailed({"present": [_("Some people are not on this manifest.")]})
    if present and not consent_given:
        raise ValidationFailed({"consent_given": [
            _("Ask each person present for their consent to the collection of their data, then tick the box.")]})
    opened, noted = 0, 0
    for pk in present:
        passenger = on_board[str(pk)]
        if passenger.status == "arrived":
            continue
        consent_record(by=by, person=passenger.person, scope=Consent.Scope.COLLECTION, granted=True, given_on=on)
        case_open(by=by, person_id=passenger.person.pk, arrived_on=on)
        opened += 1
    for pk in absent:
        passenger = on_board[str(pk)]
        if passenger.status != "expected":
            continue
        event_record(person=passenger.person, kind=ABSENT, actor=by, data={"manifest": flight_reference(flight)})
        noted += 1
    return {"arrived": opened, "absent": noted}

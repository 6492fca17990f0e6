"""Writing facts. Domain services call `fact_record` inside their own transaction, so the
fact exists exactly when the write it describes does."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db import models, transaction
from django.utils import timezone

from parcours.core import demographics

from .kinds import spec
from .models import Fact

# kind -> handlers called with the new fact, inside the writer's transaction. This is how one
# domain reacts to another's event without importing it (registration -> duplicate review).
_SUBSCRIBERS: dict[str, list[Callable[[Fact], None]]] = defaultdict(list)


def subscribe(kind: str, handler: Callable[[Fact], None]) -> None:
    """Call `handler(fact)` whenever a fact of `kind` is recorded. Register in `ready()`."""
    if handler not in _SUBSCRIBERS[str(kind)]:
        _SUBSCRIBERS[str(kind)].append(handler)


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _subject(subject: models.Model | None) -> tuple[str, str]:
    if subject is None:
        return "", ""
    return subject._meta.label_lower, str(subject.pk)


@transaction.atomic
def fact_record(*, kind: str, on: dt.date | None = None, occurred_at: dt.datetime | None = None,
                person=None, place=None, agency=None, actor=None, subject: models.Model | None = None,
                quantity: int = 1, amount_xof: int | None = None, data: dict | None = None,
                voids: Fact | None = None) -> Fact:
    """Record that `kind` happened on `on` (the event's own date; default: the local date of
    `occurred_at`, or today). `agency` defaults to the actor's; `voids` cancels an earlier
    fact (a reversal, a correction)."""
    fact = fact_build(kind=kind, on=on, occurred_at=occurred_at, person=person, place=place, agency=agency,
                      actor=actor, subject=subject, quantity=quantity, amount_xof=amount_xof, data=data)
    fact.save()
    if voids is not None:
        voids.voided_by = fact
        voids.save(update_fields=["voided_by"])
    for handler in _SUBSCRIBERS.get(str(kind), ()):
        handler(fact)
    return fact


def facts_record_many(facts: list[Fact]) -> list[Fact]:
    """Write facts made by `fact_build` at once (a bulk load, inside the writer's transaction);
    each kind's subscribers hear every one, as with `fact_record`."""
    Fact.objects.bulk_create(facts, batch_size=500)
    for fact in facts:
        for handler in _SUBSCRIBERS.get(fact.kind, ()):
            handler(fact)
    return facts


def fact_build(*, kind: str, on: dt.date | None = None, occurred_at: dt.datetime | None = None,
               person=None, place=None, agency=None, actor=None, subject: models.Model | None = None,
               quantity: int = 1, amount_xof: int | None = None, data: dict | None = None) -> Fact:
    """The fact `fact_record` writes, not saved yet (for `facts_record_many`)."""
    entry = spec(kind)
    if entry.person_required and person is None:
        raise ValueError(f"Fact kind {kind!r} needs a person")
    if occurred_at is None:
        occurred_at = _noon(on) if on is not None and on != timezone.localdate() else timezone.now()
    if on is None:
        on = timezone.localdate(occurred_at)
    if agency is None and actor is not None:
        agency = getattr(actor, "agency", None)
    fact = Fact(
        kind=str(kind), occurred_on=on, occurred_at=occurred_at, place=place,
        place_path=place.path if place is not None else "", agency=agency, actor=actor,
        quantity=quantity, amount_xof=amount_xof, data=data or {},
    )
    fact.subject_type, fact.subject_id = _subject(subject)
    if person is not None:
        fact.person = person
        fact.sex = person.sex or ""
        fact.age = demographics.age_on(on, birth_date=person.birth_date, birth_year=person.birth_year)
        if fact.age is not None and fact.age < 0:
            fact.age = None
        fact.nationality = str(person.nationality or "")
        fact.returned_from = str(person.returned_from or "")
        fact.origin_path = person.origin_path or ""
    return fact


def fact_void_subject(*, subject: models.Model, by_fact: Fact, kinds: list[str] | None = None) -> int:
    """Mark every live fact about `subject` (of `kinds`, when given) as voided by `by_fact`."""
    subject_type, subject_id = _subject(subject)
    qs = Fact.objects.filter(subject_type=subject_type, subject_id=subject_id, voided_by__isnull=True)
    qs = qs.exclude(pk=by_fact.pk)
    if kinds:
        qs = qs.filter(kind__in=[str(k) for k in kinds])
    return qs.update(voided_by=by_fact)

"""Reading facts: a person's timeline (filtered by what the reader may know) and the facts an
indicator counts."""

import datetime as dt

from django.db.models import QuerySet

from .kinds import kinds_up_to
from .models import Fact
from .policies import sensitivity_ceiling


def person_facts_for(user, person, *, limit: int = 200, kinds: list[str] | None = None) -> list[Fact]:
    """The facts about `person` that `user` may read, newest first. The caller has already
    checked that `user` may see the person (people.policies.person_for_read)."""
    allowed = kinds_up_to(sensitivity_ceiling(user))
    if kinds is not None:
        allowed = [k for k in allowed if k in {str(x) for x in kinds}]
    qs = person.facts.filter(kind__in=allowed).select_related("actor", "agency")
    return list(qs.order_by("-occurred_at", "-id")[:limit])


def live_facts(kinds: list[str], *, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[Fact]:
    """Facts of `kinds` that were not voided, whose own date falls in [start, end]."""
    qs = Fact.objects.filter(kind__in=[str(k) for k in kinds], voided_by__isnull=True)
    if start is not None:
        qs = qs.filter(occurred_on__gte=start)
    if end is not None:
        qs = qs.filter(occurred_on__lte=end)
    return qs

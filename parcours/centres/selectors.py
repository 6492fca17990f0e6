"""Reads: occupancy per night, who is in a centre, who is stranded. Always from the policy querysets."""

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Centre, Stay
from .policies import can_read_protection, can_see_residents, centres_visible_to, stays_visible_to


def _covering(day: dt.date) -> Q:
    """Stays that cover the night of `day` (entered on or before it, not left by then)."""
    return Q(entered_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def occupancy_on(centre: Centre, day: dt.date) -> int:
    return Stay.objects.filter(_covering(day), centre=centre).count()


def occupancy_by_night(centre: Centre, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """[(night, people)] for every night of [start, end], from one query over the stays that overlap."""
    rows = Stay.objects.filter(centre=centre, entered_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=start)).values_list("entered_on", "left_on")
    days = (end - start).days + 1
    delta = [0] * (days + 1)
    for entered, left in rows:
        first = max((entered - start).days, 0)
        last = days if left is None else min((left - start).days, days)  # exclusive
        if first < last:
            delta[first] += 1
            delta[last] -= 1
    out, running = [], 0
    for i in range(days):
        running += delta[i]
        out.append((start + dt.timedelta(days=i), running))
    return out


def centres_with_occupancy(user, day: dt.date | None = None) -> QuerySet[Centre]:
    """The centres the user sees, each with `occupancy` (people there on the night of `day`) and `stranded`."""
    day = day or timezone.localdate()
    # One count per centre over its stays covering the night, read through the (centre, left_on,
    # entered_on) index — not a join of every stay ever recorded grouped by centre, which grows with
    # the years of history.
    tonight = (Stay.objects.filter(_covering(day), centre=OuterRef("pk")).order_by()
               .values("centre").annotate(n=Count("pk")).values("n"))
    return centres_visible_to(user).filter(active=True).annotate(
        occupancy=Coalesce(Subquery(tonight, output_field=IntegerField()), 0),
    ).order_by("place__path", "name")


def residents(user, centre: Centre) -> QuerySet[Stay]:
    """Who is in the centre now (open stays), longest there first."""
    return (stays_visible_to(user).filter(centre=centre, left_on__isnull=True)
            .select_related("person", "entry_point").order_by("entered_on", "created_at"))


def stranded(user, centre: Centre, today: dt.date | None = None) -> QuerySet[Stay]:
    """Open stays longer than the centre's threshold, oldest first."""
    today = today or timezone.localdate()
    limit = today - dt.timedelta(days=centre.stranded_after_days)
    return residents(user, centre).filter(entered_on__lte=limit)


def arrivals(user, centre: Centre, start: dt.date, end: dt.date) -> QuerySet[Stay]:
    return (stays_visible_to(user).filter(centre=centre, entered_on__gte=start, entered_on__lte=end)
            .select_related("person").order_by("-entered_on", "-created_at"))


def departures_from(user, centre: Centre, start: dt.date, end: dt.date) -> QuerySet[Stay]:
    return (stays_visible_to(user).filter(centre=centre, left_on__gte=start, left_on__lte=end)
            .select_related("person").order_by("-left_on", "-created_at"))


def person_stays(user, person) -> QuerySet[Stay]:
    """Every stay of a person the caller sees (checked by the caller). A stay in a protected
    centre (victims of trafficking) shows only to protection readers and that centre's staff."""
    if not can_see_residents(user):
        return Stay.objects.none()
    qs = Stay.objects.filter(person=person)
    if not can_read_protection(user):
        qs = qs.filter(Q(centre__protected=False) | Q(centre__in=centres_visible_to(user).values("pk")))
    return qs.select_related("centre", "entry_point").prefetch_related("services_received").order_by("-entered_on")

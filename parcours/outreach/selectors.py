"""Reads of sensitization activities, always from the policy's queryset."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from parcours.core.errors import ValidationFailed

from .followup import followup_filter
from .models import Activity
from .policies import activities_visible_to
from .validation import DATE_FORMATS


@dataclass
class ActivityFilter:
    kind: str = ""
    theme: str = ""
    audience: str = ""
    place: str = ""  # a place path prefix ("/ML/SIK/") or a name
    start: dt.date | None = None
    end: dt.date | None = None
    include_cancelled: bool = False
    followup: str = ""  # one of followup.FollowupStatus: done, upcoming, due, overdue


def parse_day(name: str, text: str) -> dt.date | None:
    """A day typed in a filter (web pages); None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationFailed({name: [_("Enter a date as YYYY-MM-DD.")]})


def activities_list(user, flt: ActivityFilter | None = None) -> QuerySet[Activity]:
    flt = flt or ActivityFilter()
    qs = activities_visible_to(user).select_related("commune", "organiser", "grant")
    for name, choices in (("kind", Activity.Kind), ("theme", Activity.Theme), ("audience", Activity.Audience)):
        value = getattr(flt, name)
        if value:
            if value not in choices.values:
                raise ValidationFailed({name: [_("Unknown value “%(value)s”.") % {"value": value}]})
            qs = qs.filter(**{name: value})
    if flt.place:
        from parcours.places.selectors import resolve_place

        place = resolve_place(flt.place) if not flt.place.startswith("/") else None
        path = place.path if place is not None else flt.place
        qs = qs.filter(commune__path__startswith=path)
    if flt.start:
        qs = qs.filter(held_on__gte=flt.start)
    if flt.end:
        qs = qs.filter(held_on__lte=flt.end)
    if not flt.include_cancelled:
        qs = qs.filter(cancelled=False)
    if flt.followup:
        qs = followup_filter(qs, flt.followup)
    return qs.order_by("-held_on", "-recorded_at")


def activities_summary(qs: QuerySet[Activity]) -> dict:
    """People met (by sex) and distinct communes over a list, split as the logframe splits them."""
    community = Q(audience__in=[Activity.Audience.COMMUNITY, Activity.Audience.CSOS])
    agents = Q(audience__in=[Activity.Audience.SECURITY_AGENTS, Activity.Audience.TECHNICAL_SERVICES])
    live = qs.filter(cancelled=False)
    totals = live.aggregate(
        activities=Count("pk"), male=Sum("participants_male"), female=Sum("participants_female"),
        people=Sum("participants_male", filter=community),
        people_f=Sum("participants_female", filter=community),
        agents=Sum("participants_male", filter=agents), agents_f=Sum("participants_female", filter=agents),
        audience=Sum("audience_estimate"),
    )
    return {
        "activities": totals["activities"] or 0,
        "participants_male": totals["male"] or 0,
        "participants_female": totals["female"] or 0,
        "people_sensitized": (totals["people"] or 0) + (totals["people_f"] or 0),
        "agents_trained": (totals["agents"] or 0) + (totals["agents_f"] or 0),
        "communes": live.filter(community).values("commune").distinct().count(),
        "media_audience": totals["audience"] or 0,
    }

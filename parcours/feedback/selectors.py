"""Reads of complaints: the handlers' queue, and the register (counts only, no names, no content)."""

import datetime as dt
from dataclasses import dataclass
from statistics import median

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.errors import ValidationFailed

from .models import Complaint
from .policies import complaints_visible_to, in_place

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


@dataclass
class ComplaintFilter:
    status: str = ""
    category: str = ""
    gravity: str = ""
    channel: str = ""
    open_only: bool = False
    overdue: bool = False
    start: dt.date | None = None
    end: dt.date | None = None


def parse_day(name: str, text: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationFailed({name: [_("Enter a date as YYYY-MM-DD.")]})


def _choice(name: str, value: str, choices) -> str:
    if value and value not in choices.values:
        raise ValidationFailed({name: [_("Unknown value “%(value)s”.") % {"value": value}]})
    return value


def complaints_list(user, flt: ComplaintFilter | None = None) -> QuerySet[Complaint]:
    """The complaints `user` may read, the most urgent first (open, by deadline)."""
    flt = flt or ComplaintFilter()
    qs = complaints_visible_to(user).select_related("place")
    for name, choices in (("status", Complaint.Status), ("category", Complaint.Category),
                          ("gravity", Complaint.Gravity), ("channel", Complaint.Channel)):
        value = _choice(name, getattr(flt, name), choices)
        if value:
            qs = qs.filter(**{name: value})
    if flt.open_only or flt.overdue:
        qs = qs.filter(status__in=Complaint.OPEN)
    if flt.overdue:
        qs = qs.filter(due_on__lt=timezone.localdate())
    if flt.start:
        qs = qs.filter(received_on__gte=flt.start)
    if flt.end:
        qs = qs.filter(received_on__lte=flt.end)
    return qs.order_by("status", "due_on", "-received_on")


def register(user, *, start: dt.date | None = None, end: dt.date | None = None,
             today: dt.date | None = None) -> dict:
    """The register managers review: every complaint received in the period (sensitive ones
    counted too, nothing about them shown), by category, channel, gravity and status; how many
    are overdue; how long resolving takes and how often on time. Inside the user's place."""
    today = today or timezone.localdate()
    qs = Complaint.objects.filter(in_place(user))
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)

    def by(field):
        return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by(field)}

    resolved = list(qs.filter(resolved_on__isnull=False).values_list("received_on", "resolved_on", "due_on"))
    days = [(r - f).days for f, r, _due in resolved]
    acknowledged = [(a - f).days for f, a in qs.filter(acknowledged_on__isnull=False)
                    .values_list("received_on", "acknowledged_on")]
    return {
        "received": qs.count(),
        "by_category": by("category"),
        "by_channel": by("channel"),
        "by_gravity": by("gravity"),
        "by_status": by("status"),
        "sensitive": qs.filter(sensitive=True).count(),
        "anonymous": qs.filter(anonymous=True).count(),
        "open": qs.filter(status__in=Complaint.OPEN).count(),
        "overdue": qs.filter(status__in=Complaint.OPEN, due_on__lt=today).count(),
        "resolved": len(resolved),
        "resolved_on_time": sum(1 for _f, r, due in resolved if r <= due),
        "median_days_to_resolve": median(days) if days else None,
        "median_days_to_acknowledge": median(acknowledged) if acknowledged else None,
    }

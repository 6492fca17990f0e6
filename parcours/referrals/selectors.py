"""Reads of the referral network, always starting from the policy querysets."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from parcours.core.errors import NotFound

from .models import Attendance, Referral, Service
from .policies import (
    can_read_aggregates,
    can_read_referrals,
    is_partner,
    referrals_visible_to,
    services_visible_to,
)


def places_taken(service: Service) -> int:
    return service.referrals.filter(status__in=Referral.HOLDING_PLACE).count()


def _with_taken(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.annotate(taken=Count("referrals", filter=Q(referrals__status__in=Referral.HOLDING_PLACE)))


@dataclass
class ServiceFilter:
    kind: str = ""
    place: str = ""  # a place path ("/ML/BKO/"): services serving it or a place around it
    provider: str = ""  # an agency code
    q: str = ""


def services_list(user, flt: ServiceFilter | None = None) -> QuerySet[Service]:
    flt = flt or ServiceFilter()
    qs = services_visible_to(user).select_related("provider")
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.provider:
        qs = qs.filter(provider__code=flt.provider)
    if flt.place:
        # A service for "Kayes" region serves its cercles; a national service serves everyone.
        prefixes = [flt.place[:i + 1] for i, ch in enumerate(flt.place) if ch == "/" and i > 0]
        qs = qs.filter(Q(places__path__in=prefixes) | Q(places__path__startswith=flt.place)).distinct()
    if flt.q:
        qs = qs.filter(Q(name_fr__icontains=flt.q) | Q(name_en__icontains=flt.q) | Q(description__icontains=flt.q))
    return _with_taken(qs).prefetch_related("places").order_by("provider__code", "kind", "name_fr")


def service_with_taken(service: Service) -> Service:
    service.taken = places_taken(service)
    return service


@dataclass
class ReferralFilter:
    status: str = ""
    service: str = ""  # a service id
    person: str = ""  # a person id


def referrals_list(user, flt: ReferralFilter | None = None) -> QuerySet[Referral]:
    """Referrals the user may read, newest first. NotFound for roles that read none one by one."""
    if not can_read_referrals(user):
        raise NotFound()
    flt = flt or ReferralFilter()
    qs = referrals_visible_to(user)
    try:
        if flt.status:
            qs = qs.filter(status=flt.status)
        if flt.service:
            qs = qs.filter(service_id=flt.service)
        if flt.person:
            qs = qs.filter(person_id=flt.person)
    except (ValidationError, ValueError):  # a malformed id matches nothing
        qs = qs.none()
    return qs.select_related("person", "service__provider", "created_by").order_by("-sent_at")


def referrals_for_person(user, person) -> QuerySet[Referral]:
    return referrals_visible_to(user).filter(person=person).select_related("service__provider").order_by("-sent_at")


_INBOX_ORDER = [Referral.Status.SENT, Referral.Status.ACCEPTED, Referral.Status.ENROLLED, Referral.Status.COMPLETED]


def inbox(user) -> QuerySet[Referral]:
    """The partner's inbox: referrals to its agency, new ones first, then accepted, enrolled, completed."""
    if not is_partner(user):
        raise NotFound()
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(*[When(status=s, then=Value(i)) for i, s in enumerate(_INBOX_ORDER)], output_field=IntegerField())
    return (referrals_visible_to(user).filter(status__in=_INBOX_ORDER).annotate(rank=rank)
            .select_related("person", "service__provider", "created_agency").order_by("rank", "sent_at"))


def inbox_groups(user) -> dict[str, list[Referral]]:
    groups: dict[str, list[Referral]] = {s: [] for s in _INBOX_ORDER}
    rows = list(inbox(user).prefetch_related("attendance"))
    for r in rows:
        groups[r.status].append(r)
    return groups


def waiting_days(referral: Referral, now: dt.datetime | None = None) -> int:
    """Days since the referral was sent (for open ones) or until its last answer."""
    end = (now or timezone.now()) if referral.status == Referral.Status.SENT else referral.status_changed_at
    return max(0, (end - referral.sent_at).days)


def days_attended(person, month: dt.date) -> int:
    """Validated days the person attended, over all their services, in the month of `month`
    (the provider's figure counts once the referring side validated it). Not scoped:
    used by the assistance rules, which run for people the caller already sees."""
    first = month.replace(day=1)
    total = (Attendance.objects.filter(referral__person=person, month=first, validated_at__isnull=False)
             .aggregate(n=Sum("days"))["n"])
    return total or 0


def aggregates(user) -> list[dict]:
    """Counts of referrals per service and status, for oversight; never a name."""
    if not can_read_aggregates(user):
        raise NotFound()
    rows = (Referral.objects.values("service_id", "service__name_fr", "service__name_en", "service__provider__code",
                                    "status")
            .annotate(n=Count("id")).order_by("service__provider__code", "service__name_fr", "status"))
    out: dict = {}
    for row in rows:
        item = out.setdefault(row["service_id"], {
            "service_id": row["service_id"], "service": row["service__name_fr"],
            "service_en": row["service__name_en"] or row["service__name_fr"],
            "provider": row["service__provider__code"], "counts": dict.fromkeys(Referral.Status.values, 0),
            "total": 0})
        item["counts"][row["status"]] = row["n"]
        item["total"] += row["n"]
    return list(out.values())


def person_panel(user, person) -> dict:
    """Context for `referrals/_person_panel.html` on the person page: their referrals the user may
    see, and whether the user may refer them."""
    from .policies import can_refer

    return {"person_referrals": list(referrals_for_person(user, person)[:20]) if can_read_referrals(user) else [],
            "can_refer_person": can_refer(user), "person": person}

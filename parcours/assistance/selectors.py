"""Reads on assistance, always starting from the policy querysets."""

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import Count, Q, QuerySet, Sum

from parcours.people.policies import people_visible_to

from . import engine
from .facts import Preload, period_of, same_person
from .models import AttendanceRecord, LedgerEntry, Scheme, SchemeVersion, VerificationVisit
from .policies import can_read_ledger, ledger_for_totals, ledger_visible_to
from .services import versions_in_force

# The live eligible count runs in the request up to this many people (about 0.4 ms each, facts
# preloaded per chunk); beyond, the page offers to count everyone in a background job.
LIVE_COUNT_LIMIT = 2000
_CHUNK = 500


@dataclass
class LedgerFilter:
    person: str = ""  # a person id
    scheme: str = ""  # a scheme code
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""

    def as_dict(self) -> dict:
        return {k: str(v) for k, v in asdict(self).items() if v}


def _filtered(qs: QuerySet, flt: LedgerFilter) -> QuerySet:
    if flt.person:
        qs = qs.filter(Q(person_id=flt.person) | Q(person__merged_into_id=flt.person))
    if flt.scheme:
        qs = qs.filter(scheme__code=flt.scheme)
    if flt.date_from:
        qs = qs.filter(paid_on__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(paid_on__lte=flt.date_to)
    if flt.kind in LedgerEntry.Kind.values:
        qs = qs.filter(kind=flt.kind)
    return qs


def ledger_list(user, flt: LedgerFilter) -> QuerySet[LedgerEntry]:
    qs = _filtered(ledger_visible_to(user), flt)
    return qs.select_related("person", "scheme", "version", "recorded_by", "reversal_of", "reversed_by") \
        .order_by("-paid_on", "-created_at")


def ledger_totals(user, flt: LedgerFilter) -> list[dict]:
    """Per scheme: net amount (reversals subtract), payments, reversals — for what `user` may sum."""
    rows = (_filtered(ledger_for_totals(user), flt).values("scheme__code")
            .annotate(net=Sum("amount_xof"),
                      payments=Count("id", filter=Q(kind=LedgerEntry.Kind.PAYMENT)),
                      reversals=Count("id", filter=Q(kind=LedgerEntry.Kind.REVERSAL)),
                      people=Count("person", distinct=True))
            .order_by("scheme__code"))
    names = scheme_names()
    return [{"scheme": r["scheme__code"], "name": names.get(r["scheme__code"], r["scheme__code"]),
             "net_xof": r["net"] or 0, "payments": r["payments"], "reversals": r["reversals"], "people": r["people"]}
            for r in rows]


def scheme_names() -> dict[str, str]:
    """{scheme code: its name in the reader's language}, from each scheme's latest version: pages
    name a scheme as people know it, never by its code."""
    names: dict[str, str] = {}
    for version in SchemeVersion.objects.select_related("scheme").order_by("scheme__code", "-valid_from", "-number"):
        names.setdefault(version.scheme.code, version.name)
    return names


def person_ledger(user, person) -> QuerySet[LedgerEntry]:
    return ledger_list(user, LedgerFilter(person=str(person.pk)))


def visits_visible_to(user) -> QuerySet[VerificationVisit]:
    """Visits follow the ledger: readable by whoever may read the person's payments."""
    if not can_read_ledger(user):
        return VerificationVisit.objects.none()
    visible = people_visible_to(user).values("pk")
    return VerificationVisit.objects.filter(Q(person__in=visible) | Q(person__merged_into__in=visible)).order_by(
        "-visited_on", "-created_at")


def person_visits(user, person) -> QuerySet[VerificationVisit]:
    return visits_visible_to(user).filter(same_person(person)).select_related("scheme", "recorded_by")


def person_attendance(user, person) -> QuerySet[AttendanceRecord]:
    """Attendance of a person the user may see (the caller has already resolved the person). A
    service provider reads the months its own agency reported, not another centre's."""
    qs = AttendanceRecord.objects.filter(person=person)
    if not can_read_ledger(user):
        qs = qs.filter(recorded_by__agency_id=user.agency_id) if user.agency_id else qs.none()
    return qs.order_by("-month")[:24]


def person_eligibility(person, on: dt.date) -> list[engine.Evaluation]:
    return [engine.evaluate(v, person, on) for v in versions_in_force(on)]


def scheme_versions(scheme: Scheme) -> QuerySet[SchemeVersion]:
    return scheme.versions.select_related("created_by").order_by("-number")


@dataclass
class EligibleCount:
    eligible: int
    evaluated: int
    total: int
    amount_xof: int

    @property
    def complete(self) -> bool:
        return self.evaluated == self.total


def eligible_count(user, version: SchemeVersion, on: dt.date, *, limit: int | None = LIVE_COUNT_LIMIT,
                   progress=None) -> EligibleCount:
    """How many of the people `user` may see are eligible under `version` on `on`, and for how much.

    Facts are preloaded per chunk (a handful of queries per 500 people, whatever the rules). With a
    `limit`, stops there (`complete` is then False and the page offers the background job)."""
    people = people_visible_to(user).order_by("pk")
    total = people.count()
    names = engine.version_names(version)
    period = period_of(on)
    eligible = evaluated = amount = 0
    ids = list(people.values_list("pk", flat=True)[: limit if limit is not None else None])
    for start in range(0, len(ids), _CHUNK):
        chunk_ids = ids[start:start + _CHUNK]
        chunk = list(people.filter(pk__in=chunk_ids).only("pk", "birth_date", "birth_year", "sex", "return_date"))
        preload = Preload.for_people(chunk_ids, on=on, period=period)
        for person in chunk:
            result = engine.evaluate(version, person, on, preload=preload, names=names, with_ledger=False)
            evaluated += 1
            if result.eligible:
                eligible += 1
                amount += result.amount_xof
        if progress:
            progress(evaluated, total)
    return EligibleCount(eligible=eligible, evaluated=evaluated, total=total, amount_xof=amount)

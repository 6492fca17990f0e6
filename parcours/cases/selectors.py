"""Reads on cases, always from the policy querysets: the queue (who waits for which step, since
when, against which target), the backlog in counts, the waiting-time trend, today's tasks."""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from parcours.assistance.selectors import person_ledger
from parcours.people.selectors import person_timeline

from .models import Case, FollowUp, PlanComponent, Reminder
from .policies import can_record_protection, cases_visible_to, queue_scope
from .stages import OPEN_STAGES, STAGES, Position, position, targets


@dataclass
class Waiting:
    case: Case
    position: Position
    days: int
    overdue: bool
    minor: bool


@dataclass
class QueueFilter:
    """Filters of the queue and of the case list; empty means all."""

    stage: str = ""
    owner: str = ""  # username
    agency: str = ""  # agency code
    region: str = ""  # region of origin, by name
    overdue: bool = False

    @classmethod
    def from_query(cls, query) -> "QueueFilter":
        stage = query.get("stage", "")
        return cls(stage=stage if stage in OPEN_STAGES else "", owner=query.get("owner", "")[:150],
                   agency=query.get("agency", "")[:20], region=query.get("region", "")[:120],
                   overdue=query.get("overdue") in ("1", "true", "on"))


def with_steps(qs: QuerySet[Case]) -> QuerySet[Case]:
    """The case with every record the stage derivation reads, in a fixed number of queries."""
    return qs.select_related("person", "owner", "agency", "screening", "screening__by", "protection", "orientation",
                             "best_interest", "person__origin_region").prefetch_related(
        Prefetch("components", queryset=PlanComponent.objects.order_by("planned_start", "pk")),
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on")))


def _filtered(qs: QuerySet[Case], flt: QueueFilter) -> QuerySet[Case]:
    if flt.owner:
        qs = qs.filter(owner__username=flt.owner)
    if flt.agency:
        qs = qs.filter(agency__code__iexact=flt.agency)
    if flt.region:
        qs = qs.filter(person__origin_region__name__iexact=flt.region)
    return qs


def _rows(qs: QuerySet[Case], flt: QueueFilter, today: dt.date) -> list[Waiting]:
    t = targets()
    rows = []
    for case in with_steps(qs):
        pos = position(case, today, t)
        if flt.stage and pos.stage != flt.stage:
            continue
        overdue = pos.overdue(today)
        if flt.overdue and not overdue:
            continue
        rows.append(Waiting(case, pos, pos.days_waiting(today), overdue, case.is_minor(today)))
    rows.sort(key=lambda w: (-w.days, w.case.arrived_on, str(w.case.pk)))
    return rows


def queue(user, flt: QueueFilter | None = None, *, owner=None, today: dt.date | None = None) -> list[Waiting]:
    """Open cases the user sees (names included: never for aggregate-only roles), oldest wait first."""
    today = today or timezone.localdate()
    qs = cases_visible_to(user).filter(closed_on__isnull=True)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return _rows(_filtered(qs, flt or QueueFilter()), flt or QueueFilter(), today)


def _percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0


def backlog(user, flt: QueueFilter | None = None, today: dt.date | None = None) -> dict:
    """Counts only (no names): open and over-target cases per stage, and per agency, region of
    origin and case worker, with the median and 90th percentile of days waiting per stage."""
    today = today or timezone.localdate()
    flt = flt or QueueFilter()
    per_stage, overdue = Counter(), Counter()
    groups = {"agency": defaultdict(Counter), "region": defaultdict(Counter), "owner": defaultdict(Counter)}
    waits = defaultdict(list)
    t = targets()
    for row in _rows(_filtered(queue_scope(user).filter(closed_on__isnull=True), flt), flt, today):
        stage = row.position.stage
        per_stage[stage] += 1
        waits[stage].append(row.days)
        keys = {"agency": row.case.agency.code,
                "region": row.case.person.origin_region.name if row.case.person.origin_region_id else "—",
                "owner": row.case.owner.username if row.case.owner_id else "—"}
        for group, key in keys.items():
            groups[group][key]["open"] += 1
            groups[group][key]["overdue"] += int(row.overdue)
        if row.overdue:
            overdue[stage] += 1
    stages = [{"stage": s, "label": STAGES[s], "open": per_stage[s], "overdue": overdue[s],
               "target_days": t.get(s, 0), "median_days": int(statistics.median(waits[s])) if waits[s] else 0,
               "p90_days": _percentile(waits[s], 0.9)} for s in OPEN_STAGES]
    return {"stages": stages, "open": sum(per_stage.values()), "overdue": sum(overdue.values()),
            **{f"by_{group}": sorted(({"key": k, **c} for k, c in counts.items()),
                                     key=lambda r: (-r["overdue"], -r["open"], r["key"]))
               for group, counts in groups.items()}}


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        out.append(min(nxt - dt.timedelta(days=1), last))
        year, month = nxt.year, nxt.month
    return out


def waiting_trend(user, flt: QueueFilter | None = None, today: dt.date | None = None, months: int = 36) -> list[dict]:
    """Per month of arrival: median and 90th percentile of days from arrival to the plan (still
    waiting cases count their wait so far, so a stuck queue shows), and the open backlog at the
    month's end. The last `months` months."""
    today = today or timezone.localdate()
    qs = _filtered(queue_scope(user), flt or QueueFilter()).prefetch_related("components")
    cases = list(qs.only("id", "arrived_on", "closed_on"))
    if not cases:
        return []
    per_month = defaultdict(list)
    for case in cases:
        started = min((c.created_on for c in case.components.all()), default=None)
        if started is None and case.closed_on:
            continue  # closed without a plan: not a wait for a plan
        per_month[case.arrived_on.strftime("%Y-%m")].append(((started or today) - case.arrived_on).days)
    first = max(min(c.arrived_on for c in cases), dt.date(today.year - months // 12, today.month, 1))
    out = []
    for end in _month_ends(first.replace(day=1), today):
        key = end.strftime("%Y-%m")
        days = per_month.get(key, [])
        backlog_open = sum(1 for c in cases if c.arrived_on <= end and (c.closed_on is None or c.closed_on > end))
        out.append({"month": key, "cases": len(days), "median": int(statistics.median(days)) if days else None,
                    "p90": _percentile(days, 0.9) if days else None, "backlog": backlog_open})
    return out


def tasks_today(user, today: dt.date | None = None) -> dict:
    """The case worker's day: reminders, follow-ups due this week or overdue, steps over target."""
    today = today or timezone.localdate()
    mine = cases_visible_to(user).filter(closed_on__isnull=True, owner=user)
    # Follow-ups of the coming week not yet announced by a reminder (those are listed once, above).
    follow_ups = (FollowUp.objects.filter(case__in=mine, outcome="", due_on__lte=today + dt.timedelta(days=7))
                  .exclude(pk__in=Reminder.objects.filter(user=user, dismissed_at__isnull=True).values("follow_up_id"))
                  .select_related("case__person").order_by("due_on"))
    missed = (FollowUp.objects.filter(case__in=mine, outcome__in=["missed", "unreachable"])
              .select_related("case__person").order_by("-due_on")[:20])
    reminders = (Reminder.objects.filter(user=user, dismissed_at__isnull=True, case__in=mine)
                 .select_related("case__person", "follow_up").order_by("due_on"))
    # The protection team also sees everyone screened vulnerable and waiting for it, whoever owns the case.
    protection = (queue(user, QueueFilter(stage="protection"), today=today)
                  if can_record_protection(user) else [])
    return {"reminders": list(reminders), "follow_ups": list(follow_ups), "missed": list(missed),
            "overdue": [w for w in queue(user, owner=user, today=today) if w.overdue], "protection": protection,
            "today": today}


def case_timeline(case: Case, user) -> list:
    """The person's timeline lines written by the case steps, as far as `user` may read them."""
    return [e for e in person_timeline(case.person, user) if e.kind.startswith("case_")]


def deliveries(user, case: Case) -> dict[str, list]:
    """The ledger entries (assistance app) that deliver each scheme of the plan, as `user` may
    read them: {scheme code: [entries]}. Empty when the ledger is not readable."""
    codes = {c.scheme_code for c in case.components.all() if c.scheme_code}
    if not codes:
        return {}
    out: dict[str, list] = {code: [] for code in codes}
    for entry in person_ledger(user, case.person).filter(scheme__code__in=codes).select_related("scheme"):
        out[entry.scheme.code].append(entry)
    return out


def visible_members(user, components) -> dict[int, list]:
    """The members of collective projects that `user` may see, per component: a member's name is
    never shown to someone whose scope does not include that person."""
    from parcours.people.policies import people_visible_to

    members = {c.pk: list(c.members.all()) for c in components}
    ids = {m.pk for rows in members.values() for m in rows}
    seen = set(people_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    return {pk: [m for m in rows if m.pk in seen] for pk, rows in members.items()}


def plan_choices(user, case, members_q: str = "") -> dict:
    """What the plan form offers to pick instead of typing codes: the assistance schemes in force
    (by name), the providers (by name), the person's referrals the user sees (service, status) and
    the people who may be members of a collective project (`member_choices`)."""
    from django.utils import timezone

    from parcours.accounts.models import Agency
    from parcours.assistance.services import versions_in_force
    from parcours.referrals.selectors import referrals_for_person

    members, more = member_choices(user, case, members_q)
    return {
        "schemes": [(v.scheme.code, v.name) for v in versions_in_force(timezone.localdate())],
        "providers": [(a.code, a.name) for a in Agency.objects.order_by("name")],
        "referrals": [(str(r.pk), f"{r.service} · {r.get_status_display()}")
                      for r in referrals_for_person(user, case.person)[:50]],
        "members": members, "more_members": more, "members_q": members_q,
    }


MEMBER_CHOICES = 50


def member_choices(user, case, q: str = "") -> tuple[list[tuple[str, str]], bool]:
    """The people `user` may add to a collective project of `case`: everyone the people policy lets
    them see (the same scope the service accepts), not only their own cases — the people of their
    open cases first, then by name; `q` finds people by name as the registry search does. The
    first MEMBER_CHOICES, each named with birth year and region so namesakes differ; `more` when
    further people match (search by name to reach them)."""
    from django.db.models import Exists, OuterRef

    from parcours.people.selectors import PeopleFilter, people_list

    own = Case.objects.filter(person=OuterRef("pk"), owner=user, closed_on__isnull=True)
    rows = list(people_list(user, PeopleFilter(q=q or "")).exclude(pk=case.person_id)
                .annotate(own=Exists(own)).order_by("-own", "family_name", "given_name", "birth_year", "pk")
                [:MEMBER_CHOICES + 1])
    choices = []
    for p in rows[:MEMBER_CHOICES]:
        details = ", ".join(x for x in (p.birth_year_text, p.origin_region.name if p.origin_region else "") if x)
        choices.append((str(p.pk), f"{p.full_name} ({details})" if details else p.full_name))
    return choices, len(rows) > MEMBER_CHOICES


def scheme_names(codes) -> dict:
    """{scheme code: the name people know it by} for the codes given (plan components name a scheme
    by its code)."""
    from django.utils import timezone

    from parcours.assistance.services import versions_in_force

    wanted = set(codes)
    return {v.scheme.code: v.name for v in versions_in_force(timezone.localdate()) if v.scheme.code in wanted}

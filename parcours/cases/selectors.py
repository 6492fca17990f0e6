"""The queue: who waits for which step, since when, against which target."""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from .models import Case, FollowUp, PlanComponent
from .policies import cases_visible_to, queue_scope
from .stages import STAGES, Position, position


@dataclass
class Waiting:
    case: Case
    position: Position
    days: int
    overdue: bool


def _with_steps(qs):
    return qs.select_related("person", "owner", "agency", "screening", "protection", "orientation",
                             "person__origin_region").prefetch_related(
        Prefetch("components", queryset=PlanComponent.objects.order_by("planned_start")),
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on")))


def queue(user, *, owner=None, stage: str = "", today: dt.date | None = None) -> list[Waiting]:
    """Open cases the user sees, oldest wait first."""
    today = today or timezone.localdate()
    qs = cases_visible_to(user).filter(closed_on__isnull=True)
    if owner is not None:
        qs = qs.filter(owner=owner)
    rows = []
    for case in _with_steps(qs):
        pos = position(case, today)
        if stage and pos.stage != stage:
            continue
        rows.append(Waiting(case, pos, pos.days_waiting(today), pos.overdue(today)))
    rows.sort(key=lambda w: (-w.days, str(w.case.pk)))
    return rows


def backlog(user, today: dt.date | None = None) -> dict:
    """Counts per stage, agency, region and case worker, with how many are overdue (no names)."""
    today = today or timezone.localdate()
    per_stage, overdue = Counter(), Counter()
    per_agency, per_region, per_owner = Counter(), Counter(), Counter()
    waits = defaultdict(list)
    for case in _with_steps(queue_scope(user).filter(closed_on__isnull=True)):
        pos = position(case, today)
        per_stage[pos.stage] += 1
        waits[pos.stage].append(pos.days_waiting(today))
        if pos.overdue(today):
            overdue[pos.stage] += 1
            per_agency[case.agency.code] += 1
            per_region[case.person.origin_region.name if case.person.origin_region_id else "—"] += 1
            per_owner[case.owner.username if case.owner_id else "—"] += 1
    stages = [{"stage": s, "label": STAGES[s], "open": per_stage[s], "overdue": overdue[s],
               "median_days": int(statistics.median(waits[s])) if waits[s] else 0}
              for s in STAGES if s != "closed"]
    return {"stages": stages, "overdue_by_agency": per_agency.most_common(), "overdue_by_region": per_region.most_common(),
            "overdue_by_owner": per_owner.most_common()}


def days_to_plan_by_month(user) -> list[dict]:
    """For cases that got a plan: median and 90th percentile of days from arrival to the plan's
    first component, per month of arrival — is the wait getting shorter?"""
    per_month = defaultdict(list)
    for case in queue_scope(user).filter(components__isnull=False).prefetch_related("components").distinct():
        first = min(c.created_on for c in case.components.all())
        per_month[case.arrived_on.strftime("%Y-%m")].append((first - case.arrived_on).days)
    out = []
    for month in sorted(per_month):
        days = sorted(per_month[month])
        out.append({"month": month, "cases": len(days), "median": statistics.median(days),
                    "p90": days[min(len(days) - 1, int(round(0.9 * (len(days) - 1))))]})
    return out


def tasks_today(user, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    mine = cases_visible_to(user).filter(closed_on__isnull=True, owner=user)
    follow_ups = FollowUp.objects.filter(case__in=mine, done_on__isnull=True, due_on__lte=today + dt.timedelta(days=7)
                                         ).select_related("case__person").order_by("due_on")
    return {"follow_ups": list(follow_ups), "overdue": [w for w in queue(user, owner=user, today=today) if w.overdue]}

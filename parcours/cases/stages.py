"""The stage of a case, derived from what happened — and how long the person has been waiting
for the next step, against a target.

`position(case, today, targets)` is a pure function of the case's records: nothing types a
stage. Targets and the follow-up schedule are data (StageTarget, FollowUpOffset rows, editable in
the admin); the defaults below only fill a key a programme has not configured."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

STAGES = {
    "screening": _("vulnerability screening"),
    "protection": _("protection assessment"),
    "orientation": _("orientation interview"),
    "plan": _("reintegration plan"),
    "delivery": _("assistance delivery"),
    "follow_up": _("follow-up"),
    "completion": _("ready to close"),
    "closed": _("closed"),
}
OPEN_STAGES = [s for s in STAGES if s != "closed"]

# What each target counts from (shown next to the target so nobody guesses).
TARGET_FROM = {
    "screening": _("days after arrival"),
    "protection": _("days after the screening"),
    "orientation": _("days after arrival"),
    "plan": _("days after arrival"),
    "training_start": _("days after the plan"),
    "delivery": _("days after the plan"),
    "follow_up": _("days after the due date"),
    "completion": _("days after the last step"),
}
DEFAULT_TARGETS = {"screening": 3, "protection": 7, "orientation": 7, "plan": 30, "training_start": 60,
                   "delivery": 90, "follow_up": 0, "completion": 30}
DEFAULT_FOLLOW_UPS = [(1, "call"), (3, "visit"), (6, "visit"), (12, "visit")]
MINIMUM_FOLLOW_UP_MONTHS = 12


def targets() -> dict[str, int]:
    """The targets in force: the StageTarget rows over the defaults."""
    from .models import StageTarget

    return {**DEFAULT_TARGETS, **dict(StageTarget.objects.values_list("key", "days"))}


def follow_up_schedule() -> list[tuple[int, str]]:
    """(months after the plan starts, mode) for each follow-up contact: the FollowUpOffset rows."""
    from .models import FollowUpOffset

    return list(FollowUpOffset.objects.order_by("months").values_list("months", "mode")) or DEFAULT_FOLLOW_UPS


@dataclass
class Position:
    stage: str
    waiting_since: dt.date
    target_days: int
    target_key: str = ""

    @property
    def label(self):
        return STAGES[self.stage]

    @property
    def target_from(self):
        return TARGET_FROM.get(self.target_key or self.stage, "")

    def days_waiting(self, today: dt.date) -> int:
        return max(0, (today - self.waiting_since).days)

    def overdue(self, today: dt.date) -> bool:
        return self.stage != "closed" and (today - self.waiting_since).days > self.target_days


def _get(case, name):
    try:
        return getattr(case, name)
    except Exception:  # noqa: BLE001 - a missing one-to-one raises RelatedObjectDoesNotExist
        return None


def plan_started_on(case) -> dt.date | None:
    """The plan starts with its first component (cancelled ones included: the plan existed)."""
    days = [c.created_on for c in case.components.all()]
    return min(days) if days else None


def position(case, today: dt.date, target_days: dict[str, int] | None = None) -> Position:
    """Where the case stands and since when. Pure: reads the case's records, writes nothing.

    screening → protection (vulnerable) or orientation (others) → plan → delivery of every
    component → follow-ups (at least 12 months) → completion → closed."""
    t = target_days if target_days is not None else targets()
    if case.closed_on:
        return Position("closed", case.closed_on, 0)
    screening = _get(case, "screening")
    if screening is None:
        return Position("screening", case.arrived_on, t["screening"])
    orientation = _get(case, "orientation")
    if screening.vulnerable:
        if _get(case, "protection") is None and orientation is None:
            return Position("protection", screening.done_on, t["protection"])
    elif orientation is None:
        return Position("orientation", case.arrived_on, t["orientation"])
    components = [c for c in case.components.all() if c.status != "cancelled"]
    if not components:
        return Position("plan", case.arrived_on, t["plan"])
    plan_start = plan_started_on(case)
    pending = [c for c in components if c.status != "delivered"]
    if pending:
        if any(c.kind == "vocational_training" and not c.started_on for c in pending):
            return Position("delivery", plan_start, t["training_start"], "training_start")
        return Position("delivery", plan_start, t["delivery"])
    follow_ups = list(case.follow_ups.all())
    open_follow_ups = sorted((f for f in follow_ups if not f.outcome), key=lambda f: f.due_on)
    if open_follow_ups:
        return Position("follow_up", open_follow_ups[0].due_on, t["follow_up"])
    last = max([c.delivered_on for c in components if c.delivered_on] + [f.done_on for f in follow_ups if f.done_on]
               + [case.arrived_on])
    return Position("completion", last, t["completion"])


def follow_up_complete(case) -> bool:
    """Every scheduled follow-up has an outcome, and they cover at least 12 months."""
    follow_ups = list(case.follow_ups.all())
    return bool(follow_ups) and all(f.outcome for f in follow_ups) and max(
        f.months_after_plan for f in follow_ups) >= MINIMUM_FOLLOW_UP_MONTHS

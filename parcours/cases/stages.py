"""The stage of a case, derived from what happened — and how long the person has been waiting
for the next step, against a target. Targets are data: a programme changes them here or in
settings (CASE_TARGET_DAYS), not in the code that uses them."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
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
# Days the next step may wait after the previous one.
TARGET_DAYS = {"screening": 3, "protection": 7, "orientation": 7, "plan": 30, "delivery": 90, "follow_up": 0,
               "completion": 30, **getattr(settings, "CASE_TARGET_DAYS", {})}
FOLLOW_UP_MONTHS = getattr(settings, "CASE_FOLLOW_UP_MONTHS", [1, 3, 6, 12])


@dataclass
class Position:
    stage: str
    waiting_since: dt.date
    target_days: int

    @property
    def label(self):
        return STAGES[self.stage]

    def days_waiting(self, today: dt.date) -> int:
        return (today - self.waiting_since).days

    def overdue(self, today: dt.date) -> bool:
        return self.stage != "closed" and self.days_waiting(today) > self.target_days


def _get(case, name):
    try:
        return getattr(case, name)
    except Exception:  # noqa: BLE001 - a missing one-to-one raises RelatedObjectDoesNotExist
        return None


def position(case, today: dt.date) -> Position:
    """Where the case stands. Pure function of the case's records."""
    if case.closed_on:
        return Position("closed", case.closed_on, 0)
    screening = _get(case, "screening")
    if screening is None:
        return Position("screening", case.arrived_on, TARGET_DAYS["screening"])
    if screening.vulnerable and _get(case, "protection") is None:
        return Position("protection", screening.done_on, TARGET_DAYS["protection"])
    orientation = _get(case, "orientation")
    if orientation is None:
        return Position("orientation", screening.done_on, TARGET_DAYS["orientation"])
    components = [c for c in case.components.all() if c.status != "cancelled"]
    if not components:
        return Position("plan", orientation.done_on, TARGET_DAYS["plan"])
    pending = [c for c in components if c.status != "delivered"]
    if pending:
        return Position("delivery", min(c.created_on for c in pending), TARGET_DAYS["delivery"])
    open_follow_ups = [f for f in case.follow_ups.all() if not f.done_on]
    if open_follow_ups:
        return Position("follow_up", open_follow_ups[0].due_on, TARGET_DAYS["follow_up"])
    last = max([c.delivered_on for c in components if c.delivered_on] + [f.done_on for f in case.follow_ups.all()
                                                                        if f.done_on] + [case.arrived_on])
    return Position("completion", last, TARGET_DAYS["completion"])

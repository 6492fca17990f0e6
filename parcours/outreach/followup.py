"""After the activity: the follow-up call a month later and the pre/post perception questions.

The call falls due one month after the day held (`followup_due_on`, kept on the activity and moved
when the day held is corrected). Its status on a day: "done" once made; "upcoming" before the due
day; "due" from the due day for a week (FOLLOWUP_GRACE_DAYS); "overdue" after that. A cancelled
activity owes no call.

Perception: for each of PERCEPTION_QUESTIONS, how many participants answered yes before and after
(a show of hands); each count at most the participants. Recording again replaces the counts sent.
Both are written by whoever may correct the activity (policies.activity_for_write)."""

import calendar
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.core.errors import ValidationFailed, form_errors

from .models import PERCEPTION_QUESTIONS, Activity
from .policies import activity_for_write
from .validation import FollowupInput, PerceptionInput, perception_fields

FOLLOWUP_GRACE_DAYS = 7


class FollowupStatus:
    DONE, UPCOMING, DUE, OVERDUE, NONE = "done", "upcoming", "due", "overdue", "none"
    VALUES = (DONE, UPCOMING, DUE, OVERDUE, NONE)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def followup_due(held_on: dt.date) -> dt.date:
    return add_months(held_on, 1)


def followup_status(activity: Activity, today: dt.date | None = None) -> str:
    if activity.followup_on is not None:
        return FollowupStatus.DONE
    if activity.cancelled or activity.followup_due_on is None:
        return FollowupStatus.NONE
    today = today or timezone.localdate()
    if today < activity.followup_due_on:
        return FollowupStatus.UPCOMING
    if today <= activity.followup_due_on + dt.timedelta(days=FOLLOWUP_GRACE_DAYS):
        return FollowupStatus.DUE
    return FollowupStatus.OVERDUE


def followup_status_label(status: str) -> str:
    return {FollowupStatus.DONE: _("follow-up call made"), FollowupStatus.UPCOMING: _("follow-up call upcoming"),
            FollowupStatus.DUE: _("follow-up call due"), FollowupStatus.OVERDUE: _("follow-up call overdue"),
            FollowupStatus.NONE: _("no follow-up call")}[status]


def followup_filter(qs, status: str, today: dt.date | None = None):
    """Narrow a queryset of activities to one follow-up status (the lists' filter)."""
    today = today or timezone.localdate()
    grace = today - dt.timedelta(days=FOLLOWUP_GRACE_DAYS)
    pending = qs.filter(followup_on__isnull=True, cancelled=False, followup_due_on__isnull=False)
    if status == FollowupStatus.DONE:
        return qs.filter(followup_on__isnull=False)
    if status == FollowupStatus.UPCOMING:
        return pending.filter(followup_due_on__gt=today)
    if status == FollowupStatus.DUE:
        return pending.filter(followup_due_on__lte=today, followup_due_on__gte=grace)
    if status == FollowupStatus.OVERDUE:
        return pending.filter(followup_due_on__lt=grace)
    raise ValidationFailed({"followup": [_("Unknown value “%(value)s”.") % {"value": status}]})


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _locked(by, activity_id) -> Activity:
    activity = activity_for_write(by, activity_id)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.cancelled:
        raise ValidationFailed({"activity": [_("This activity was cancelled; record it again instead.")]})
    return activity


@transaction.atomic
def followup_record(*, by, activity_id, followup_on, followup_outcome, followup_reached=None,
                    followup_note="") -> Activity:
    """Record (or correct) the follow-up call of an activity."""
    activity = _locked(by, activity_id)
    values = followup_values(activity, {"followup_on": followup_on, "followup_outcome": followup_outcome,
                                        "followup_reached": followup_reached, "followup_note": followup_note})
    for field, value in values.items():
        setattr(activity, field, value)
    activity.followup_by = by
    activity.save(update_fields=["followup_on", "followup_outcome", "followup_reached", "followup_note",
                                 "followup_by", "updated_at"])
    return activity


def followup_values(activity: Activity, values: dict) -> dict:
    """The follow-up call's fields checked against `activity` (its date, its participants)."""
    form = FollowupInput(activity=activity, data={name: _text(values.get(name)) for name in FollowupInput.base_fields})
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return {name: form.cleaned_data[name] for name in FollowupInput.base_fields}


def perception_values(activity: Activity, counts: dict) -> dict:
    """The perception counts sent, checked against `activity` (at most its participants); those not
    sent keep the activity's value."""
    names = perception_fields()
    unknown = set(counts) - set(names)
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    values = {name: counts[name] if name in counts else getattr(activity, name) for name in names}
    form = PerceptionInput(activity=activity, data={k: _text(v) for k, v in values.items()})
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return {name: form.cleaned_data[name] for name in names}


@transaction.atomic
def perception_record(*, by, activity_id, **counts) -> Activity:
    """Record the pre/post perception counts sent (field names `<question>_before` / `_after`);
    those not sent keep their value, an empty one clears it."""
    activity = _locked(by, activity_id)
    names = perception_fields()
    for name, value in perception_values(activity, counts).items():
        setattr(activity, name, value)
    activity.save(update_fields=[*names, "updated_at"])
    return activity


def perception_rows(activity: Activity) -> list[dict]:
    """Each question with its counts (None: not asked)."""
    return [{"question": q, "label": str(label), "before": getattr(activity, f"{q}_before"),
             "after": getattr(activity, f"{q}_after")} for q, label in PERCEPTION_QUESTIONS]

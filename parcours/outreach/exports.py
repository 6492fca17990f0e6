"""Sensitization activities as a spreadsheet (web and `parcours export activities`): the list the
user sees (same scope, same filters), counts only — no names, no notes, not who typed it — every
cell neutralised (parcours.core.spreadsheets) and every export logged."""

import datetime as dt

from django.utils import timezone

from parcours.audit.services import log_export
from parcours.core.errors import Forbidden
from parcours.core.exports import register_exporter
from parcours.core.spreadsheets import csv_bytes, xlsx_bytes

from . import selectors
from .followup import followup_status
from .models import Activity
from .policies import can_read_activities
from .validation import perception_fields

EXPORT_FIELDS = ["activity", "held_on", "commune", "commune_path", "kind", "theme", "audience", "organiser",
                 "organiser_kind", "participants_female", "participants_male", "participants_minors", "participants",
                 "communities_reached", "audience_estimate", "grant", "followup_due_on", "followup_status",
                 "followup_on", "followup_outcome", "followup_reached", *perception_fields(), "cancelled"]


def _row(a: Activity, today: dt.date) -> list:
    return [str(a.pk), a.held_on, a.commune.name, a.commune.path, a.kind, a.theme, a.audience, a.organiser.code,
            a.organiser_kind, a.participants_female, a.participants_male, a.participants_minors, a.participants,
            a.communities_reached, a.audience_estimate, a.grant.reference if a.grant_id else "",
            a.followup_due_on, followup_status(a, today), a.followup_on, a.followup_outcome, a.followup_reached,
            *[getattr(a, f) for f in perception_fields()], a.cancelled]


def activities_export(*, by, flt: selectors.ActivityFilter | None = None, fmt: str = "csv") -> tuple[bytes, int]:
    """The activities `by` may see, filtered as the list is. Every export is logged with its filters."""
    if not can_read_activities(by):
        raise Forbidden()
    flt = flt or selectors.ActivityFilter()
    today = timezone.localdate()
    qs = selectors.activities_list(by, flt).select_related("commune", "organiser", "grant")
    rows = [_row(a, today) for a in qs.iterator(chunk_size=2000)]
    data = xlsx_bytes({"activities": (EXPORT_FIELDS, rows)}) if fmt == "xlsx" else csv_bytes(EXPORT_FIELDS, rows)
    filters = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in vars(flt).items() if v}
    log_export(user=by, model=Activity, filters=filters, rows=len(rows), fmt=fmt)
    return data, len(rows)


def _day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _activities_file(*, by, fmt: str, start: str = "", end: str = "", **_options) -> tuple[bytes, int]:
    return activities_export(by=by, flt=selectors.ActivityFilter(start=_day(start), end=_day(end)), fmt=fmt)


register_exporter("activities", formats=("csv", "xlsx"), run=_activities_file)

"""The complaints register as a spreadsheet (web and `parcours export complaints`) for those who
review it: one row per complaint received, without names, contact or content — reference, dates,
channel, category, gravity, status, place, deadline kept or not. Sensitive complaints (protection,
sexual exploitation, fraud) are rows only for the restricted handler (policies); every cell is
neutralised (parcours.core.spreadsheets) and every export logged."""

import datetime as dt

from django.utils import timezone

from parcours.audit.services import log_export
from parcours.core.errors import Forbidden
from parcours.core.exports import register_exporter
from parcours.core.spreadsheets import csv_bytes, xlsx_bytes

from .models import Complaint
from .policies import can_read_register, register_rows_visible_to

EXPORT_FIELDS = ["reference", "received_on", "channel", "category", "gravity", "status", "place", "place_path",
                 "anonymous", "due_on", "acknowledged_on", "resolved_on", "appealed_on", "closed_on", "overdue",
                 "resolved_on_time", "days_to_resolve"]


def _row(c: Complaint, today: dt.date) -> list:
    return [c.reference, c.received_on, c.channel, c.category, c.gravity, c.status,
            c.place.name if c.place_id else "", c.place.path if c.place_id else "", c.anonymous, c.due_on,
            c.acknowledged_on, c.resolved_on, c.appealed_on, c.closed_on, c.is_overdue(today),
            (c.resolved_on <= c.due_on) if c.resolved_on else "",
            (c.resolved_on - c.received_on).days if c.resolved_on else ""]


def register_export(*, by, start: dt.date | None = None, end: dt.date | None = None,
                    fmt: str = "csv") -> tuple[bytes, int]:
    """The complaints received in the period that `by` may count in the register, oldest first."""
    if not can_read_register(by):
        raise Forbidden()
    today = timezone.localdate()
    qs = register_rows_visible_to(by).select_related("place")
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)
    rows = [_row(c, today) for c in qs.order_by("received_on", "reference").iterator(chunk_size=2000)]
    data = xlsx_bytes({"complaints": (EXPORT_FIELDS, rows)}) if fmt == "xlsx" else csv_bytes(EXPORT_FIELDS, rows)
    filters = {k: v.isoformat() for k, v in (("from", start), ("to", end)) if v}
    log_export(user=by, model=Complaint, filters=filters, rows=len(rows), fmt=fmt)
    return data, len(rows)


def _day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _register_file(*, by, fmt: str, start: str = "", end: str = "", **_options) -> tuple[bytes, int]:
    return register_export(by=by, start=_day(start), end=_day(end), fmt=fmt)


register_exporter("complaints", formats=("csv", "xlsx"), run=_register_file)

"""The ledger as a spreadsheet (web and `parcours export ledger`), scoped, neutralised and logged."""

import datetime as dt

from parcours.audit.services import log_export
from parcours.core.errors import Forbidden
from parcours.core.exports import register_exporter
from parcours.core.spreadsheets import csv_bytes, xlsx_bytes

from . import selectors
from .models import LedgerEntry
from .policies import can_read_ledger

EXPORT_FIELDS = ["entry", "kind", "person", "given_name", "family_name", "scheme", "version", "tranche", "period",
                 "amount_xof", "paid_on", "channel", "id_document_type", "id_document_number", "proof_reference",
                 "reversal_of", "recorded_by", "created_at"]


def _row(e: LedgerEntry) -> list:
    return [str(e.pk), e.kind, str(e.person_id), e.person.given_name, e.person.family_name, e.scheme.code,
            e.version.number, e.tranche, e.period, e.amount_xof, e.paid_on.isoformat(), e.channel,
            e.id_document_type, e.id_document_number, e.proof_reference, str(e.reversal_of_id or ""),
            e.recorded_by.username, e.created_at.isoformat()]


def ledger_export(*, by, flt: selectors.LedgerFilter, fmt: str = "csv") -> tuple[bytes, int]:
    """The ledger rows `by` may see, filtered. Every export is logged with its filters."""
    if not can_read_ledger(by):
        raise Forbidden()
    qs = selectors.ledger_list(by, flt).select_related("person", "scheme", "version", "recorded_by")
    rows = [_row(e) for e in qs.iterator(chunk_size=2000)]
    data = xlsx_bytes({"ledger": (EXPORT_FIELDS, rows)}) if fmt == "xlsx" else csv_bytes(EXPORT_FIELDS, rows)
    log_export(user=by, model=LedgerEntry, filters=flt.as_dict(), rows=len(rows), fmt=fmt)
    return data, len(rows)


def _day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _ledger_file(*, by, fmt: str, start: str = "", end: str = "", **_options) -> tuple[bytes, int]:
    return ledger_export(by=by, flt=selectors.LedgerFilter(date_from=_day(start), date_to=_day(end)), fmt=fmt)


register_exporter("ledger", formats=("csv", "xlsx"), run=_ledger_file)

"""Reads and exports are audited too: one LogEntry (action "access") per read of protected data,
per record an auditor opens, and per export with its filters."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from parcours.accounts.models import Role


def log_access(*, user, instance, what: str = "read", fields: list[str] | None = None) -> LogEntry:
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_pk=str(instance.pk),
        object_repr=str(instance)[:200],
        action=LogEntry.Action.ACCESS,
        actor=user if getattr(user, "is_authenticated", False) else None,
        changes_text=what,
        additional_data={"what": what, "fields": fields or []},
    )


def log_export(*, user, model, filters: dict, rows: int, fmt: str) -> LogEntry:
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="export",
        object_repr=f"export {model._meta.verbose_name_plural} ({rows})",
        action=LogEntry.Action.ACCESS,
        actor=user,
        changes_text="export",
        additional_data={"what": "export", "filters": filters, "rows": rows, "format": fmt},
    )


def log_read_if_audited(*, user, instance) -> None:
    """Auditors read everything, and every one of their reads is logged (CONTRACT.md)."""
    if getattr(user, "role", None) == Role.AUDITOR:
        log_access(user=user, instance=instance, what="auditor read")

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


# Roles every read of which is logged, lists included (CONTRACT.md: the auditor).
AUDITED_READERS = {Role.AUDITOR}


def reads_are_audited(user) -> bool:
    return getattr(user, "role", None) in AUDITED_READERS


def log_read_if_audited(*, user, instance) -> None:
    """Auditors read everything, and every one of their reads is logged (CONTRACT.md)."""
    if reads_are_audited(user):
        log_access(user=user, instance=instance, what="auditor read")


LIST_READ = "auditor list read"


def log_list_read_if_audited(*, request, user, rows, model=None) -> None:
    """One entry per list an audited role reads (API list, list page): the address with its
    filters, how many rows and which (their ids), per kind of record shown."""
    if not reads_are_audited(user):
        return
    by_model: dict = {}
    for row in rows:
        meta = getattr(row, "_meta", None)
        if meta is not None and getattr(row, "pk", None) is not None:
            by_model.setdefault(meta.model, []).append(str(row.pk))
    if not by_model and model is not None:
        by_model[model] = []
    for kind, ids in by_model.items():
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(kind),
            object_pk="list",
            object_repr=f"list: {len(ids)} × {kind._meta.model_name}",
            action=LogEntry.Action.ACCESS,
            actor=user,
            changes_text=LIST_READ,
            additional_data={"what": "list", "path": request.get_full_path()[:1000], "rows": len(ids), "ids": ids},
        )

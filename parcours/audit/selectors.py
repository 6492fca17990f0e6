from dataclasses import dataclass

from auditlog.models import LogEntry
from django.db.models import QuerySet

from .policies import can_read_audit


@dataclass
class AuditFilter:
    actor: str = ""
    action: str = ""
    model: str = ""
    object_pk: str = ""


def audit_entries(user, flt: AuditFilter) -> QuerySet[LogEntry]:
    if not can_read_audit(user):
        return LogEntry.objects.none()
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if flt.actor:
        qs = qs.filter(actor__username=flt.actor)
    if flt.action.isdigit():
        qs = qs.filter(action=int(flt.action))
    if flt.model:
        qs = qs.filter(content_type__model=flt.model.lower())
    if flt.object_pk:
        qs = qs.filter(object_pk=flt.object_pk)
    return qs

"""Who files, reads and handles complaints. The only place that decides it.

- Anyone may file one: every staff role but the read-only ones, and the public without an
  account (the public page). The staff member who filed a complaint that is not sensitive may
  read it back; a sensitive one disappears from their view at once.
- Sensitive complaints (protection, sexual exploitation, fraud) are seen only by the restricted
  handlers: protection officers and the administrator. Everyone else, the auditor included, gets
  "not found" and never sees them in a list.
- The other complaints are handled by M&E officers, protection officers and the administrator,
  and read (not handled) by the auditor, every read logged.
- The register (volumes, categories, overdue, time to resolve; no names, no content) is for
  managers, M&E, the auditor, protection and the administrator; its export lists one row per
  complaint without names or content, the sensitive ones only for the restricted handlers.
A place-bound user sees the complaints about their place and those tied to no place."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import READ_ONLY, can
from parcours.audit.services import log_read_if_audited
from parcours.core.errors import Forbidden, NotFound

from .models import Complaint

SENSITIVE_HANDLERS = {Role.PROTECTION, Role.ADMIN}
HANDLERS = {Role.ADMIN, Role.ME_OFFICER, Role.PROTECTION}
READERS = HANDLERS | {Role.AUDITOR}
FILERS = set(Role.values) - READ_ONLY
REGISTER_READERS = {Role.ADMIN, Role.ME_OFFICER, Role.MANAGER, Role.AUDITOR, Role.PROTECTION}


def can_file(user) -> bool:
    return can(user, FILERS)


def can_read_queue(user) -> bool:
    return can(user, READERS)


def can_read_register(user) -> bool:
    return can(user, REGISTER_READERS)


def in_place(user) -> Q:
    if user.place_id is None:
        return Q()
    return Q(place__isnull=True) | Q(place__path__startswith=user.place.path)


def complaints_visible_to(user) -> QuerySet[Complaint]:
    qs = Complaint.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.role in SENSITIVE_HANDLERS:
        return qs.filter(in_place(user))
    if user.role in READERS:
        return qs.filter(in_place(user), sensitive=False)
    if user.role in FILERS:
        return qs.filter(received_by=user, sensitive=False)
    return qs.none()


def register_rows_visible_to(user) -> QuerySet[Complaint]:
    """The complaints the register export lists row by row (no names, no content): those in the
    user's place, the sensitive ones only for the restricted handlers."""
    if not can_read_register(user):
        return Complaint.objects.none()
    qs = Complaint.objects.filter(in_place(user))
    if not can(user, SENSITIVE_HANDLERS):
        qs = qs.filter(sensitive=False)
    return qs


def complaint_for_read(user, complaint_id) -> Complaint:
    """The complaint, if `user` may see it; NotFound otherwise, whether missing, out of scope or
    sensitive and the user no restricted handler."""
    try:
        complaint = (complaints_visible_to(user).select_related("place", "person", "received_by", "handled_by")
                     .get(pk=complaint_id))
    except (Complaint.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None
    log_read_if_audited(user=user, instance=complaint)
    return complaint


def can_handle(user, complaint: Complaint) -> bool:
    if complaint.sensitive:
        return can(user, SENSITIVE_HANDLERS)
    return can(user, HANDLERS)


def complaint_for_handling(user, complaint_id) -> Complaint:
    complaint = complaint_for_read(user, complaint_id)
    if not can_handle(user, complaint):
        raise Forbidden()
    return complaint

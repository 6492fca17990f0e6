"""Who reads the audit trail: auditors and administrators (which entries: `selectors.audit_entries`)."""

from parcours.accounts.roles import AUDIT_READERS, can


def can_read_audit(user) -> bool:
    return can(user, AUDIT_READERS)

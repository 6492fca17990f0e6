"""What each role may do, as data the policies read. Changing who may do what is an edit here."""

from .models import Role

# Roles that may register people and edit their civil-status data.
REGISTRARS = {Role.ADMIN, Role.RECEPTION, Role.PROTECTION, Role.CASEWORKER, Role.CENTRE_MANAGER}
# Roles that read people at all (the rest work on aggregates or their own domain).
PEOPLE_READERS = REGISTRARS | {Role.SERVICE_PROVIDER, Role.ME_OFFICER, Role.AUDITOR}
# Roles that may read protection data (screening answers, confidential notes, protection facts).
# Not the auditor: it reads every record and log "but not the content of protection data" (CONTRACT.md).
PROTECTION_READERS = {Role.PROTECTION, Role.ADMIN}
# Roles that register the participants of a sensitization activity who consent to be named, and
# see those people only (parcours/people/policies.py): nobody else in the registry.
PARTICIPANT_REGISTRARS = {Role.ADMIN, Role.FOCAL_POINT}
# Roles that see no one in the registry but the participants their agency named with consent.
NAMED_PARTICIPANTS_ONLY = {Role.FOCAL_POINT}
# Roles that may import passenger manifests.
IMPORTERS = {Role.ADMIN, Role.RECEPTION}
# Roles that review possible duplicates and merge records.
DEDUP_REVIEWERS = {Role.ADMIN, Role.RECEPTION, Role.ME_OFFICER}
# Roles that see the audit trail.
AUDIT_READERS = {Role.AUDITOR, Role.ADMIN}
# Roles that clean the gazetteer (confirm place names it did not know).
PLACE_CLEANERS = {Role.ADMIN, Role.ME_OFFICER}
# Roles that manage accounts (users' API tokens).
ACCOUNT_ADMINS = {Role.ADMIN}
# Read-only roles: every write service refuses them.
READ_ONLY = {Role.AUDITOR, Role.MANAGER}


def can(user, roles: set) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)

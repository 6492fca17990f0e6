"""Who may see and change assistance data. The only place that decides it.

- Schemes are programme rules, not personal data: every signed-in user may read them; only
  administrators edit them.
- The ledger of a person follows the person: `people_visible_to` (joint-registry agencies in their
  places, an NGO only the people assigned or referred to it, admin and auditor everything).
  Service providers (training centres…) do not see payments; the programme manager sees totals only.
- Payments, reversals and verification visits are recorded by case workers and administrators.
- Training attendance typed here is the referring side's own figure (case workers, administrators)
  and counts for the training allowance as typed. Service providers report theirs on the referral,
  where the referring side validates it before it counts (parcours.referrals)."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import PEOPLE_READERS, can
from parcours.audit.services import log_read_if_audited
from parcours.core.errors import Forbidden, NotFound
from parcours.people.policies import people_visible_to, person_for_read

from .models import LedgerEntry, Scheme

PAYERS = {Role.ADMIN, Role.CASEWORKER}
LEDGER_READERS = PEOPLE_READERS - {Role.SERVICE_PROVIDER}
TOTALS_READERS = LEDGER_READERS | {Role.MANAGER}
ATTENDANCE_RECORDERS = {Role.ADMIN, Role.CASEWORKER}
SCHEME_EDITORS = {Role.ADMIN}


def schemes_visible_to(user) -> QuerySet[Scheme]:
    if not (user and user.is_authenticated and user.is_active):
        return Scheme.objects.none()
    return Scheme.objects.all()


def scheme_for_read(user, code: str) -> Scheme:
    scheme = schemes_visible_to(user).select_related("category").filter(code=code).first()
    if scheme is None:
        raise NotFound()
    return scheme


def scheme_for_edit(user, code: str) -> Scheme:
    scheme = scheme_for_read(user, code)
    if not can_edit_schemes(user):
        raise Forbidden()
    return scheme


def can_edit_schemes(user) -> bool:
    return can(user, SCHEME_EDITORS)


def can_record_payments(user) -> bool:
    return can(user, PAYERS)


def can_read_ledger(user) -> bool:
    return can(user, LEDGER_READERS)


def can_read_eligibility(user) -> bool:
    """A person's eligibility names the schemes and amounts they may receive: programme staff only,
    as the payments it leads to (a service provider reads neither)."""
    return can_read_ledger(user)


def can_read_totals(user) -> bool:
    return can(user, TOTALS_READERS)


def ledger_visible_to(user) -> QuerySet[LedgerEntry]:
    """Ledger rows `user` may read: those of the people they may see."""
    if not can_read_ledger(user):
        return LedgerEntry.objects.none()
    if user.role in (Role.ADMIN, Role.AUDITOR):
        return LedgerEntry.objects.all()
    visible = people_visible_to(user).values("pk")
    # Entries of a duplicate record merged into a visible person stay visible on the survivor.
    return LedgerEntry.objects.filter(Q(person__in=visible) | Q(person__merged_into__in=visible))


def ledger_for_totals(user) -> QuerySet[LedgerEntry]:
    """Rows that may be summed for `user`: the manager sees programme totals, never rows."""
    if can(user, {Role.MANAGER}):
        return LedgerEntry.objects.all()
    return ledger_visible_to(user)


def entry_for_read(user, entry_id) -> LedgerEntry:
    try:
        entry = ledger_visible_to(user).select_related("person", "scheme", "version").get(pk=entry_id)
    except (LedgerEntry.DoesNotExist, ValueError, TypeError, ValidationError):  # malformed ids too
        raise NotFound() from None
    log_read_if_audited(user=user, instance=entry)
    return entry


def entry_for_reversal(user, entry_id) -> LedgerEntry:
    entry = entry_for_read(user, entry_id)
    if not can_record_payments(user):
        raise Forbidden()
    return entry


def person_for_payment(user, person_id):
    """The person, if visible (404 otherwise) and if `user` may record assistance (403 otherwise)."""
    person = person_for_read(user, person_id)
    if not can_record_payments(user):
        raise Forbidden()
    return person


def can_record_attendance(user) -> bool:
    """Training attendance typed on the assistance side: case workers and administrators (a training
    centre's figure goes through its referral and is validated there before it counts)."""
    return can(user, ATTENDANCE_RECORDERS)


def person_for_attendance(user, person_id):
    person = person_for_read(user, person_id)
    if not can_record_attendance(user):
        raise Forbidden()
    return person

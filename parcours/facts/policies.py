"""Who may read which facts about a person: the sensitivity of each kind, asked of the roles."""

from parcours.accounts.models import Role
from parcours.accounts.roles import PROTECTION_READERS, can

from .kinds import Sensitivity

# Staff of the programme read case steps and amounts; a service provider that received a
# referral reads only what any reader of the person may (its own referral, consent); so does a
# focal point about the participants it named (their registration, consent, the activities).
_PROGRAMME_EXCLUDED = {Role.SERVICE_PROVIDER, Role.FOCAL_POINT}


def may_read(user, sensitivity: Sensitivity) -> bool:
    """Whether `user` may read what is as sensitive as `sensitivity` about a person they see: a
    timeline line, and the panel or record the line describes (a panel follows its facts)."""
    return sensitivity_ceiling(user) >= sensitivity


def sensitivity_ceiling(user) -> Sensitivity:
    """The most sensitive kind of fact about a visible person that `user` may read."""
    if can(user, PROTECTION_READERS):
        return Sensitivity.PROTECTION
    if user is None or not getattr(user, "is_authenticated", False) or user.role in _PROGRAMME_EXCLUDED:
        return Sensitivity.PUBLIC
    return Sensitivity.PROGRAMME

"""Who sees which possible duplicates: reviewers, and only pairs whose two people they both see."""

from django.db.models import Q, QuerySet

from parcours.accounts.models import Role
from parcours.accounts.roles import DEDUP_REVIEWERS, READ_ONLY, can
from parcours.core.errors import Forbidden, NotFound
from parcours.people.models import Person
from parcours.people.policies import people_visible_to

from .models import DuplicatePair, Merge

READERS = DEDUP_REVIEWERS | {Role.AUDITOR}


def pairs_visible_to(user) -> QuerySet[DuplicatePair]:
    if not can(user, READERS):
        return DuplicatePair.objects.none()
    live = people_visible_to(user).values("pk")
    # A merged record stays reviewable (history, undo) through the record it was merged into.
    visible = Person.objects.filter(Q(pk__in=live) | Q(merged_into__in=live)).values("pk")
    return DuplicatePair.objects.filter(person_a__in=visible, person_b__in=visible)


def pair_for_read(user, pair_id) -> DuplicatePair:
    pair = pairs_visible_to(user).select_related("person_a", "person_b").filter(pk=pair_id).first()
    if pair is None:
        raise NotFound()
    return pair


def can_read_pairs(user) -> bool:
    """The review queue and the merges at all (which pairs: `pairs_visible_to`)."""
    return can(user, READERS)


def can_review(user) -> bool:
    return can(user, DEDUP_REVIEWERS - READ_ONLY)


def pair_for_review(user, pair_id) -> DuplicatePair:
    pair = pair_for_read(user, pair_id)
    if not can_review(user):
        raise Forbidden()
    return pair


def merges_visible_to(user) -> QuerySet[Merge]:
    pairs = pairs_visible_to(user).values("pk")
    return Merge.objects.filter(pair__in=pairs).select_related("survivor", "merged", "performed_by", "undone_by")

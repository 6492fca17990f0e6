"""Writes on agencies, places, users and tokens."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import Agency, ApiToken, Place, User
from .selectors import name_key


def place_upsert(*, code: str, name: str, kind: str, parent: Place | None = None) -> Place:
    """Create or update a place; idempotent so demo loading and imports can be rerun."""
    path = f"{parent.path if parent else '/'}{code}/"
    search_name = name_key(name)
    place, created = Place.objects.get_or_create(
        path=path, defaults={"code": code, "name": name, "kind": kind, "parent": parent, "search_name": search_name}
    )
    if not created and (place.name, place.kind) != (name, kind):
        place.name, place.kind, place.search_name = name, kind, search_name
        place.save(update_fields=["name", "kind", "search_name"])
    return place


def agency_upsert(*, code: str, name: str, kind: str, joint_registry: bool = False) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "joint_registry": joint_registry}
    )
    return agency


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=_digest(raw))
    return raw


def token_user(raw: str) -> User | None:
    token = ApiToken.objects.select_related("user", "user__agency", "user__place").filter(digest=_digest(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute: every API call would otherwise update a row.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

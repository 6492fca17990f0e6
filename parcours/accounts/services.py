"""Writes on agencies, places, users and tokens."""

import hashlib
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import Agency, ApiToken, Place, User
from .selectors import name_key


def place_upsert(*, code: str, name: str, kind: str, parent: Place | None = None, pcode: str = "",
                 latitude=None, longitude=None) -> Place:
    """Create or update a place; idempotent so demo loading and imports can be rerun."""
    path = f"{parent.path if parent else '/'}{code}/"
    wanted = {"name": name, "kind": kind, "search_name": name_key(name), "pcode": pcode or "",
              "latitude": Decimal(str(latitude)) if latitude not in (None, "") else None,
              "longitude": Decimal(str(longitude)) if longitude not in (None, "") else None}
    place, created = Place.objects.get_or_create(path=path, defaults={"code": code, "parent": parent, **wanted})
    changed = [f for f, v in wanted.items() if getattr(place, f) != v]
    if not created and changed:
        for f in changed:
            setattr(place, f, wanted[f])
        place.save(update_fields=changed)
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

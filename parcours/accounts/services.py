"""Writes on agencies, places, users and tokens."""

import datetime as dt
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.http import Http404
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


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS)


@transaction.atomic
def token_issue(*, user: User) -> tuple[str, ApiToken]:
    """A new token for `user`: the raw value (shown once, never stored) and its row."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, digest=_digest(raw), expires_at=timezone.now() + token_lifetime())
    return raw, token


def token_for(raw: str) -> ApiToken | None:
    """The live token behind a raw value (its user active, not expired, not revoked), or None."""
    now = timezone.now()
    token = (ApiToken.objects.select_related("user", "user__agency", "user__place")
             .filter(digest=_digest(raw), revoked_at__isnull=True, expires_at__gt=now).first())
    if token is None or not token.user.is_active:
        return None
    # Write at most once a minute: every API call would otherwise update a row.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_user(raw: str) -> User | None:
    token = token_for(raw)
    return token.user if token is not None else None


def tokens_revoke(*, user: User, reason: str, by: User | None = None, pk: int | None = None) -> int:
    """Revoke the live tokens of `user` (only token `pk` when given); how many were revoked."""
    qs = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(revoked_at=timezone.now(), revoked_reason=reason, revoked_by=by)


def token_sign_out(*, token: ApiToken) -> None:
    """DELETE /api/v1/auth/token: the holder ends the token it calls with."""
    tokens_revoke(user=token.user, pk=token.pk, reason=ApiToken.Revocation.LOGOUT, by=token.user)


@transaction.atomic
def token_revoke_by_admin(*, by: User, user_id: int, token_id: int | None = None) -> int:
    """An administrator revokes one token of a user, or all of them."""
    from .policies import account_for_admin

    account = account_for_admin(by, user_id)
    if token_id is not None and not ApiToken.objects.filter(user=account, pk=token_id).exists():
        raise Http404()
    return tokens_revoke(user=account, pk=token_id, reason=ApiToken.Revocation.ADMIN, by=by)


def digest_remember(*, user: User, password: str) -> None:
    """Keep HA1 for HTTP Digest (ODK Collect) from a password just checked or set."""
    from .digest import REALM, decrypt, encrypt, ha1
    from .models import DigestSecret

    value = ha1(user.get_username(), password)
    current = DigestSecret.objects.filter(user=user, realm=REALM).first()
    if current is not None and decrypt(current.ha1_encrypted) == value:
        return
    DigestSecret.objects.update_or_create(user=user, defaults={"realm": REALM, "ha1_encrypted": encrypt(value)})


def digest_ha1(user: User) -> str | None:
    from .digest import REALM, decrypt
    from .models import DigestSecret

    secret = DigestSecret.objects.filter(user=user, realm=REALM).first()
    return decrypt(secret.ha1_encrypted) if secret is not None else None


def digest_user(request) -> tuple[User | None, bool]:
    """The user of an HTTP Digest Authorization header, and whether the nonce was only stale.
    Failures count towards the lockout, as a wrong password does."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.contrib.auth.signals import user_login_failed

    from . import digest
    from .throttle import wait_seconds

    params = digest.parse(request.headers.get("Authorization", ""))
    if params is None or not params.get("username"):
        return None, False
    credentials = {"username": params["username"]}
    # Locked out, or too early after failures (parcours.accounts.throttle): refused before checking.
    if AxesProxyHandler.is_locked(request, credentials) or wait_seconds(request, params["username"]):
        return None, False
    user = User.objects.filter(username=params["username"], is_active=True).first()
    result = digest.verify(params, method=request.method, path=request.get_full_path(),
                           ha1_hex=digest_ha1(user) if user is not None else None)
    if result == "ok":
        return user, False
    if result == "bad":
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return None, result == "stale"

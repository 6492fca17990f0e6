"""Retry-safe writes. A client that may send a write twice (a phone on a bad network, a double
click, an `Idempotency-Key` header) gets the first result back, never a second record.

The service that writes calls `replay` first and, inside the same transaction as the write,
`remember`: if a concurrent call with the same key won, `remember` raises IntegrityError, the
write rolls back, and the service answers with `replay` again."""

from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import IdempotencyKey

MAX_KEY = 80
M = TypeVar("M", bound=models.Model)


def clean_key(key) -> str:
    return (key or "").strip()[:MAX_KEY]


def scope_for(write: str, owner=None) -> str:
    """`write` ("referrals.create") in the key space of `owner`: the user who sends the key, or the
    record it is about (a case's plan); no owner (an anonymous form): one shared space."""
    if getattr(owner, "pk", None) is None:
        return f"{write}:public"
    return f"{write}:{owner._meta.model_name}-{owner.pk}"


def replay(scope: str, key: str, model: type[M]) -> M | None:
    """The record an earlier call with this key made, or None (no key, or first call)."""
    key = clean_key(key)
    if not key:
        return None
    found = (IdempotencyKey.objects.filter(scope=scope, key=key, content_type=ContentType.objects.get_for_model(model))
             .values_list("object_id", flat=True).first())
    return model._default_manager.filter(pk=found).first() if found is not None else None


def remember(scope: str, key: str, record: models.Model) -> None:
    """Bind the key to the record just written. Call inside the write's transaction."""
    key = clean_key(key)
    if key:
        IdempotencyKey.objects.create(scope=scope, key=key, content_type=ContentType.objects.get_for_model(record),
                                      object_id=str(record.pk))


def replay_many(scope: str, keys, model: type[M]) -> dict[str, M]:
    """`replay` for many keys at once (a bulk load): {key: the record it made}, for those seen."""
    keys = [k for k in (clean_key(k) for k in keys) if k]
    found = dict(IdempotencyKey.objects.filter(scope=scope, key__in=keys,
                                               content_type=ContentType.objects.get_for_model(model))
                 .values_list("key", "object_id"))
    records = {str(r.pk): r for r in model._default_manager.filter(pk__in=list(found.values()))}
    return {key: records[pk] for key, pk in found.items() if pk in records}


def remember_many(scope: str, pairs) -> None:
    """`remember` for many (key, record) pairs at once, inside the bulk write's transaction."""
    rows = [IdempotencyKey(scope=scope, key=clean_key(key), content_type=ContentType.objects.get_for_model(record),
                           object_id=str(record.pk)) for key, record in pairs if clean_key(key)]
    IdempotencyKey.objects.bulk_create(rows, batch_size=500)

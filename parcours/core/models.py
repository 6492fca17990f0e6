from django.contrib.contenttypes.models import ContentType
from django.db import models


class IdempotencyKey(models.Model):
    """Every retry-safe write in one table: (scope, key) → the record the first call made.

    `scope` names the write and whose key space it is ("referrals.create:user-12", "feedback.public"),
    so two users, or two kinds of write, never collide on the same key. See parcours/core/idempotency.py."""

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=80)
    content_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"

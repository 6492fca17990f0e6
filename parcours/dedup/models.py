"""Possible duplicates waiting for a person to decide, and the merges they decided."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.people.models import Person


class DuplicatePair(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("to review")
        CONFIRMED = "confirmed", _("same person")
        REJECTED = "rejected", _("different people")
        MERGED = "merged", _("merged")

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("at registration")
        BATCH = "batch", _("registry scan")
        MANUAL = "manual", _("reported by a user")

    # Stored with person_a.id < person_b.id: one row per pair, whoever found it first.
    person_a = models.ForeignKey(Person, models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("possible duplicate")
        ordering = ["-score", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=models.Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "-score"])]


class Merge(models.Model):
    """One merge; `moved` lists every row re-pointed from `merged` to `survivor`, so undo is exact."""

    pair = models.ForeignKey(DuplicatePair, models.PROTECT, related_name="merges")
    survivor = models.ForeignKey(Person, models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, models.PROTECT, related_name="+")
    moved = models.JSONField(default=list)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    performed_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        ordering = ["-performed_at"]

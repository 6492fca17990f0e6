"""A fact: one thing that happened in the programme, on its own date.

Every domain writes one per event (a registration, a payment, a stay begun, a flow count, an
activity held, a complaint received). The timeline of a person and every indicator read
facts, never the domains' tables. A fact may have no person (a flow count, an anonymous
complaint, an activity's participant counts). Facts are never edited: a reversal or a
correction is a new fact that voids the earlier one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import label_of


class Fact(models.Model):
    kind = models.CharField(_("kind"), max_length=64)
    # The event's own date (a payment's day, a stay's first day): every count uses it, never
    # the day it was recorded. `occurred_at` orders a timeline within a day.
    occurred_on = models.DateField(_("date"))
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    person = models.ForeignKey("people.Person", models.CASCADE, null=True, blank=True, related_name="facts")
    # The person as they were on the event's date, for disaggregation without a join.
    sex = models.CharField(max_length=1, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    nationality = models.CharField(max_length=2, blank=True)
    returned_from = models.CharField(max_length=2, blank=True)
    origin_path = models.CharField(max_length=255, blank=True)

    # Where it happened and who did it.
    place = models.ForeignKey("accounts.Place", models.SET_NULL, null=True, blank=True, related_name="+")
    place_path = models.CharField(max_length=255, blank=True)
    agency = models.ForeignKey("accounts.Agency", models.SET_NULL, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    # The record it is about ("assistance.ledgerentry", "42"), to void or link back.
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)

    # How many (participants of an activity, migrants in a flow count) and how much.
    quantity = models.IntegerField(default=1)
    amount_xof = models.BigIntegerField(null=True, blank=True)
    # Breakdown and detail: {"direction": "in", "nationality": "GN", ...}; labels read it.
    data = models.JSONField(default=dict, blank=True)

    # Set when a later fact (a reversal, a correction) cancels this one: counted as not happened.
    voided_by = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="voids")

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "occurred_on"], name="fact_kind_day"),
            models.Index(fields=["person", "-occurred_at"], name="fact_person_recent"),
            models.Index(fields=["subject_type", "subject_id"], name="fact_subject"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=["", "M", "F"]), name="fact_sex_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"

    @property
    def label(self) -> str:
        return label_of(self.kind, self.data)

"""Complaints and feedback: anyone may file one, anonymously too; its category routes it.

A complaint of protection, sexual exploitation or fraud is *sensitive*: only the restricted
handlers see it at all (everyone else gets "not found"). What the complainant said (the
description, how to reach them, the answer given) is encrypted at rest for every complaint;
the routing fields (channel, category, gravity, dates, status) are in clear so the register can
count them without reading anything personal."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Complaint(models.Model):
    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("hotline")
        SUGGESTION_BOX = "suggestion_box", _("suggestion box")
        IN_PERSON = "in_person", _("in person")
        PARTNER = "partner", _("through a partner")
        WEB = "web", _("public web form")

    class Category(models.TextChoices):
        PROTECTION = "protection", _("protection")
        SEXUAL_EXPLOITATION = "sexual_exploitation", _("sexual exploitation or abuse")
        FRAUD = "fraud", _("fraud or corruption")
        ASSISTANCE = "assistance", _("assistance")
        SERVICE_QUALITY = "service_quality", _("quality of service")
        OTHER = "other", _("other")

    # These go to the restricted handlers only (CONTRACT.md "complaints").
    SENSITIVE = frozenset({Category.PROTECTION, Category.SEXUAL_EXPLOITATION, Category.FRAUD})

    class Gravity(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        RESOLVED = "resolved", _("resolved")
        APPEALED = "appealed", _("appealed")
        CLOSED = "closed", _("closed")

    OPEN = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.APPEALED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Given to the complainant to follow it up (public page); random, not a counter.
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    gravity = models.CharField(_("gravity"), max_length=8, choices=Gravity.choices)
    sensitive = models.BooleanField(_("sensitive"), default=False, editable=False)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due on"))
    place = models.ForeignKey("accounts.Place", models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("place concerned"))
    person = models.ForeignKey("people.Person", models.SET_NULL, null=True, blank=True, related_name="complaints")
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # The complainant agrees that those handling it know who they are (and that it appears on
    # their record when it is not sensitive).
    consent_to_identify = models.BooleanField(_("consents to be identified"), default=False)
    content_encrypted = models.BinaryField(editable=False)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    appealed_on = models.DateField(_("appealed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+")
    received_agency = models.ForeignKey("accounts.Agency", models.PROTECT, null=True, blank=True, related_name="+")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-created_at"]
        indexes = [models.Index(fields=["status", "due_on"], name="complaint_queue")]
        constraints = [
            models.CheckConstraint(condition=~(Q(anonymous=True) & Q(person__isnull=False)),
                                   name="complaint_anonymous_names_nobody"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on < today

"""Sensitization activities: who met whom, where, when, about what.

An activity is counted by the results through its fact (`outreach.activity_held`, on the day it
was held, in its commune), never from this table: a correction or a cancellation voids the fact."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Activity(models.Model):
    class Kind(models.TextChoices):
        PROXIMITY_TALK = "proximity_talk", _("proximity talk")
        HOME_VISIT = "home_visit", _("home visit")
        MASS_EVENT = "mass_event", _("mass event")
        MEDIA = "media", _("radio, TV or social media")
        WORKSHOP = "workshop", _("workshop")
        TRAINING = "training", _("training")

    class Theme(models.TextChoices):
        IRREGULAR_MIGRATION_RISKS = "irregular_migration_risks", _("risks of irregular migration")
        LOCAL_OPPORTUNITIES = "local_opportunities", _("local opportunities")
        LEGAL_MIGRATION = "legal_migration", _("legal migration")
        FREE_MOVEMENT = "free_movement", _("free movement in ECOWAS")

    # The results filter on these values (OS4: community and csos; OS5: agents and services).
    class Audience(models.TextChoices):
        COMMUNITY = "community", _("community")
        CSOS = "csos", _("civil-society organisations")
        SECURITY_AGENTS = "security_agents", _("security agents")
        TECHNICAL_SERVICES = "technical_services", _("technical services")

    class OrganiserKind(models.TextChoices):
        REGIONAL_UNIT = "regional_unit", _("regional unit")
        FOCAL_POINT = "focal_point", _("focal point")
        CSO = "cso", _("civil-society organisation")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date held"))
    commune = models.ForeignKey("accounts.Place", models.PROTECT, related_name="+", verbose_name=_("commune"))
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    organiser = models.ForeignKey("accounts.Agency", models.PROTECT, related_name="+", verbose_name=_("organiser"))
    organiser_kind = models.CharField(_("organiser is a"), max_length=16, choices=OrganiserKind.choices,
                                      default=OrganiserKind.FOCAL_POINT)
    participants_male = models.PositiveIntegerField(_("men and boys"), default=0)
    participants_female = models.PositiveIntegerField(_("women and girls"), default=0)
    # Of the participants, how many were under 18 (an age breakdown without a register of names).
    participants_minors = models.PositiveIntegerField(_("of whom under 18"), default=0)
    # Villages or neighbourhoods reached inside the commune.
    communities_reached = models.PositiveIntegerField(_("communities reached"), default=1)
    # Radio, TV and social media: an estimate of listeners or viewers, never added to people met.
    audience_estimate = models.PositiveIntegerField(_("estimated audience (media)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_agency = models.ForeignKey("accounts.Agency", models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A retried submission (double tap on a phone, resent request) answers with the first record.
    idempotency_key = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("sensitization activity")
        verbose_name_plural = _("sensitization activities")
        ordering = ["-held_on", "-recorded_at"]
        indexes = [models.Index(fields=["held_on"], name="activity_held_on")]
        constraints = [
            models.UniqueConstraint(fields=["recorded_by", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="activity_retry_once"),
            models.CheckConstraint(condition=Q(participants_minors__lte=F("participants_male") + F("participants_female")),
                                   name="activity_minors_within_total"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} {self.commune_id}"

    @property
    def participants(self) -> int:
        return self.participants_male + self.participants_female

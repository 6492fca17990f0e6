"""Sensitization activities: who met whom, where, when, about what.

An activity is counted by the results through its fact (`outreach.activity_held`, on the day it
was held, in its commune), never from this table: a correction or a cancellation voids the fact."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Pre/post perception questions asked of the participants (a show of hands before and after):
# (question, the model fields holding how many answered yes before and after).
PERCEPTION_QUESTIONS = (
    ("knows_risks", _("knows the risks of irregular migration")),
    ("knows_legal_way", _("knows a legal way to migrate")),
    ("knows_free_movement", _("knows the free-movement rights in ECOWAS")),
)


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
    # Held under a grant to a civil-society organisation (reported to its grant manager).
    grant = models.ForeignKey("Grant", models.PROTECT, null=True, blank=True, related_name="activities",
                              verbose_name=_("grant"))

    # The follow-up call one month after the activity (outreach.followup): due on `followup_due_on`,
    # kept with the activity so the lists can sort and filter on it.
    class FollowupOutcome(models.TextChoices):
        REACHED = "reached", _("participants reached")
        NOT_REACHED = "not_reached", _("nobody could be reached")

    followup_due_on = models.DateField(_("follow-up call due on"), null=True, blank=True)
    followup_on = models.DateField(_("follow-up call made on"), null=True, blank=True)
    followup_outcome = models.CharField(_("outcome of the follow-up call"), max_length=16,
                                        choices=FollowupOutcome.choices, blank=True)
    followup_reached = models.PositiveIntegerField(_("participants reached by the follow-up call"), null=True,
                                                   blank=True)
    followup_note = models.TextField(_("follow-up note"), blank=True)
    followup_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    # Pre/post perception (PERCEPTION_QUESTIONS): how many participants answered yes, before and after.
    knows_risks_before = models.PositiveIntegerField(_("knows the risks of irregular migration (before)"),
                                                     null=True, blank=True)
    knows_risks_after = models.PositiveIntegerField(_("knows the risks of irregular migration (after)"),
                                                    null=True, blank=True)
    knows_legal_way_before = models.PositiveIntegerField(_("knows a legal way to migrate (before)"), null=True,
                                                         blank=True)
    knows_legal_way_after = models.PositiveIntegerField(_("knows a legal way to migrate (after)"), null=True,
                                                        blank=True)
    knows_free_movement_before = models.PositiveIntegerField(_("knows the free-movement rights in ECOWAS (before)"),
                                                             null=True, blank=True)
    knows_free_movement_after = models.PositiveIntegerField(_("knows the free-movement rights in ECOWAS (after)"),
                                                            null=True, blank=True)

    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_agency = models.ForeignKey("accounts.Agency", models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sensitization activity")
        verbose_name_plural = _("sensitization activities")
        ordering = ["-held_on", "-recorded_at"]
        indexes = [models.Index(fields=["held_on"], name="activity_held_on"),
                   models.Index(fields=["followup_due_on"], name="activity_followup_due")]
        constraints = [
            models.CheckConstraint(condition=Q(participants_minors__lte=F("participants_male") + F("participants_female")),
                                   name="activity_minors_within_total"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} {self.commune_id}"

    @property
    def participants(self) -> int:
        return self.participants_male + self.participants_female


class Call(models.Model):
    """A call for proposals to civil-society organisations: what it funds, where, until when."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    # Themes of Activity.Theme the proposals must address.
    themes = models.JSONField(_("themes"), default=list, blank=True)
    # The area the call covers (a region, cercle or commune); none: the whole country.
    place = models.ForeignKey("accounts.Place", models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("area"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    budget_xof = models.PositiveBigIntegerField(_("budget (XOF)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    # Closed: no grant is awarded under it any more (those awarded run on).
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-opens_on", "reference"]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="call_closes_after_opening")]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"


class Grant(models.Model):
    """A grant awarded under a call to a civil-society organisation (an agency), for a period,
    in some communes, with targets; its reports fall due on a calendar (outreach.grants)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(Call, models.PROTECT, related_name="grants", verbose_name=_("call for proposals"))
    grantee = models.ForeignKey("accounts.Agency", models.PROTECT, related_name="+", verbose_name=_("grantee"))
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("project"), max_length=200, blank=True)
    amount_xof = models.PositiveBigIntegerField(_("amount (XOF)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Where the activities under it may be held; none: anywhere in the call's area.
    communes = models.ManyToManyField("accounts.Place", blank=True, related_name="+", verbose_name=_("communes"))
    target_people = models.PositiveIntegerField(_("people to reach"), null=True, blank=True)
    target_activities = models.PositiveIntegerField(_("activities to hold"), null=True, blank=True)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    awarded_at = models.DateTimeField(auto_now_add=True)

    CURRENCY = "XOF"

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-starts_on", "reference"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="grant_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.reference} · {self.grantee.code}" + (f" · {self.title}" if self.title else "")

    def active_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class GrantReport(models.Model):
    """A report the grantee owes: quarterly, then a final one; received (or not) by its due date."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("quarterly report")
        FINAL = "final", _("final report")

    grant = models.ForeignKey(Grant, models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("grant report")
        verbose_name_plural = _("grant reports")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["grant", "kind", "period_end"], name="grant_report_once")]
        indexes = [models.Index(fields=["due_on"], name="grant_report_due")]

    def __str__(self) -> str:
        return f"{self.grant.reference} {self.get_kind_display()} {self.due_on}"

    def is_overdue(self, today) -> bool:
        return self.received_on is None and self.due_on < today


class NamedParticipant(models.Model):
    """A participant who consented, on `consent_on`, to be named: a person of the registry (found
    there again, duplicates checked like any registration). The counts by sex stay the source of
    the results; the people named are some of them, never more."""

    activity = models.ForeignKey(Activity, models.PROTECT, related_name="named_participants",
                                 verbose_name=_("activity"))
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="+", verbose_name=_("person"))
    consent_on = models.DateField(_("consent given on"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("named participant")
        verbose_name_plural = _("named participants")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="named_participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.person_id}"

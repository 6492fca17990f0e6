"""The referral network (SPEC §4.4): a directory of services offered by partner agencies, and the
referrals of people to them, each with its dated status history and the attendance the partner
reports."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parcours.accounts.models import Agency, Place
from parcours.people.models import Person


class Service(models.Model):
    """One service or opportunity of a provider: a training session with its dates and places,
    an employment programme, a health or psychosocial service…"""

    class Kind(models.TextChoices):
        TRAINING = "training", _("vocational training")
        EMPLOYMENT = "employment", _("employment")
        YOUTH_EMPLOYMENT = "youth_employment", _("youth-employment programme")
        HEALTH = "health", _("health")
        PSYCHOSOCIAL = "psychosocial", _("psychosocial support")
        MICROFINANCE = "microfinance", _("microfinance")
        LEGAL_AID = "legal_aid", _("legal aid")
        OTHER = "other", _("other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Stable code, so the demo directory (and imports) can be loaded again without duplicates.
    code = models.SlugField(_("code"), max_length=60, unique=True)
    provider = models.ForeignKey(Agency, models.PROTECT, related_name="services", verbose_name=_("provider"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    eligibility = models.TextField(_("eligibility"), blank=True)
    # Places per intake or session; empty means no fixed limit.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    places = models.ManyToManyField(Place, related_name="+", blank=True, verbose_name=_("places served"))
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    starts_on = models.DateField(_("session starts"), null=True, blank=True)
    ends_on = models.DateField(_("session ends"), null=True, blank=True)
    active = models.BooleanField(_("open to referrals"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["provider__code", "kind", "name_fr"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True) | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="service_session_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fr


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        ENROLLED = "enrolled", _("enrolled")
        COMPLETED = "completed", _("completed")
        DROPPED = "dropped", _("dropped out")

    # Where each status may go next; anything else is refused with a message.
    TRANSITIONS = {
        Status.SENT: (Status.ACCEPTED, Status.REFUSED),
        Status.ACCEPTED: (Status.ENROLLED, Status.DROPPED),
        Status.ENROLLED: (Status.COMPLETED, Status.DROPPED),
        Status.REFUSED: (),
        Status.COMPLETED: (),
        Status.DROPPED: (),
    }
    OPEN = (Status.SENT, Status.ACCEPTED, Status.ENROLLED)
    # Statuses that hold one of the service's places.
    HOLDING_PLACE = (Status.ENROLLED, Status.COMPLETED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, models.CASCADE, related_name="referrals", verbose_name=_("person"))
    service = models.ForeignKey(Service, models.PROTECT, related_name="referrals", verbose_name=_("service"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    note = models.TextField(_("note to the partner"), blank=True)
    feedback = models.TextField(_("latest feedback"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    certificate_ref = models.CharField(_("certificate reference"), max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["service", "status"]), models.Index(fields=["status", "-sent_at"])]
        constraints = [
            # No second open referral of the same person to the same service.
            models.UniqueConstraint(fields=["person", "service"], condition=models.Q(status__in=["sent", "accepted",
                                                                                                 "enrolled"]),
                                    name="referral_one_open_per_service"),
            models.CheckConstraint(condition=models.Q(status__in=["sent", "accepted", "refused", "enrolled",
                                                                  "completed", "dropped"]),
                                   name="referral_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.service}"

    def can_go_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class StatusChange(models.Model):
    """One dated step of a referral, by whom, with the partner's feedback."""

    referral = models.ForeignKey(Referral, models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, choices=Referral.Status.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    feedback = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class Attendance(models.Model):
    """Days an enrolled person attended in one month, as the provider reports it."""

    referral = models.ForeignKey(Referral, models.CASCADE, related_name="attendance")
    month = models.DateField(_("month"))  # always the first day of the month
    days = models.PositiveSmallIntegerField(_("days attended"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    # The referring side's check of the provider's figure; only validated days count for the
    # training allowance. A correction of the figure asks for a new validation.
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("validated by"))
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "month"], name="attendance_one_per_month"),
            models.CheckConstraint(condition=models.Q(days__lte=31), name="attendance_days_in_month"),
        ]

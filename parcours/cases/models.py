"""Return and reintegration cases (SPEC §4.2): one open case per returnee, its dated and owned
steps, and the follow-ups. The stage is derived from these records (see stages.py), never typed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.accounts.models import Agency, Place
from parcours.people.models import Person


class Case(models.Model):
    class Closure(models.TextChoices):
        COMPLETED = "completed", _("reintegration completed")
        REMIGRATED = "re_migrated", _("re-migrated")
        UNREACHABLE = "unreachable", _("unreachable")
        DECEASED = "deceased", _("deceased")
        REFUSED = "refused", _("refused assistance")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, models.PROTECT, related_name="cases", verbose_name=_("person"))
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name=_("agency"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="cases",
                              verbose_name=_("case worker"))
    place = models.ForeignKey(Place, models.PROTECT, null=True, blank=True, related_name="+")
    arrived_on = models.DateField(_("arrival"))
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=12, choices=Closure.choices, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    unaccompanied_minor = models.BooleanField(_("unaccompanied or separated minor"), default=False)

    class Meta:
        verbose_name = _("case")
        ordering = ["arrived_on"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(closed_on__isnull=True),
                                    name="one_open_case_per_person"),
            models.CheckConstraint(condition=models.Q(closed_on__isnull=True, closure_reason="")
                                   | (models.Q(closed_on__isnull=False) & ~models.Q(closure_reason="")),
                                   name="case_closed_with_reason"),
        ]
        indexes = [models.Index(fields=["owner", "closed_on"], name="case_owner_open"),
                   models.Index(fields=["agency", "closed_on"], name="case_agency_open")]

    def __str__(self) -> str:
        return f"case {self.person}"

    def age(self, today) -> int | None:
        return self.person.age_on(today)

    def is_minor(self, today) -> bool:
        """Under 18 on `today` (from the date of birth, or the year when that is all we know)."""
        return self.person.is_minor_on(today)


class Screening(models.Model):
    """The vulnerability questionnaire. The answers are protection data: encrypted at rest,
    readable by protection roles only, every read logged. Only the routing is in clear.

    A person is screened once: in their case, or at entry to a transit centre (no case then); every
    later step that needs it reads that one (`services.person_screening`)."""

    case = models.OneToOneField(Case, models.CASCADE, null=True, blank=True, related_name="screening")
    person = models.ForeignKey(Person, models.PROTECT, related_name="screenings", verbose_name=_("person"))
    answers_encrypted = models.BinaryField(editable=False)
    vulnerable = models.BooleanField(_("vulnerable"))
    done_on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")


class ProtectionAssessment(models.Model):
    case = models.OneToOneField(Case, models.CASCADE, related_name="protection")
    notes_encrypted = models.BinaryField(editable=False)
    done_on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")


class Orientation(models.Model):
    class Choice(models.TextChoices):
        TRAINING = "training", _("vocational training")
        INCOME_INDIVIDUAL = "income_individual", _("individual income-generating activity")
        INCOME_COLLECTIVE = "income_collective", _("collective project")
        INCOME_COMMUNITY = "income_community", _("community project")
        PARTNER = "partner_programme", _("referral to a partner programme")
        CASH = "cash_grant", _("cash grant")

    case = models.OneToOneField(Case, models.CASCADE, related_name="orientation")
    wishes = models.TextField(_("wishes"))
    declared_skills = models.TextField(_("declared skills"), blank=True)
    # The sector expert's verification of the declared skills: who, when, yes/no, and why.
    skills_verified = models.BooleanField(_("skills verified by a sector expert"), null=True)
    verified_by = models.CharField(_("verified by"), max_length=120, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    options_explained = models.BooleanField(_("options explained"), default=False)
    options_note = models.TextField(_("options discussed"), blank=True)
    choice = models.CharField(_("choice"), max_length=20, choices=Choice.choices)
    done_on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")


class PlanComponent(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "vocational_training", _("vocational training")
        INCOME_INDIVIDUAL = "income_individual", _("individual income-generating activity")
        INCOME_COLLECTIVE = "income_collective", _("collective income-generating activity")
        INCOME_COMMUNITY = "income_community", _("community project")
        PARTNER = "partner_programme", _("partner programme")
        CASH = "cash_grant", _("cash grant")
        MEDICAL = "medical", _("medical care")
        PSYCHOSOCIAL = "psychosocial", _("psychosocial support")
        MEDIATION = "family_mediation", _("family mediation")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ONGOING = "ongoing", _("ongoing")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey(Case, models.CASCADE, related_name="components")
    kind = models.CharField(_("component"), max_length=20, choices=Kind.choices)
    provider = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("provider"))
    scheme_code = models.CharField(_("assistance scheme"), max_length=40, blank=True)
    cost_xof = models.PositiveBigIntegerField(_("cost (XOF)"), default=0)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # The members of a collective project (the case's own person is implied).
    members = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("members"))
    # The referral that delivers it (referrals app) when the provider is a partner service.
    referral = models.ForeignKey("referrals.Referral", models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("referral"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["planned_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(planned_end__isnull=True)
                                   | models.Q(planned_end__gte=models.F("planned_start")),
                                   name="component_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class FollowUp(models.Model):
    class Outcome(models.TextChoices):
        DONE = "done", _("done")
        MISSED = "missed", _("missed")
        UNREACHABLE = "unreachable", _("unreachable")

    class Mode(models.TextChoices):
        VISIT = "visit", _("monitoring visit")
        CALL = "call", _("phone call")

    case = models.ForeignKey(Case, models.CASCADE, related_name="follow_ups")
    months_after_plan = models.PositiveSmallIntegerField()
    mode = models.CharField(_("mode"), max_length=5, choices=Mode.choices, default=Mode.VISIT)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    # Set by the daily reminder task the first day it finds the follow-up past due and not done.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["case", "months_after_plan"], name="one_follow_up_per_offset"),
            models.CheckConstraint(condition=models.Q(satisfaction__isnull=True)
                                   | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                                   name="follow_up_satisfaction_1_5"),
        ]
        indexes = [models.Index(fields=["done_on", "due_on"], name="follow_up_open_due")]

    def __str__(self) -> str:
        return f"{self.months_after_plan} months"


class BestInterestDetermination(models.Model):
    case = models.OneToOneField(Case, models.CASCADE, related_name="best_interest")
    decided_on = models.DateField(_("date"))
    panel = models.CharField(_("panel"), max_length=200)
    decision = models.TextField(_("decision"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")


class FollowUpOffset(models.Model):
    """The follow-up schedule, as data: one row per contact, N months after the plan starts."""

    months = models.PositiveSmallIntegerField(_("months after the plan starts"), unique=True)
    mode = models.CharField(_("mode"), max_length=5, choices=FollowUp.Mode.choices, default=FollowUp.Mode.VISIT)

    class Meta:
        verbose_name = _("follow-up offset")
        ordering = ["months"]

    def __str__(self) -> str:
        return f"{self.months} ({self.mode})"


class StageTarget(models.Model):
    """How many days a person may wait for a step, as data (SPEC §4.2: waiting is first-class).
    `key` is a stage of stages.STAGES, or "training_start" (a training component waiting to start)."""

    key = models.CharField(_("step"), max_length=20, unique=True)
    days = models.PositiveSmallIntegerField(_("target (days)"))

    class Meta:
        verbose_name = _("waiting-time target")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.days}"


class Reminder(models.Model):
    """A line on the case worker's "today" page, created by the daily task; one per follow-up and kind."""

    class Kind(models.TextChoices):
        DUE = "due", _("follow-up due soon")
        OVERDUE = "overdue", _("follow-up overdue")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="case_reminders")
    case = models.ForeignKey(Case, models.CASCADE, related_name="reminders")
    follow_up = models.ForeignKey(FollowUp, models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    created_on = models.DateField()
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["follow_up", "kind"], name="one_reminder_per_follow_up_kind")]
        indexes = [models.Index(fields=["user", "dismissed_at"], name="reminder_user_open")]

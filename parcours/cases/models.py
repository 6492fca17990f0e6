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
    unaccompanied_minor = models.BooleanField(_("unaccompanied or separated minor"), default=False)

    class Meta:
        verbose_name = _("case")
        ordering = ["arrived_on"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(closed_on__isnull=True),
                                    name="one_open_case_per_person"),
        ]


class Screening(models.Model):
    """The vulnerability questionnaire. The answers are protection data: encrypted at rest,
    readable by protection roles only, every read logged. Only the routing is in clear."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="screening")
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
    skills_verified = models.BooleanField(_("skills verified by a sector expert"), null=True)
    verified_by = models.CharField(_("verified by"), max_length=120, blank=True)
    options_explained = models.BooleanField(_("options explained"), default=False)
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
    started_on = models.DateField(_("started on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["planned_start", "pk"]


class FollowUp(models.Model):
    class Outcome(models.TextChoices):
        DONE = "done", _("done")
        MISSED = "missed", _("missed")
        UNREACHABLE = "unreachable", _("unreachable")

    case = models.ForeignKey(Case, models.CASCADE, related_name="follow_ups")
    months_after_plan = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Set by the daily reminder task, so each follow-up is announced once.
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["case", "months_after_plan"], name="one_follow_up_per_offset")]


class BestInterestDetermination(models.Model):
    case = models.OneToOneField(Case, models.CASCADE, related_name="best_interest")
    decided_on = models.DateField(_("date"))
    panel = models.CharField(_("panel"), max_length=200)
    decision = models.TextField(_("decision"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

"""The logframe as data (SPEC §4.9): the action, its objectives and results, indicators with
baseline and revisable targets, values entered with evidence, the budget and its spending, and
the narrative of the donor's report. Computed indicators carry their definition (a count over
facts, see `definitions.py`); nothing here knows a domain's tables."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    label_fr = models.CharField(_("label (French)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "fr").startswith("en") else self.label_fr


class Action(Bilingual):
    """The funded action (one per programme): its IATI identity and its dates."""

    iati_identifier = models.CharField(_("IATI identifier"), max_length=100, unique=True)
    reporting_org_ref = models.CharField(_("reporting organisation"), max_length=60)
    reporting_org_name = models.CharField(max_length=200)
    recipient_country = models.CharField(max_length=2, default="ML")
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    budget_eur = models.BigIntegerField(_("budget (EUR)"))
    # XOF per EUR: the fixed parity (655.957) the programme converts payments at.
    xof_per_eur = models.DecimalField(max_digits=10, decimal_places=3, default=655.957)

    class Meta:
        verbose_name = _("action")

    def __str__(self) -> str:
        return self.iati_identifier


class Objective(Bilingual):
    class Level(models.TextChoices):
        OVERALL = "overall", _("overall objective")
        SPECIFIC = "specific", _("specific objective")
        RESULT = "result", _("result")

    action = models.ForeignKey(Action, models.CASCADE, related_name="objectives")
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField(_("code"), max_length=20)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    implementer = models.ForeignKey("accounts.Agency", models.PROTECT, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("objective")
        ordering = ["position", "code"]
        constraints = [models.UniqueConstraint(fields=["action", "code"], name="objective_code_unique")]

    def __str__(self) -> str:
        return self.code


class Indicator(Bilingual):
    class Method(models.TextChoices):
        COMPUTED = "computed", _("computed from the data")
        ENTERED = "entered", _("entered with evidence")

    objective = models.ForeignKey(Objective, models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=60, unique=True)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.IntegerField(_("baseline"), default=0)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    # For computed indicators: {"count": ..., "kinds": [...], "where": {...}, ...} — see definitions.py.
    definition = models.JSONField(_("definition"), default=dict, blank=True)
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code


class TargetRevision(models.Model):
    """A target as set, then as revised (the reintegration target topped up to 9 000): the
    first is the original, the latest is the current one."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets")
    value = models.IntegerField(_("target"))
    set_on = models.DateField(_("set on"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["set_on", "id"]


class EnteredValue(models.Model):
    """The value of an entered indicator for a period, with its evidence ("1 referral SOP")."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="entered_values")
    achieved_on = models.DateField(_("achieved on"))
    value = models.IntegerField(_("value"))
    note = models.TextField(_("evidence note"))
    evidence = models.FileField(_("evidence file"), upload_to="evidence/%Y/", blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["achieved_on", "id"]


class BudgetLine(Bilingual):
    """A line of the action's budget, per objective and implementer, in EUR."""

    action = models.ForeignKey(Action, models.CASCADE, related_name="budget_lines")
    code = models.CharField(_("code"), max_length=40)
    objective = models.ForeignKey(Objective, models.SET_NULL, null=True, blank=True, related_name="budget_lines")
    implementer = models.ForeignKey("accounts.Agency", models.PROTECT, related_name="+")
    amount_eur = models.BigIntegerField(_("amount (EUR)"))
    # Assistance schemes whose payments (XOF, converted at the parity) are spent on this line.
    assistance_schemes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["implementer__code", "code"]
        constraints = [models.UniqueConstraint(fields=["action", "implementer", "code"], name="budget_line_unique")]

    def __str__(self) -> str:
        return self.code


class Spending(models.Model):
    """Money spent on a budget line (entered or imported from the finance system), in EUR."""

    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="spending")
    spent_on = models.DateField(_("date"))
    amount_eur = models.BigIntegerField(_("amount (EUR)"))
    reference = models.CharField(_("reference"), max_length=80)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["line", "reference"], name="spending_reference_unique")]


class Narrative(models.Model):
    """A block of the donor's periodic report the M&E officer writes (context, progress, risks)."""

    action = models.ForeignKey(Action, models.CASCADE, related_name="narratives")
    period_start = models.DateField()
    period_end = models.DateField()
    section = models.CharField(max_length=40)
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "period_start", "period_end", "section"],
                                               name="narrative_unique")]


class DonorReport(models.Model):
    """A donor's periodic report as it was generated: the PDF is kept, so what was sent can be
    shown again exactly, whatever the data became since."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, models.CASCADE, related_name="reports")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=8)
    pdf = models.BinaryField(editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donor report")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.period_start}–{self.period_end}"

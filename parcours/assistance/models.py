"""Assistance schemes as data (SPEC §4.2) and the ledger of what was paid or delivered.

A scheme is versioned: an edit makes a new `SchemeVersion`; evaluation on a date uses the version
in force that day. The rules of a version are expressions of the rule language (see `rules.py`).

The ledger is append-only: a `LedgerEntry` is never edited; a mistake is undone by a reversal
entry that points at the original. Who holds a payment "slot" (person, scheme, tranche, period)
is guarded by the database, not only by the service:
- the first payment of a slot is unique among payments that replace nothing;
- each later payment names the reversal that freed the slot (`replaces`), and a reversal can be
  replaced at most once;
- an entry can be reversed at most once.
So two concurrent payments of the same slot collide on a unique index, and a reversal is what
frees the slot — without ever updating the original row."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parcours.people.models import Person


def _in_language(obj, field: str) -> str:
    fr, en = getattr(obj, f"{field}_fr"), getattr(obj, f"{field}_en")
    return (en or fr) if (get_language() or "fr").startswith("en") else (fr or en)


class SchemeCategory(models.Model):
    """A kind of assistance ("arrival", "reintegration"). Rules count prior assistance by category,
    so the cash grant can ignore the arrival allowance without naming it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        verbose_name = _("assistance category")
        verbose_name_plural = _("assistance categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")


class Period(models.TextChoices):
    ONCE = "once", _("once")
    MONTHLY = "monthly", _("every month")


class Channel(models.TextChoices):
    CASH = "cash", _("cash")
    CHEQUE = "cheque", _("cheque")
    MOBILE_MONEY = "mobile_money", _("mobile money")
    IN_KIND = "in_kind", _("in kind")


class Scheme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    category = models.ForeignKey(SchemeCategory, models.PROTECT, related_name="schemes", verbose_name=_("category"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assistance scheme")
        verbose_name_plural = _("assistance schemes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class SchemeVersion(models.Model):
    """The rules of a scheme from `valid_from` to `valid_to` (inclusive; open-ended when empty).

    `criteria`: [{"rule": expr, "label_fr": "…", "label_en": "…"}] — eligible when all hold.
    `amount`: expr giving the total in XOF.
    `tranches`: [{"share": percent, "condition": expr, "label_fr", "label_en"}] — shares add to 100;
    the last tranche takes the rounding remainder."""

    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name_fr = models.CharField(_("name (French)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    period = models.CharField(_("payable"), max_length=8, choices=Period.choices, default=Period.ONCE)
    channels = models.JSONField(_("payment channels"), default=list)
    criteria = models.JSONField(_("eligibility criteria"), default=list)
    amount = models.TextField(_("amount (XOF)"))
    tranches = models.JSONField(_("tranches"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scheme version")
        ordering = ["scheme__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_unique")]
        indexes = [models.Index(fields=["scheme", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.scheme.code} v{self.number}"

    @property
    def name(self) -> str:
        return _in_language(self, "name")

    @property
    def description(self) -> str:
        return _in_language(self, "description")

    def in_force_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class AttendanceRecord(models.Model):
    """Days of training a person attended in a month — the default source of the
    `training_days_attended` fact when no other app registers its own."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    days = models.PositiveSmallIntegerField(_("days attended"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training attendance")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="attendance_person_month_unique"),
            models.CheckConstraint(condition=Q(days__lte=31), name="attendance_days_max"),
        ]


class VerificationVisit(models.Model):
    """A field visit checking how a tranche was used; a verified visit releases the next tranche."""

    class Outcome(models.TextChoices):
        VERIFIED = "verified", _("use verified")
        NOT_VERIFIED = "not_verified", _("use not verified")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="+")
    tranche = models.PositiveSmallIntegerField(_("tranche verified"), default=1)
    visited_on = models.DateField(_("date of the visit"))
    visitor = models.CharField(_("visited by"), max_length=120)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification visit")
        ordering = ["-visited_on", "-created_at"]


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = "payment", _("payment")
        REVERSAL = "reversal", _("reversal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PAYMENT)
    person = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("person"))
    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="+", verbose_name=_("scheme"))
    version = models.ForeignKey(SchemeVersion, models.PROTECT, related_name="+")
    tranche = models.PositiveSmallIntegerField(_("tranche"))
    # "" for schemes paid once; "YYYY-MM" for monthly schemes.
    period = models.CharField(_("period"), max_length=7, blank=True, default="")
    amount_xof = models.BigIntegerField(_("amount (XOF)"))
    paid_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    id_document_type = models.CharField(_("identity document checked"), max_length=20, blank=True)
    id_document_number = models.CharField(_("document number"), max_length=40, blank=True)
    proof_reference = models.CharField(_("proof reference"), max_length=200, blank=True)
    proof_file = models.FileField(_("proof file"), upload_to="assistance/proofs/%Y/%m/", blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reversal_of = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="reversed_by")
    replaces = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="replaced_by",
                                    help_text="For a payment: the reversal that freed its slot.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-paid_on", "-created_at"]
        indexes = [
            models.Index(fields=["person", "scheme"], name="ledger_person_scheme"),
            models.Index(fields=["scheme", "paid_on"], name="ledger_scheme_date"),
            models.Index(fields=["-paid_on", "-created_at"], name="ledger_recent"),
        ]
        constraints = [
            # The live slot: one first payment per (person, scheme, tranche, period)…
            models.UniqueConstraint(fields=["person", "scheme", "tranche", "period"],
                                    condition=Q(kind="payment", replaces__isnull=True),
                                    name="ledger_first_payment_of_slot"),
            # …and a retry with the same client key is the same entry.
            models.CheckConstraint(
                condition=(Q(kind="payment", amount_xof__gt=0, reversal_of__isnull=True)
                           | Q(kind="reversal", amount_xof__lt=0, reversal_of__isnull=False, replaces__isnull=True)),
                name="ledger_kind_shape",
            ),
            models.CheckConstraint(condition=Q(tranche__gte=1), name="ledger_tranche_positive"),
            models.CheckConstraint(condition=~Q(channel="cheque") | ~Q(id_document_number=""),
                                   name="ledger_cheque_needs_document"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code} #{self.tranche} {self.amount_xof} XOF"

"""Transit centres and assisted voluntary return (SPEC §4.3).

A centre is a place (`accounts.Place` of kind "centre") run by an agency, with beds. A stay is one
person in one centre from the day they entered to the day they left; a night counts when the stay
covers it (entered_on <= night < left_on). Services received during a stay are dated rows.

Assisted voluntary return (AVR) of a foreign migrant: a return request (consent, travel document
obtained through the embassy), then a seat on a departure (charter, bus convoy, commercial flight)
that departs, then the hand-over to the receiving country's mission. Refusals and no-shows are
rows with a status, never deletions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from parcours.accounts.models import Agency, Place
from parcours.people.models import Person


class ServiceKind(models.TextChoices):
    FOOD = "food", _("food")
    SHELTER = "shelter", _("shelter")
    MEDICAL = "medical", _("medical care")
    PSYCHOSOCIAL = "psychosocial", _("psychosocial support")
    LEGAL = "legal", _("legal assistance")


# Health and psychosocial care and legal help (often about trafficking) are protection data.
PROTECTION_SERVICES = {ServiceKind.MEDICAL, ServiceKind.PSYCHOSOCIAL, ServiceKind.LEGAL}


class Centre(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    place = models.OneToOneField(Place, models.PROTECT, related_name="centre", verbose_name=_("place"))
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name=_("run by"))
    capacity = models.PositiveIntegerField(_("beds"))
    # What the centre offers, among ServiceKind values.
    services = models.JSONField(_("services offered"), default=list, blank=True)
    # A stay longer than this is "stranded" on the centre's page (set by the administrator).
    stranded_after_days = models.PositiveSmallIntegerField(_("stranded after (days)"), default=28)
    # A centre for victims of trafficking: its name never appears on a timeline line.
    protected = models.BooleanField(_("protected centre (victims of trafficking)"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="centre_has_beds")]

    def __str__(self) -> str:
        return self.name


class Stay(models.Model):
    class ExitReason(models.TextChoices):
        RETURNED_HOME = "returned_home", _("returned home")
        ONWARD = "onward", _("continued the journey")
        LEFT = "left_without_notice", _("left without notice")
        REFERRED = "referred", _("referred elsewhere")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    centre = models.ForeignKey(Centre, models.PROTECT, related_name="stays", verbose_name=_("centre"))
    person = models.ForeignKey(Person, models.PROTECT, related_name="stays", verbose_name=_("person"))
    entered_on = models.DateField(_("entered on"))
    # Where the person was identified: Bamako, Gao, Mopti, Tombouctou (a region or a point).
    entry_point = models.ForeignKey(Place, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("entry point"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=20, choices=ExitReason.choices, blank=True)
    admitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["-entered_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(left_on__isnull=True),
                                    name="one_open_stay_per_person"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("entered_on")),
                                   name="stay_leaves_after_entering"),
            models.CheckConstraint(condition=Q(left_on__isnull=True, exit_reason="")
                                   | (Q(left_on__isnull=False) & ~Q(exit_reason="")),
                                   name="stay_left_with_reason"),
        ]
        indexes = [models.Index(fields=["centre", "left_on", "entered_on"], name="stay_centre_open"),
                   models.Index(fields=["centre", "entered_on"], name="stay_centre_entered")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.centre}"

    @property
    def is_open(self) -> bool:
        return self.left_on is None

    def nights(self, today) -> int:
        return ((self.left_on or today) - self.entered_on).days


class StayService(models.Model):
    """A service received during a stay, dated and counted (3 meals, 1 medical consultation)."""

    stay = models.ForeignKey(Stay, models.CASCADE, related_name="services_received")
    kind = models.CharField(_("service"), max_length=12, choices=ServiceKind.choices)
    given_on = models.DateField(_("date"))
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service received")
        ordering = ["given_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="stay_service_quantity")]


class StayProtection(models.Model):
    """What the protection team knows at entry: victim of trafficking, unaccompanied or separated
    minor. Protection data: only the protection readers see it."""

    stay = models.OneToOneField(Stay, models.CASCADE, related_name="protection")
    trafficking_victim = models.BooleanField(_("victim of trafficking"), default=False)
    unaccompanied_minor = models.BooleanField(_("unaccompanied or separated minor"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class TracingStep(models.Model):
    """A step of family tracing for an unaccompanied or separated minor (protection data)."""

    class Step(models.TextChoices):
        REQUESTED = "requested", _("tracing requested")
        CONTACT = "contact_made", _("contact made with the family")
        LOCATED = "family_located", _("family located")
        ASSESSED = "family_assessed", _("family assessed")
        NOT_FOUND = "not_found", _("family not found")

    stay = models.ForeignKey(Stay, models.CASCADE, related_name="tracing_steps")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("family tracing step")
        ordering = ["on", "id"]


class TravelDocumentType(models.TextChoices):
    PASSPORT = "passport", _("passport")
    LAISSEZ_PASSER = "laissez_passer", _("laissez-passer")
    CONSULAR_CARD = "consular_card", _("consular card")
    EMERGENCY = "emergency_travel", _("emergency travel document")


class ReturnRequest(models.Model):
    """A foreign migrant's assisted voluntary return, from the request to the hand-over."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        READY = "ready", _("consent and travel document in hand")
        BOOKED = "booked", _("booked on a departure")
        DEPARTED = "departed", _("departed")
        HANDED_OVER = "handed_over", _("handed over to the receiving country")
        REFUSED = "refused", _("refused to return")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN = (Status.REQUESTED, Status.READY, Status.BOOKED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, models.PROTECT, related_name="return_requests", verbose_name=_("person"))
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("agency"))
    place = models.ForeignKey(Place, models.PROTECT, null=True, blank=True, related_name="+")
    requested_on = models.DateField(_("requested on"))
    destination = CountryField(_("country of return"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    consent_to_return = models.BooleanField(_("consents to return"), null=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    document_requested_on = models.DateField(_("travel document requested on"), null=True, blank=True)
    document_type = models.CharField(_("travel document"), max_length=20, choices=TravelDocumentType.choices,
                                     blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    document_issued_on = models.DateField(_("issued on"), null=True, blank=True)
    document_expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # Before an unaccompanied minor returns: the best-interest determination (protection team).
    best_interest_on = models.DateField(_("best-interest determination on"), null=True, blank=True)
    best_interest_return = models.BooleanField(_("return is in the child's best interest"), null=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("return request")
        ordering = ["-requested_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status__in=["requested", "ready", "booked"]),
                                    name="one_open_return_per_person"),
            models.CheckConstraint(condition=Q(document_expires_on__isnull=True) | Q(document_issued_on__isnull=True)
                                   | Q(document_expires_on__gte=models.F("document_issued_on")),
                                   name="return_document_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.destination}"

    def document_valid_on(self, day) -> bool:
        return bool(self.document_number and self.document_issued_on and self.document_expires_on
                    and self.document_issued_on <= day <= self.document_expires_on)


class Departure(models.Model):
    class Mode(models.TextChoices):
        CHARTER = "charter", _("charter flight")
        BUS = "bus", _("bus convoy")
        COMMERCIAL = "commercial", _("commercial flight")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DEPARTED = "departed", _("departed")
        HANDED_OVER = "handed_over", _("handed over")
        CANCELLED = "cancelled", _("cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    planned_on = models.DateField(_("planned on"))
    destination = CountryField(_("destination"))
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    carrier = models.CharField(_("carrier"), max_length=120, blank=True)
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("organised by"))
    place = models.ForeignKey(Place, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("leaving from"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    receiving_mission = models.CharField(_("receiving mission"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("departure")
        ordering = ["-planned_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["planned", "cancelled"]) | Q(departed_on__isnull=False),
                                   name="departure_departed_has_date"),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.get_mode_display()} → {self.destination} {self.planned_on}"


class Passenger(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        DEPARTED = "departed", _("departed")
        NO_SHOW = "no_show", _("did not show up")
        REMOVED = "removed", _("taken off the list")

    departure = models.ForeignKey(Departure, models.PROTECT, related_name="passengers")
    request = models.ForeignKey(ReturnRequest, models.PROTECT, related_name="seats")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("passenger")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["departure", "request"], name="passenger_once_per_departure"),
            models.UniqueConstraint(fields=["request"], condition=Q(status="booked"),
                                    name="passenger_one_booking_per_request"),
        ]

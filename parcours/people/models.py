"""The registry of people (SPEC §4.1): one row per person, spellings, contacts, documents,
household, migration history, consent, and a timeline of what happened to them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from parcours.accounts.models import Agency, Place
from parcours.core import demographics


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class BirthPrecision(models.TextChoices):
    DATE = "date", _("exact date")
    YEAR = "year", _("year only")
    AGE = "age", _("from a declared age")


class ReturnMode(models.TextChoices):
    VOLUNTARY = "voluntary", _("voluntary, on their own")
    ASSISTED = "assisted", _("assisted voluntary return")
    DEPORTED = "deported", _("deported / expelled")
    PUSHED_BACK = "pushed_back", _("pushed back before reaching destination")


class DocumentType(models.TextChoices):
    NINA = "nina", _("NINA (national identification number)")
    PASSPORT = "passport", _("passport")
    CONSULAR_CARD = "consular_card", _("consular card")
    LAISSEZ_PASSER = "laissez_passer", _("laissez-passer")
    BIRTH_CERTIFICATE = "birth_certificate", _("birth certificate")
    OTHER = "other", _("other document")


class Education(models.TextChoices):
    NONE = "none", _("none")
    KORANIC = "koranic", _("Koranic school")
    PRIMARY = "primary", _("primary")
    SECONDARY = "secondary", _("secondary")
    VOCATIONAL = "vocational", _("vocational")
    HIGHER = "higher", _("higher education")


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    other_names = models.CharField(_("other names"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_precision = models.CharField(max_length=4, choices=BirthPrecision.choices, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    origin_region = models.ForeignKey(Place, models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("region of origin"))
    origin_cercle = models.ForeignKey(Place, models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("cercle of origin"))
    origin_commune = models.ForeignKey(Place, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("commune of origin"))
    # Place names of origin the gazetteer did not know, kept as written until a data cleaner
    # confirms them (CONTRACT "Places"): "cercle: Nyoro".
    origin_as_written = models.CharField(_("place of origin as written (to confirm)"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +22376123456"))
    id_document_type = models.CharField(_("identity document"), max_length=20, choices=DocumentType.choices,
                                        blank=True)
    id_document_number = models.CharField(_("document number"), max_length=40, blank=True)
    return_date = models.DateField(_("date of return"), null=True, blank=True)
    returned_from = CountryField(_("returned from"), blank=True)
    return_mode = models.CharField(_("how they returned"), max_length=12, choices=ReturnMode.choices, blank=True)
    languages = models.CharField(_("languages"), max_length=120, blank=True)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices, blank=True)
    skills = models.TextField(_("declared skills"), blank=True)

    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                      related_name="+")
    registered_agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="+")
    registered_place = models.ForeignKey(Place, models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("place of registration"))
    # Denormalised place paths: scoping is one indexed prefix match, not a join per query.
    origin_path = models.CharField(max_length=255, blank=True, editable=False)
    registered_path = models.CharField(max_length=255, blank=True, editable=False)
    # A merged record points at the one that survived (issue: duplicates); it is hidden from lists.
    merged_into = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")

    # Matching keys, derived from the fields above by parcours.matching; indexed for candidates.
    mk_family = models.CharField(max_length=60, blank=True, editable=False)
    mk_given = models.CharField(max_length=60, blank=True, editable=False)
    mk_family_phon = models.CharField(max_length=20, blank=True, editable=False)
    mk_given_phon = models.CharField(max_length=20, blank=True, editable=False)
    mk_phone = models.CharField(max_length=20, blank=True, editable=False)
    mk_doc = models.CharField(max_length=40, blank=True, editable=False)
    # Names, phone and document without accents or case, for search (trigram-indexed on PostgreSQL).
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["origin_path", "-created_at"], name="person_origin_recent"),
            models.Index(fields=["registered_path", "-created_at"], name="person_regd_recent"),
            models.Index(fields=["-created_at"], name="person_recent"),
            models.Index(fields=["mk_family", "mk_given", "birth_year"], name="person_mk_names_year"),
            models.Index(fields=["mk_family_phon", "mk_given_phon", "birth_year"], name="person_mk_sounds_year"),
            models.Index(fields=["return_date", "mk_family_phon"], name="person_mk_return_family"),
            models.Index(fields=["return_date", "mk_given_phon"], name="person_mk_return_given"),
            models.Index(fields=["mk_phone"], name="person_mk_phone"),
            models.Index(fields=["mk_doc"], name="person_mk_doc"),
            models.Index(fields=["family_name", "given_name"], name="person_names"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=["", "M", "F"]), name="person_sex_valid"),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True) | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def birth_year_text(self) -> str:
        """The year of birth as text: a year is never printed with a thousands separator ("2 001")."""
        return str(self.birth_year) if self.birth_year else ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p) or "—"

    def age_on(self, day) -> int | None:
        """Whole years on `day`; from the year alone when that is all we know."""
        return demographics.age_on(day, birth_date=self.birth_date, birth_year=self.birth_year)

    def is_minor_on(self, day) -> bool:
        return demographics.is_minor(self.age_on(day))


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, models.CASCADE, related_name="documents")
    type = models.CharField(_("type"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=40, blank=True)
    issuing_country = CountryField(_("issuing country"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity document")


class ExternalReference(models.Model):
    """An identifier in another system (the IOM case number, a manifest row). Unique per system,
    which is what makes a re-run import or a retried call find the row it already made."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="external_refs")
    system = models.CharField(_("system"), max_length=60)
    value = models.CharField(_("reference"), max_length=120)

    class Meta:
        verbose_name = _("external reference")
        constraints = [models.UniqueConstraint(fields=["system", "value"], name="external_ref_unique")]


class HouseholdMember(models.Model):
    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        SIBLING = "sibling", _("brother or sister")
        OTHER = "other", _("other dependant")

    person = models.ForeignKey(Person, models.CASCADE, related_name="household")
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    # When the dependant is registered in their own right.
    member = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household member")
        ordering = ["created_at"]

    def age_on(self, day) -> int | None:
        return Person.age_on(self, day)  # type: ignore[arg-type]


class MigrationHistory(models.Model):
    class Reason(models.TextChoices):
        ECONOMIC = "economic", _("economic")
        FAMILY = "family", _("family")
        STUDIES = "studies", _("studies")
        CONFLICT = "conflict", _("conflict or insecurity")
        ENVIRONMENT = "environment", _("environment")
        OTHER = "other", _("other")

    person = models.ForeignKey(Person, models.CASCADE, related_name="migrations")
    left_on = models.DateField(_("left on"), null=True, blank=True)
    route = models.CharField(_("route"), max_length=200, blank=True)
    transit_countries = models.CharField(_("countries of transit"), max_length=120, blank=True)
    destination_country = CountryField(_("intended destination"), blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    reason = models.CharField(_("reason for leaving"), max_length=12, choices=Reason.choices, blank=True)
    debt_xof = models.PositiveBigIntegerField(_("debt for the journey (XOF)"), null=True, blank=True)

    class Meta:
        verbose_name = _("migration history")


class Consent(models.Model):
    """A dated consent decision. The latest row per (person, scope, agency) is in force."""

    class Scope(models.TextChoices):
        COLLECTION = "collection", _("data collection")
        SHARING = "sharing", _("sharing with a partner")

    person = models.ForeignKey(Person, models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("partner"))
    granted = models.BooleanField(_("granted"))
    given_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        ordering = ["-given_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="collection") | models.Q(agency__isnull=False),
                name="consent_sharing_names_partner",
            )
        ]


class AgencyAccess(models.Model):
    """Why an agency outside the joint registry may see a person: assigned or referred to it.
    Only created with the person's consent to share with that agency, and switched off when
    that consent is withdrawn."""

    class Reason(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        REFERRED = "referred", _("referred")
        # Named, with consent, at a sensitization activity the agency's focal point recorded.
        PARTICIPANT = "participant", _("named participant of a sensitization activity")

    person = models.ForeignKey(Person, models.CASCADE, related_name="agency_access")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "agency", "reason"], name="agency_access_unique")
        ]
        indexes = [models.Index(fields=["agency", "active"])]

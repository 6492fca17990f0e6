"""Questionnaires as data (XLSForm, converted to XForm by pyxform), their versions, and the
answers received from ODK Collect, KoboCollect, Enketo or the web — each with who administered
it and whether that was the respondent's own case worker, so administrator bias can be seen."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Form(models.Model):
    class Subject(models.TextChoices):
        PERSON = "person", _("a person")
        CASE = "case", _("a case")
        STAY = "stay", _("a centre stay")
        ACTIVITY = "activity", _("a sensitization activity")
        POINT = "point", _("a flow monitoring point")
        NONE = "none", _("nothing in particular")

    form_id = models.SlugField(_("form id"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("about"), max_length=10, choices=Subject.choices, default=Subject.PERSON)
    # Roles that may fill it (empty: every role that may collect); the place scopes who sees it.
    roles = models.JSONField(_("roles"), default=list, blank=True)
    place = models.ForeignKey("accounts.Place", models.PROTECT, null=True, blank=True, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("form")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def role_labels(self) -> list[str]:
        """The roles that fill it, as people call them."""
        from parcours.accounts.models import Role

        return [str(Role(r).label) if r in Role.values else r for r in self.roles]


class FormVersion(models.Model):
    form = models.ForeignKey(Form, models.CASCADE, related_name="versions")
    version = models.CharField(_("version"), max_length=40)
    source_name = models.CharField(max_length=200)
    source = models.BinaryField()
    xml = models.TextField()
    md5 = models.CharField(max_length=32)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["form", "version"], name="form_version_unique")]


class FormMedia(models.Model):
    """A file a form version uses (a choice's image or audio, a CSV for pulldata() or search()),
    listed in the version's OpenRosa manifest so the phone downloads it with the form."""

    version = models.ForeignKey(FormVersion, models.CASCADE, related_name="media")
    filename = models.CharField(max_length=200)
    file = models.FileField(upload_to="forms/media/%Y/%m/")
    md5 = models.CharField(max_length=32)
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["filename"]
        constraints = [models.UniqueConstraint(fields=["version", "filename"], name="form_media_unique")]


class Submission(models.Model):
    """One answer. `instance_id` (the client's meta/instanceID) makes a resubmission the same row;
    an edit arrives with a new instanceID naming the old one as deprecatedID."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instance_id = models.CharField(max_length=100, unique=True)
    version = models.ForeignKey(FormVersion, models.PROTECT, related_name="submissions")
    person = models.ForeignKey("people.Person", models.PROTECT, null=True, blank=True, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # The respondent's own case worker asked the questions (the 99 % vs 65 % effect), or not.
    by_own_caseworker = models.BooleanField(null=True)
    collected_on = models.DateField(_("collected on"))
    received_at = models.DateTimeField(auto_now_add=True)
    xml = models.TextField()
    content_md5 = models.CharField(max_length=32)
    data = models.JSONField(default=dict)
    replaced_by = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+")
    # What the answers are about when it is not only a person: a case, a centre stay, a
    # sensitization activity (its id) or a flow monitoring point (its code).
    subject_type = models.CharField(max_length=10, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["version", "collected_on"], name="submission_version_day")]


class Attachment(models.Model):
    submission = models.ForeignKey(Submission, models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    file = models.FileField(upload_to="submissions/%Y/%m/")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "name"], name="attachment_unique")]


class Scoring(models.Model):
    """How a form's answers are scored (parcours.surveys.scoring): dimensions with their weights,
    items with their scales, and the threshold of a sustainable score. Data, not code."""

    form = models.OneToOneField(Form, models.CASCADE, related_name="scoring")
    definition = models.JSONField(_("definition"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scoring")


class Cohort(models.Model):
    """A follow-up cohort: a share of the people assisted, drawn at random within strata (region,
    sector) from a seed, so the same seed on the same population draws the same people, and
    re-surveyed in waves (yearly for three years). Everyone not drawn is kept, in random order
    per stratum, as the stratum's reserve: a member who cannot be reached is replaced by the next
    reserve of the same stratum."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    form = models.ForeignKey(Form, models.PROTECT, related_name="cohorts", verbose_name=_("questionnaire"))
    agency = models.ForeignKey("accounts.Agency", models.PROTECT, null=True, blank=True, related_name="+")
    seed = models.BigIntegerField(_("seed"))
    share = models.DecimalField(_("share"), max_digits=4, decimal_places=3)
    strata = models.JSONField(_("strata"), default=list)
    assisted_from = models.DateField(_("assisted from"))
    assisted_to = models.DateField(_("assisted until"))
    first_wave_on = models.DateField(_("first wave"))
    waves = models.PositiveSmallIntegerField(_("waves"), default=3)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        ordering = ["-drawn_at"]
        constraints = [models.CheckConstraint(condition=models.Q(share__gt=0, share__lte=1), name="cohort_share_0_1"),
                       models.CheckConstraint(condition=models.Q(waves__gte=1), name="cohort_waves_1")]

    def __str__(self) -> str:
        return self.name


class CohortMember(models.Model):
    class Status(models.TextChoices):
        MEMBER = "member", _("in the cohort")
        RESERVE = "reserve", _("reserve")
        DROPPED = "dropped", _("replaced")

    class Reason(models.TextChoices):
        UNREACHABLE = "unreachable", _("cannot be reached")
        REFUSED = "refused", _("refused")
        MOVED = "moved", _("moved away or migrated again")
        DECEASED = "deceased", _("deceased")

    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="+")
    stratum = models.CharField(_("stratum"), max_length=200)
    # Position in the stratum's random order: the drawn come first, then the reserve in order.
    rank = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices, blank=True)
    replaces = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="replaced_by")
    changed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["stratum", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="cohort_member_once"),
            models.UniqueConstraint(fields=["cohort", "stratum", "rank"], name="cohort_member_rank"),
            models.CheckConstraint(condition=~models.Q(status="dropped") | ~models.Q(reason=""),
                                   name="cohort_dropped_with_reason"),
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="cohort_member_status")]

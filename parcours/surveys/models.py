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

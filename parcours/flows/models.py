"""Flow monitoring: the points where enumerators count who passes, the daily counts, and the
bi-weekly reports published from them.

A point is a place of the gazetteer (kind `fmp`); a count is one line of an enumerator's daily
sheet — how many people passed one way on one day with one breakdown (nationality, sex, age
group, transport, reason, origin, destination). A correction never edits a count: it is a new
count that replaces the old one, which stays in history (`replaced_by`)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    IN = "in", _("incoming")
    OUT = "out", _("outgoing")


class Sex(models.TextChoices):
    M = "M", _("male")
    F = "F", _("female")


class AgeGroup(models.TextChoices):
    CHILD = "0-17", _("0–17 years")
    ADULT = "18-59", _("18–59 years")
    ELDER = "60+", _("60 years and over")


class Transport(models.TextChoices):
    BUS = "bus", _("bus")
    TRUCK = "truck", _("truck")
    CAR = "car", _("car")
    MOTORBIKE = "motorbike", _("motorbike")
    ON_FOOT = "on_foot", _("on foot")
    OTHER = "other", _("other")


class Reason(models.TextChoices):
    ECONOMIC = "economic", _("economic")
    FAMILY = "family", _("family")
    EDUCATION = "education", _("education")
    CONFLICT = "conflict", _("conflict")
    OTHER = "other", _("other")


# The breakdown of a count: two live counts never share all of these (see Count.Meta).
BREAKDOWN = ("direction", "nationality", "sex", "age_group", "transport", "reason", "origin", "destination")


class Point(models.Model):
    """A flow monitoring point. Its place (kind `fmp`) carries the name, the coordinates and the
    place in the tree that scoping compares against; the point adds what is particular to
    counting there."""

    place = models.OneToOneField("accounts.Place", models.PROTECT, related_name="flow_point",
                                 verbose_name=_("place"))
    code = models.CharField(_("code"), max_length=32, unique=True)
    # The roads the point watches ("RN16 Gao–Ansongo–Niger"), shown on the report.
    roads = models.CharField(_("roads watched"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    enumerators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="flow_points",
                                         verbose_name=_("enumerators"))

    class Meta:
        verbose_name = _("flow monitoring point")
        verbose_name_plural = _("flow monitoring points")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.place.name


class Count(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    point = models.ForeignKey(Point, models.PROTECT, related_name="counts", verbose_name=_("point"))
    day = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    nationality = models.CharField(_("nationality"), max_length=2)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices)
    transport = models.CharField(_("transport"), max_length=10, choices=Transport.choices)
    reason = models.CharField(_("reason for travel"), max_length=10, choices=Reason.choices)
    # Country of departure and intended destination (ISO alpha-2), blank when not asked.
    origin = models.CharField(_("origin"), max_length=2, blank=True)
    destination = models.CharField(_("intended destination"), max_length=2, blank=True)
    count = models.PositiveIntegerField(_("count"))

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A correction replaces the live count of the same breakdown; the old one stays, replaced.
    replaces = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="replaced_by")
    live = models.BooleanField(default=True)
    fact = models.ForeignKey("facts.Fact", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("flow count")
        verbose_name_plural = _("flow counts")
        ordering = ["-day", "point", "direction"]
        # By point then day (a point's dashboard), by day then point (the national report of a period).
        indexes = [models.Index(fields=["point", "day"], name="flowcount_point_day"),
                   models.Index(fields=["day", "point"], name="flowcount_day_point")]
        constraints = [
            # One live count per point, day and breakdown: a retry cannot count twice, and a
            # second different figure must say it is a correction.
            models.UniqueConstraint(fields=["point", "day", *BREAKDOWN], condition=Q(live=True),
                                    name="flowcount_one_live_per_breakdown"),
            models.CheckConstraint(condition=Q(direction__in=["in", "out"]), name="flowcount_direction_valid"),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="flowcount_sex_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.point.code} {self.day} {self.direction} {self.count}"

    def breakdown(self) -> dict:
        return {name: getattr(self, name) for name in BREAKDOWN}


class Report(models.Model):
    """A published bi-weekly report of one point: the figures as they stood when published."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    point = models.ForeignKey(Point, models.PROTECT, related_name="reports", verbose_name=_("point"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    totals = models.JSONField(default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    fact = models.ForeignKey("facts.Fact", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("bi-weekly report")
        verbose_name_plural = _("bi-weekly reports")
        ordering = ["-period_start", "point"]
        constraints = [
            models.UniqueConstraint(fields=["point", "period_start"], name="flowreport_once_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="flowreport_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.point.code} {self.period_start}–{self.period_end}"


class Tally(models.Model):
    """The head count of one point's day in one direction, as the enumerator tallied people
    passing: the lines of the daily sheet (the counts by breakdown) should add up to it. A
    correction replaces the live tally; the old one stays (`replaces`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    point = models.ForeignKey(Point, models.PROTECT, related_name="tallies", verbose_name=_("point"))
    day = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    total = models.PositiveIntegerField(_("people tallied"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    replaces = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="replaced_by")
    live = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("day tally")
        verbose_name_plural = _("day tallies")
        ordering = ["-day", "point", "direction"]
        constraints = [
            models.UniqueConstraint(fields=["point", "day", "direction"], condition=Q(live=True),
                                    name="flowtally_one_live_per_day"),
            models.CheckConstraint(condition=Q(direction__in=["in", "out"]), name="flowtally_direction_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.point.code} {self.day} {self.direction} {self.total}"


class DayCheck(models.Model):
    """An M&E officer looked at one point's day (its gaps, outliers, totals, late lines) and
    says so: who and when, with a note. Flags stay visible, marked as checked."""

    point = models.ForeignKey(Point, models.PROTECT, related_name="checks", verbose_name=_("point"))
    day = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked on"), auto_now_add=True)
    fact = models.ForeignKey("facts.Fact", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("checked day")
        verbose_name_plural = _("checked days")
        ordering = ["-day", "point"]
        constraints = [models.UniqueConstraint(fields=["point", "day"], name="flowcheck_once_per_day")]

    def __str__(self) -> str:
        return f"{self.point.code} {self.day}"


class ReportFile(models.Model):
    """A bi-weekly report rendered to PDF, as it was generated (in the background) and sent: the
    file is kept, never rendered again. `point` is blank for the national report; `report` is the
    published report of the point it renders, when there is one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    point = models.ForeignKey(Point, models.PROTECT, null=True, blank=True, related_name="files",
                              verbose_name=_("point"))
    report = models.ForeignKey(Report, models.PROTECT, null=True, blank=True, related_name="files")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=8)
    total = models.PositiveIntegerField(_("people counted"), default=0)
    pdf = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("generated by"))
    created_at = models.DateTimeField(_("generated on"), auto_now_add=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-period_start", "-created_at"]
        indexes = [models.Index(fields=["point", "period_start"], name="flowfile_point_period")]

    def __str__(self) -> str:
        return f"{self.point.code if self.point_id else 'national'} {self.period_start}"

    @property
    def national(self) -> bool:
        return self.point_id is None

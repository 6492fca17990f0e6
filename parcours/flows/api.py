"""Flow monitoring over the API (CONTRACT "Flow monitoring"): the points, daily counts (a retry
answers the count already recorded; a different figure needs `"correction": true`), and the
published bi-weekly reports."""

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from parcours.core.api import ErrorOut, paginate
from parcours.core.errors import Forbidden, NotFound, ValidationFailed
from parcours.jobs.services import job_start

from . import quality, reports, selectors, services
from .models import Count, DayCheck, Point, Report, Tally
from .policies import (
    can_publish_reports,
    can_read_flows,
    can_read_national_files,
    point_for_read,
    points_visible_to,
    report_for_read,
)

router = Router(tags=["flows"])

DirectionCode = Literal["in", "out"]
SexCode = Literal["M", "F"]
AgeGroupCode = Literal["0-17", "18-59", "60+"]
TransportCode = Literal["bus", "truck", "car", "motorbike", "on_foot", "other"]
ReasonCode = Literal["economic", "family", "education", "conflict", "other"]


class PointOut(Schema):
    code: str
    name: str
    place: str = Field(description="The commune or cercle the point sits in.")
    region: str
    pcode: str = Field(description="P-code of the administrative place the point sits in.")
    latitude: float | None
    longitude: float | None
    roads: str
    last_count_on: dt.date | None


class PointList(Schema):
    results: list[PointOut]


class CountIn(Schema):
    point: str = Field(description="The point's code, e.g. GAO-FMP.")
    date: dt.date
    direction: DirectionCode
    nationality: str = Field(description="ISO 3166-1 alpha-2, e.g. GN.", min_length=2, max_length=2)
    sex: SexCode
    age_group: AgeGroupCode
    transport: TransportCode
    reason: ReasonCode
    origin: str = Field("", description="Country of departure (alpha-2), optional.", max_length=2)
    destination: str = Field("", description="Intended destination (alpha-2), optional.", max_length=2)
    count: int = Field(description="Number of people (0 or more).")
    correction: bool = Field(False, description="Replace the count already recorded for this breakdown.")


class CountOut(Schema):
    id: uuid.UUID
    point: str
    date: dt.date
    direction: DirectionCode
    nationality: str
    sex: SexCode
    age_group: AgeGroupCode
    transport: TransportCode
    reason: ReasonCode
    origin: str
    destination: str
    count: int
    replaces: uuid.UUID | None
    recorded_at: dt.datetime


class CountPage(Schema):
    count: int
    results: list[CountOut]
    next: str | None


class CountQuery(Schema):
    point: str | None = None
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None


class ReportOut(Schema):
    id: uuid.UUID
    point: str
    point_name: str
    period_start: dt.date
    period_end: dt.date
    total: int
    by: dict[str, dict[str, int]]
    summary: str
    published_at: dt.datetime
    html_url: str
    pdf_url: str


class ReportList(Schema):
    results: list[ReportOut]


class ReportIn(Schema):
    point: str
    period_start: dt.date = Field(description="The 1st or the 16th of a month.")
    summary: str = ""


class FlowTallyIn(Schema):
    point: str = Field(description="The point's code, e.g. GAO-FMP.")
    date: dt.date
    direction: DirectionCode
    total: int = Field(description="People tallied that day in that direction; the lines should add up to it.")
    correction: bool = Field(False, description="Replace the tally already recorded for this day and direction.")


class FlowTallyOut(Schema):
    id: uuid.UUID
    point: str
    date: dt.date
    direction: DirectionCode
    total: int
    replaces: uuid.UUID | None
    recorded_at: dt.datetime


class FlowDayCheckOut(Schema):
    point: str
    date: dt.date
    note: str
    checked_by: str
    checked_at: dt.datetime


class FlowDayCheckIn(Schema):
    point: str
    date: dt.date
    note: str = ""


FlagKind = Literal["missing", "outlier", "mismatch", "late"]


class FlowQualityFlagOut(Schema):
    point: str
    date: dt.date
    kind: FlagKind
    direction: str = Field(description="`in` or `out` for outliers and mismatches, blank otherwise.")
    value: int | None = Field(description="The day's figure that is flagged (people).")
    expected: int | None = Field(description="What it is compared with: the point's median, or the day's tally.")
    message: str = Field(description="What is wrong, in words, in the caller's language.")
    checked: FlowDayCheckOut | None


class FlowQualityOut(Schema):
    period_start: dt.date
    period_end: dt.date
    results: list[FlowQualityFlagOut]


class FlowQualityQuery(Schema):
    point: str | None = None
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    kind: FlagKind | None = None


# The longest span one quality request looks at.
QUALITY_MAX_DAYS = 366


def _require_reader(user) -> None:
    # A role with no use for flows sees no such thing, as for a record out of scope.
    if not can_read_flows(user):
        raise NotFound()


def _point_out(p: Point) -> dict:
    parent = p.place.parent
    region = parent
    while region is not None and region.kind != "region":
        region = region.parent
    return {"code": p.code, "name": p.place.name, "place": parent.name if parent else "",
            "region": region.name if region else "", "pcode": parent.pcode if parent else "",
            "latitude": float(p.place.latitude) if p.place.latitude is not None else None,
            "longitude": float(p.place.longitude) if p.place.longitude is not None else None,
            "roads": p.roads, "last_count_on": getattr(p, "last_day", None)}


def _count_out(c: Count) -> dict:
    return {"id": c.pk, "point": c.point.code, "date": c.day, **c.breakdown(), "count": c.count,
            "replaces": c.replaces_id, "recorded_at": c.recorded_at}


def _tally_out(t: Tally) -> dict:
    return {"id": t.pk, "point": t.point.code, "date": t.day, "direction": t.direction, "total": t.total,
            "replaces": t.replaces_id, "recorded_at": t.recorded_at}


def _check_out(c: DayCheck) -> dict:
    return {"point": c.point.code, "date": c.day, "note": c.note, "checked_by": c.checked_by.get_username(),
            "checked_at": c.checked_at}


def _report_out(request, r: Report) -> dict:
    html = reverse("flows:report", kwargs={"code": r.point.code}) + f"?period={r.period_start.isoformat()}"
    pdf = reverse("api:get_report_pdf_of_flows", kwargs={"report_id": r.pk})
    return {"id": r.pk, "point": r.point.code, "point_name": r.point.place.name, "period_start": r.period_start,
            "period_end": r.period_end, "total": r.totals.get("total", 0), "by": r.totals.get("by", {}),
            "summary": r.summary, "published_at": r.published_at,
            "html_url": request.build_absolute_uri(html), "pdf_url": request.build_absolute_uri(pdf)}


@router.get("/points", response={200: PointList, 404: ErrorOut})
def list_points(request):
    """The flow monitoring points the caller may read (an enumerator: their own)."""
    _require_reader(request.user)
    points = selectors.points_list(request.user).select_related("place__parent__parent__parent")
    return {"results": [_point_out(p) for p in points]}


@router.post("/counts", response={200: CountOut, 201: CountOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                  409: ErrorOut})
def record_count(request, payload: CountIn):
    """One line of a point's daily sheet. The same line again answers 200 with the count already
    recorded; a different figure for the same point, date and breakdown answers 409 unless sent
    with `"correction": true` (201; the replaced count stays in history)."""
    data = payload.dict()
    data["date"] = payload.date.isoformat()
    count, created = services.count_record(by=request.user, data=data)
    return Status(201 if created else 200, _count_out(count))


@router.get("/counts", response={200: CountPage, 400: ErrorOut, 404: ErrorOut})
def list_counts(request, q: Query[CountQuery]):
    """The live counts of the points the caller reads, newest first."""
    _require_reader(request.user)
    point = point_for_read(request.user, q.point) if q.point else None
    qs = selectors.counts_list(request.user, point=point, start=q.from_, end=q.to)
    return paginate(request, qs, _count_out)


@router.get("/reports", response={200: ReportList, 400: ErrorOut, 404: ErrorOut})
def list_reports(request, q: Query[CountQuery]):
    """The published bi-weekly reports, with their web page and PDF addresses."""
    _require_reader(request.user)
    point = point_for_read(request.user, q.point) if q.point else None
    reports = selectors.reports_list(request.user, point=point, start=q.from_, end=q.to)
    return {"results": [_report_out(request, r) for r in reports[:500]]}


@router.post("/reports", response={200: ReportOut, 201: ReportOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def publish_report(request, payload: ReportIn):
    """Publish a point's bi-weekly report for a period that is over (M&E). Again: 200, the same report."""
    report, created = services.report_publish(by=request.user, data={
        "point": payload.point, "period_start": payload.period_start.isoformat(), "summary": payload.summary})
    if created:  # its PDF is rendered in the background and kept (pdf_url serves the file kept)
        job_start(by=request.user, kind="flows_report", params=reports.job_params(report.point.code,
                                                                                  report.period_start))
    return Status(201 if created else 200, _report_out(request, report))


@router.get("/reports/{report_id}", response={200: ReportOut, 404: ErrorOut})
def get_report(request, report_id: uuid.UUID):
    return _report_out(request, report_for_read(request.user, report_id))


@router.post("/tallies", response={200: FlowTallyOut, 201: FlowTallyOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                   409: ErrorOut})
def record_tally(request, payload: FlowTallyIn):
    """The head count of a point's day in one direction, which the lines should add up to. Same figure
    again: 200; a different one: 409 unless `"correction": true` (201, the old one kept in history)."""
    data = payload.dict()
    data["date"] = payload.date.isoformat()
    tally, created = services.tally_record(by=request.user, data=data)
    return Status(201 if created else 200, _tally_out(tally))


@router.get("/quality", response={200: FlowQualityOut, 400: ErrorOut, 404: ErrorOut})
def quality_flags(request, q: Query[FlowQualityQuery]):
    """The data quality flags of the points the caller reads (an enumerator: their own point):
    days without counts, days far from the point's usual (robust z-score), days whose lines don't
    add up to the tally, lines recorded late; each with the M&E check of its day if any. By default
    the last 31 days."""
    _require_reader(request.user)
    end = q.to or timezone.localdate()
    start = q.from_ or end - dt.timedelta(days=30)
    if end < start:
        raise ValidationFailed({"to": [_("The period ends before it starts.")]})
    if (end - start).days >= QUALITY_MAX_DAYS:
        raise ValidationFailed({"from": [_("At most %(n)s days at once.") % {"n": QUALITY_MAX_DAYS}]})
    points = points_visible_to(request.user)
    if q.point:
        points = points.filter(pk=point_for_read(request.user, q.point).pk)
    flags = quality.flags_for(points, start, end, kinds=(q.kind,) if q.kind else tuple(quality.KINDS))
    return {"period_start": start, "period_end": end, "results": [
        {"point": f.point.code, "date": f.day, "kind": f.kind, "direction": f.direction, "value": f.value,
         "expected": f.expected, "message": f.message, "checked": _check_out(f.check) if f.check else None}
        for f in flags]}


@router.post("/quality/checks", response={200: FlowDayCheckOut, 201: FlowDayCheckOut, 400: ErrorOut, 403: ErrorOut,
                                          404: ErrorOut})
def check_day(request, payload: FlowDayCheckIn):
    """Mark a point's day as checked (M&E): who and when are kept. Again: 200, the first check."""
    check, created = services.day_check(by=request.user, data={
        "point": payload.point, "date": payload.date.isoformat(), "note": payload.note})
    return Status(201 if created else 200, _check_out(check))


class FlowReportFileOut(Schema):
    id: uuid.UUID
    point: str | None = Field(description="The point's code; null for the national report.")
    period_start: dt.date
    period_end: dt.date
    language: str
    total: int
    created_at: dt.datetime
    pdf_url: str


class FlowReportFileList(Schema):
    results: list[FlowReportFileOut]


class FlowReportFileQuery(Schema):
    point: str | None = Field(None, description="Only this point's reports.")
    national: bool = Field(False, description="Only the national reports.")


class FlowReportFileIn(Schema):
    point: str | None = Field(None, description="The point's code; leave out for the national report.")
    period_start: dt.date = Field(description="The 1st or the 16th of a month; the period must be over.")


class FlowReportJobOut(Schema):
    job: uuid.UUID


def _file_out(request, f) -> dict:
    url = reverse("api:get_report_file_pdf", kwargs={"file_id": f.pk})
    return {"id": f.pk, "point": f.point.code if f.point_id else None, "period_start": f.period_start,
            "period_end": f.period_end, "language": f.language, "total": f.total, "created_at": f.created_at,
            "pdf_url": request.build_absolute_uri(url)}


@router.get("/report-files", response={200: FlowReportFileList, 404: ErrorOut})
def list_report_files(request, q: Query[FlowReportFileQuery]):
    """The report PDFs kept (generated in the background), per point and national, newest period first."""
    _require_reader(request.user)
    point = point_for_read(request.user, q.point) if q.point else None
    files = reports.files_list(request.user, point=point, national=q.national)
    return {"results": [_file_out(request, f) for f in files[:500]]}


@router.post("/report-files", response={202: FlowReportJobOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def generate_report_file(request, payload: FlowReportFileIn):
    """Render a point's (or the national) bi-weekly report to PDF in the background and keep it;
    follow /api/v1/jobs/{job}: when done its result names the file and links to it."""
    _require_reader(request.user)
    if payload.point:
        point_for_read(request.user, payload.point)
    if not can_publish_reports(request.user) or (not payload.point and not can_read_national_files(request.user)):
        raise Forbidden()
    end = reports.period_of(payload.period_start)[1]
    if not reports.is_period_start(payload.period_start) or end >= timezone.localdate():
        raise ValidationFailed({"period_start": [_("Choose a bi-weekly period that is over.")]})
    job = job_start(by=request.user, kind="flows_report",
                    params=reports.job_params(payload.point or None, payload.period_start))
    return Status(202, {"job": job.pk})


@router.get("/reports/{report_id}/pdf", response={200: None, 404: ErrorOut}, url_name="get_report_pdf_of_flows",
            openapi_extra={"responses": {"200": {"description": "The PDF kept for the published report.",
                                                 "content": {"application/pdf": {}}}}})
def get_published_report_pdf(request, report_id: uuid.UUID):
    """The PDF of a published report (in French), as kept: rendered once, then always the same file."""
    return _pdf(reports.report_file_of(report_for_read(request.user, report_id)))


def _pdf(made) -> HttpResponse:
    response = HttpResponse(bytes(made.pdf), content_type="application/pdf")
    name = made.point.code if made.point_id else "national"
    response["Content-Disposition"] = f'attachment; filename="{name}-{made.period_start}-{made.language}.pdf"'
    return response


@router.get("/report-files/{file_id}/pdf", response={200: None, 404: ErrorOut}, url_name="get_report_file_pdf",
            openapi_extra={"responses": {"200": {"description": "The PDF kept.",
                                                 "content": {"application/pdf": {}}}}})
def get_report_file_pdf(request, file_id: uuid.UUID):
    return _pdf(reports.file_for_read(request.user, file_id))


"""Flow monitoring over the API (CONTRACT "Flow monitoring"): the points, daily counts (a retry
answers the count already recorded; a different figure needs `"correction": true`), and the
published bi-weekly reports."""

import datetime as dt
import uuid
from typing import Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from parcours.core.api import ErrorOut, paginate
from parcours.core.errors import NotFound

from . import selectors, services
from .models import Count, Point, Report
from .policies import can_read_flows, point_for_read, report_for_read

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


def _report_out(request, r: Report) -> dict:
    html = reverse("flows:report", kwargs={"code": r.point.code}) + f"?period={r.period_start.isoformat()}"
    pdf = reverse("flows:report_pdf", kwargs={"report_id": r.pk})
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
    return Status(201 if created else 200, _report_out(request, report))


@router.get("/reports/{report_id}", response={200: ReportOut, 404: ErrorOut})
def get_report(request, report_id: uuid.UUID):
    return _report_out(request, report_for_read(request.user, report_id))

"""The results over the API (CONTRACT "Results"): indicators with baseline, target and value for
a period, and their disaggregations."""

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from parcours.core.api import ErrorOut
from parcours.core.errors import Forbidden, ValidationFailed
from parcours.core.web import CONTENT_TYPES, download, require
from parcours.jobs.services import job_start

from . import reports, selectors
from .policies import can_edit_results

router = Router(tags=["results"])


class IndicatorPeriodQuery(Schema):
    from_: dt.date | None = Field(None, alias="from", description="First day of the period (inclusive).")
    to: dt.date | None = Field(None, description="Last day of the period (inclusive); default today.")


class IndicatorOut(Schema):
    code: str
    label: str
    unit: str
    objective: str
    method: str
    baseline: int
    original_target: int | None
    target: int | None
    value: int
    disaggregations: dict[str, dict[str, int]]


class IndicatorList(Schema):
    results: list[IndicatorOut]


def _out(r: selectors.Result) -> dict:
    i = r.indicator
    return {"code": i.code, "label": i.label, "unit": i.unit, "objective": i.objective.code, "method": i.method,
            "baseline": i.baseline, "original_target": r.original_target, "target": r.target, "value": r.value,
            "disaggregations": r.disaggregations}


def _period(q: IndicatorPeriodQuery) -> tuple[dt.date | None, dt.date]:
    return q.from_, q.to or timezone.localdate()


@router.get("", response={200: IndicatorList, 400: ErrorOut, 404: ErrorOut})
def list_indicators(request, q: Query[IndicatorPeriodQuery]):
    """Every indicator of the logframe for the period: computed ones counted from the facts by
    their own date (merged people once, reversed payments not paid), entered ones as entered."""
    start, end = _period(q)
    return {"results": [_out(r) for r in selectors.results_for(request.user, start=start, end=end)]}


XLSX = CONTENT_TYPES["xlsx"]


# Declared before "/{code}", which would otherwise read "export.xlsx" as an indicator's code.
@router.get("/export.xlsx", response={200: None, 400: ErrorOut, 404: ErrorOut},
            openapi_extra={"responses": {"200": {"description": "the workbook", "content": {XLSX: {}}}}})
def export_indicators(request, q: Query[IndicatorPeriodQuery]):
    """The indicators as an XLSX workbook: one row per indicator and period (code, label in the
    language of `Accept-Language`, objective, unit, baseline, original and current target, actual,
    progress %), one sheet per disaggregation; the same figures as `GET /indicators`. With `from`
    or `to`: that period; without: the whole action to date and each of its years. Logged."""
    from .xlsx import default_periods, indicators_xlsx, one_period

    if q.from_ and q.to and q.from_ > q.to:
        raise ValidationFailed({"from": [_("The start is after the end.")]})
    if q.from_ or q.to:
        periods = [one_period(q.from_, q.to)]
    else:
        periods = default_periods(selectors.action())
    data, _rows = indicators_xlsx(by=request.user, periods=periods)
    return download(data, "parcours-indicators.xlsx")


@router.get("/{code}", response={200: IndicatorOut, 400: ErrorOut, 404: ErrorOut})
def get_indicator(request, code: str, q: Query[IndicatorPeriodQuery]):
    start, end = _period(q)
    return _out(selectors.results_for(request.user, start=start, end=end, code=code)[0])


reports_router = Router(tags=["results"])


class DonorReportIn(Schema):
    from_: dt.date = Field(..., alias="from", description="First day of the period (inclusive).")
    to: dt.date = Field(..., description="Last day of the period (inclusive), not after today.")
    narrative: dict[Literal["context", "progress", "risks", "next"], str] = Field(
        default_factory=dict, description="Text blocks printed before the figures; an empty one is left out.")


class DonorReportOut(Schema):
    id: uuid.UUID
    period_start: dt.date
    period_end: dt.date
    language: str
    created_at: dt.datetime
    pdf_url: str


class DonorReportList(Schema):
    results: list[DonorReportOut]


class DonorReportJobOut(Schema):
    job: uuid.UUID


def _report(request, r) -> dict:
    url = request.build_absolute_uri(reverse("api:get_report_pdf", kwargs={"report_id": r.pk}))
    return {"id": r.pk, "period_start": r.period_start, "period_end": r.period_end, "language": r.language,
            "created_at": r.created_at, "pdf_url": url}


@reports_router.get("", response={200: DonorReportList, 404: ErrorOut})
def list_reports(request):
    """The donor reports generated so far, newest first (readers of the whole programme's results);
    404 for the roles whose reports page is 404 too."""
    require(reports.can_use_reports(request.user))
    return {"results": [_report(request, r) for r in reports.reports_visible_to(request.user)[:200]]}


@reports_router.post("", response={202: DonorReportJobOut, 400: ErrorOut, 403: ErrorOut})
def generate_report(request, body: DonorReportIn):
    """Save the narrative for the period and generate the PDF in the background; follow the job at
    /api/v1/jobs/{job}: when done, its result names the report."""
    if not can_edit_results(request.user):
        raise Forbidden()
    reports.period_check(body.from_, body.to)
    reports.narratives_save(by=request.user, start=body.from_, end=body.to, texts=body.narrative)
    job = job_start(by=request.user, kind="donor_report",
                    params={"from": body.from_.isoformat(), "to": body.to.isoformat()})
    return Status(202, {"job": job.pk})


@reports_router.get("/{report_id}", response={200: DonorReportOut, 404: ErrorOut})
def get_report(request, report_id: uuid.UUID):
    return _report(request, reports.report_for_read(request.user, report_id))


@reports_router.get("/{report_id}/pdf", response={200: None, 404: ErrorOut},
                    openapi_extra={"responses": {200: {"description": "The report as generated",
                                                        "content": {"application/pdf": {}}}}})
def get_report_pdf(request, report_id: uuid.UUID):
    """The PDF exactly as it was generated."""
    report = reports.report_for_read(request.user, report_id)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="report-{report.period_start}-{report.period_end}.pdf"'
    return response

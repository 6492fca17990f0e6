"""The results over the API (CONTRACT "Results"): indicators with baseline, target and value for
a period, and their disaggregations."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from parcours.core.api import ErrorOut

from . import selectors

router = Router(tags=["results"])


class PeriodQuery(Schema):
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


def _period(q: PeriodQuery) -> tuple[dt.date | None, dt.date]:
    return q.from_, q.to or timezone.localdate()


@router.get("", response={200: IndicatorList, 400: ErrorOut, 404: ErrorOut})
def list_indicators(request, q: Query[PeriodQuery]):
    """Every indicator of the logframe for the period: computed ones counted from the facts by
    their own date (merged people once, reversed payments not paid), entered ones as entered."""
    start, end = _period(q)
    return {"results": [_out(r) for r in selectors.results_for(request.user, start=start, end=end)]}


@router.get("/{code}", response={200: IndicatorOut, 400: ErrorOut, 404: ErrorOut})
def get_indicator(request, code: str, q: Query[PeriodQuery]):
    start, end = _period(q)
    return _out(selectors.results_for(request.user, start=start, end=end, code=code)[0])

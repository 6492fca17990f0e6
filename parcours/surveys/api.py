"""Field collection over the REST API: a person's reintegration-sustainability scores over time,
the scoring definition of a form (dimensions, weights, items, threshold), and follow-up cohorts
(drawn from a seed, stratified, with replacements from the same stratum)."""

import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Router, Schema, Status

from parcours.core.api import ErrorOut, paginate

from . import selectors, services
from .policies import cohort_for_read, cohorts_visible_to

router = Router(tags=["surveys"])


class DimensionOut(Schema):
    code: str
    score: float | None = Field(description="0–1; null when no item of the dimension was answered.")
    sustainable: bool | None


class ScoreOut(Schema):
    submission: uuid.UUID
    form: str = Field(description="The form's id, e.g. sustainability.")
    collected_on: dt.date
    dimensions: list[DimensionOut]
    score: float | None = Field(description="Overall score, 0–1; null unless every dimension has a score.")
    threshold: float
    sustainable: bool | None = Field(description="The overall score reaches the threshold.")


class ScoreList(Schema):
    results: list[ScoreOut]


class ScoringIn(Schema):
    definition: dict = Field(description="{threshold, scales: {name: {answer: 0–1}}, dimensions: [{code, weight, "
                                         "items: [{item: 'group/question', scale, weight}]}]}")


class ScoringOut(Schema):
    form: str
    definition: dict
    updated_at: dt.datetime


def _score(row: selectors.ScoredAnswer) -> dict:
    return {"submission": row.submission_id, "form": row.form_id, "collected_on": row.collected_on,
            "dimensions": [{"code": code, "score": value, "sustainable": row.score.dimension_sustainable(code)}
                           for code, value in row.score.dimensions.items()],
            "score": row.score.overall, "threshold": row.score.threshold, "sustainable": row.score.sustainable}


def _scoring(scoring) -> dict:
    return {"form": scoring.form.form_id, "definition": scoring.definition, "updated_at": scoring.updated_at}


@router.get("/people/{person_id}/scores", response={200: ScoreList, 404: ErrorOut})
def person_scores(request, person_id: str):
    """The person's scored questionnaires (the sustainability survey), oldest first."""
    return {"results": [_score(r) for r in selectors.person_scores(request.user, person_id)]}


@router.get("/scorings/{form_id}", response={200: ScoringOut, 404: ErrorOut})
def scoring_get(request, form_id: str):
    return _scoring(selectors.scoring_for_read(request.user, form_id))


@router.put("/scorings/{form_id}", response={200: ScoringOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def scoring_put(request, form_id: str, payload: ScoringIn):
    """Set how the form is scored (administrator and M&E). Every item must be a question of the form."""
    return _scoring(services.scoring_define(by=request.user, form_id=form_id, definition=payload.definition))


StratumCode = Literal["region", "sector", "sex"]
ReasonCode = Literal["unreachable", "refused", "moved", "deceased"]


class CohortIn(Schema):
    name: str = Field(max_length=120)
    form: str = Field("sustainability", description="The questionnaire the cohort answers (form id).", max_length=80)
    share: float = Field(0.2, description="Share of the people assisted to draw, e.g. 0.2.")
    strata: list[StratumCode] = Field(["region", "sector"], description="Stratify by region of origin, sector "
                                      "(the reintegration option chosen) and/or sex.")
    assisted_from: dt.date
    assisted_to: dt.date
    first_wave_on: dt.date
    waves: int = Field(3, description="Yearly waves.")
    seed: int | None = Field(None, description="The same seed on the same population draws the same people; "
                                               "empty: a new one, returned.")


class StratumOut(Schema):
    key: str
    label: str
    population: int
    members: int
    reserve: int
    dropped: int


class WaveOut(Schema):
    number: int
    starts_on: dt.date
    ends_on: dt.date
    surveyed: int
    members: int


class CohortOut(Schema):
    id: uuid.UUID
    name: str
    form: str
    seed: int
    share: float
    strata: list[str]
    assisted_from: dt.date
    assisted_to: dt.date
    first_wave_on: dt.date
    waves: int
    drawn_at: dt.datetime


class CohortDetail(CohortOut):
    by_stratum: list[StratumOut]
    schedule: list[WaveOut]


class CohortPage(Schema):
    count: int
    count_is_exact: bool
    results: list[CohortOut]
    next: str | None


class MemberOut(Schema):
    person: uuid.UUID
    stratum: str
    rank: int
    status: str = Field(description="member, reserve, or dropped (replaced).")
    reason: str
    replaces: uuid.UUID | None = Field(description="The person this member replaces.")
    changed_on: dt.date | None


class MemberPage(Schema):
    count: int
    count_is_exact: bool
    results: list[MemberOut]
    next: str | None


class DropIn(Schema):
    reason: ReasonCode
    on: dt.date | None = None


class ReplacementOut(Schema):
    dropped: MemberOut
    replacement: MemberOut | None = Field(description="Null when the stratum has no reserve left.")


def _cohort(c) -> dict:
    return {"id": c.id, "name": c.name, "form": c.form.form_id, "seed": c.seed, "share": float(c.share),
            "strata": c.strata, "assisted_from": c.assisted_from, "assisted_to": c.assisted_to,
            "first_wave_on": c.first_wave_on, "waves": c.waves, "drawn_at": c.drawn_at}


def _detail(c) -> dict:
    return {**_cohort(c), "by_stratum": [vars(s) for s in selectors.cohort_strata(c)],
            "schedule": [vars(w) for w in selectors.cohort_waves(c)]}


def _member(m) -> dict:
    return {"person": m.person_id, "stratum": m.stratum, "rank": m.rank, "status": m.status, "reason": m.reason,
            "replaces": m.replaces.person_id if m.replaces_id else None, "changed_on": m.changed_on}


@router.post("/cohorts", response={201: CohortDetail, 400: ErrorOut, 403: ErrorOut})
def cohort_create(request, payload: CohortIn):
    """Draw a follow-up cohort among the people assisted in the period (M&E, administrator)."""
    cohort = services.cohort_draw(by=request.user, data=payload.dict())
    return Status(201, _detail(cohort))


@router.get("/cohorts", response={200: CohortPage, 400: ErrorOut})
def cohort_list(request):
    return paginate(request, cohorts_visible_to(request.user).select_related("form"), _cohort)


@router.get("/cohorts/{cohort_id}", response={200: CohortDetail, 404: ErrorOut})
def cohort_get(request, cohort_id: str):
    return _detail(cohort_for_read(request.user, cohort_id))


@router.get("/cohorts/{cohort_id}/members", response={200: MemberPage, 400: ErrorOut, 404: ErrorOut})
def cohort_member_list(request, cohort_id: str, status: Literal["member", "reserve", "dropped"] | None = None):
    cohort = cohort_for_read(request.user, cohort_id)
    return paginate(request, selectors.cohort_members(cohort, status=status), _member, default_size=200)


@router.post("/cohorts/{cohort_id}/members/{person_id}/replacement",
             response={201: ReplacementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def cohort_member_replace(request, cohort_id: str, person_id: str, payload: DropIn):
    """The member cannot be reached (or refused, moved, died): the next reserve of the same stratum
    takes their place."""
    dropped, replacement = services.cohort_member_drop(by=request.user, cohort_id=cohort_id, person_id=person_id,
                                                       data=payload.dict())
    return Status(201, {"dropped": _member(dropped), "replacement": _member(replacement) if replacement else None})


@router.get("/forms/{form_id}/submissions.{fmt}", response={200: None, 400: ErrorOut, 404: ErrorOut})
def submissions_export(request, form_id: str, fmt: Literal["csv", "xlsx"], table: str = "data"):
    """A form's answers with KoboToolbox's columns (group paths, `_id`, `_uuid`, `_submission_time`;
    each repeat group a sheet of its own, or in CSV the table named by `table`), streamed."""
    from . import exports

    export = exports.answers_export(by=request.user, form_id=form_id, fmt=fmt, table=table)
    return exports.response(export, fmt, table=table)

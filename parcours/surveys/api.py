"""Field collection over the REST API: a person's reintegration-sustainability scores over time,
and the scoring definition of a form (dimensions, weights, items, threshold)."""

import datetime as dt
import uuid

from ninja import Field, Router, Schema

from parcours.core.api import ErrorOut

from . import selectors, services

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

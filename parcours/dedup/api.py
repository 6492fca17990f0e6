"""Possible duplicates over the API: the review queue, decisions, merges and their undoing."""

import datetime as dt
import uuid

from ninja import Router, Schema, Status

from parcours.core.api import ErrorOut, paginate
from parcours.core.inputs import required_choice

from . import selectors, services
from .policies import pair_for_read

router = Router(tags=["duplicates"])


class PairOut(Schema):
    id: int
    person_a: uuid.UUID
    person_b: uuid.UUID
    score: float
    status: str
    source: str
    created_at: dt.datetime


class PairDetailOut(PairOut):
    reasons: list[str]
    warnings: list[str]


class PairPage(Schema):
    count: int
    count_is_exact: bool
    results: list[PairOut]
    next: str | None


class ReviewIn(Schema):
    decision: required_choice(["confirm", "reject"])
    note: str = ""


class MergeIn(Schema):
    survivor: str


class MergeOut(Schema):
    id: int
    survivor: uuid.UUID
    merged: uuid.UUID
    rows_moved: int
    undone_at: dt.datetime | None


def _pair(p) -> dict:
    return {"id": p.pk, "person_a": p.person_a_id, "person_b": p.person_b_id, "score": p.score, "status": p.status,
            "source": p.source, "created_at": p.created_at}


def _merge(m) -> dict:
    return {"id": m.pk, "survivor": m.survivor_id, "merged": m.merged_id, "rows_moved": len(m.moved),
            "undone_at": m.undone_at}


@router.get("", response={200: PairPage, 400: ErrorOut})
def list_pairs(request):
    """Pending pairs the caller may review (both people in scope), highest score first."""
    return paginate(request, selectors.pending_pairs(request.user), _pair)


class ScanJobOut(Schema):
    job: uuid.UUID


@router.post("/scan", response={202: ScanJobOut, 403: ErrorOut})
def scan(request):
    """Start a scan of the registry (the people the caller may see); follow it at /api/v1/jobs/{job}."""
    from parcours.jobs.services import job_start

    return Status(202, {"job": job_start(by=request.user, kind="dedupe_registry").pk})


@router.get("/{pair_id}", response={200: PairDetailOut, 404: ErrorOut})
def get_pair(request, pair_id: int):
    pair = pair_for_read(request.user, pair_id)
    view = selectors.pair_view(pair)
    return {**_pair(pair), "reasons": view["reasons"], "warnings": view["warnings"]}


@router.post("/{pair_id}/review", response={200: PairOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def review(request, pair_id: int, payload: ReviewIn):
    return _pair(services.pair_review(by=request.user, pair_id=pair_id, decision=payload.decision, note=payload.note))


@router.post("/{pair_id}/merge", response={201: MergeOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def merge(request, pair_id: int, payload: MergeIn):
    """Merge the pair into `survivor`; every record of the other moves to it. Undo with /merges/{id}/undo."""
    return Status(201, _merge(services.persons_merge(by=request.user, pair_id=pair_id, survivor_id=payload.survivor)))


@router.post("/merges/{merge_id}/undo", response={200: MergeOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def undo(request, merge_id: int):
    return _merge(services.merge_undo(by=request.user, merge_id=merge_id))

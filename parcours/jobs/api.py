import datetime as dt
import uuid

from ninja import Router, Schema

from parcours.core.api import ErrorOut

from .services import job_for_read

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    total: int
    done: int
    percent: int
    errors: list
    result: dict
    created_at: dt.datetime
    finished_at: dt.datetime | None
    attempts: int  # runs started: more than 1 when a worker died and the job was started again


@router.get("/{job_id}", response={200: JobOut, 404: ErrorOut})
def get_job(request, job_id: uuid.UUID):
    """How far a background job got: rows done, errors, result."""
    return job_for_read(request.user, job_id)

"""Running a job in the worker: the one step the task queue calls (kept apart from the services that
start jobs, so services -> tasks -> runner points one way)."""

from django.conf import settings
from django.utils import timezone, translation

from parcours.core.errors import Forbidden

from .models import Job
from .registry import HANDLERS, may_start


def job_run(job_id: str) -> Job:
    """Run a job in this process (the worker calls this). Failures are recorded, not raised."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return job  # a redelivered task must not run twice
    job.status = Job.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        if not may_start(job.created_by, job.kind):
            raise Forbidden()  # the starter lost the role (or left) while the job waited
        with translation.override(job.params.get("language", settings.LANGUAGE_CODE)):
            result = HANDLERS[job.kind](job, progress)
    except Exception as exc:  # noqa: BLE001 - the job page must show any failure
        job.refresh_from_db(fields=["done", "total", "errors"])
        job.status, job.result = Job.Status.FAILED, {"message": str(exc)[:500]}
    else:
        job.refresh_from_db(fields=["done", "total", "errors"])
        job.status, job.result = Job.Status.DONE, result or {}
        job.errors = (result or {}).pop("errors", job.errors)
    job.finished_at = timezone.now()
    job.payload = None  # the file is not kept once processed
    job.save(update_fields=["status", "result", "errors", "finished_at", "payload"])
    return job

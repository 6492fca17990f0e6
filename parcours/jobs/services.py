from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from parcours.accounts.roles import can
from parcours.core.errors import Forbidden, NotFound

from .models import Job
from .registry import ALLOWED, HANDLERS


def job_start(*, by, kind: str, params: dict | None = None, upload=None) -> Job:
    if kind not in HANDLERS or not can(by, ALLOWED[kind]):
        raise Forbidden()
    # The worker writes its report in the language of the person who started the job.
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    job = Job.objects.create(
        kind=kind, params=params, created_by=by,
        payload=upload.read() if upload else None, payload_name=getattr(upload, "name", "") or "",
    )
    from .tasks import run_job

    # Enqueue after commit: a worker must never pick up a job row it cannot see yet.
    transaction.on_commit(lambda: run_job(str(job.pk)))
    return job


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


def jobs_visible_to(user) -> QuerySet[Job]:
    if not user.is_authenticated:
        return Job.objects.none()
    if user.role == "admin":
        return Job.objects.all()
    return Job.objects.filter(created_by=user)


def job_for_read(user, job_id) -> Job:
    job = jobs_visible_to(user).filter(pk=job_id).defer("payload").first()
    if job is None:
        raise NotFound()
    return job

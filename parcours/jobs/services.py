from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation

from parcours.accounts.models import Role
from parcours.core.errors import Forbidden, NotFound

from .models import Job
from .registry import may_start
from .tasks import run_job


def job_start(*, by, kind: str, params: dict | None = None, upload=None) -> Job:
    if not may_start(by, kind):
        raise Forbidden()
    # The worker writes its report in the language of the person who started the job.
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    job = Job.objects.create(
        kind=kind, params=params, created_by=by,
        payload=upload.read() if upload else None, payload_name=getattr(upload, "name", "") or "",
    )
    # Enqueue after commit: a worker must never pick up a job row it cannot see yet.
    transaction.on_commit(lambda: run_job(str(job.pk)))
    return job


def jobs_visible_to(user) -> QuerySet[Job]:
    if not user.is_authenticated:
        return Job.objects.none()
    if user.role == Role.ADMIN:
        return Job.objects.all()
    return Job.objects.filter(created_by=user)


def job_for_read(user, job_id) -> Job:
    job = jobs_visible_to(user).filter(pk=job_id).defer("payload").first()
    if job is None:
        raise NotFound()
    return job

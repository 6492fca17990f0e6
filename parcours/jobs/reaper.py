"""Jobs whose worker died (killed, out of memory, the machine restarted) are taken back instead of
showing "running" forever: started again when their kind is retry-safe and runs are left, marked
failed otherwise, with a message the person who started the job can read on its page.

A running job's worker is dead when, on this machine, its process is gone, or else when its
heartbeat is older than JOB_STALE_SECONDS. Every worker reaps when it starts and once a minute
(parcours.jobs.tasks); `parcours reap_jobs` does it by hand."""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Job
from .registry import RETRY_SAFE
from .runner import worker_is_gone


def _dead(job: Job, now: dt.datetime) -> bool:
    gone = worker_is_gone(job.worker)
    if gone is not None:
        return gone
    last = job.heartbeat_at or job.created_at
    return (now - last).total_seconds() > settings.JOB_STALE_SECONDS


def jobs_reap(*, enqueue: Callable[[str], object], now: dt.datetime | None = None) -> dict:
    """Take back every running job whose worker is dead; `enqueue(job_id)` puts one on the queue
    again. Safe to run from several workers at once: each job is taken back by one of them."""
    now = now or timezone.now()
    requeued, failed = [], []
    running = Job.objects.filter(status=Job.Status.RUNNING).defer("payload")
    for job in running:
        if not _dead(job, now):
            continue
        this_run = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)
        with translation.override(job.params.get("language", settings.LANGUAGE_CODE)):
            if job.kind in RETRY_SAFE and job.attempts < settings.JOB_MAX_ATTEMPTS:
                message = _("Its worker stopped before the end; the job was started again (run %(n)d of %(max)d).") % {
                    "n": job.attempts + 1, "max": settings.JOB_MAX_ATTEMPTS}
                with transaction.atomic():
                    if this_run.update(status=Job.Status.QUEUED, worker="", heartbeat_at=None,
                                       result={"message": message}):
                        transaction.on_commit(lambda pk=str(job.pk): enqueue(pk))
                        requeued.append(str(job.pk))
                continue
            if job.kind in RETRY_SAFE:
                message = _("The job stopped before the end %(n)d times (its worker ended unexpectedly) and is not "
                            "started again. Nothing it was writing when it stopped was kept: send it again later, "
                            "or tell the administrator.") % {"n": job.attempts}
            else:
                message = _("The job stopped before the end (its worker ended unexpectedly). Start it again.")
            if this_run.update(status=Job.Status.FAILED, finished_at=now, payload=None, result={"message": message}):
                failed.append(str(job.pk))
    return {"requeued": requeued, "failed": failed}

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from .reaper import jobs_reap
from .runner import job_run


@db_task(retries=0)
def run_job(job_id: str) -> None:
    job_run(job_id)


def reap() -> dict:
    return jobs_reap(enqueue=run_job)


@db_periodic_task(crontab(minute="*"))
def reap_jobs_every_minute() -> None:
    reap()


@HUEY.on_startup("parcours_reap_jobs")
def reap_jobs_at_start() -> None:
    """A worker that starts (again) takes back the jobs a dead worker left running."""
    from django.db import close_old_connections

    try:
        reap()
    finally:
        close_old_connections()

from huey.contrib.djhuey import db_task

from .runner import job_run


@db_task(retries=0)
def run_job(job_id: str) -> None:
    job_run(job_id)

from huey.contrib.djhuey import db_task


@db_task(retries=0)
def run_job(job_id: str) -> None:
    from .services import job_run

    job_run(job_id)

"""Jobs run on the task queue: inline in tests, and on Redis with separate worker processes in
production. The Redis test talks to a real Redis (CI runs one at 127.0.0.1:6379)."""

import os

import pytest

from parcours.jobs.models import Job
from parcours.jobs.runner import job_run
from parcours.jobs.services import job_for_read, job_start
from parcours.people.imports import import_people  # noqa: F401  (registers the import job)

CSV = b"record_id,given_name,family_name,birth_year\nR1,Awa,Diarra,1995\nR2,Moussa,Keita,1990\n"


class Upload:
    name = "m.csv"

    def read(self):
        return CSV


def test_job_runs_and_reports_progress(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(by=world.user("reception.bamako"), kind="import_people", upload=Upload(),
                        params={"flight": "T1"})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.done == job.total == 2
    assert job.result["created"] == 2 and job.payload is None


def test_a_redelivered_job_does_not_run_twice(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(by=world.user("reception.bamako"), kind="import_people", upload=Upload(),
                        params={"flight": "T2"})
    again = job_run(str(job.pk))
    assert again.result["created"] == 2


def test_jobs_are_private_to_their_starter(world):
    from parcours.core.errors import Forbidden, NotFound

    job = Job.objects.create(kind="import_people", created_by=world.user("reception.bamako"))
    with pytest.raises(NotFound):
        job_for_read(world.user("caseworker.kayes"), job.pk)
    with pytest.raises(Forbidden):
        job_start(by=world.user("partner.cfpm"), kind="import_people", upload=Upload())


@pytest.mark.skipif(not os.environ.get("REDIS_TEST_URL"), reason="REDIS_TEST_URL not set (CI sets it)")
def test_redis_queue_carries_a_job_to_a_worker(world):
    """Enqueue on Redis as the app does in production; a worker takes it and runs it."""
    from huey import RedisHuey

    huey = RedisHuey("parcours-test", url=os.environ["REDIS_TEST_URL"], immediate=False)
    huey.flush()

    @huey.task()
    def run(job_id):
        return job_run(job_id).status

    job = Job.objects.create(kind="import_people", created_by=world.user("reception.bamako"), payload=CSV,
                             payload_name="m.csv", params={"flight": "T3"})
    result = run(str(job.pk))
    assert len(huey) == 1  # waiting in Redis, not run inline
    task = huey.dequeue()
    huey.execute(task)  # what a consumer process does with it
    assert result.get() == Job.Status.DONE
    job.refresh_from_db()
    assert job.result["created"] == 2


def test_a_job_whose_starter_lost_the_role_is_refused_when_it_runs(world):
    """The rule holds at run time too: the handler never runs for someone no longer allowed."""
    from parcours.people.models import Person

    starter = world.user("reception.bamako")
    job = Job.objects.create(kind="import_people", created_by=starter, payload=CSV, payload_name="m.csv",
                             params={"flight": "T9"})
    starter.role = "caseworker"
    starter.save(update_fields=["role"])
    job = job_run(str(job.pk))
    assert job.status == Job.Status.FAILED and not Person.objects.exists()

"""Issue 8, reliability: a job whose worker died does not stay "running" forever. The reaper gives a
retry-safe job (an import, a scan) another run, up to JOB_MAX_ATTEMPTS, and marks any other job
failed with a message its starter reads on the job page (in the language the job was started in)."""

import datetime as dt

import pytest
from django.utils import timezone

from parcours.jobs.models import Job
from parcours.jobs.reaper import jobs_reap
from parcours.jobs.runner import job_run, worker_identity, worker_is_gone
from parcours.jobs.tasks import reap
from parcours.people.imports import import_people  # noqa: F401  (registers the import job)
from parcours.people.models import Person

CSV = b"record_id,given_name,family_name,birth_year\nR1,Awa,Diarra,1995\nR2,Moussa,Keita,1990\n"
LONG_AGO = dt.timedelta(minutes=10)


def _running(world, kind="import_people", *, worker="another-machine:4242:99", beat_ago=LONG_AGO, attempts=1,
             language="en", **extra):
    return Job.objects.create(kind=kind, status=Job.Status.RUNNING, created_by=world.user(extra.pop("by", "reception.bamako")),
                              payload=CSV, payload_name="m.csv", params={"flight": "RP-1", "language": language},
                              worker=worker, heartbeat_at=timezone.now() - beat_ago, attempts=attempts, **extra)


def test_a_retry_safe_job_whose_heartbeat_stopped_runs_again_and_finishes(world, django_capture_on_commit_callbacks):
    job = _running(world)
    with django_capture_on_commit_callbacks(execute=True):
        done = reap()  # the test queue runs the job at once, as a worker would take it
    assert done == {"requeued": [str(job.pk)], "failed": []}
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2 and job.result["created"] == 2
    assert Person.objects.count() == 2


def test_a_job_that_is_not_retry_safe_is_marked_failed_in_its_starters_language(world, web_client):
    job = _running(world, kind="flows_report", by="me.iom", language="fr")
    assert jobs_reap(enqueue=pytest.fail) == {"requeued": [], "failed": [str(job.pk)]}
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at and job.payload is None
    assert job.result["message"].startswith("La tâche s'est arrêtée avant la fin")
    page = web_client("me.iom").get(f"/jobs/{job.pk}/").content.decode()
    assert job.result["message"].replace("'", "&#x27;") in page and 'http-equiv="refresh"' not in page


def test_a_job_is_not_started_again_once_its_runs_are_spent(world, settings):
    settings.JOB_MAX_ATTEMPTS = 3
    job = _running(world, attempts=3)
    assert jobs_reap(enqueue=pytest.fail)["failed"] == [str(job.pk)]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "3" in job.result["message"] and not Person.objects.exists()


def test_a_live_worker_keeps_its_job(world):
    here = _running(world, worker=worker_identity())  # this very process: alive, whatever its heartbeat says
    recent = _running(world, beat_ago=dt.timedelta(seconds=5))  # another machine that spoke lately
    assert jobs_reap(enqueue=pytest.fail) == {"requeued": [], "failed": []}
    assert set(Job.objects.filter(pk__in=[here.pk, recent.pk]).values_list("status", flat=True)) == {"running"}


def test_a_worker_on_this_machine_whose_process_is_gone_is_dead_at_once():
    import socket
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    assert worker_is_gone(f"{socket.gethostname()}:{done.stdout.strip()}:1") is True
    assert worker_is_gone(worker_identity()) is False
    assert worker_is_gone("another-machine:1:1") is None
    # A process given the id of a dead one is another process: its start time differs.
    me = worker_identity()
    assert worker_is_gone(me.rsplit(":", 1)[0] + ":1") is True


def test_a_run_given_up_for_dead_does_not_overwrite_the_run_that_replaced_it(world):
    """Fencing by run number: the stale run's report is dropped, the new run's kept."""
    job = Job.objects.create(kind="import_people", created_by=world.user("reception.bamako"), payload=CSV,
                             payload_name="m.csv", params={"flight": "RP-2"})
    from parcours.jobs import registry

    def taken_over(job_, progress):
        Job.objects.filter(pk=job_.pk).update(attempts=2)  # the reaper requeued it and another worker claimed it
        return {"created": 99}

    registry.HANDLERS["test_taken_over"], registry.ALLOWED["test_taken_over"] = taken_over, lambda user: True
    try:
        Job.objects.filter(pk=job.pk).update(kind="test_taken_over")
        job_run(str(job.pk))
    finally:
        registry.HANDLERS.pop("test_taken_over"), registry.ALLOWED.pop("test_taken_over")
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.result == {} and job.attempts == 2


def test_a_job_delivered_while_it_runs_elsewhere_is_not_run_twice(world):
    job = _running(world, beat_ago=dt.timedelta(seconds=1))
    assert job_run(str(job.pk)).status == Job.Status.RUNNING and not Person.objects.exists()

"""Running a job in the worker: the one step the task queue calls (kept apart from the services that
start jobs, so services -> tasks -> runner points one way).

A worker claims a queued job (one worker per run, however often the task is delivered), says who it
is (host, process, process start) and keeps a heartbeat while the handler works; every later write
is fenced by the run's number, so a worker that was given up for dead cannot overwrite the run that
took its place. parcours.jobs.reaper takes back the jobs whose worker died."""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone, translation

from parcours.core.errors import Forbidden

from .models import Job
from .registry import HANDLERS, may_start

log = logging.getLogger(__name__)


def _process_start(pid: int) -> str:
    """When a process started (clock ticks since boot, Linux), to tell it from a later process
    given the same id; '' where /proc does not say."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def worker_identity() -> str:
    """host:pid:start of this process."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_process_start(pid)}"


def worker_is_gone(worker: str) -> bool | None:
    """True if `worker` ran on this machine and its process is gone (or is another process now),
    False if it still runs here, None if it is not ours to tell (another machine, or unknown)."""
    host, _sep, rest = worker.partition(":")
    pid_text, _sep, start = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return True
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    if fields[0] in ("Z", "X"):  # killed, not yet reaped by its parent
        return True
    return bool(start) and fields[19] != start


class _Heartbeat(threading.Thread):
    """Says every JOB_HEARTBEAT_SECONDS that this run is alive, from its own connection (the
    handler may hold a long transaction on the main one)."""

    def __init__(self, job_pk, attempt: int):
        super().__init__(daemon=True, name=f"heartbeat-{job_pk}")
        self.job_pk, self.attempt, self.stopped = job_pk, attempt, threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    _this_run(self.job_pk, self.attempt).update(heartbeat_at=timezone.now())
                except Exception:  # noqa: BLE001 - a busy database skips one beat, the next one tries again
                    log.debug("job %s: heartbeat skipped", self.job_pk, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=1)


def _this_run(job_pk, attempt: int):
    return Job.objects.filter(pk=job_pk, attempts=attempt, status=Job.Status.RUNNING)


def job_run(job_id: str) -> Job:
    """Run a job in this process (the worker calls this). Failures are recorded, not raised."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, attempts=F("attempts") + 1, worker=worker_identity(), heartbeat_at=now)
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job  # finished, or running in another worker: a redelivered task must not run twice
    attempt = job.attempts

    def progress(done: int, total: int) -> None:
        _this_run(job.pk, attempt).update(done=done, total=total, heartbeat_at=timezone.now())

    heartbeat = _Heartbeat(job.pk, attempt)
    heartbeat.start()
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
    finally:
        heartbeat.stop()
    job.finished_at = timezone.now()
    job.payload = None  # the file is not kept once processed
    if not _this_run(job.pk, attempt).update(status=job.status, result=job.result, errors=job.errors,
                                            finished_at=job.finished_at, payload=None):
        log.warning("job %s: run %d ended after it was given up for dead; its report is not kept", job.pk, attempt)
        job.refresh_from_db()
    return job

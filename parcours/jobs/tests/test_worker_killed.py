"""Issue 8, reliability: kill -9 of the task worker in the middle of a manifest import. The job does
not stay "running" forever: the next worker to start takes it back (its worker's process is gone),
runs it again, and the registry ends with exactly the file's people — nothing partial after the kill,
nothing twice after the second run. Real `parcours run_huey` processes on the suite's database (on
SQLite a file copy of it), a real SIGKILL."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from parcours.jobs.models import Job
from parcours.jobs.tasks import run_job

PARCOURS = Path(sys.executable).parent / "parcours"
ROOT = Path(__file__).resolve().parents[3]
ROWS = int(os.environ.get("PARCOURS_KILL_TEST_ROWS", "800"))
GIVEN = ["Mamadou", "Fatoumata", "Seydou", "Awa", "Moussa", "Kadiatou", "Boubacar", "Aminata", "Ibrahim", "Mariam",
         "Oumar", "Salimata", "Adama", "Hawa", "Souleymane", "Rokia", "Bakary", "Djeneba", "Lassana", "Assitan"]
FAMILY = ["Traoré", "Diarra", "Keïta", "Coulibaly", "Sissoko", "Konaté", "Diallo", "Touré", "Camara", "Sidibé",
          "Doumbia", "Dembélé", "Sangaré", "Kanté", "Maïga", "Cissé", "Ballo", "Fofana", "Samaké", "Bagayoko"]

pytestmark = pytest.mark.slow


def manifest(rows: int) -> bytes:
    lines = ["record_id,given_name,family_name,sex,birth_year,phone"]
    for i in range(rows):
        lines.append(f"K{i},{GIVEN[i % 20]},{FAMILY[(i // 20) % 20]},{'MF'[i % 2]},{1960 + i % 45},"
                     f"+2237{i:07d}")
    return ("\n".join(lines) + "\n").encode()


class Database:
    """The suite's database as the workers see it: PostgreSQL's test database itself, or SQLite's
    in-memory one copied to a file."""

    def __init__(self, tmp_path: Path):
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
            self.url = (f"postgresql://{auth}@{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 5432}"
                        f"/{settings['NAME']}")
            self.file = None
        else:
            self.file = tmp_path / "live.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
            self.url = f"sqlite:///{self.file}"

    def one(self, sql: str, *params):
        if self.file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()
        with sqlite3.connect(self.file, timeout=30) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchone()

    def job(self, job_id) -> dict:
        key = str(job_id) if self.file is None else job_id.hex
        row = self.one("SELECT status, done, total, attempts, worker FROM jobs_job WHERE id = %s", key)
        return dict(zip(["status", "done", "total", "attempts", "worker"], row, strict=True))

    def count(self, table: str) -> int:
        return self.one(f"SELECT COUNT(*) FROM {table}")[0]  # noqa: S608 - table names written here


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(PARCOURS), "run_huey", "--workers", "1", "--no-periodic", "--quiet"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _until(what, timeout: float, proc: subprocess.Popen):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        if proc.poll() is not None:
            pytest.fail(f"the worker ended: {proc.stderr.read().decode()[-3000:]}")
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s")


def test_a_worker_killed_mid_import_leaves_nothing_partial_and_the_next_worker_finishes_it(
        transactional_db, world, tmp_path):
    from huey import SqliteHuey

    content = manifest(ROWS)
    job = Job.objects.create(kind="import_people", created_by=world.user("reception.bamako"), payload=content,
                             payload_name="charter.csv", params={"flight": "KL-2026-12-05", "language": "en"})
    db = Database(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DATABASE_URL=db.url, PARCOURS_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="parcours.settings.dev",
               PYTHONPATH=str(ROOT), JOB_HEARTBEAT_SECONDS="0.5", HUEY_WORKERS="1")
    # Enqueued as job_start does, on the queue the workers read (Huey on SQLite in PARCOURS_VAR_DIR).
    queue = SqliteHuey("parcours", filename=str(tmp_path / "huey.sqlite3"))
    queue._registry.register(run_job.task_class)
    queue.enqueue(run_job.s(str(job.pk)))

    first = _worker(env)
    try:
        # Every row checked: the worker is now writing the people, all in one transaction.
        state = _until(lambda: (s := db.job(job.pk))["status"] == "running" and s["total"] == s["done"] == ROWS and s,
                       60, first)
        time.sleep(0.5)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    assert state["attempts"] == 1 and state["worker"].split(":")[1] == str(first.pid)
    after_kill = db.job(job.pk)
    assert after_kill["status"] == "running"  # what the user saw forever before
    assert db.count("people_person") == 0 and db.count("people_externalreference") == 0  # nothing partial

    second = _worker(env)  # takes the job back when it starts, then runs it
    try:
        _until(lambda: db.job(job.pk)["status"] in ("done", "failed"), 120, second)
    finally:
        second.terminate()
        second.wait(10)
    final = db.job(job.pk)
    assert final["status"] == "done" and final["attempts"] == 2 and final["done"] == ROWS
    assert db.count("people_person") == ROWS
    assert db.one("SELECT COUNT(*) FROM people_externalreference WHERE system = %s", "manifest:KL-2026-12-05")[0] == ROWS

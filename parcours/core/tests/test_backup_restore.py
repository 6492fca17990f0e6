"""Issue 8, reliability: `parcours backup` then `parcours restore` into a fresh database gives
identical data — the same rows and the same content hash in every table (and, on PostgreSQL, every
sequence at the same position) — on SQLite and on PostgreSQL. The real commands run, as an
operator would run them, each in its own process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

PARCOURS = Path(sys.executable).parent / "parcours"
ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow


def _run(database_url: str, var: Path, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "PARCOURS_VAR_DIR": str(var),
           "DJANGO_SETTINGS_MODULE": "parcours.settings.dev", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([str(PARCOURS), *args], env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-3000:])
    return done.stdout


def _round_trip(source: str, fresh: str, var: Path) -> tuple[dict, dict]:
    _run(source, var, "migrate", "-v0")
    _run(source, var, "shell", "-c", "from parcours.core.tests.backup_data import populate; populate()")
    before = json.loads(_run(source, var, "digest", "--json"))
    _run(source, var, "backup", "--out", str(var / "backup.dump"))
    _run(fresh, var, "restore", str(var / "backup.dump"), "--yes")
    after = json.loads(_run(fresh, var, "digest", "--json"))
    return before, after


def _assert_identical(before: dict, after: dict) -> None:
    assert before["people_person"]["rows"] == 5 and before["assistance_ledgerentry"]["rows"] == 6
    assert before["cases_protectionassessment"]["rows"] == 3 and before["auditlog_logentry"]["rows"] > 20
    assert sorted(after) == sorted(before)
    differing = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert differing == {}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run (DATABASE_URL unset)")
def test_sqlite_backup_then_restore_into_a_fresh_database_gives_identical_data(tmp_path):
    before, after = _round_trip(f"sqlite:///{tmp_path / 'live.sqlite3'}", f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
                                tmp_path)
    _assert_identical(before, after)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run (DATABASE_URL set)")
def test_postgresql_backup_then_restore_into_a_fresh_database_gives_identical_data(tmp_path):
    import psycopg

    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    server = f"postgresql://{auth}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    names = [f"{db['NAME']}_backup_live", f"{db['NAME']}_backup_fresh"]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        before, after = _round_trip(f"{server}/{names[0]}", f"{server}/{names[1]}", tmp_path)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _assert_identical(before, after)
    assert any(key.startswith("sequence ") for key in before)

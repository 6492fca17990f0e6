"""Field collection on PostgreSQL: an export of N submissions (default 100 000) streamed as CSV and
as XLSX with KoboToolbox's columns (time, peak memory), and submissions accepted per second over
OpenRosa (the HTTP handler, the services, the timeline fact).

    PYTHONPATH=$PWD .venv/bin/python bench/surveys_export.py [--submissions 100000] [--posts 300]

A fresh database (BENCH_DB, default parcours_bench_surveys) gets the demo world, the satisfaction
questionnaire and N answers about 1 000 people, written in bulk (the export is measured, not the
loading). Each export runs in a process of its own, so its peak resident memory (ru_maxrss) is the
export's, next to the same process's memory before it started. Results: bench/results/
surveys-export-<date>.json and a Markdown table on stdout."""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB", "parcours_bench_surveys")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
ENV = {**os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "parcours.settings.dev",
       "PARCOURS_VAR_DIR": "/tmp/parcours-bench-surveys", "LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)}


def _django():
    import django

    django.setup()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(n: int) -> dict:
    """Fresh schema, the world, the form, n submissions in bulk."""
    _django()
    import uuid

    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from parcours.demo.loader import load_agencies, load_places, load_users
    from parcours.people.services import person_create
    from parcours.people.validation import validate_person
    from parcours.surveys.demo import satisfaction_xml
    from parcours.surveys.models import Submission
    from parcours.surveys.services import form_publish

    places, agencies = load_places(), load_agencies()
    users = load_users(places, agencies)
    me = users["me.iom"]
    version = form_publish(by=users["admin"], content=(ROOT / "parcours/surveys/data/satisfaction.md").read_bytes(),
                           filename="satisfaction.md", roles=["admin", "caseworker", "me_officer"])
    people = [person_create(by=users["caseworker.kayes"], cleaned=validate_person(
        {"given_name": f"P{i}", "family_name": "Diarra", "sex": "M", "birth_year": "1990", "origin_region": "Kayes"}))
        for i in range(1000)]
    started = time.perf_counter()
    batch = []
    for i in range(n):
        person = people[i % len(people)]
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i % 600)
        xml = satisfaction_xml(instance_id=str(uuid.UUID(int=i + 1)), person_id=person.pk, today=day,
                               satisfied=i % 3 != 0, on_time=i % 2 == 0).decode()
        batch.append(Submission(instance_id=f"uuid:{uuid.UUID(int=i + 1)}", version=version, person=person,
                                submitted_by=me, by_own_caseworker=False, collected_on=day, xml=xml,
                                content_md5=f"{i:032x}", data={"satisfied": "yes" if i % 3 else "no"}))
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    return {"submissions": Submission.objects.count(), "load_seconds": round(time.perf_counter() - started, 1)}


def export(fmt: str) -> dict:
    _django()
    from parcours.accounts.models import User
    from parcours.surveys.exports import answers_export

    user = User.objects.get(username="me.iom")
    before = _rss_mb()
    started = time.perf_counter()
    result = answers_export(by=user, form_id="satisfaction", fmt=fmt)
    size = 0
    if fmt == "csv":
        for chunk in result.csv_lines():
            size += len(chunk)
    else:
        with result.xlsx_file() as fh:
            fh.seek(0, 2)
            size = fh.tell()
    seconds = time.perf_counter() - started
    return {"format": fmt, "rows": result.rows, "seconds": round(seconds, 1),
            "rows_per_second": round(result.rows / seconds), "bytes": size,
            "rss_before_mb": round(before), "peak_rss_mb": round(_rss_mb())}


def posts(n: int, auth: str = "basic") -> dict:
    """n submissions over OpenRosa (Django's test client, in process: no network), one at a time,
    with HTTP Basic (a password hash per request) or Digest (the stored HA1, as ODK Collect: one
    challenge, then the nonce reused with a growing count)."""
    _django()
    import base64
    import hashlib
    import re
    import uuid

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment

    from parcours.people.models import Person
    from parcours.surveys.demo import satisfaction_xml

    setup_test_environment()
    username, password = "caseworker.kayes", "parcours-demo"  # noqa: S105 - the demo login
    client = Client()
    people = list(Person.objects.values_list("pk", flat=True)[:200])

    def md5(text):
        return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()

    if auth == "digest":  # Digest needs the HA1 the server learns at a sign-in
        Client().post("/login/", {"username": username, "password": password})
    challenge = client.head("/openrosa/submission")["WWW-Authenticate"]
    nonce = re.search(r'nonce="([^"]+)"', challenge).group(1)
    ha1 = md5(f"{username}:Parcours:{password}")
    basic = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    started = time.perf_counter()
    for i in range(n):
        if auth == "digest":
            count, cnonce = f"{i + 1:08x}", "bench"
            response_hash = md5(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{md5('POST:/openrosa/submission')}")
            header = (f'Digest username="{username}", realm="Parcours", nonce="{nonce}", uri="/openrosa/submission", '
                      f'response="{response_hash}", qop=auth, nc={count}, cnonce="{cnonce}", algorithm=MD5')
        else:
            header = basic
        xml = satisfaction_xml(instance_id=f"post-{uuid.uuid4()}", person_id=people[i % len(people)],
                               today=dt.date(2026, 1, 1), satisfied=True, on_time=True)
        response = client.post("/openrosa/submission",
                               {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml")},
                               HTTP_AUTHORIZATION=header)
        assert response.status_code == 201, response.content
    seconds = time.perf_counter() - started
    return {"auth": auth, "posts": n, "seconds": round(seconds, 1), "per_second": round(n / seconds, 1)}


def run(*args) -> dict:
    out = subprocess.run([sys.executable, __file__, *map(str, args)], env=ENV, check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", nargs="?", default="all", choices=["all", "setup", "export", "posts"])
    parser.add_argument("arg", nargs="?", default="")
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=300)
    opts = parser.parse_args()
    if opts.step == "setup":
        print(json.dumps(setup(int(opts.arg))))
        return
    if opts.step == "export":
        print(json.dumps(export(opts.arg)))
        return
    if opts.step == "posts":
        count, _sep, auth = opts.arg.partition(":")
        print(json.dumps(posts(int(count), auth or "basic")))
        return
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    results = {"date": dt.date.today().isoformat(), "setup": run("setup", opts.submissions),
               "csv": run("export", "csv"), "xlsx": run("export", "xlsx"),
               "openrosa": run("posts", f"{opts.posts}:basic"), "openrosa_digest": run("posts", f"{opts.posts}:digest")}
    out = ROOT / "bench" / "results" / f"surveys-export-{results['date']}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print("| export | rows | seconds | rows/s | file | memory before → peak (MB) |\n| --- | --- | --- | --- | --- | --- |")
    for fmt in ("csv", "xlsx"):
        r = results[fmt]
        print(f"| {fmt} | {r['rows']} | {r['seconds']} | {r['rows_per_second']} | {r['bytes'] / 1e6:.1f} MB "
              f"| {r['rss_before_mb']} → {r['peak_rss_mb']} |")
    for key in ("openrosa", "openrosa_digest"):
        o = results[key]
        print(f"OpenRosa submissions over {o['auth']}, one at a time: {o['posts']} in {o['seconds']} s = "
              f"{o['per_second']}/s")


if __name__ == "__main__":
    main()

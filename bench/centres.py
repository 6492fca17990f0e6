"""Transit centres at scale on PostgreSQL: one centre with N stays (default 5 000, eight years of
history, its beds full tonight with some people stranded for weeks) and the other centres' stays
beside it; the centre manager's centre page, the centre list, and the occupancy API (the centre list,
a centre's last 30 nights and three years of nights, the residents) — p50/p95, SQL queries per
request and the page's weight.

    PYTHONPATH=$PWD .venv/bin/python bench/centres.py [--stays 5000] [--others 3000] [--runs 40]

A fresh database (BENCH_DB, default parcours_bench_centres; BENCH_ADMIN_URL for the server) gets the
demo world and the centres, then the people and their stays written in bulk (the reads are measured,
not the loading). Requests go through Django's test client in this process (middleware, templates,
the API's token), so the times are the server's, without the network. Results: bench/results/
centres-<date>-<stays>.json and a Markdown table on stdout."""

import argparse
import datetime as dt
import gzip
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB", "parcours_bench_centres")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
CENTRE = "GAO-PC"
FIRST_DAY = dt.date(2018, 1, 1)
NATIONALITIES = ["GN", "CI", "SN", "GM", "NE", "BF", "NG", "CM", "SL", "LR"]


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings.dev")
    os.environ.setdefault("PARCOURS_VAR_DIR", "/tmp/parcours-bench-centres")
    import django

    django.setup()


def _stays_for(centre, n: int, rng: random.Random, today: dt.date, users, open_now: int) -> list:
    """n stays of n people in `centre`, evenly over the years, 2–45 nights; the last `open_now` still
    open (entered over the last two months: some stranded past the centre's threshold)."""
    from parcours.centres.models import Stay
    from parcours.people.models import Person

    span = (today - dt.timedelta(days=60) - FIRST_DAY).days
    people, stays = [], []
    agency, place = users["centre.gao"].agency, centre.place
    for i in range(n):
        person = Person(given_name=f"Migrant{i}", family_name=rng.choice(["Camara", "Diallo", "Traoré", "Bah",
                                                                           "Koné", "Sow", "Ouédraogo"]),
                        sex=rng.choice("MF"), birth_year=rng.randint(1970, 2008),
                        nationality=rng.choice(NATIONALITIES), registered_by=users["centre.gao"],
                        registered_agency=agency, registered_place=place)
        people.append(person)
        if i >= n - open_now:
            entered = today - dt.timedelta(days=rng.randint(0, 60))
            left, reason = None, ""
        else:
            entered = FIRST_DAY + dt.timedelta(days=span * i // max(1, n - open_now))
            left = entered + dt.timedelta(days=rng.randint(2, 45))
            reason = rng.choice(["returned_home", "onward", "left_without_notice", "referred"])
        stays.append(Stay(centre=centre, person=person, entered_on=entered, left_on=left, exit_reason=reason,
                          admitted_by=users["centre.gao"] if centre.code == CENTRE else users["admin"]))
    return people, stays


def load(stays: int, others: int, seed: int = 12) -> dict:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--noinput", verbosity=0)
    from parcours.centres.demo import centres, load_demo_centres
    from parcours.centres.models import StayService
    from parcours.demo.loader import load_agencies, load_places, load_users
    from parcours.people.models import Person

    places, agencies = load_places(), load_agencies()
    users = load_users(places, agencies)
    load_demo_centres()
    by_code = centres()
    rng = random.Random(seed)
    today = dt.date.today()
    started = time.perf_counter()
    gao = by_code[CENTRE]
    people, rows = _stays_for(gao, stays, rng, today, users, open_now=gao.capacity - 2)
    rest = [c for code, c in sorted(by_code.items()) if code != CENTRE]
    for k, centre in enumerate(rest):
        n = others // len(rest) + (1 if k < others % len(rest) else 0)
        p, s = _stays_for(centre, n, rng, today, users, open_now=min(10, centre.capacity // 2))
        people += p
        rows += s
    Person.objects.bulk_create(people, batch_size=2000)
    from parcours.centres.models import Stay

    Stay.objects.bulk_create(rows, batch_size=2000)
    services = []
    for stay in rows:
        for kind in ("food", "shelter"):
            services.append(StayService(stay=stay, kind=kind, given_on=stay.entered_on, quantity=1,
                                        recorded_by=stay.admitted_by))
    StayService.objects.bulk_create(services, batch_size=5000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {"stays_in_centre": Stay.objects.filter(centre=gao).count(),
            "open_in_centre": Stay.objects.filter(centre=gao, left_on__isnull=True).count(),
            "stays_elsewhere": Stay.objects.exclude(centre=gao).count(), "services_received": len(services),
            "centres": len(by_code), "load_seconds": round(time.perf_counter() - started, 1)}


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, round(q * (len(values) - 1)))], 1)


def measure(client, path: str, runs: int) -> dict:
    from django.db import connection

    queries = []
    with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    body = response.content
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
    return {"path": path, "p50_ms": p(times, 0.5), "p95_ms": p(times, 0.95), "queries": len(queries),
            "bytes": len(body), "gzip_bytes": len(gzip.compress(body))}


def clients(username: str):
    from django.test import Client

    from parcours.accounts.models import User

    web = Client(HTTP_ACCEPT_LANGUAGE="fr")
    web.force_login(User.objects.get(username=username))
    api = Client(HTTP_ACCEPT_LANGUAGE="fr")
    r = api.post("/api/v1/auth/token", {"username": username, "password": "parcours-demo"},
                 content_type="application/json")
    assert r.status_code == 200, r.content
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {r.json()['token']}"
    return web, api


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stays", type=int, default=5000)
    parser.add_argument("--others", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    fresh_database()
    setup_django()
    data = load(args.stays, args.others)
    web, api = clients("centre.gao")
    me_web, me_api = clients("me.iom")  # every centre: the list over all 8 000 stays
    today = dt.date.today()
    three_years = f"/api/v1/centres/{CENTRE}?from={(today - dt.timedelta(days=3 * 365)).isoformat()}"
    rows = {
        "centre page": measure(web, f"/centres/{CENTRE}/", args.runs),
        "centre list page": measure(web, "/centres/", args.runs),
        "API centres (occupancy tonight)": measure(api, "/api/v1/centres", args.runs),
        "API centre, 30 nights": measure(api, f"/api/v1/centres/{CENTRE}", args.runs),
        "API centre, 3 years of nights": measure(api, three_years, args.runs),
        "API residents (open stays)": measure(api, f"/api/v1/centres/{CENTRE}/stays", args.runs),
        "API stranded": measure(api, f"/api/v1/centres/{CENTRE}/stays?stranded=true", args.runs),
        "centre list page, every centre (M&E)": measure(me_web, "/centres/", args.runs),
        "API centres, every centre (M&E)": measure(me_api, "/api/v1/centres", args.runs),
    }
    result = {"date": today.isoformat(), "database": "postgresql", "data": data, "runs": args.runs,
              "requests": rows}
    out = ROOT / "bench" / "results" / f"centres-{today.isoformat()}-{args.stays}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{data}\n")
    print("| request | p50 ms | p95 ms | SQL queries | bytes (gzip) |\n| --- | --- | --- | --- | --- |")
    for name, r in rows.items():
        print(f"| {name} | {r['p50_ms']} | {r['p95_ms']} | {r['queries']} | {r['bytes']} ({r['gzip_bytes']}) |")
    print(f"\n{out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()

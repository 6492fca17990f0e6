"""Flow monitoring at scale: N count rows on PostgreSQL, the national bi-weekly report (the figures
and per-point table the page and the PDF print) and a point's dashboard (its report page figures,
p95), beside DuckDB running the same aggregations over the same rows exported to Parquet.

`python bench/flows.py [--rows 10000000]` (default 1 000 000). Needs PostgreSQL (BENCH_ADMIN_URL)
and, for the reference, duckdb (bench/requirements.txt). Results on stdout as JSON."""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB", "parcours_bench_flows")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
FIRST_DAY = dt.date(2018, 1, 1)
LINES_PER_DAY = 400  # lines of one point's daily sheet (distinct breakdowns)
CSV = "/tmp/parcours-bench-flows.csv"
PARQUET = "/tmp/parcours-bench-flows.parquet"


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings.dev")
    import django

    django.setup()


def world():
    from django.core.management import call_command

    from parcours.accounts.models import Place
    from parcours.demo.loader import load_agencies, load_places, load_users
    from parcours.flows.services import point_upsert

    call_command("migrate", "--noinput", verbosity=0)
    places = load_places()
    users = load_users(places, load_agencies())
    points = [point_upsert(place=p) for p in Place.objects.filter(kind="fmp").order_by("code")]
    return points, users["enumerator.gao"] if isinstance(users, dict) else None


def insert_rows(rows: int, points, user_id: int, *, first_day: dt.date = FIRST_DAY, origin: str = "") -> float:
    """N distinct live lines: point i % 10, LINES_PER_DAY breakdowns a point-day, day after day from
    `first_day`; `origin` marks them apart from other sheets of the same days (bench/results.py)."""
    from django.db import connection

    ids = "ARRAY[" + ",".join(str(p.pk) for p in points) + "]"
    n = len(points)
    sql = f"""
    INSERT INTO flows_count (id, point_id, day, direction, nationality, sex, age_group, transport, reason, origin,
                             destination, count, recorded_by_id, recorded_at, live)
    SELECT gen_random_uuid(), ({ids})[1 + i % {n}], DATE '{first_day}' + ((i / {n}) / {LINES_PER_DAY})::int,
           (ARRAY['in','out'])[1 + j % 2], (ARRAY['ML','GN','CI','SN','GM','BF','NE','NG','CM'])[1 + (j / 2) % 9],
           (ARRAY['M','F'])[1 + (j / 18) % 2], (ARRAY['0-17','18-59','60+'])[1 + (j / 36) % 3],
           (ARRAY['bus','truck','car','motorbike','on_foot','other'])[1 + (j / 108) % 6],
           (ARRAY['economic','family','education','conflict','other'])[1 + (i * 7) % 5], '{origin}',
           (ARRAY['','DZ','NE','LY'])[1 + (i * 3) % 4], 1 + (i * 13) % 9, {user_id}, now(), true
    FROM (SELECT i, (i / {n}) % {LINES_PER_DAY} AS j FROM generate_series(0, {rows - 1}) AS i) AS s
    """
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql)
        cur.execute("ANALYZE flows_count")
    return time.perf_counter() - t0


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(values: list[float]) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, round(0.95 * (len(values) - 1)))], 1)


def bench_postgres(points, last_day: dt.date, runs: int) -> dict:
    from parcours.accounts.models import User
    from parcours.flows import reports
    from parcours.flows.models import Point
    from parcours.flows.periods import period_of, previous_period

    me = User.objects.get(username="me.iom")
    start, end = previous_period(period_of(last_day)[0])
    everyone = Point.objects.all()

    def national():
        reports.report_context(everyone, start, end)
        reports.per_point_rows(me, everyone, start, end)

    def dashboard(point=points[0]):
        reports.report_context(Point.objects.filter(pk=point.pk), start, end)

    national_ms = timed(national, max(3, runs // 5))
    dashboard_ms = timed(dashboard, runs)
    return {"period": [start.isoformat(), end.isoformat()],
            "national_report_ms_median": round(statistics.median(national_ms), 1),
            "national_report_ms_max": round(max(national_ms), 1),
            "point_dashboard_ms_p95": p95(dashboard_ms),
            "point_dashboard_ms_median": round(statistics.median(dashboard_ms), 1)}


def bench_duckdb(point_id: int, start: dt.date, end: dt.date, runs: int) -> dict:
    from django.db import connection

    try:
        import duckdb
    except ImportError:
        return {"skipped": "duckdb not installed (pip install -r bench/requirements.txt)"}
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(f"COPY (SELECT point_id, day, direction, nationality, sex, age_group, transport, reason, "
                    f"destination, count FROM flows_count WHERE live) TO '{CSV}' WITH CSV HEADER")
    db = duckdb.connect()
    db.execute(f"COPY (SELECT * FROM read_csv_auto('{CSV}')) TO '{PARQUET}' (FORMAT parquet)")
    export_s = time.perf_counter() - t0
    before = start - (end - start) - dt.timedelta(days=1)
    dims = ("direction", "nationality", "sex", "age_group", "transport", "reason", "destination")

    def figures(where: str):
        rows = f"read_parquet('{PARQUET}')"
        period = f"{where} day BETWEEN DATE '{start}' AND DATE '{end}'"
        db.execute(f"SELECT sum(count) FROM {rows} WHERE {period}").fetchall()
        db.execute(f"SELECT sum(count) FROM {rows} WHERE {where} day BETWEEN DATE '{before}' AND DATE '{start}'"
                   ).fetchall()
        for dim in dims:
            db.execute(f"SELECT {dim}, sum(count) n FROM {rows} WHERE {period} GROUP BY 1 ORDER BY n DESC").fetchall()
        db.execute(f"SELECT day, direction, sum(count) FROM {rows} WHERE {period} GROUP BY 1, 2").fetchall()
        db.execute(f"SELECT point_id, day FROM {rows} WHERE {period} GROUP BY 1, 2").fetchall()

    national = timed(lambda: figures(""), max(3, runs // 5))
    dashboard = timed(lambda: figures(f"point_id = {point_id} AND"), runs)
    for path in (CSV, PARQUET):
        if os.path.exists(path):
            os.unlink(path)
    return {"export_to_parquet_s": round(export_s, 1), "national_report_ms_median": round(statistics.median(national), 1),
            "point_dashboard_ms_p95": p95(dashboard)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    fresh_database()
    setup_django()
    from parcours.accounts.models import User
    from parcours.flows.models import Count

    points, _user = world()
    insert_s = insert_rows(args.rows, points, User.objects.get(username="enumerator.gao").pk)
    last_day = Count.objects.order_by("-day").values_list("day", flat=True).first()
    pg = bench_postgres(points, last_day, args.runs)
    start, end = (dt.date.fromisoformat(d) for d in pg["period"])
    duck = bench_duckdb(points[0].pk, start, end, args.runs)
    result = {"rows": args.rows, "points": len(points), "days": (last_day - FIRST_DAY).days + 1,
              "insert_s": round(insert_s, 1), "postgres": pg, "duckdb": duck}
    if "national_report_ms_median" in duck:
        result["ratio_national_pg_to_duckdb"] = round(pg["national_report_ms_median"]
                                                      / duck["national_report_ms_median"], 1)
        result["ratio_dashboard_p95_pg_to_duckdb"] = round(pg["point_dashboard_ms_p95"]
                                                           / duck["point_dashboard_ms_p95"], 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

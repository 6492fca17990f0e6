"""Load test, one command: `make bench-load` (or python bench/load.py).

On a fresh PostgreSQL database with the demo world (`parcours migrate`, `parcours seed`), starts the
app as `parcours run` does — gunicorn, 2 workers × 4 threads, production-like settings (DEBUG off) —
on 127.0.0.1 only, then runs Locust headless (bench/locustfile.py): USERS simulated staff, spawned at
RATE per second, for DURATION. Writes bench/results/load-<date>.json (per page and API list: requests,
failures, p50/p95/p99 in ms; answers by status class; 5xx from the server's log) and prints a Markdown
table. Needs locust: `pip install -e '.[bench]'` (or LOCUST=/path/to/locust)."""

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB", "parcours_load")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rate", type=float, default=1, help="users started per second")
    parser.add_argument("--duration", default="3m", help="Locust's --run-time (3m, 10m…)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8198")))
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--keep-alive", type=int, default=75, help="gunicorn --keep-alive (nginx's default)")
    parser.add_argument("--keep-database", action="store_true", help="reuse a seeded BENCH_DB")
    opts = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="parcours-load-"))
    env = {**os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "parcours.settings.dev",
           "PARCOURS_VAR_DIR": str(var), "LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    parcours = str(BIN / "parcours")
    if not opts.keep_database:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        subprocess.run([parcours, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([parcours, "seed"], env=env, check=True, stdout=subprocess.DEVNULL)
    server_log = var / "gunicorn.log"
    server = subprocess.Popen([str(BIN / "gunicorn"), "parcours.wsgi", "--bind", f"127.0.0.1:{opts.port}",
                               "--workers", str(opts.gunicorn_workers), "--threads", "4", "--timeout", "120",
                               # Idle connections kept as long as a user thinks (1-5 s) and then some, as
                               # a reverse proxy keeps them: with gunicorn's 2 s, a request sent on a
                               # connection the server is closing comes back as a reset (27 of 2 949 in a
                               # first run) — which browsers retry unseen, and Locust counts as failures.
                               "--keep-alive", str(opts.keep_alive),
                               "--access-logfile", str(var / "access.log"), "--error-logfile", str(server_log)],
                              env=env, cwd=ROOT)
    host = f"http://127.0.0.1:{opts.port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{host}/healthz", timeout=5).status == 200:
                    break
            except OSError:
                time.sleep(1)
        locust = os.environ.get("LOCUST") or shutil.which("locust", path=str(BIN)) or "locust"
        prefix = var / "locust"
        statuses = var / "statuses.json"
        started = time.time()
        subprocess.run([locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", host,
                        "-u", str(opts.users), "-r", str(opts.rate), "--run-time", opts.duration,
                        "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"],
                       env={**env, "BENCH_STATUS_FILE": str(statuses)}, check=False)
        seconds = time.time() - started
    finally:
        server.terminate()
        server.wait(30)
    rows = _csv(f"{prefix}_stats.csv")
    access = (var / "access.log").read_text().splitlines()
    server_5xx = sum(1 for line in access if '" 5' in line)
    pages = [{"name": r["Name"], "requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
              "p50_ms": _ms(r["50%"]), "p95_ms": _ms(r["95%"]), "p99_ms": _ms(r["99%"]),
              "mean_ms": round(float(r["Average Response Time"]), 1)} for r in rows]
    result = {
        "date": dt.date.today().isoformat(), "users": opts.users, "spawn_rate": opts.rate, "duration": opts.duration,
        "seconds": round(seconds), "gunicorn": f"{opts.gunicorn_workers} workers x 4 threads, keep-alive {opts.keep_alive} s", "database": "PostgreSQL",
        "statuses": json.loads(statuses.read_text()) if statuses.exists() else {},
        "server_5xx_in_access_log": server_5xx, "server_errors_logged": server_log.read_text().count("Traceback"),
        "failures": _csv(f"{prefix}_failures.csv"),
        "pages": pages,
    }
    out = ROOT / "bench" / "results" / f"load-{result['date']}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"\n{opts.users} users, {opts.duration}, answers {result['statuses']}, 5xx in the server's log: "
          f"{server_5xx}, tracebacks: {result['server_errors_logged']} — {out}")
    print("\n| page or list | requests | failures | p50 ms | p95 ms | p99 ms |\n| --- | --- | --- | --- | --- | --- |")
    for p in sorted(pages, key=lambda p: (p["name"] == "Aggregated", p["name"])):
        print(f"| {p['name']} | {p['requests']} | {p['failures']} | {p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} |")


def _csv(path: str) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _ms(text: str):
    return None if text in ("", "N/A") else int(float(text))


if __name__ == "__main__":
    main()

"""Benchmarks of the registry on PostgreSQL, one command: `make bench` (or python bench/run.py).

Measures, in one run, on a fresh database:
  1. `parcours seed --people N` against PostgreSQL's own COPY of the same rows (ratio);
  2. registering one person over the API, duplicate suggestions included (p50/p95);
  3. the first page of the people list filtered by region, and a name search (API and web, p95);
  4. the weight of the people list page and whether it needs JavaScript;
then runs bench/dedupe.py (matching quality and speed against Splink) unless --skip-dedupe.
Results: bench/results/registry-<date>.json and a Markdown table on stdout."""

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB", "parcours_bench")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
PORT = int(os.environ.get("BENCH_PORT", "8199"))
ENV = {**os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "parcours.settings.dev",
       "PARCOURS_VAR_DIR": "/tmp/parcours-bench-var", "LOG_LEVEL": "ERROR"}


def sh(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], env=ENV, check=True, capture_output=True, text=True, **kw)


def fresh_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    sh(BIN / "parcours", "migrate", "--noinput", "-v0")
    sh(BIN / "parcours", "seed", "--demo-people", "0")


def bench_seed(people: int) -> dict:
    started = time.perf_counter()
    out = sh(BIN / "parcours", "seed", "--demo-people", "0", "--people", people).stdout
    seed_seconds = time.perf_counter() - started
    match = re.search(r"'seconds': ([0-9.]+)", out)
    # Reference: PostgreSQL's own COPY of exactly these rows into a table with the same indexes.
    csv_path = "/tmp/parcours-bench-people.copy"
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute(f"COPY people_person TO '{csv_path}'")
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute("CREATE TABLE bench_copy (LIKE people_person INCLUDING ALL)")
        t0 = time.perf_counter()
        conn.execute(f"COPY bench_copy FROM '{csv_path}'")
        copy_seconds = time.perf_counter() - t0
        rows = conn.execute("SELECT count(*) FROM bench_copy").fetchone()[0]
        conn.execute("DROP TABLE bench_copy")
    os.unlink(csv_path) if os.path.exists(csv_path) else None
    return {"people": people, "rows_copied": rows, "seed_command_s": round(seed_seconds, 1),
            "seed_bulk_s": float(match.group(1)) if match else None, "postgres_copy_s": round(copy_seconds, 1),
            "ratio_seed_to_copy": round(seed_seconds / copy_seconds, 2)}


def call(method: str, path: str, token: str = "", body=None, lang: str = "fr") -> tuple[int, bytes, float]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, method=method)
    request.add_header("Accept-Language", lang)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        payload, status = exc.read(), exc.code
    return status, payload, (time.perf_counter() - t0) * 1000


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 1)


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50_ms": pct(values, 50), "p95_ms": pct(values, 95), "max_ms": round(max(values), 1)}


def token(username: str) -> str:
    status, body, _ = call("POST", "/api/v1/auth/token", body={"username": username, "password": "parcours-demo"})
    assert status == 200, body
    return json.loads(body)["token"]


def web_session(username: str) -> str:
    """A logged-in session cookie for the HTML pages."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"http://127.0.0.1:{PORT}/login/").read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    data = f"username={username}&password=parcours-demo&csrfmiddlewaretoken={csrf}".encode()
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/login/", data=data)
    request.add_header("Referer", f"http://127.0.0.1:{PORT}/login/")
    opener.open(request).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def get_page(path: str, cookie: str) -> tuple[bytes, float]:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}")
    request.add_header("Cookie", cookie)
    request.add_header("Accept-Language", "fr")
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
        body = response.read()
    return body, (time.perf_counter() - t0) * 1000


def bench_http(samples: int, sample_seed: int = 987) -> dict:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "parcours.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--env", "DJANGO_SETTINGS_MODULE=parcours.settings.dev"], env=ENV,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                if call("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        rng = random.Random(5)
        from parcours.demo.synthetic import generate_records  # noqa: PLC0415

        people = list(generate_records(samples + 20, seed=sample_seed, duplicate_rate=0.0))
        reception = token("reception.bamako")
        register_ms, dup_counts = [], []
        for rec in people[:samples]:
            body = {k: v for k, v in rec.items() if k != "record_id" and v not in ("", None)}
            status, payload, ms = call("POST", "/api/v1/people", reception, body)
            if status != 201:
                raise SystemExit(f"registration failed {status}: {payload[:300]!r} for {body}")
            register_ms.append(ms)
            dup_counts.append(len(json.loads(payload)["possible_duplicates"]))
        # Real-time candidates for a registration being typed (no write), against the whole registry.
        me = token("me.iom")
        candidates_ms, found = [], 0
        for rec in people[:samples]:
            params = {k: rec[k] for k in ("given_name", "family_name", "birth_date", "birth_year", "phone",
                                          "id_document_number", "return_date") if rec.get(k)}
            status, payload, ms = call("GET", "/api/v1/people/candidates?" + urllib.parse.urlencode(params), me)
            assert status == 200, payload
            candidates_ms.append(ms)
            found += bool(json.loads(payload))
        names = [p["family_name"] for p in people[:50]] + [p["given_name"] for p in people[:50]]
        list_region, search = [], []
        for i in range(samples):
            region = rng.choice(["KAY", "BKO", "KOU", "SIK"])
            list_region.append(call("GET", f"/api/v1/people?region={region}&page_size=50", me)[2])
            search.append(call("GET", f"/api/v1/people?q={urllib.parse.quote(names[i % len(names)])}&page_size=50",
                               me)[2])
        cookie = web_session("me.iom")
        web_region, web_search, weights = [], [], []
        for i in range(min(samples, 100)):
            page, ms = get_page(f"/people/?region={rng.choice(['KAY', 'BKO'])}", cookie)
            web_region.append(ms)
            weights.append(len(page))
            web_search.append(get_page(f"/people/?q={urllib.parse.quote(names[i % len(names)])}", cookie)[1])
        return {
            "register_api": {**summary(register_ms), "mean_possible_duplicates": round(statistics.mean(dup_counts), 2)},
            "candidates_api": {**summary(candidates_ms), "share_with_candidates": round(found / len(candidates_ms), 3)},
            "list_region_api": summary(list_region),
            "name_search_api": summary(search),
            "list_region_web": summary(web_region),
            "name_search_web": summary(web_search),
            "list_page_bytes": max(weights),
            "list_page_has_script": b"<script" in page,
        }
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--skip-dedupe", action="store_true")
    parser.add_argument("--quick", action="store_true", help="100 000 people, 100 samples")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database of the last run")
    parser.add_argument("--sample-seed", type=int, default=987,
                        help="seed of the people registered; with --reuse, another one, or the last run's are found again")
    args = parser.parse_args()
    if args.quick:
        args.people, args.samples = 100_000, 100
    sys.path.insert(0, str(ROOT))
    os.environ.update({k: v for k, v in ENV.items() if k.startswith(("DJANGO", "PARCOURS"))})
    results = {"date": dt.date.today().isoformat(), "machine": f"{os.cpu_count()} cores"}
    out = ROOT / "bench" / "results" / f"registry-{results['date']}.json"
    if args.reuse and out.exists():
        results["seed"] = json.loads(out.read_text())["seed"]
    else:
        print(f"fresh database {DB_NAME}…", flush=True)
        fresh_database()
        print(f"seed {args.people} people…", flush=True)
        results["seed"] = bench_seed(args.people)
        print(json.dumps(results["seed"]), flush=True)
    print("HTTP latencies…", flush=True)
    results["http"] = bench_http(args.samples, args.sample_seed)
    print(json.dumps(results["http"]), flush=True)
    out.write_text(json.dumps(results, indent=2))
    s, h = results["seed"], results["http"]
    print(f"""
| measure | result | bar |
| --- | --- | --- |
| `parcours seed --people {s['people']}` | {s['seed_command_s']} s; PostgreSQL COPY of the same rows {s['postgres_copy_s']} s; ratio {s['ratio_seed_to_copy']} | < 180 s |
| register one person (API, with duplicate suggestions) | p50 {h['register_api']['p50_ms']} ms, p95 {h['register_api']['p95_ms']} ms | p95 < 100 ms |
| real-time candidates for one registration (API) | p50 {h['candidates_api']['p50_ms']} ms, p95 {h['candidates_api']['p95_ms']} ms | p95 < 50 ms |
| people list, region filter, first page (API / web) | p95 {h['list_region_api']['p95_ms']} / {h['list_region_web']['p95_ms']} ms | p95 < 150 ms |
| name search (API / web) | p95 {h['name_search_api']['p95_ms']} / {h['name_search_web']['p95_ms']} ms | p95 < 150 ms |
| people list page weight | {h['list_page_bytes'] / 1024:.1f} KB, script: {h['list_page_has_script']} | < 100 KB, no JS |
""")
    if not args.skip_dedupe and (ROOT / "bench" / "dedupe.py").exists():
        subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "dedupe.py")] + (["--quick"] if args.quick else []),
                       check=True)


if __name__ == "__main__":
    main()

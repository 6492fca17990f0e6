"""The results dashboard at programme scale, beside DuckDB over the same facts in Parquet.

`python bench/results.py [--people 1000000] [--ledger 1000000] [--flows 10000000]` (one command;
`make bench-results` installs duckdb first). On a fresh PostgreSQL database (BENCH_ADMIN_URL):
  1. the demo world and N synthetic people (`parcours seed --people N`), then, in bulk SQL, the
     ledger (payments, 2 % reversed, each with the fact the payment service writes, voided by its
     reversal), 1 % of the people merged into another record, and the flow count rows of the
     monitoring points with their facts (the same rows and facts the day-sheet service writes);
  2. the dashboard page (GET /results/, the whole action and one year) for M&E, the donor and a
     place-bound case worker: cold (application cache emptied, new database connection; the
     operating system's page cache is not emptied) and warm (p50/p95);
  3. DuckDB running every computed indicator of the logframe (same definitions, same counting
     rules: the fact's own date, merged people once, voided facts not counted, each unit placed by
     its first fact) over the same facts exported to Parquet, cold (new connection) and warm; the
     two sets of figures must be equal, or the run fails.
Results on stdout as JSON and in bench/results/results-<date>-<people>.json."""

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB", "parcours_bench_results")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
WORK = Path(os.environ.get("BENCH_TMP", "/tmp/parcours-bench-results"))
ENV = {**os.environ, "DATABASE_URL": DB_URL, "DJANGO_SETTINGS_MODULE": "parcours.settings.dev",
       "PARCOURS_VAR_DIR": str(WORK / "var"), "LOG_LEVEL": "ERROR"}
BENCH_ORIGIN = "XB"  # marks the bench's flow rows, so they never collide with the demo's sheets


def step(label: str, fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    seconds = round(time.perf_counter() - t0, 1)
    print(f"  {label}: {seconds} s", file=sys.stderr, flush=True)
    return out, seconds


def fresh_database(people: int) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    cli = [sys.executable, "-m", "parcours.cli"]
    subprocess.run([*cli, "migrate", "--noinput", "-v0"], env=ENV, check=True)
    subprocess.run([*cli, "seed", "--people", str(people)], env=ENV, check=True, capture_output=True)


def setup_django() -> None:
    os.environ.update({k: ENV[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PARCOURS_VAR_DIR")})
    import django

    django.setup()


def sql(statement: str, params=None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def add_ledger(entries: int) -> None:
    """`entries` payments over the people (one tranche each in turn, schemes in rotation, dates
    across the action), each with its `assistance_paid` fact; every 50th reversed."""
    from parcours.accounts.models import User
    from parcours.assistance.models import Scheme, SchemeVersion
    from parcours.logframe.models import Action

    action = Action.objects.get()
    days = (action.ends_on - action.starts_on).days
    by = User.objects.get(username="caseworker.kayes")
    schemes = list(Scheme.objects.order_by("code"))
    versions = [SchemeVersion.objects.filter(scheme=s).order_by("-pk").first().pk for s in schemes]
    codes = "ARRAY[" + ",".join(f"'{s.code}'" for s in schemes) + "]"
    scheme_ids = "ARRAY[" + ",".join(str(s.pk) for s in schemes) + "]"
    version_ids = "ARRAY[" + ",".join(str(v) for v in versions) + "]"
    n = len(schemes)
    sql("CREATE TEMP TABLE bench_people AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn "
        "FROM people_person WHERE merged_into_id IS NULL")
    people = "(SELECT count(*) FROM bench_people)"
    sql(f"""
    CREATE TEMP TABLE bench_entries AS
    SELECT gen_random_uuid() AS id, p.id AS person_id, 1 + (i * 31) % {n} AS s, 1 + i / {people} AS tranche,
           (25000 + (i % 20) * 5000)::bigint AS amount_xof,
           DATE '{action.starts_on}' + ((i * 7919) % {days})::int AS paid_on, i
    FROM generate_series(0::bigint, {entries - 1}) AS i JOIN bench_people p ON p.rn = i % {people}
    """)
    sql(f"""
    INSERT INTO assistance_ledgerentry (id, kind, tranche, period, amount_xof, paid_on, channel, id_document_type,
        id_document_number, proof_reference, proof_file, note, created_at, person_id, recorded_by_id, scheme_id,
        version_id)
    SELECT id, 'payment', 100 + tranche, '', amount_xof, paid_on, 'cash', '', '', '', '', '', now(), person_id,
           {by.pk}, ({scheme_ids})[s], ({version_ids})[s] FROM bench_entries
    """)
    fact = f"""
    INSERT INTO facts_fact (kind, occurred_on, occurred_at, recorded_at, sex, age, nationality, returned_from,
        origin_path, place_path, subject_type, subject_id, quantity, amount_xof, data, actor_id, agency_id, person_id,
        place_id)
    SELECT %s, e.paid_on + %s, (e.paid_on + %s) + TIME '12:00', now(), p.sex,
           CASE WHEN p.birth_year IS NOT NULL THEN GREATEST(0, EXTRACT(YEAR FROM e.paid_on)::int - p.birth_year)
           END, p.nationality, p.returned_from,
           p.origin_path, '', 'assistance.ledgerentry', e.id::text, 1, %s * e.amount_xof,
           jsonb_build_object('code', ({codes})[e.s], 'tranche', 100 + e.tranche, 'amount', e.amount_xof,
                              'entry', e.id::text),
           {by.pk}, {by.agency_id}, e.person_id, NULL
    FROM bench_entries e JOIN people_person p ON p.id = e.person_id
    """
    sql(fact, ["assistance_paid", 0, 0, 1])
    # Every 50th payment reversed a month later: the reversal entry, its fact, and the payment's
    # fact voided by it (as assistance.services.payment_reverse does).
    sql(f"""
    INSERT INTO assistance_ledgerentry (id, kind, tranche, period, amount_xof, paid_on, channel, id_document_type,
        id_document_number, proof_reference, proof_file, note, created_at, person_id, recorded_by_id, scheme_id,
        version_id, reversal_of_id)
    SELECT gen_random_uuid(), 'reversal', 100 + tranche, '', -amount_xof, paid_on + 30, 'cash', '', '', '', '',
           'bench', now(), person_id, {by.pk}, ({scheme_ids})[s], ({version_ids})[s], id
    FROM bench_entries WHERE i % 50 = 7
    """)
    sql(fact + " WHERE e.i %% 50 = 7", ["assistance_reversed", 30, 30, -1])
    sql("""
    UPDATE facts_fact paid SET voided_by_id = reversal.id FROM facts_fact reversal
    WHERE reversal.kind = 'assistance_reversed' AND paid.kind = 'assistance_paid'
      AND reversal.subject_id = paid.subject_id AND reversal.subject_type = 'assistance.ledgerentry'
      AND paid.subject_type = 'assistance.ledgerentry'
    """)


def add_merges(every: int = 100) -> None:
    """One person in `every` merged into the next record (their payments then count once)."""
    sql(f"""
    UPDATE people_person p SET merged_into_id = kept.id FROM bench_people gone JOIN bench_people kept
      ON kept.rn = gone.rn + 1
    WHERE p.id = gone.id AND gone.rn % {every} = 0
    """)


def add_registrations() -> None:
    """The `registered` fact of each synthetic person (the seed's bulk path writes none)."""
    sql("""
    INSERT INTO facts_fact (kind, occurred_on, occurred_at, recorded_at, sex, age, nationality, returned_from,
        origin_path, place_path, subject_type, subject_id, quantity, data, actor_id, agency_id, person_id, place_id)
    SELECT 'registered', created_at::date, created_at, now(), sex, NULL, nationality, returned_from, origin_path,
           registered_path, '', '', 1, '{}'::jsonb, registered_by_id, registered_agency_id, id, registered_place_id
    FROM people_person p WHERE NOT EXISTS (SELECT 1 FROM facts_fact f WHERE f.person_id = p.id AND f.kind = 'registered')
    """)


def add_flows(rows: int) -> None:
    """`rows` distinct live count lines over the monitoring points, day after day from the
    action's start, with the `flows.counted` fact of each (as flows.sheets writes them)."""
    from flows import insert_rows  # bench/flows.py, beside this file: the same count rows

    from parcours.accounts.models import User
    from parcours.flows.models import Point
    from parcours.logframe.models import Action

    points = list(Point.objects.select_related("place").order_by("code"))
    by = User.objects.get(username="enumerator.gao")
    first_day = Action.objects.get().starts_on
    insert_rows(rows, points, by.pk, first_day=first_day, origin=BENCH_ORIGIN)
    sql(f"""
    INSERT INTO facts_fact (kind, occurred_on, occurred_at, recorded_at, sex, nationality, returned_from, origin_path,
        place_path, subject_type, subject_id, quantity, data, actor_id, agency_id, place_id)
    SELECT 'flows.counted', c.day, c.day + TIME '12:00', now(), '', '', '', '', pl.path, 'flows.count', c.id::text,
           c.count, jsonb_build_object('point', pt.code, 'direction', c.direction, 'nationality', c.nationality,
                                       'sex', c.sex, 'age_group', c.age_group, 'transport', c.transport,
                                       'reason', c.reason, 'origin', c.origin, 'destination', c.destination),
           {by.pk}, {by.agency_id}, pt.place_id
    FROM flows_count c JOIN flows_point pt ON pt.id = c.point_id JOIN accounts_place pl ON pl.id = pt.place_id
    WHERE c.origin = '{BENCH_ORIGIN}'
    """)


def analyze() -> None:
    sql("ANALYZE")


def table_sizes() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for table in ("people_person", "assistance_ledgerentry", "flows_count", "facts_fact"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constant names
            out[table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM people_person WHERE merged_into_id IS NOT NULL")
        out["people_merged"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM facts_fact WHERE voided_by_id IS NOT NULL")
        out["facts_voided"] = cursor.fetchone()[0]
    return out


def p95(values: list[float]) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, round(0.95 * (len(values) - 1)))], 1)


def _summary(ms: list[float]) -> dict:
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": p95(ms), "max_ms": round(max(ms), 1)}


def bench_pages(cold_runs: int, warm_runs: int) -> dict:
    """GET /results/ through Django's full stack (middleware, view, template), as each reader."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from parcours.accounts.models import User

    out = {}
    for username, query in (("me.iom", ""), ("me.iom", "?period=2019"), ("manager.eu", ""),
                            ("caseworker.kayes", "")):
        client = Client()
        client.force_login(User.objects.get(username=username))
        url = "/results/" + query

        def get(client=client, url=url):
            t0 = time.perf_counter()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return (time.perf_counter() - t0) * 1000

        cold = []
        for _ in range(cold_runs):
            cache.clear()
            connection.close()
            cold.append(get())
        warm = [get() for _ in range(warm_runs)]
        out[f"{username}{query}"] = {"cold": _summary(cold), "warm": _summary(warm)}
        print(f"  {username}{query}: cold p95 {out[f'{username}{query}']['cold']['p95_ms']} ms, "
              f"warm p95 {out[f'{username}{query}']['warm']['p95_ms']} ms", file=sys.stderr, flush=True)
    return out


def our_figures(start: dt.date | None, end: dt.date) -> dict:
    from parcours.logframe.definitions import compute
    from parcours.logframe.models import Indicator

    return {i.code: compute(i.definition, start=start, end=end, disaggregations=i.disaggregations)
            for i in Indicator.objects.filter(method=Indicator.Method.COMPUTED).order_by("code")}


def export_parquet() -> float:
    """The facts and the people's merge links, as Parquet (through CSV from COPY)."""
    import duckdb
    from django.db import connection

    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    exports = {
        "facts": "SELECT id, kind, occurred_on, person_id, sex, age, nationality, returned_from, origin_path, "
                 "place_id, place_path, agency_id, subject_type, subject_id, quantity, amount_xof, data::text AS data, "
                 "voided_by_id FROM facts_fact",
        "people": "SELECT id, merged_into_id FROM people_person",
        "agencies": "SELECT id, code FROM accounts_agency",
    }
    # Identifiers stay text in Parquet (UUIDs); the facts' data stays JSON text.
    types = {"facts": {"id": "BIGINT", "kind": "VARCHAR", "occurred_on": "DATE", "person_id": "VARCHAR",
                       "sex": "VARCHAR", "age": "SMALLINT", "nationality": "VARCHAR", "returned_from": "VARCHAR",
                       "origin_path": "VARCHAR", "place_id": "BIGINT", "place_path": "VARCHAR", "agency_id": "BIGINT",
                       "subject_type": "VARCHAR", "subject_id": "VARCHAR", "quantity": "BIGINT",
                       "amount_xof": "BIGINT", "data": "VARCHAR", "voided_by_id": "BIGINT"},
             "people": {"id": "VARCHAR", "merged_into_id": "VARCHAR"}, "agencies": {}}
    db = duckdb.connect()
    for name, query in exports.items():
        csv = WORK / f"{name}.csv"
        with connection.cursor() as cursor, open(csv, "wb") as out, cursor.cursor.copy(
                f"COPY ({query}) TO STDOUT WITH CSV HEADER") as copy:
            for chunk in copy:
                out.write(chunk)
        db.execute(f"COPY (SELECT * FROM read_csv('{csv}', header=true, types={types[name]!r})) "
                   f"TO '{WORK / name}.parquet' (FORMAT parquet)")
        csv.unlink()
    db.close()
    return time.perf_counter() - t0


def _duck_where(definition: dict, start: dt.date | None, end: dt.date) -> str:
    kinds = ", ".join(f"'{k}'" for k in definition["kinds"])
    where = [f"f.kind IN ({kinds})", "f.voided_by_id IS NULL", f"f.occurred_on <= DATE '{end}'"]
    if start is not None:
        where.append(f"f.occurred_on >= DATE '{start}'")
    for key, wanted in definition.get("where", {}).items():
        name, _, op = key.partition("__")
        column = f"json_extract_string(f.data, '$.{name[5:]}')" if name.startswith("data.") else f"f.{name}"
        if op == "in":
            where.append(f"{column} IN ({', '.join(repr(str(w)) for w in wanted)})")
        elif op == "ne":
            where.append(f"{column} IS DISTINCT FROM '{wanted}'")
        else:
            where.append(f"{column} = '{wanted}'")
    return " AND ".join(where)


_DUCK_RAW = {"sex": ["f.sex"], "age_group": ["f.age"], "returned_from": ["f.returned_from"],
             "nationality": ["f.nationality"], "agency": ["a.code"], "region": ["f.origin_path", "f.place_path"]}
_ROW_KEYS = {"f.sex": "sex", "f.age": "age", "f.returned_from": "returned_from", "f.nationality": "nationality",
             "a.code": "agency__code", "f.origin_path": "origin_path", "f.place_path": "place_path"}


def duck_figures(db, start: dt.date | None, end: dt.date) -> dict:
    """Every computed indicator, written independently in DuckDB SQL; the groups are folded into
    bands and regions by the same small functions the dashboard uses (definitions._dimension_key)."""
    from collections import defaultdict

    from parcours.logframe.definitions import Value, _dimension_key, _region_names
    from parcours.logframe.models import Indicator

    regions = _region_names()
    w = WORK
    facts = (f"read_parquet('{w}/facts.parquet') f LEFT JOIN read_parquet('{w}/people.parquet') p "
             f"ON p.id = f.person_id LEFT JOIN read_parquet('{w}/agencies.parquet') a ON a.id = f.agency_id")
    pid = "coalesce(p.merged_into_id, f.person_id)"
    out = {}
    for indicator in Indicator.objects.filter(method=Indicator.Method.COMPUTED).order_by("code"):
        d, dims = indicator.definition, indicator.disaggregations
        count, split = d["count"], d.get("split", {}).get("sex")
        where = _duck_where(d, start, end)
        unit = {"distinct_people": pid, "distinct_places": "f.place_id",
                "distinct_subjects": "CASE WHEN f.subject_id = '' THEN '#' || f.id ELSE f.subject_type || ':' || "
                                     "f.subject_id END"}.get(count)
        raw = [c for dim in dims for c in (_DUCK_RAW.get(dim) or
                                            [f"json_extract_string(f.data, '$.{dim[5:]}')"])]
        keys = [_ROW_KEYS.get(c, f"data_{c.split('$.')[-1][:-2]}") for c in raw]
        sums = {sex: f"coalesce(sum(CAST(json_extract_string(f.data, '$.{key}') AS BIGINT)), 0)"
                for sex, key in (split or {}).items()}
        if unit:
            inner = (f"SELECT {', '.join(f'{c} AS c{i}' for i, c in enumerate(raw)) or '1 AS one'}, row_number() OVER "
                     f"(PARTITION BY {unit} ORDER BY f.occurred_on, f.id) AS rn FROM {facts} WHERE {where} "
                     f"AND {unit} IS NOT NULL")
            cols = [f"c{i}" for i in range(len(raw))]
            query = f"SELECT {', '.join([*cols, 'count(*)'])} FROM ({inner}) WHERE rn = 1"
            query += f" GROUP BY {', '.join(cols)}" if cols else ""
        else:
            amount = {"facts": "count(*)", "amount_xof": "coalesce(sum(f.amount_xof), 0)"}.get(
                count, " + ".join(sums.values()) if split else "coalesce(sum(f.quantity), 0)")
            query = (f"SELECT {', '.join([*raw, *sums.values(), amount])} FROM {facts} WHERE {where}"
                     + (f" GROUP BY {', '.join(raw)}" if raw else ""))
        rows = db.execute(query).fetchall()
        total, by = 0, {dim: defaultdict(int) for dim in dims}
        for row in rows:
            values = dict(zip(keys, row[:len(keys)], strict=True))
            parts = dict(zip(sums, row[len(keys):len(keys) + len(sums)], strict=True))
            n = int(row[-1] or 0)
            total += n
            for dim in dims:
                if dim == "sex" and split:
                    for sex, value in parts.items():
                        by[dim][sex] += int(value)
                else:
                    by[dim][_dimension_key(dim, values, regions)] += n
        out[indicator.code] = Value(total, {dim: dict(sorted(by[dim].items())) for dim in dims})
    return out


def bench_duckdb(periods, warm_runs: int) -> dict:
    import duckdb

    cold = []
    figures = {}
    for start, end in periods:
        db = duckdb.connect()
        t0 = time.perf_counter()
        figures[(start, end)] = duck_figures(db, start, end)
        cold.append((time.perf_counter() - t0) * 1000)
        db.close()
    db = duckdb.connect()
    warm = []
    for _ in range(warm_runs):
        t0 = time.perf_counter()
        duck_figures(db, *periods[0])
        warm.append((time.perf_counter() - t0) * 1000)
    return {"cold": _summary(cold), "warm": _summary(warm)}, figures


def bench_ours(periods, warm_runs: int) -> tuple[dict, dict]:
    """The same figures through the dashboard's own function, without the cache."""
    from django.db import connection

    cold, figures = [], {}
    for start, end in periods:
        connection.close()
        t0 = time.perf_counter()
        figures[(start, end)] = our_figures(start, end)
        cold.append((time.perf_counter() - t0) * 1000)
    warm = []
    for _ in range(warm_runs):
        t0 = time.perf_counter()
        our_figures(*periods[0])
        warm.append((time.perf_counter() - t0) * 1000)
    return {"cold": _summary(cold), "warm": _summary(warm)}, figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--ledger", type=int, default=1_000_000)
    parser.add_argument("--flows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=5, help="cold runs; warm runs are 4 times as many")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run, load only what it lacks")
    args = parser.parse_args()
    timings = {}
    if not args.reuse:
        _, timings["seed_s"] = step(f"demo world + {args.people} people", fresh_database, args.people)
    setup_django()
    from django.db import transaction

    from parcours.assistance.models import LedgerEntry
    from parcours.flows.models import Count
    from parcours.logframe.models import Action

    # --reuse: a database loaded by an earlier run; each part is loaded only if it is missing.
    if not LedgerEntry.objects.filter(tranche__gt=100).exists():
        with transaction.atomic():
            _, timings["ledger_s"] = step(f"{args.ledger} ledger entries", add_ledger, args.ledger)
            _, timings["merges_s"] = step("merges", add_merges)
    _, timings["registrations_s"] = step("registration facts", add_registrations)
    if not Count.objects.filter(origin=BENCH_ORIGIN).exists():
        _, timings["flows_s"] = step(f"{args.flows} flow rows", add_flows, args.flows)
    _, timings["analyze_s"] = step("analyze", analyze)
    sizes = table_sizes()
    action = Action.objects.get()
    periods = [(None, action.ends_on), (dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
               (dt.date(2018, 4, 1), dt.date(2018, 6, 30)), (None, dt.date(2018, 12, 31)),
               (dt.date(2020, 1, 1), dt.date(2020, 3, 31))]
    pages = bench_pages(args.runs, 4 * args.runs)
    ours, our_values = bench_ours(periods, 4 * args.runs)
    _, timings["export_parquet_s"] = step("export to Parquet", export_parquet)
    duck, duck_values = bench_duckdb(periods, 4 * args.runs)
    mismatches = [f"{code} {period}" for period, values in our_values.items() for code, value in values.items()
                  if value != duck_values[period][code]]
    result = {
        "date": dt.date.today().isoformat(), "machine": f"{os.cpu_count()} cores", "rows": sizes, "load": timings,
        "dashboard_page": pages, "indicators_postgres": ours, "indicators_duckdb": duck,
        "ratio_cold_postgres_to_duckdb": round(ours["cold"]["p95_ms"] / duck["cold"]["p95_ms"], 2),
        "ratio_warm_postgres_to_duckdb": round(ours["warm"]["p95_ms"] / duck["warm"]["p95_ms"], 2),
        "figures_equal": not mismatches, "mismatches": mismatches,
        "whole_action": {code: {"value": v.value, **v.disaggregations} for code, v in our_values[periods[0]].items()},
    }
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    out = ROOT / "bench" / "results" / f"results-{result['date']}-{args.people}.json"
    out.write_text(text + "\n", encoding="utf-8")
    if mismatches:
        sys.exit(f"DuckDB and the dashboard disagree: {mismatches}")


if __name__ == "__main__":
    main()

"""Bulk synthetic registry for benchmarks: `parcours seed --people N`.

A bulk path, not N ORM saves: rows come from the synthetic generator of parcours.matching,
keys are computed in the same functions the registration service uses, and rows reach
PostgreSQL through COPY (SQLite: executemany in one transaction). Per-row audit history and
timeline events are not written for synthetic people; one audit entry records the seed."""

import datetime as dt
import io
import time
import uuid

from django.db import connection, transaction
from django.utils import timezone

from parcours.accounts.models import Place, User
from parcours.accounts.selectors import name_key
from parcours.people import duplicates
from parcours.people.models import Person

COLUMNS = [
    "id", "given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "birth_precision",
    "nationality", "origin_region_id", "origin_cercle_id", "origin_commune_id", "phone", "id_document_type",
    "id_document_number", "return_date", "returned_from", "return_mode", "languages", "education", "skills",
    "registered_by_id", "registered_agency_id", "registered_place_id", "origin_path", "registered_path",
    "merged_into_id", "mk_family", "mk_given", "mk_family_phon", "mk_given_phon", "mk_phone", "mk_doc",
    "search_text", "origin_as_written",
    "created_at", "updated_at",
]
# People-file fields in the order the synthetic generator streams them.
FILE_FIELDS = ["record_id", "given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "phone",
               "nationality", "origin_region", "origin_cercle", "origin_commune", "id_document_type",
               "id_document_number", "return_date", "returned_from"]


class _Places:
    """Name -> place lookups, resolved once instead of per row."""

    def __init__(self):
        self.by_kind: dict[tuple[str, str], Place] = {}
        for place in Place.objects.filter(kind__in=["region", "cercle", "commune"]):
            self.by_kind.setdefault((place.kind, name_key(place.name)), place)

    def get(self, kind: str, name: str) -> Place | None:
        return self.by_kind.get((kind, name_key(name))) if name else None


def _date(value):
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def person_rows(records, *, registrars: list[User], start: dt.datetime, places: _Places):
    """Database rows for synthetic people-file records (dicts). Makes no query: it runs while the
    connection is busy with COPY."""
    for i, rec in enumerate(records):
        by = registrars[i % len(registrars)]
        region = places.get("region", rec.get("origin_region", ""))
        cercle = places.get("cercle", rec.get("origin_cercle", ""))
        commune = places.get("commune", rec.get("origin_commune", ""))
        origin = commune or cercle or region
        birth_date = _date(rec.get("birth_date"))
        birth_year = birth_date.year if birth_date else (int(rec["birth_year"]) if rec.get("birth_year") else None)
        cleaned = {**rec, "birth_date": birth_date, "birth_year": birth_year,
                   "origin_region": region, "origin_cercle": cercle, "origin_commune": commune}
        keys = duplicates.keys_for(cleaned)
        search = name_key(" ".join(v for v in (rec.get("given_name"), rec.get("family_name"), rec.get("other_names"),
                                               rec.get("phone"), rec.get("id_document_number")) if v))[:400]
        created = start + dt.timedelta(seconds=i)
        yield (
            uuid.uuid4(), rec.get("given_name", ""), rec.get("family_name", ""), rec.get("other_names", "") or "",
            rec.get("sex", "") or "", birth_date, birth_year,
            "date" if birth_date else ("year" if birth_year else ""), rec.get("nationality", "") or "",
            region.pk if region else None, cercle.pk if cercle else None, commune.pk if commune else None,
            rec.get("phone", "") or "", rec.get("id_document_type", "") or "", rec.get("id_document_number", "") or "",
            _date(rec.get("return_date")), rec.get("returned_from", "") or "", "assisted", "", "", "",
            by.pk, by.agency_id, by.place_id, origin.path if origin else "", by.place.path if by.place else "",
            None, keys["mk_family"], keys["mk_given"], keys["mk_family_phon"], keys["mk_given_phon"], keys["mk_phone"],
            keys["mk_doc"],
            search, "", created, created,
        )


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    if any(ch in text for ch in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _copy_postgres(rows, chunk: int = 20000) -> int:
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor
        sql = f"COPY people_person ({', '.join(COLUMNS)}) FROM STDIN"
        with raw.copy(sql) as copy:
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(_copy_text(v) for v in row))
                buffer.write("\n")
                count += 1
                if count % chunk == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
    return count


def _insert_sqlite(rows, chunk: int = 5000) -> int:
    count = 0
    # Column names are the constant list above, never user input.
    sql = f"INSERT INTO people_person ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(str(v).replace("-", "") if isinstance(v, uuid.UUID) else v for v in row))
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


class _Unindexed:
    """PostgreSQL's advice for populating a table: drop secondary indexes and foreign keys, COPY,
    then recreate them — one sorted build per index and one validating join per foreign key
    instead of a million incremental updates and a million trigger checks. Runs inside the
    caller's transaction: on failure everything, the dropped indexes included, rolls back."""

    def __init__(self, table: str):
        self.table = table

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'", [self.table])
            self.foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)",
                [self.table, self.table])
            self.indexes = cursor.fetchall()
            for name, _definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE {self.table} DROP CONSTRAINT "{name}"')
            for name, _definition in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False
        with connection.cursor() as cursor:
            for _name, definition in self.indexes:
                cursor.execute(definition)
            for name, definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE {self.table} ADD CONSTRAINT "{name}" {definition}')
        return False


BULK_THRESHOLD = 50_000


def bulk_seed(n: int, *, seed: int = 1, duplicate_rate: float = 0.1, stdout=None) -> dict:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from parcours.demo.synthetic import generate_records

    registrars = list(User.objects.filter(username__in=["reception.bamako", "caseworker.kayes"])
                      .select_related("place"))
    if not registrars:
        raise RuntimeError("load the demo world first (parcours seed)")
    started = time.perf_counter()
    records = generate_records(n, seed=seed, duplicate_rate=duplicate_rate)
    rows = person_rows(records, registrars=registrars, start=timezone.now() - dt.timedelta(seconds=n),
                       places=_Places())
    with transaction.atomic():
        if connection.vendor == "postgresql" and n >= BULK_THRESHOLD:
            with _Unindexed("people_person"):
                count = _copy_postgres(rows)
        elif connection.vendor == "postgresql":
            count = _copy_postgres(rows)
        else:
            count = _insert_sqlite(rows)
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(Person), object_pk="seed", object_repr=f"seed {count}",
            action=LogEntry.Action.CREATE, changes_text=f"synthetic seed of {count} people (seed={seed})",
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE people_person")
    return {"people": count, "seconds": round(time.perf_counter() - started, 1)}

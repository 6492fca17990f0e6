import hashlib
import json

from django.core.management.base import BaseCommand
from django.db import connection


def _cell(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return "b:" + value.hex()
    if isinstance(value, dict | list):
        return "j:" + json.dumps(value, sort_keys=True, default=str)
    return f"{type(value).__name__}:{value}"


def table_digests() -> dict[str, dict]:
    """{table: {"rows", "sha256"}} for every table of the database (PostgreSQL: every sequence's
    position too). The hash covers every value of every row, whatever the order rows come in."""
    out: dict[str, dict] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the catalogue
            row_hashes = sorted(hashlib.sha256("\x1f".join(_cell(v) for v in row).encode()).digest()
                                for row in cursor.fetchall())
            out[table] = {"rows": len(row_hashes), "sha256": hashlib.sha256(b"".join(row_hashes)).hexdigest()}
        if connection.vendor == "postgresql":
            cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences ORDER BY 1")
            for name, last_value in cursor.fetchall():
                out[f"sequence {name}"] = {"rows": 1, "sha256": str(last_value)}
    return out


class Command(BaseCommand):
    help = ("Row count and content hash of every table (and sequence): run it before `parcours backup` "
            "and after `parcours restore` to prove the restored data identical.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the digests as JSON")

    def handle(self, *args, **opts):
        digests = table_digests()
        if opts["json"]:
            self.stdout.write(json.dumps(digests, indent=1, sort_keys=True))
            return
        for table, d in digests.items():
            self.stdout.write(f"{table}\t{d['rows']}\t{d['sha256']}")
        total = hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()
        self.stdout.write(f"{len(digests)} tables, {sum(d['rows'] for d in digests.values())} rows, "
                          f"database digest {total}")

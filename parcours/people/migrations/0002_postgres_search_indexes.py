"""PostgreSQL-only indexes: trigram search on names, and prefix (LIKE 'x%') scans on place paths,
which a plain btree cannot serve under a non-C collation. SQLite has neither and needs neither
at its scale."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_search_trgm ON people_person USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS person_origin_prefix ON people_person (origin_path varchar_pattern_ops, created_at DESC)",
    "CREATE INDEX IF NOT EXISTS person_regd_prefix ON people_person (registered_path varchar_pattern_ops, created_at DESC)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_search_trgm",
    "DROP INDEX IF EXISTS person_origin_prefix",
    "DROP INDEX IF EXISTS person_regd_prefix",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

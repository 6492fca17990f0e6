"""Named locks held until the end of the current transaction, for work that has no row to lock yet
(an import of a manifest whose people do not exist yet)."""

from django.db import connection


def hold_until_commit(name: str) -> None:
    """Wait until no other transaction holds `name`, then hold it until this one ends. PostgreSQL:
    a transaction-level advisory lock. SQLite needs none: its write transactions begin IMMEDIATE
    (settings), one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])

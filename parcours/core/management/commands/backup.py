import shutil
import sqlite3
import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Back up the database to a file: pg_dump custom format on PostgreSQL, SQLite's online backup otherwise."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)

    def handle(self, *args, **opts):
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            sqlite_copy(db["NAME"], opts["out"])
        else:
            if not shutil.which("pg_dump"):
                raise CommandError("pg_dump is not installed (Debian: postgresql-client)")
            subprocess.run(["pg_dump", "-Fc", "-f", opts["out"], _url(db)], check=True)
        self.stdout.write(f"backup written to {opts['out']}")


def sqlite_copy(source_path, target_path) -> None:
    """SQLite's online backup: a consistent copy while the app keeps running."""
    source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
    with target:
        source.backup(target)
    source.close()
    target.close()


def _url(db) -> str:
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"

import shutil
import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .backup import _url, sqlite_copy


class Command(BaseCommand):
    help = "Restore a backup made by `parcours backup` (replaces the current data; stop the app first)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="confirm replacing the current data")

    def handle(self, *args, **opts):
        if not opts["yes"]:
            raise CommandError("restoring replaces all current data: add --yes to confirm")
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            sqlite_copy(opts["file"], db["NAME"])
        else:
            if not shutil.which("pg_restore"):
                raise CommandError("pg_restore is not installed (Debian: postgresql-client)")
            subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", _url(db), opts["file"]],
                           check=True)
        self.stdout.write(f"restored from {opts['file']}")

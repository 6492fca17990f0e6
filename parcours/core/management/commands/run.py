import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Serve Parcours: a gunicorn app server and a Huey task worker, stopped together. "
            "`parcours run --port 8000 --workers 2`; production runs the two as separate services (docs/production.md).")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **opts):
        bin_dir = os.path.dirname(sys.executable)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "parcours.settings.dev")}
        worker = subprocess.Popen([os.path.join(bin_dir, "parcours"), "run_huey", "--quiet"], env=env)
        web = subprocess.Popen([
            os.path.join(bin_dir, "gunicorn"), "parcours.wsgi", "--bind", f"{opts['host']}:{opts['port']}",
            "--workers", str(opts["workers"]), "--threads", "4", "--access-logfile", "-",
            "--env", f"DJANGO_SETTINGS_MODULE={env['DJANGO_SETTINGS_MODULE']}",
        ], env=env)
        self.stdout.write(f"Parcours on http://{opts['host']}:{opts['port']}/ (database: "
                          f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")

        def stop(*_):
            for proc in (web, worker):
                proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            web.wait()
        finally:
            stop()
            worker.wait(10)

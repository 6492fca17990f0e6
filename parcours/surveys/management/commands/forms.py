import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from parcours.core.commands import acting_user, refusal


class Command(BaseCommand):
    help = ("Questionnaires. parcours forms import FILE.xlsx [--as USER] [--roles caseworker,enumerator] [--place CODE] "
            "[--media FILE ...]; "
            "parcours forms export FORM_ID --as USER [--format csv|xlsx] [--table REPEAT] [--out F] "
            "(KoboToolbox's columns, streamed)")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("target", help="import: the XLSForm file; export: the form id")
        parser.add_argument("--as", dest="username", default="admin")
        parser.add_argument("--roles", default="")
        parser.add_argument("--place", default="", help="import: only people working inside this place fill it (code)")
        parser.add_argument("--media", nargs="+", action="extend", default=[],
                            help="import: the files the form uses (jr://images/…, pulldata CSVs)")
        parser.add_argument("--format", default="csv", choices=["csv", "xlsx"])
        parser.add_argument("--table", default="data", help="export, CSV: a repeat group instead of the main table")
        parser.add_argument("--out", default="-")

    def handle(self, *args, **opts):
        from parcours.core.errors import ServiceError

        try:
            if opts["action"] == "import":
                self._import(opts)
            else:
                self._export(opts)
        except ServiceError as exc:
            raise refusal(exc) from None

    def _import(self, opts):
        from django.core.management.base import CommandError

        from parcours.accounts.models import Place
        from parcours.surveys.services import form_publish

        path = Path(opts["target"])
        roles = [r for r in opts["roles"].split(",") if r] or None
        place = None
        if opts["place"]:
            place = Place.objects.filter(code=opts["place"]).first()
            if place is None:
                raise CommandError(f"no place with the code {opts['place']!r}")
        version = form_publish(by=acting_user(opts["username"]), content=path.read_bytes(), filename=path.name,
                               roles=roles, place=place,
                               media=[(Path(m).name, Path(m).read_bytes()) for m in opts["media"]])
        self.stdout.write(f"{version.form.form_id} version {version.version} published ({version.form.title})"
                          + (f", {len(opts['media'])} media files" if opts["media"] else ""))

    def _export(self, opts):
        from parcours.surveys.exports import answers_export

        export = answers_export(by=acting_user(opts["username"]), form_id=opts["target"], fmt=opts["format"],
                                table=opts["table"])
        out = sys.stdout.buffer if opts["out"] == "-" else open(opts["out"], "wb")  # noqa: SIM115
        try:
            if opts["format"] == "csv":
                for chunk in export.csv_lines(opts["table"]):
                    out.write(chunk)
            else:
                with export.xlsx_file() as fh:
                    shutil.copyfileobj(fh, out)
        finally:
            if out is not sys.stdout.buffer:
                out.close()
        if opts["out"] != "-":
            self.stderr.write(f"{export.rows} answers written to {opts['out']}")

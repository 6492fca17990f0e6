from django.core.management.base import BaseCommand, CommandError

from parcours.core.commands import acting_user, refusal
from parcours.core.errors import ServiceError
from parcours.core.imports import IMPORTERS, OPTIONS


class Command(BaseCommand):
    help = ("Import a file as a user: parcours import people FILE --flight LY-2019-10-03 --as reception.bamako "
            "(a people file, e.g. a charter flight manifest); parcours import flows FILE --point GAO-FMP "
            "--as enumerator.gao (a point's day sheets, XLSX or CSV). All rows are checked first; nothing is "
            "written if one is wrong; re-running creates nothing new. The user named by --as must be allowed "
            "to import them.")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        for name, text in OPTIONS.items():
            parser.add_argument(f"--{name}", default="", help=text)
        parser.add_argument("--as", dest="username", required=True, help="the user the rows are recorded by")

    def handle(self, *args, **opts):
        importer = IMPORTERS[opts["what"]]
        for name in importer.required:
            if not opts[name]:
                raise CommandError(f"import {importer.name} needs --{name}")
        user = acting_user(opts["username"])
        with open(opts["file"], "rb") as fh:
            content = fh.read()
        options = {name: opts[name] for name in OPTIONS if opts[name]}
        try:
            report = importer.run(by=user, content=content, filename=opts["file"], **options)
        except ServiceError as exc:
            raise refusal(exc) from None
        for err in report["errors"]:
            self.stderr.write(f"row {err['row']} {err['field']}: {' '.join(err['messages'])}")
        self.stdout.write(f"{report['message']} created={report['created']} "
                          f"already_present={report['already_present']} rows={report['rows']}")
        if report["errors"]:
            raise CommandError("nothing imported")

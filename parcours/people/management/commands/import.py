from django.core.management.base import BaseCommand, CommandError

from parcours.core.commands import acting_user, refusal
from parcours.core.errors import ServiceError


class Command(BaseCommand):
    help = ("Import a people file (CSV or XLSX, the contract's columns), e.g. a charter flight manifest: "
            "parcours import people FILE --flight LY-2019-10-03 --as reception.bamako. "
            "All rows are checked first; nothing is written if one is wrong; re-running creates nothing new. "
            "The user named by --as must be allowed to import (reception or administrator).")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["people"])
        parser.add_argument("file")
        parser.add_argument("--flight", required=True, help="manifest reference (keys the rows for re-runs)")
        parser.add_argument("--as", dest="username", required=True, help="the user the rows are registered by")

    def handle(self, *args, **opts):
        from parcours.people.imports import import_people

        user = acting_user(opts["username"])
        with open(opts["file"], "rb") as fh:
            content = fh.read()
        try:
            report = import_people(by=user, content=content, filename=opts["file"], source=opts["flight"])
        except ServiceError as exc:
            raise refusal(exc) from None
        for err in report["errors"]:
            self.stderr.write(f"row {err['row']} {err['field']}: {' '.join(err['messages'])}")
        self.stdout.write(f"{report['message']} created={report['created']} "
                          f"already_present={report['already_present']} rows={report['rows']}")
        if report["errors"]:
            raise CommandError("nothing imported")

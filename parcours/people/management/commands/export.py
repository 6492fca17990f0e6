import sys

from django.core.management.base import BaseCommand

from parcours.core.commands import acting_user, refusal


class Command(BaseCommand):
    help = "Export the people a user may see as a people file: parcours export people --as me.iom --format csv --out F"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["people"])
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--region", default="")
        parser.add_argument("--q", default="")
        parser.add_argument("--out", default="-")

    def handle(self, *args, **opts):
        from parcours.core.errors import ServiceError
        from parcours.people.exports import people_export
        from parcours.people.selectors import PeopleFilter

        user = acting_user(opts["username"])
        try:
            data, count = people_export(by=user, flt=PeopleFilter(q=opts["q"], region=opts["region"]),
                                        fmt=opts["format"])
        except ServiceError as exc:
            raise refusal(exc) from None
        if opts["out"] == "-":
            sys.stdout.buffer.write(data)
        else:
            with open(opts["out"], "wb") as fh:
                fh.write(data)
            self.stderr.write(f"{count} people written to {opts['out']}")

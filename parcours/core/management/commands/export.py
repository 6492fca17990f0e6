import sys

from django.core.management.base import BaseCommand, CommandError

from parcours.core.commands import acting_user, refusal
from parcours.core.exports import EXPORTERS


class Command(BaseCommand):
    help = ("Export what a user may see: parcours export people --as me.iom --format csv --out F; "
            "parcours export indicators --as me.iom --format hxl --out F.csv; "
            "parcours export stays --as centre.gao --format xlsx --centre GAO-PC --out F.xlsx")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(EXPORTERS))
        parser.add_argument("--as", dest="username", default="",
                            help="the user whose rights apply (required for exports naming people)")
        parser.add_argument("--format", default="csv")
        parser.add_argument("--region", default="")
        parser.add_argument("--q", default="")
        parser.add_argument("--centre", default="", help="a centre's code (export stays)")
        parser.add_argument("--from", dest="start", default="")
        parser.add_argument("--to", dest="end", default="")
        parser.add_argument("--out", default="-")

    def handle(self, *args, **opts):
        from parcours.core.errors import ServiceError

        exporter = EXPORTERS[opts["what"]]
        if opts["format"] not in exporter.formats:
            raise CommandError(f"--format must be one of {', '.join(exporter.formats)}")
        if exporter.needs_user and not opts["username"]:
            raise CommandError(f"export {exporter.name} names people: say who you act as with --as USER")
        # Aggregates without --as: the operator of the server reads the whole programme.
        user = acting_user(opts["username"]) if opts["username"] else None
        options = {k: opts[k] for k in ("region", "q", "start", "end", "centre")}
        try:
            data, count = exporter.run(by=user, fmt=opts["format"], **options)
        except ServiceError as exc:
            raise refusal(exc) from None
        if opts["out"] == "-":
            sys.stdout.buffer.write(data)
        else:
            with open(opts["out"], "wb") as fh:
                fh.write(data)
            self.stderr.write(f"{count} rows written to {opts['out']}")

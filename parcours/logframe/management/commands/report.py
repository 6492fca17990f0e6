from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Programme reports: parcours report iati --out F.xml (the IATI 2.03 activity with its results, "
            "budget and transactions)")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["iati"])
        parser.add_argument("--out", required=True)

    def handle(self, *args, **opts):
        from parcours.logframe.iati import activity_xml
        from parcours.logframe.models import Action

        action = Action.objects.first()
        if action is None:
            raise CommandError("no action: load the logframe first (parcours seed)")
        data = activity_xml(action)
        with open(opts["out"], "wb") as fh:
            fh.write(data)
        self.stderr.write(f"IATI activity {action.iati_identifier} written to {opts['out']}")

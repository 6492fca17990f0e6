from django.core.management.base import BaseCommand

from parcours.core.commands import acting_user, refusal
from parcours.core.errors import ServiceError


class Command(BaseCommand):
    help = ("Scan the registry (the people USERNAME may see) for possible duplicates and queue them for review. "
            "The user named by --as must be a duplicate reviewer.")

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True)

    def handle(self, *args, **opts):
        from parcours.dedup.scan import registry_scan

        user = acting_user(opts["username"])
        try:
            self.stdout.write(str(registry_scan(by=user)))
        except ServiceError as exc:
            raise refusal(exc) from None

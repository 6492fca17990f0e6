from django.core.management.base import BaseCommand, CommandError

from parcours.accounts.models import User


class Command(BaseCommand):
    help = "Scan the registry (the people USERNAME may see) for possible duplicates and queue them for review."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True)

    def handle(self, *args, **opts):
        from parcours.dedup.scan import registry_scan

        user = User.objects.filter(username=opts["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {opts['username']!r}")
        self.stdout.write(str(registry_scan(by=user)))

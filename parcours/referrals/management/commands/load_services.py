from django.core.management.base import BaseCommand

from parcours.referrals.demo import load_demo_services


class Command(BaseCommand):
    help = "Load the demo directory of services (idempotent: a second run adds nothing)."

    def handle(self, *args, **opts):
        added = load_demo_services()
        self.stdout.write(f"services added: {added}")

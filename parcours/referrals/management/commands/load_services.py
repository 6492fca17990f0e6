from django.core.management.base import BaseCommand

from parcours.referrals.demo import load_demo_referrals, load_demo_services


class Command(BaseCommand):
    help = ("Load the demo directory of services and, with --referrals, a few demo referrals of demo people "
            "(idempotent: a second run adds nothing).")

    def add_arguments(self, parser):
        parser.add_argument("--referrals", action="store_true", help="also refer a few demo people (after seed)")

    def handle(self, *args, **opts):
        added = load_demo_services()
        self.stdout.write(f"services added: {added}")
        if opts["referrals"]:
            self.stdout.write(f"referrals added: {load_demo_referrals()}")

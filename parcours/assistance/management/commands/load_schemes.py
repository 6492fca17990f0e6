from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Load the assistance schemes of the demo programme (arrival allowance, training allowance, "
            "business kit, cash grant) from parcours/assistance/data/schemes.json, or --file. Idempotent: "
            "schemes already present are left as they are.")

    def add_arguments(self, parser):
        parser.add_argument("--file", help="a schemes file in the same JSON format")

    def handle(self, *args, **opts):
        from pathlib import Path

        from parcours.assistance.services import load_demo_schemes

        result = load_demo_schemes(Path(opts["file"]) if opts.get("file") else None)
        self.stdout.write(self.style.SUCCESS(f"schemes: {result}"))

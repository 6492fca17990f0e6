from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Open demo cases for demo people at every stage of the path (idempotent: a second run adds "
            "nothing). Needs the demo people: run `parcours seed` first.")

    def handle(self, *args, **options):
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        if not getattr(settings, "PARCOURS_DEMO_ALLOWED", False):
            raise ImproperlyConfigured("demo data is never loaded under production settings")
        from parcours.cases.demo import load_demo_cases

        self.stdout.write(f"{load_demo_cases()} demo cases opened")

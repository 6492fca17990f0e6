from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Load the demo world (places, agencies, demo users, a few hundred returnees); idempotent. "
            "With --people N, bulk-load N synthetic people (with deliberate duplicates) for benchmarks.")

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=0, help="bulk-load N synthetic people")
        parser.add_argument("--demo-people", type=int, default=300, help="returnees in the demo world")
        parser.add_argument("--seed", type=int, default=1, help="random seed of the synthetic registry")
        parser.add_argument("--duplicate-rate", type=float, default=0.1)

    def handle(self, *args, **opts):
        from parcours.demo.loader import load_demo

        result = load_demo(people=opts["demo_people"])
        self.stdout.write(self.style.SUCCESS(f"demo: {result}"))
        if opts["people"]:
            from parcours.demo.bulk import bulk_seed

            report = bulk_seed(opts["people"], seed=opts["seed"], duplicate_rate=opts["duplicate_rate"],
                               stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"synthetic: {report}"))

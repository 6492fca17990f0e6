from django.core.management.base import BaseCommand, CommandError

from parcours.core.errors import ServiceError


class Command(BaseCommand):
    help = ("Find people who are the same person in people files, without touching the database: "
            "parcours dedupe --csv PEOPLE.csv [--link OTHER.csv] --out PAIRS.csv [--threshold 0.5]. "
            "Writes record_id_a,record_id_b,score for every pair judged the same person.")

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="people file (CSV or XLSX, contract columns)")
        parser.add_argument("--link", help="a second people file: only pairs across the two files")
        parser.add_argument("--out", required=True)
        parser.add_argument("--threshold", type=float, default=None, help="match probability cut (default 0.5)")

    def handle(self, *args, **opts):
        from parcours.matching.batch import DEFAULT_THRESHOLD, find_duplicates
        from parcours.matching.files import read_records, write_pairs

        threshold = DEFAULT_THRESHOLD if opts["threshold"] is None else opts["threshold"]
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold must be between 0 and 1")
        try:
            records = read_records(opts["csv"])
            other = read_records(opts["link"]) if opts.get("link") else None
        except ServiceError as exc:
            raise CommandError(f"{exc.message} {exc.fields}") from None
        except OSError as exc:
            raise CommandError(str(exc)) from None
        result = find_duplicates(records, other, threshold=threshold)
        count = write_pairs(opts["out"], sorted(result.pairs, key=lambda p: -p[2]))
        self.stderr.write(f"{count} pairs written to {opts['out']} ({result.stats['records']} records, "
                          f"{result.stats['candidate_pairs']} compared, {result.stats['seconds']['total']} s)")

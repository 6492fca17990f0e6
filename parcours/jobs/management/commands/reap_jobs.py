from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Take back the background jobs whose worker died: started again when safe (imports, scans), "
            "marked failed otherwise. Every worker does it when it starts and once a minute.")

    def handle(self, *args, **opts):
        from parcours.jobs.tasks import reap

        done = reap()
        self.stdout.write(f"requeued {len(done['requeued'])}, failed {len(done['failed'])}")
        for kind in ("requeued", "failed"):
            for job_id in done[kind]:
                self.stdout.write(f"  {kind} {job_id}")

"""parcours cohort draw|show|replace — follow-up cohorts from the command line, through the same
services as the page and the API."""

from django.core.management.base import BaseCommand

from parcours.core.commands import acting_user, refusal


class Command(BaseCommand):
    help = ("Follow-up cohorts. parcours cohort draw --name N --from YYYY-MM-DD --to YYYY-MM-DD --first-wave "
            "YYYY-MM-DD [--share 0.2] [--strata region,sector] [--waves 3] [--seed S] [--form sustainability] --as USER; "
            "parcours cohort show ID [--members] --as USER; "
            "parcours cohort replace ID PERSON_ID --reason unreachable|refused|moved|deceased --as USER")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["draw", "show", "replace"])
        parser.add_argument("ids", nargs="*", help="show: the cohort; replace: the cohort and the person")
        parser.add_argument("--as", dest="username", default="me.iom")
        parser.add_argument("--name", default="")
        parser.add_argument("--form", default="sustainability")
        parser.add_argument("--share", default="0.2")
        parser.add_argument("--strata", default="region,sector")
        parser.add_argument("--from", dest="assisted_from", default="")
        parser.add_argument("--to", dest="assisted_to", default="")
        parser.add_argument("--first-wave", dest="first_wave_on", default="")
        parser.add_argument("--waves", default="3")
        parser.add_argument("--seed", default="")
        parser.add_argument("--reason", default="unreachable")
        parser.add_argument("--members", action="store_true", help="show: list the members too")

    def handle(self, *args, **opts):
        from parcours.core.errors import ServiceError

        user = acting_user(opts["username"])
        try:
            if opts["action"] == "draw":
                self._draw(user, opts)
            elif opts["action"] == "show":
                self._show(user, opts)
            else:
                self._replace(user, opts)
        except ServiceError as exc:
            raise refusal(exc) from None

    def _ids(self, opts, n):
        from django.core.management.base import CommandError

        if len(opts["ids"]) != n:
            raise CommandError("give the cohort id" + (" and the person id" if n == 2 else ""))
        return opts["ids"]

    def _draw(self, user, opts):
        from parcours.surveys.services import cohort_draw

        data = {k: opts[k] for k in ("name", "form", "share", "assisted_from", "assisted_to", "first_wave_on",
                                     "waves", "seed")}
        data["strata"] = [s for s in opts["strata"].split(",") if s]
        cohort = cohort_draw(by=user, data=data)
        self.stdout.write(f"{cohort.id} drawn with seed {cohort.seed}")
        self._summary(cohort)

    def _show(self, user, opts):
        from parcours.surveys.policies import cohort_for_read
        from parcours.surveys.selectors import cohort_members

        (cohort_id,) = self._ids(opts, 1)
        cohort = cohort_for_read(user, cohort_id)
        self.stdout.write(f"{cohort.name} ({cohort.form.form_id}), seed {cohort.seed}, share {cohort.share}")
        self._summary(cohort)
        if opts["members"]:
            for m in cohort_members(cohort):
                self.stdout.write(f"{m.person_id}\t{m.stratum}\t{m.rank}\t{m.status}\t{m.reason}")

    def _summary(self, cohort):
        from parcours.surveys.selectors import cohort_strata, cohort_waves

        for s in cohort_strata(cohort):
            self.stdout.write(f"  {s.label}: {s.members} of {s.population} (reserve {s.reserve}, replaced {s.dropped})")
        for w in cohort_waves(cohort):
            self.stdout.write(f"  wave {w.number} from {w.starts_on}: {w.surveyed}/{w.members} surveyed")

    def _replace(self, user, opts):
        from parcours.surveys.services import cohort_member_drop

        cohort_id, person_id = self._ids(opts, 2)
        dropped, replacement = cohort_member_drop(by=user, cohort_id=cohort_id, person_id=person_id,
                                                  data={"reason": opts["reason"]})
        if replacement is None:
            self.stdout.write(f"{dropped.person_id} left the cohort; the stratum has no reserve left")
        else:
            self.stdout.write(f"{dropped.person_id} replaced by {replacement.person_id} ({replacement.stratum})")

from pathlib import Path

from django.core.management.base import BaseCommand

from parcours.core.commands import acting_user, refusal


class Command(BaseCommand):
    help = "Publish an XLSForm: parcours forms import FILE.xlsx [--as USER] [--roles caseworker,enumerator]"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", default="admin")
        parser.add_argument("--roles", default="")

    def handle(self, *args, **opts):
        from parcours.core.errors import ServiceError
        from parcours.surveys.services import form_publish

        path = Path(opts["file"])
        roles = [r for r in opts["roles"].split(",") if r] or None
        try:
            version = form_publish(by=acting_user(opts["username"]), content=path.read_bytes(), filename=path.name,
                                   roles=roles)
        except ServiceError as exc:
            raise refusal(exc) from None
        self.stdout.write(f"{version.form.form_id} version {version.version} published ({version.form.title})")

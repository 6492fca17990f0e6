"""What every management command that acts for someone shares: who `--as` names, and a
service's refusal turned into a command error (exit status 1, the reason on stderr).

Commands never check roles themselves: the services they call do, as for the web and the API."""

from django.core.management.base import CommandError

from .errors import ServiceError


def acting_user(username: str):
    """The active user a command acts for; CommandError when there is none."""
    from parcours.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).select_related("agency", "place").first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    return user


def refusal(exc: ServiceError) -> CommandError:
    """A service's refusal as a command error naming the fields and reasons."""
    details = "; ".join(f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in exc.fields.items())
    return CommandError(f"{exc.message} {details}".strip())

"""Small helpers shared by the web views of every domain."""

from django.contrib import messages

from .errors import Forbidden, NotFound, ServiceError


def flash_service_error(request, exc: ServiceError) -> None:
    """Show a service's refusal as a message naming each field and reason."""
    details = "; ".join(f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in exc.fields.items())
    messages.error(request, f"{exc.message} {details}".strip())


def act(request, action, done_message=None):
    """Run `action()` (a service call) for a posted form and return what it returns; say
    `done_message` when it worked. A refusal the user can act on (bad input, a conflict) becomes a
    message on the next page and `act` returns None; NotFound and Forbidden go up to the one web
    handler (parcours.core.refusals: the 404 and 403 pages)."""
    try:
        result = action()
    except (NotFound, Forbidden):
        raise
    except ServiceError as exc:
        flash_service_error(request, exc)
        return None
    if done_message:
        messages.success(request, done_message)
    return result


def require(allowed: bool) -> None:
    """A page's own gate: `require(can_<verb>(request.user))` — the policy decides. A page the
    user's role has no use for answers 404 like a missing page (no hint of what exists); a
    service refusing an action on something the user sees answers 403."""
    if not allowed:
        raise NotFound()

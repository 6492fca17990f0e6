"""Small helpers shared by the web views of every domain."""

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .errors import Forbidden, NotFound, ServiceError
from .labels import field_label

# The files the pages and the API hand out, by extension.
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def download(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A file for the browser to save (`inline`: to show), its type read from its extension."""
    response = HttpResponse(data, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def error_lines(exc: ServiceError) -> list[str]:
    """Each reason of a refusal once, led by the field's label ("Cost (XOF): Enter a whole
    number."), never by its internal name; the refusal's own message when it names no field."""
    lines: list[str] = []
    for field, msgs in exc.fields.items():
        label = field_label(field, exc.labels)
        for msg in msgs:
            line = _("%(label)s: %(message)s") % {"label": label, "message": msg} if label else str(msg)
            if line not in lines:
                lines.append(line)
    return lines or [str(exc.message)]


def flash_service_error(request, exc: ServiceError) -> None:
    """Show a service's refusal on the next page: every reason once, each field by its label."""
    messages.error(request, " ".join(error_lines(exc)))


def bind_errors(form, exc: ServiceError):
    """Put a service's refusal on the form shown again: each reason next to its field, those of
    fields the form does not show (and a refusal naming no field) above it; each only once."""
    if not form.is_bound:  # nothing was sent to show again
        return form
    form.is_valid()
    for field, msgs in (exc.fields or {"non_field": [exc.message]}).items():
        target = field if field in form.fields else None
        if target and target in form.errors:
            continue  # the form found it itself: said once, in its own words
        label = None if target else field_label(field, exc.labels)
        for msg in msgs:
            text = _("%(label)s: %(message)s") % {"label": label, "message": msg} if label else str(msg)
            if text not in [str(m) for m in form.errors.get(target or "__all__", [])]:
                form.add_error(target, text)
    return form


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

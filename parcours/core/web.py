"""Small helpers shared by the web views of every domain."""

from django.contrib import messages

from .errors import ServiceError


def flash_service_error(request, exc: ServiceError) -> None:
    """Show a service's refusal as a message naming each field and reason."""
    details = "; ".join(f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in exc.fields.items())
    messages.error(request, f"{exc.message} {details}".strip())

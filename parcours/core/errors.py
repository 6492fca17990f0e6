"""Errors services raise. The API turns them into the contract's envelope; the web into messages."""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A business rule said no. `code` is stable for clients; `message` is for people."""

    status = 400
    code = "invalid"

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or _("The request is not valid.")
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))


class ValidationFailed(ServiceError):
    """One or more fields are wrong; `fields` maps field name to messages. Nothing was written."""

    status = 400
    code = "validation_failed"

    def __init__(self, fields: dict, message=None):
        super().__init__(message or _("Some fields are not valid."), fields=fields)


class NotFound(ServiceError):
    """Does not exist, or the caller may not see it: the two look the same on purpose."""

    status = 404
    code = "not_found"

    def __init__(self, message=None):
        super().__init__(message or _("Not found."))


class Forbidden(ServiceError):
    """The caller sees the record but their role may not do this to it."""

    status = 403
    code = "forbidden"

    def __init__(self, message=None):
        super().__init__(message or _("Your role does not allow this action."))


class Conflict(ServiceError):
    status = 409
    code = "conflict"


def form_errors(form) -> dict:
    """Django form errors as {field: [messages]} ("__all__" becomes "non_field")."""
    return {
        ("non_field" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }

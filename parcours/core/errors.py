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
        # What people call each field (a form's labels), for messages; the API keeps the names.
        self.labels = dict(getattr(self.fields, "labels", {}))
        super().__init__(str(self.message))


class ValidationFailed(ServiceError):
    """One or more fields are wrong; `fields` maps field name to messages. Nothing was written."""

    status = 400
    code = "validation_failed"

    def __init__(self, fields: dict, message=None, *, labels: dict | None = None):
        super().__init__(message or _("Some fields are not valid."), fields=fields)
        self.labels.update(labels or {})


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


class FieldErrors(dict):
    """{field: [messages]} that also knows each field's label (what a person reads)."""

    def __init__(self, errors: dict, labels: dict | None = None):
        super().__init__(errors)
        self.labels = labels or {}


def form_errors(form) -> FieldErrors:
    """Django form errors as {field: [messages]} ("__all__" becomes "non_field"), with the form's
    labels for the messages people read."""
    return FieldErrors({
        ("non_field" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }, {name: field.label for name, field in form.fields.items() if field.label})

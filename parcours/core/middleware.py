"""Everything under /api/v1/ answers in the contract's JSON envelope, including what Django or
django-ninja answer before any endpoint runs: an unknown path (404) or a wrong method (405)."""

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings
from django.db import DataError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VALUE_REFUSED = gettext_lazy("A value is out of range or cannot be stored.")

API_PREFIX = "/api/v1/"


class ApiEnvelopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code not in (404, 405):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response  # already the envelope (an endpoint's own 404)
        if response.status_code == 404:
            body = {"code": "not_found", "message": _("There is nothing at this address."), "fields": {}}
            return JsonResponse({"error": body}, status=404)
        envelope = JsonResponse({"error": {
            "code": "method_not_allowed",
            "message": _("This address does not accept %(method)s; it accepts %(allowed)s.")
            % {"method": request.method, "allowed": response.get("Allow", "")},
            "fields": {},
        }}, status=405)
        envelope["Allow"] = response.get("Allow", "")
        return envelope



def _bad_text(text: str) -> bool:
    """Text no database column may hold: a NUL character, or half of a UTF-16 surrogate pair."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def _bad_json_field(value, path: str = "") -> str | None:
    """The name of the first field of a parsed JSON body holding bad text, or None."""
    if isinstance(value, str):
        return path or "non_field" if _bad_text(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = path or str(key)
            if _bad_text(str(key)):
                return name
            found = _bad_json_field(item, name)
            if found:
                return found
    if isinstance(value, list):
        for item in value:
            found = _bad_json_field(item, path)
            if found:
                return found
    return None


class BadInputMiddleware:
    """One gate for input no endpoint can store or search: a NUL byte or a lone UTF-16 surrogate in
    the path, a query parameter (name or value), a header, a form field or a JSON string. The API
    answers 400 in the envelope naming the field; pages answer the 400 page. Multipart bodies are
    left to the forms (Django's fields refuse NUL) so uploads stream as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = self._bad_field(request)
        if field is not None:
            message = _("This value contains a character that is not allowed (NUL or a lone surrogate).")
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"error": {"code": "validation_failed", "message": _("Some fields are not valid."),
                                               "fields": {field: [message]}}}, status=400)
            from django.core.exceptions import BadRequest

            raise BadRequest(message)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # What slips past the gate and the validators and that the database refuses as data (a
        # number beyond its column, text it cannot hold) is the client's error, not the server's.
        if isinstance(exception, DataError | OverflowError):
            from django.core.exceptions import BadRequest

            raise BadRequest(str(VALUE_REFUSED)) from exception
        return None

    @staticmethod
    def _bad_field(request) -> str | None:
        if _bad_text(request.path):
            return "path"
        for key, values in request.GET.lists():
            if _bad_text(key) or any(_bad_text(v) for v in values):
                return key if not _bad_text(key) else "query"
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and _bad_text(value):
                return key[5:].lower().replace("_", "-")
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith("application/json"):
                import json

                try:
                    body = json.loads(request.body or b"null")
                except (ValueError, UnicodeDecodeError):
                    return None  # the endpoint's parser answers "not valid JSON"
                return _bad_json_field(body)
            if content_type.startswith("application/x-www-form-urlencoded"):
                for key, values in request.POST.lists():
                    if _bad_text(key) or any(_bad_text(v) for v in values):
                        return key if not _bad_text(key) else "non_field"
        return None


class NoStoreMiddleware:
    """Pages and API answers that may name people are never kept by a browser or a proxy cache:
    every answer to a signed-in user, and every API answer, says `Cache-Control: no-store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(API_PREFIX) or (user is not None and user.is_authenticated):
            from django.utils.cache import add_never_cache_headers

            add_never_cache_headers(response)
        return response


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware with the client's address from parcours.core.client: the original
    took the first X-Forwarded-For entry as is, so anyone could write any address (or text that is
    no address at all) into the audit trail."""

    @staticmethod
    def _get_remote_addr(request):
        from .client import client_ip

        return None if settings.AUDITLOG_DISABLE_REMOTE_ADDR else client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        """X-Forwarded-Port only from a proxy we trust."""
        return _AuditlogMiddleware._get_remote_port(request) if settings.PARCOURS_TRUSTED_PROXIES else None

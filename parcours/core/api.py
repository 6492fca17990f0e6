"""The REST API: one NinjaAPI under /api/v1/, Bearer tokens, the contract's error envelope and
pagination. Each domain adds its router in parcours/urls.py."""

import copy
import datetime
import json
from typing import Any

from auditlog.context import auditlog_value
from django.contrib.auth import authenticate
from django.db import DataError
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from parcours.accounts.services import token_for, token_issue, token_sign_out

from .counting import MAX_PAGE, fast_count, parse_page_number
from .errors import ServiceError, ValidationFailed
from .reads import rows_shown


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = token_for(token)
        user = found.user if found is not None else None
        if user is not None:
            request.user = user
            request.api_token = found
            # AuditlogMiddleware ran before the token was read: name the actor now.
            context = auditlog_value.get(None)
            if context is not None:
                context["actor"] = user
        return user


class UnsupportedBody(Exception):
    """A JSON endpoint received a body that does not say it is JSON (text/plain, a form…)."""


class BodyNotJson(Exception):
    """A body labelled JSON that does not parse."""


class JsonOnlyParser(Parser):
    """Bodies of JSON endpoints are read only when labelled `application/json` (or `…+json`): a
    `text/plain` body is not guessed at, it answers 415 (ninja wraps what is raised here in a
    400 HttpError; `_http_error` reads the cause)."""

    def parse_body(self, request: HttpRequest):
        content_type = (request.content_type or "").lower()
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise UnsupportedBody(content_type)
        try:
            return json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BodyNotJson() from exc


class ParcoursAPI(NinjaAPI):
    """The description is built once per prefix and language (it takes a second), then copied."""

    _schemas: dict = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language())
        if key not in self._schemas:
            self._schemas[key] = _document_refusals(super().get_openapi_schema(path_prefix=path_prefix))
        return copy.deepcopy(self._schemas[key])


def _document_refusals(schema):
    """Say what every operation may answer besides its own statuses, in the error envelope, so a
    client generated from the description expects it: 400 for bad input (a malformed parameter, a
    NUL byte anywhere in the request), 415 for a body not sent as JSON to an operation that
    reads JSON, and 401 behind the Bearer token (none, or no longer valid)."""
    def envelope_response(description):
        return {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}

    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            # Ninja keys the operation's own statuses by int: compare as text, or the JSON holds
            # "400" twice — which Swagger UI's YAML parser refuses (the docs page stayed blank).
            responses = {str(status): answer for status, answer in operation.get("responses", {}).items()}
            operation["responses"] = responses
            responses.setdefault("400", envelope_response("Bad Request"))
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                responses.setdefault("415", envelope_response("Unsupported Media Type (the body is not JSON)"))
            if operation.get("security"):
                responses.setdefault("401", envelope_response("Unauthorized"))
    return schema


api = ParcoursAPI(
    title="Parcours API",
    version="1",
    description="Registry of people, cases and assistance for migration programmes. "
    "Errors: {\"error\": {\"code\", \"message\", \"fields\"}}; messages follow Accept-Language (fr, en).",
    auth=BearerToken(),
    parser=JsonOnlyParser(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def envelope(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"error": {"code": code, "message": str(message), "fields": fields or {}}}, status=status
    )


@api.exception_handler(ServiceError)
def _service_error(request, exc: ServiceError):
    fields = {k: [str(m) for m in v] for k, v in exc.fields.items()}
    return envelope(request, exc.status, exc.code, exc.message, fields)


@api.exception_handler(NinjaValidationError)
def _schema_error(request, exc: NinjaValidationError):
    # Pydantic speaks English only; name the field and give our own translated reason.
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload", "header")]
        name = loc[0] if loc else "non_field"
        if err.get("type") == "json_invalid":
            name = "non_field"
            fields.setdefault(name, []).append(_("The body is not valid JSON."))
        elif err.get("type") == "missing":
            fields.setdefault(name, []).append(_("This field is required."))
        else:
            fields.setdefault(name, []).append(_("This value has the wrong type or format."))
    return envelope(request, 400, "validation_failed", _("Some fields are not valid."), fields)


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def _data_error(request, exc):
    # The database refused a value (a number beyond its column, text it cannot hold): bad input.
    from .middleware import VALUE_REFUSED

    return envelope(request, 400, "validation_failed", VALUE_REFUSED)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return envelope(request, 401, "unauthenticated", _("A valid token is required (Authorization: Bearer …)."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return envelope(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, UnsupportedBody):
        return envelope(request, 415, "unsupported_media_type",
                        _("Send the body as JSON, with the header Content-Type: application/json."),
                        {"non_field": [_("The body is %(type)s, not JSON.")
                                       % {"type": str(exc.__cause__) or _("of no stated type")}]})
    if isinstance(exc.__cause__, BodyNotJson):
        return envelope(request, 400, "validation_failed", _("Some fields are not valid."),
                        {"non_field": [_("The body is not valid JSON.")]})
    return envelope(request, exc.status_code, "error", str(exc))


class TokenIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=4096)


class TokenOut(Schema):
    token: str
    expires_at: datetime.datetime


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorBody


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
          tags=["auth"])
def auth_token(request, payload: TokenIn):
    """Exchange a username and password for a token, valid until `expires_at` (the setting
    API_TOKEN_LIFETIME_HOURS, 12 hours by default) unless revoked first. Each failure makes the
    next attempt wait longer (429 with Retry-After); five failures for a username lock this client out
    of that account for 15 minutes (403), never the account's owner elsewhere. A lockout, a
    deactivation or a new password revoke the account's tokens."""
    from axes.handlers.proxy import AxesProxyHandler

    from parcours.accounts.lockout import too_early_message
    from parcours.accounts.throttle import wait_seconds

    credentials = {"username": payload.username}
    wait = wait_seconds(request, payload.username)
    if wait:
        response = envelope(request, 429, "too_many_attempts", too_early_message(wait))
        response["Retry-After"] = str(wait)
        return response
    if AxesProxyHandler.is_locked(request, credentials):
        return envelope(request, 403, "locked_out",
                        _("Too many failed attempts for this account from this device: try again in 15 minutes, or from another device."))
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if AxesProxyHandler.is_locked(request, credentials):
            return envelope(request, 403, "locked_out",
                            _("Too many failed attempts for this account from this device: try again in 15 minutes, or from another device."))
        return envelope(request, 401, "invalid_credentials", _("Wrong username or password."))
    raw, token = token_issue(user=user)
    return {"token": raw, "expires_at": token.expires_at}


@api.delete("/auth/token", response={204: None, 401: ErrorOut}, tags=["auth"])
def auth_token_revoke(request):
    """Sign out: revoke the token this request carries. It answers 401 from then on."""
    token_sign_out(token=request.api_token)
    return Status(204, None)


MAX_PAGE_SIZE = 200


def paginate(request, queryset, serialize, *, default_size: int = 50) -> dict[str, Any]:
    """The contract's page: {"count", "results", "next"}; ?page= and ?page_size= (≤ 200).
    Beyond 1 000 rows `count` is PostgreSQL's estimate and `count_is_exact` is false; `next` never
    depends on the count: a page is read with one row more, and `next` is there when that row is."""
    page = parse_page_number(request.GET.get("page"))
    if page is None:
        raise ValidationFailed({"page": [_("Must be a whole number between 1 and %(max)d.") % {"max": MAX_PAGE}]})
    size = parse_page_number(request.GET.get("page_size"), default=default_size)
    if size is None or size > MAX_PAGE_SIZE:
        raise ValidationFailed({"page_size": [_("Must be between 1 and %(max)d.") % {"max": MAX_PAGE_SIZE}]})
    count, exact = fast_count(queryset)
    start = (page - 1) * size
    rows = list(queryset[start:start + size + 1])
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        params = request.GET.copy()
        params["page"] = page + 1
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    rows_shown(request, rows, model=getattr(queryset, "model", None))
    return {"count": count, "count_is_exact": exact, "results": [serialize(r) for r in rows], "next": next_url}

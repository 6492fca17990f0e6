"""The OpenRosa 1.0 endpoints ODK Collect, KoboCollect and Enketo speak: formList, form
download, its manifest and media files, submission (HEAD pre-check and multipart POST). A Parcours login over HTTP Digest
(RFC 7616, MD5: ODK Collect's default, the only scheme it uses over plain HTTP) or HTTP Basic
(over HTTPS in production); every response carries X-OpenRosa-Version."""

import base64
from xml.sax.saxutils import escape

from django.contrib.auth import authenticate
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from parcours.accounts import digest
from parcours.accounts.services import digest_user
from parcours.core.errors import Conflict, NotFound, ServiceError, ValidationFailed

from . import services
from .policies import forms_fillable_by

MAX_SUBMISSION = 10 * 1024 * 1024
REALM = digest.REALM


def _respond(body: str, status: int = 200, content_type: str = "text/xml; charset=utf-8") -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = "1.0"
    return response


def _message(text: str, status: int, nature: str = "") -> HttpResponse:
    attr = f' nature="{nature}"' if nature else ""
    return _respond('<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
                    f"<message{attr}>{escape(text)}</message></OpenRosaResponse>", status)


def _user(request):
    """The user of HTTP Digest or Basic credentials (a session also works, for Enketo in the
    browser); None without valid ones; a 429 answer while a client must wait after Basic failures.
    Sets `request.digest_stale` when a Digest nonce was right but too old."""
    request.digest_stale = False
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "digest ":
        user, request.digest_stale = digest_user(request)
        return user
    if not header.startswith("Basic "):
        return None
    try:
        username, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    from parcours.accounts.throttle import wait_seconds

    wait = wait_seconds(request, username[:150])
    if wait:  # throttled like the API and the login page, before the password is tried
        from parcours.accounts.lockout import too_early_message

        response = _message(too_early_message(wait), 429)
        response["Retry-After"] = str(wait)
        return response
    return authenticate(request, username=username, password=password)


def _challenge(request) -> HttpResponse:
    response = _message(_("Log in with your Parcours account."), 401)
    # Digest first: ODK Collect takes the first scheme it knows (and Basic only over HTTPS).
    response["WWW-Authenticate"] = f'{digest.challenge(stale=request.digest_stale)}, Basic realm="{REALM}"'
    return response


@csrf_exempt
@require_GET
def form_list(request):
    user = _user(request)
    if user is None:
        return _challenge(request)
    if isinstance(user, HttpResponse):
        return user
    items = []
    for form in forms_fillable_by(user):
        version = form.versions.first()
        if version is None:
            continue
        url = request.build_absolute_uri(reverse("openrosa:form", args=[form.form_id]))
        items.append(f"<xform><formID>{escape(form.form_id)}</formID><name>{escape(form.title)}</name>"
                     f"<version>{escape(version.version)}</version><hash>md5:{version.md5}</hash>"
                     f"<downloadUrl>{escape(url)}</downloadUrl>{_manifest_url(request, form, version)}</xform>")
    return _respond('<xforms xmlns="http://openrosa.org/xforms/xformsList">' + "".join(items) + "</xforms>")


@csrf_exempt
@require_GET
def form_download(request, form_id: str):
    user = _user(request)
    if user is None:
        return _challenge(request)
    if isinstance(user, HttpResponse):
        return user
    try:
        version = services.form_for_fill(user, form_id)
    except NotFound:
        return _message(_("No such form."), 404)
    return _respond(version.xml)


def _manifest_url(request, form, version) -> str:
    """Only forms with media have a manifest (ODK Collect then fetches it after the form)."""
    if not version.media.exists():
        return ""
    url = request.build_absolute_uri(reverse("openrosa:manifest", args=[form.form_id]))
    return f"<manifestUrl>{escape(url)}</manifestUrl>"


def _version_for(request, form_id: str):
    """(version, None) when the caller may fetch the form, else (None, the answer: 401, 429, 404)."""
    user = _user(request)
    if user is None:
        return None, _challenge(request)
    if isinstance(user, HttpResponse):
        return None, user
    try:
        return services.form_for_fill(user, form_id), None
    except NotFound:
        return None, _message(_("No such form."), 404)


@csrf_exempt
@require_GET
def manifest(request, form_id: str):
    version, refusal = _version_for(request, form_id)
    if refusal:
        return refusal
    files = []
    for media in version.media.all():
        url = request.build_absolute_uri(reverse("openrosa:media", args=[form_id, media.filename]))
        files.append(f"<mediaFile><filename>{escape(media.filename)}</filename><hash>md5:{media.md5}</hash>"
                     f"<downloadUrl>{escape(url)}</downloadUrl></mediaFile>")
    return _respond('<manifest xmlns="http://openrosa.org/xforms/xformsManifest">' + "".join(files) + "</manifest>")


@csrf_exempt
@require_GET
def media_file(request, form_id: str, filename: str):
    version, refusal = _version_for(request, form_id)
    if refusal:
        return refusal
    media = version.media.filter(filename=filename).first()
    if media is None:
        return _message(_("No such file."), 404)
    response = FileResponse(media.file.open("rb"), content_type=media.content_type)
    response["X-OpenRosa-Version"] = "1.0"
    return response


@csrf_exempt
@require_http_methods(["HEAD", "POST"])
def submission(request):
    user = _user(request)
    if user is None:
        return _challenge(request)
    if isinstance(user, HttpResponse):
        return user
    if request.method == "HEAD":
        response = _respond("", 204)
        response["X-OpenRosa-Accept-Content-Length"] = str(MAX_SUBMISSION)
        return response
    main = request.FILES.get("xml_submission_file")
    if main is None:
        return _message(_("The form submission is missing (xml_submission_file)."), 400)
    attachments = [(f.name, f.content_type or "application/octet-stream", f.read())
                   for key, f in request.FILES.items() if key != "xml_submission_file"]
    try:
        saved, created = services.submission_receive(by=user, xml=main.read(), attachments=attachments)
    except NotFound:
        return _message(_("No such form, or you may not fill it."), 404)
    except Conflict as exc:
        return _message(str(exc.message), 409)
    except ValidationFailed as exc:
        reasons = "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in exc.fields.items())
        return _message(reasons, 400)
    except ServiceError as exc:
        return _message(str(exc.message), 403)
    text = _("Form received.") if created else _("Form already received.")
    return _message(text, 201 if created else 202, "submit_success")

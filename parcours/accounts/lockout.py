"""What a locked-out user gets: the API's error envelope, or the web page."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def too_early_message(seconds: int) -> str:
    return ngettext("Too many failed attempts: wait %(seconds)d second before trying again.",
                    "Too many failed attempts: wait %(seconds)d seconds before trying again.", seconds) % {
        "seconds": seconds}


def lockout_response(request, original_response=None, credentials=None):
    message = _("Too many failed attempts for this account from this device: try again in 15 minutes, or from another device.")
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "locked_out", "message": message, "fields": {}}}, status=403)
    return render(request, "accounts/locked_out.html", status=403)

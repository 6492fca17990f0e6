"""What a locked-out user gets: the API's error envelope, or the web page."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    message = _("Too many failed attempts: this account is locked for 15 minutes.")
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "locked_out", "message": message, "fields": {}}}, status=403)
    return render(request, "accounts/locked_out.html", status=403)

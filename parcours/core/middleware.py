"""Everything under /api/v1/ answers in the contract's JSON envelope, including what Django or
django-ninja answer before any endpoint runs: an unknown path (404) or a wrong method (405)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

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


"""The one place the web turns a policy's refusal into an answer, for every view.

Views call policies and services and let `NotFound` and `Forbidden` go up: `NotFound` (missing, or
outside the user's scope — the same on purpose) becomes the 404 page, `Forbidden` (a record or page
the user sees but whose role may not act) the 403 page. No view catches them by hand. The API has
its own handler (parcours/core/api.py) rendering the contract's JSON envelope."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import Forbidden, NotFound


class PolicyRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Re-raised as Django's own exceptions: Django then renders 404.html / 403.html (the
        # project's pages, in the user's language) exactly as for an unknown address.
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(str(exception.message)) from exception
        return None

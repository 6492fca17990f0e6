from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """200 once the database answers; 503 otherwise (load balancers take the node out)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    """The role's landing page (its day's work), else the first page of its menu."""
    from parcours.core.context_processors import navigation
    from parcours.core.landing import landing_url

    landing = landing_url(request.user)
    if landing:
        return redirect(landing)
    items = navigation(request)["nav"]
    return redirect(items[0]["url"] if items else "account")


def _way_back(request) -> str:
    """The page the user came from, when it is one of ours (never an outside address)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return referer
    return ""


def not_found(request, exception=None):
    """The app's own 404 page: the menu when signed in, the user's language, a way back."""
    return render(request, "404.html", {"back": _way_back(request)}, status=404)


def forbidden(request, exception=None):
    return render(request, "403.html", {"back": _way_back(request)}, status=403)


def server_error(request):
    """The 500 page, as the other pages when it can be; a bare page when even that fails (the
    database may be what broke: the menu and the signed-in user need it)."""
    try:
        return render(request, "500.html", {"back": _way_back(request)}, status=500)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        return HttpResponseServerError(render_to_string("500_bare.html"))

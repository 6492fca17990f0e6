from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
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
    from parcours.core.context_processors import navigation

    items = navigation(request)["nav"]
    return redirect(items[0]["url"] if items else "account")

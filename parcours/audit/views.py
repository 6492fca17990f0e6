from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from parcours.accounts.roles import AUDIT_READERS, can
from parcours.core.counting import FastPaginator

from .selectors import AuditFilter, audit_entries


@login_required
def audit_log(request):
    if not can(request.user, AUDIT_READERS):
        raise Http404
    flt = AuditFilter(actor=request.GET.get("actor", ""), action=request.GET.get("action", ""),
                      model=request.GET.get("model", ""), object_pk=request.GET.get("object", ""))
    page = FastPaginator(audit_entries(request.user, flt), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {
        "page": page, "flt": flt, "actions": LogEntry.Action.choices, "query": request.GET.copy(),
    })

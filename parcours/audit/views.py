from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from parcours.core.counting import FastPaginator
from parcours.core.web import require

from .policies import can_read_audit
from .selectors import AuditFilter, audit_entries


@login_required
def audit_log(request):
    require(can_read_audit(request.user))
    flt = AuditFilter(actor=request.GET.get("actor", ""), action=request.GET.get("action", ""),
                      model=request.GET.get("model", ""), object_pk=request.GET.get("object", ""))
    page = FastPaginator(audit_entries(request.user, flt), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {
        "page": page, "flt": flt, "actions": LogEntry.Action.choices, "query": request.GET.copy(),
    })

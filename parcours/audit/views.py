from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from parcours.accounts.models import User
from parcours.core.counting import FastPaginator
from parcours.core.web import require

from .policies import can_read_audit
from .selectors import ACTIONS, AuditFilter, audit_entries, audit_rows


@login_required
def audit_log(request):
    require(can_read_audit(request.user))
    flt = AuditFilter.from_query(request.GET)
    page = FastPaginator(audit_entries(request.user, flt), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {
        "page": page, "rows": audit_rows(page), "flt": flt, "actions": [(k, str(v)) for k, v in ACTIONS.items()],
        "users": User.objects.order_by("username").values_list("username", flat=True), "query": request.GET.copy(),
    })

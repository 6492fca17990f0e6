"""Background work of assistance: the eligible count over a large registry (a parcours.jobs job)."""

import datetime as dt

from parcours.jobs.registry import register

from .policies import can_edit_schemes


@register("assistance_eligible_count", allowed=can_edit_schemes, retry_safe=True)  # reads only
def eligible_count_job(job, progress) -> dict:
    from .models import SchemeVersion
    from .selectors import eligible_count

    version = SchemeVersion.objects.select_related("scheme").get(pk=job.params["version"])
    on = dt.date.fromisoformat(job.params["on"])
    result = eligible_count(job.created_by, version, on, limit=None, progress=progress)
    return {"scheme": version.scheme.code, "version": version.number, "on": on.isoformat(),
            "eligible": result.eligible, "evaluated": result.evaluated, "amount_xof": result.amount_xof}

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parcours.core.reads import page_of
from parcours.core.web import act, require

from . import selectors, services
from .policies import can_read_pairs, can_review, merges_visible_to, pair_for_read


@login_required
@require_GET
def queue(request):
    require(can_read_pairs(request.user))
    page = page_of(request, selectors.pending_pairs(request.user))
    return render(request, "dedup/queue.html", {"page": page, "can_review": can_review(request.user),
                                                "query": request.GET.copy()})


@login_required
@require_POST
def scan_start(request):
    from parcours.jobs.services import job_start

    require(can_review(request.user))
    job = job_start(by=request.user, kind="dedupe_registry")
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_GET
def pair_detail(request, pair_id):
    pair = pair_for_read(request.user, pair_id)
    return render(request, "dedup/pair.html", {"pair": pair, "view": selectors.pair_view(pair),
                                               "can_review": can_review(request.user)})


@login_required
@require_POST
def review(request, pair_id):
    act(request, lambda: services.pair_review(by=request.user, pair_id=pair_id,
                                              decision=request.POST.get("decision", ""),
                                              note=request.POST.get("note", "")),
        _("Decision recorded."))
    return redirect("dedup:pair", pair_id=pair_id)


@login_required
@require_POST
def merge(request, pair_id):
    act(request, lambda: services.persons_merge(by=request.user, pair_id=pair_id,
                                                survivor_id=request.POST.get("survivor", "")),
        _("Records merged."))
    return redirect("dedup:pair", pair_id=pair_id)


@login_required
@require_GET
def merges(request):
    require(can_read_pairs(request.user))
    page = page_of(request, merges_visible_to(request.user))
    return render(request, "dedup/merges.html", {"page": page, "can_review": can_review(request.user),
                                                 "query": request.GET.copy()})


@login_required
@require_POST
def undo(request, merge_id):
    act(request, lambda: services.merge_undo(by=request.user, merge_id=merge_id), _("Merge undone."))
    return redirect("dedup:merges")
